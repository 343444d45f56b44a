// Prevents backoffs that outgrow the business: without maximumInterval the wait between attempts
// climbs to 100 x initialInterval, and a maximumInterval past the business deadline means one
// backoff can outlast the time the business is willing to wait.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { deadlinesOf, describeDeadlines } from '../../engine/activity-policy/activity-deadlines.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { configurableFields, configurableNote, describeRetryPolicy } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { longestUncappedBackoff } from '../../engine/activity-policy/longest-backoff.js';
import { formatDuration } from '../../engine/duration.js';
import { DEFAULT_INITIAL_INTERVAL_MS, DEFAULT_MAXIMUM_INTERVAL_COEFFICIENT, retryDelay, type EffectiveRetryPolicy } from '../../simulate/retry-policy.js';

export default defineCheck({
  id: 'activity-retry-max-interval-unset',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A retry policy without maximumInterval (100 x initialInterval), or with one longer than the business deadline.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, retry, label, uses } = review;
  if (options.retry.state !== 'set') return undefined;
  const { maximumInterval, initialInterval, maximumAttempts } = options.retry;
  // A single attempt never waits: neither a cap nor a deadline can matter.
  if (maximumAttempts.state === 'set' && maximumAttempts.value === 1) return undefined;
  // With maximumInterval unset, whether the default cap is ever reached depends on maximumAttempts:
  // a count read at run time is "cannot tell", not a violation.
  const unresolved =
    unresolvedField('retry.maximumInterval', maximumInterval) ??
    unresolvedField('retry.initialInterval', initialInterval) ??
    (maximumInterval.state === 'absent' ? unresolvedField('retry.maximumAttempts', maximumAttempts) : undefined);
  if (unresolved) {
    return verdict([`unresolved ${unresolved.text}`], cannotTellFinding(proxy.location, label, 'the longest retry interval', unresolved));
  }
  // Zero, negative and unparsable intervals are activity-retry-policy-invalid's.
  if (maximumInterval.state === 'invalid' || maximumInterval.state === 'zero' || initialInterval.state === 'invalid' || initialInterval.state === 'zero') return undefined;
  const initialMs = initialInterval.state === 'set' ? initialInterval.ms : DEFAULT_INITIAL_INTERVAL_MS;
  const longest = longestUncappedBackoff(options.retry, initialMs);
  if (longest.kind === 'no-retry') return undefined;
  const maximumMs = maximumInterval.state === 'set' ? maximumInterval.ms : DEFAULT_MAXIMUM_INTERVAL_COEFFICIENT * initialMs;
  // The default cap matters only if some wait would reach it: the last wait (before the last
  // attempt) must grow past 100 x initial, and a scheduleToCloseTimeout under the cap ends
  // retrying before any wait that long (§3).
  const scheduleToCloseMs = options.scheduleToCloseTimeout.state === 'set' ? options.scheduleToCloseTimeout.ms : Number.POSITIVE_INFINITY;
  const capReached = (longest.kind === 'unbounded' || longest.ms > maximumMs) && scheduleToCloseMs > maximumMs;
  const unset = maximumInterval.state !== 'set' && capReached;
  // Unset, the longest wait is the default cap or the last uncapped wait, whichever is shorter.
  const longestWaitMs = maximumInterval.state === 'set' || longest.kind === 'unbounded' ? maximumMs : Math.min(maximumMs, longest.ms);
  const pastDeadline = deadlinesOf(ctx.config, uses.map((use) => use.type)).filter((deadline) => longestWaitMs > deadline.ms);
  if (!unset && pastDeadline.length === 0) return undefined;
  // A finite maximumAttempts ends retrying: the default cap only stretches the tail of a window
  // the team can read off, so the finding names that window instead of warning. Unlimited
  // attempts keep the warning: the cap then governs every retry for as long as the outage lasts.
  if (unset && pastDeadline.length === 0 && retry.known && retry.policy.maximumAttempts > 0) {
    const window = retryWindow(retry.policy);
    return verdict(['maximumInterval unset'], {
      location: proxy.location,
      severity: 'info',
      message:
        `The retry policy of ${label} leaves maximumInterval unset, so the server caps the backoff at ${DEFAULT_MAXIMUM_INTERVAL_COEFFICIENT} x initialInterval = ${formatDuration(maximumMs)}` +
        `${initialInterval.state === 'set' ? '' : ' (initialInterval is the default 1s)'}. With maximumAttempts ${retry.policy.maximumAttempts}, ` +
        `${window.capped} of the ${window.waits} waits reach that cap and the waits add up to ${formatDuration(window.totalMs)}` +
        `${retry.policy.scheduleToCloseMs !== undefined && retry.policy.scheduleToCloseMs < window.totalMs ? ` (scheduleToCloseTimeout ${formatDuration(retry.policy.scheduleToCloseMs)} ends it sooner)` : ''}: ` +
        `that is the retry window the defaults give, plus the attempts themselves; compare it with how long the business can wait for the result. ` +
        `Effective policy: ${describeRetryPolicy(retry.policy)}.` +
        configurableNote(configurableFields([['retry.maximumInterval', maximumInterval], ['retry.initialInterval', initialInterval], ['retry.maximumAttempts', maximumAttempts]])),
      fix: 'If that window is longer than the business can wait, set maximumInterval (and maximumAttempts) so the waits add up to less.',
      data: {
        ...policyData(review),
        maximumIntervalMs: maximumMs,
        maximumIntervalUnset: true,
        longestWaitMs: longestWaitMs,
        retryWindowMs: window.totalMs,
        cappedWaits: window.capped,
        deadlinesExceeded: [],
      },
    });
  }
  const parts: string[] = [];
  if (unset) {
    parts.push(
      `The retry policy of ${label} leaves maximumInterval unset, so the server caps the backoff at ${DEFAULT_MAXIMUM_INTERVAL_COEFFICIENT} x initialInterval = ${formatDuration(maximumMs)}` +
        `${initialInterval.state === 'set' ? '' : ' (initialInterval is the default 1s)'}: after a dependency recovers, ` +
        `activities can still sit out up to ${formatDuration(maximumMs)} before their next attempt, and the wait grows with any change to initialInterval.`,
    );
  } else if (maximumInterval.state === 'set') {
    parts.push(`The retry policy of ${label} sets maximumInterval ${maximumInterval.written}.`);
  } else {
    parts.push(`The retry policy of ${label} waits up to ${formatDuration(longestWaitMs)} between attempts.`);
  }
  if (pastDeadline.length > 0) {
    parts.push(
      `That is longer than the business deadline of ${describeDeadlines(pastDeadline)} (deadlines.activities in the config): ` +
        `a single backoff outlasts the time the business is willing to wait, so the activity is still retrying when nobody needs the result.`,
    );
  }
  if (retry.known) parts.push(`Effective policy: ${describeRetryPolicy(retry.policy)}.`);
  const note = configurableNote(configurableFields([['retry.maximumInterval', maximumInterval], ['retry.initialInterval', initialInterval]]));
  const shortest = pastDeadline.length > 0 ? Math.min(...pastDeadline.map((d) => d.ms)) : undefined;
  return verdict([...(unset ? ['maximumInterval unset'] : []), ...pastDeadline.map((d) => `past deadline of ${d.type}`)], {
    location: proxy.location,
    message: parts.join(' ') + note,
    fix:
      shortest !== undefined
        ? `Set maximumInterval well under the shortest deadline (${formatDuration(shortest)}), e.g. '${suggestInterval(shortest)}', and bound the whole activity with scheduleToCloseTimeout.`
        : "Set maximumInterval to the longest wait you accept between attempts, e.g. maximumInterval: '1m'.",
    data: {
      ...policyData(review),
      maximumIntervalMs: maximumMs,
      maximumIntervalUnset: maximumInterval.state !== 'set',
      longestWaitMs: longest.kind === 'bounded' ? Math.min(longest.ms, maximumMs) : maximumMs,
      deadlinesExceeded: pastDeadline.map((d) => ({ activityType: d.type, deadlineMs: d.ms })),
    },
  });
}

/** A round interval about a quarter of the deadline, as a duration string. */
function suggestInterval(deadlineMs: number): string {
  const quarter = deadlineMs / 4;
  if (quarter >= 60_000) return `${Math.max(1, Math.floor(quarter / 60_000))}m`;
  return `${Math.max(1, Math.floor(quarter / 1000))}s`;
}

/** The waits between the attempts of a policy with a finite maximumAttempts: how many reach the cap, and their sum. */
function retryWindow(policy: EffectiveRetryPolicy): { waits: number; capped: number; totalMs: number } {
  let totalMs = 0;
  let capped = 0;
  for (let attemptsMade = 1; attemptsMade < policy.maximumAttempts; attemptsMade++) {
    const wait = retryDelay(policy, attemptsMade);
    if (wait >= policy.maximumIntervalMs) {
      // Every later wait is the cap too.
      capped = policy.maximumAttempts - attemptsMade;
      totalMs += capped * policy.maximumIntervalMs;
      break;
    }
    totalMs += wait;
  }
  return { waits: policy.maximumAttempts - 1, capped, totalMs };
}
