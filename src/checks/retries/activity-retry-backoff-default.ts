// Prevents dense retries during an outage: with a backoff coefficient below 2 the intervals grow
// slowly (or not at all), so every workflow in flight hammers the recovering dependency in step.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { configurableNote, describeRetryPolicy, outageSettings } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { spokenDuration } from '../../simulate/outage-cost-sentence.js';
import { attemptsDuringOutage, DEFAULT_INITIAL_INTERVAL_MS, retryWindowMs, SHORT_RETRY_WINDOW_MS } from '../../simulate/retry-policy.js';
import { formatDuration } from '../../engine/duration.js';
import { longestUncappedBackoff } from '../../engine/activity-policy/longest-backoff.js';

/** Below this the schedule is dense: 2 is the server default and Temporal's recommendation (§3). */
const RECOMMENDED_COEFFICIENT = 2;

export default defineCheck({
  id: 'activity-retry-backoff-default',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A retry policy whose backoffCoefficient is unset or below 2: dense retries during outages.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const settings = outageSettings(ctx.config);
  const { proxy, options, retry, label } = review;
  if (options.retry.state !== 'set') return undefined;
  // A single attempt never waits: the coefficient has nothing to shape, written or not.
  if (longestUncappedBackoff(options.retry, DEFAULT_INITIAL_INTERVAL_MS).kind === 'no-retry') return undefined;
  const coefficient = options.retry.backoffCoefficient;
  const unresolved = unresolvedField('retry.backoffCoefficient', coefficient);
  if (unresolved) {
    return verdict([`unresolved ${unresolved.text}`], cannotTellFinding(proxy.location, label, 'the retry backoff', unresolved));
  }
  // With one or two attempts the only wait is initialInterval: the coefficient never applies.
  if (retry.known && retry.policy.maximumAttempts >= 1 && retry.policy.maximumAttempts <= 2) return undefined;
  if (coefficient.state === 'absent') {
    // A bounded policy whose attempts all fall within a minute: the coefficient is not what is
    // sound about it, so say how soon it gives up instead (activity-retry-window-short).
    const attempts = retry.known ? retry.policy.maximumAttempts : 0;
    const window = retry.known && attempts >= 2 ? retryWindowMs(retry.policy.initialIntervalMs, retry.policy.backoffCoefficient, retry.policy.maximumIntervalMs, attempts) : Infinity;
    const short = window < SHORT_RETRY_WINDOW_MS;
    return verdict(['backoffCoefficient unset'], {
      location: proxy.location,
      severity: 'info',
      message:
        `The retry policy of ${label} leaves backoffCoefficient unset, so the server uses ${RECOMMENDED_COEFFICIENT}` +
        (retry.known ? ` (${describeRetryPolicy(retry.policy)})` : '') +
        (short
          ? `. With ${attempts} attempts the last one starts ${formatDuration(window)} after the first failure, ` +
            'sooner than a database failover or a rolling deploy is over (see activity-retry-window-short); and the coefficient is unwritten: the next edit of this policy will not see the decision.'
          : '. That is a sound value, but an unwritten one: the next edit of this policy will not see the decision.'),
      fix: `Write backoffCoefficient: ${RECOMMENDED_COEFFICIENT} (or larger) into the retry policy.`,
      data: policyData(review),
    });
  }
  // Values the SDK or the server reject (<= 0, < 1) are activity-retry-policy-invalid's.
  if (coefficient.state !== 'set' || coefficient.value < 1 || coefficient.value >= RECOMMENDED_COEFFICIENT) return undefined;
  let numbers = '';
  let data: Record<string, unknown> = policyData(review);
  if (retry.known) {
    const written = attemptsDuringOutage(retry.policy, settings.outageMs).attempts;
    const recommended = attemptsDuringOutage({ ...retry.policy, backoffCoefficient: RECOMMENDED_COEFFICIENT }, settings.outageMs).attempts;
    // maximumAttempts (or scheduleToClose) can stop retrying before the coefficient matters: the
    // same number of attempts either way is no denser, so there is nothing to report.
    if (written <= recommended) return undefined;
    numbers =
      ` An outage of ${spokenDuration(settings.outageMs)} makes ${written.toLocaleString('en-US')} attempts per activity with this policy ` +
      `(${describeRetryPolicy(retry.policy)}), against ${recommended.toLocaleString('en-US')} with backoffCoefficient ${RECOMMENDED_COEFFICIENT}; ` +
      `at ${settings.workflowsInFlight.toLocaleString('en-US')} workflows in flight that is ${(written * settings.workflowsInFlight).toLocaleString('en-US')} ` +
      `attempts instead of ${(recommended * settings.workflowsInFlight).toLocaleString('en-US')}.`;
    data = { ...data, outage: { outageMs: settings.outageMs, attemptsPerActivity: written, attemptsWithRecommendedBackoff: recommended } };
  }
  return verdict([`backoffCoefficient ${coefficient.value}`], {
    location: proxy.location,
    message:
      `The retry policy of ${label} sets backoffCoefficient ${coefficient.written}: ` +
      `${coefficient.value === 1 ? 'every retry waits the same interval' : 'intervals grow slowly'}, and since retries have no jitter, ` +
      `every workflow that failed together retries together, keeping a recovering dependency down.` +
      numbers +
      (retry.known ? configurableNote(retry.configurable) : ''),
    fix: `Use backoffCoefficient ${RECOMMENDED_COEFFICIENT} (the default) or more, and cap the wait with maximumInterval.`,
    data,
  });
}
