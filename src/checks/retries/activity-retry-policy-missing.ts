// Prevents the retry storm of an activity with no retry policy: the server retries every retryable
// failure without limit, and a dependency outage multiplies into Actions and load; a business error
// the implementation throws without marking it non-retryable is retried with it.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { capitalize, configurableNote, describeRetryPolicy, listNames, localRetryThresholdMs, outageCost, outageData, outageSettings } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { implementationThrows, type ImplementationThrows } from '../../engine/activity-policy/implementation-throws.js';
import { relativePath } from '../../model/typescript/locate.js';

export default defineCheck({
  id: 'activity-retry-policy-missing',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'An activity proxy without a retry policy: unlimited attempts at the default backoff.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, retry, label } = review;
  // This check speaks once for a proxy whose options or retry policy cannot be read; the other
  // retry checks then stay silent about it.
  const unresolved = options.unresolved
    ? { field: 'the options', text: options.unresolved.text, location: options.unresolved.location }
    : unresolvedField('retry', options.retry);
  if (unresolved) {
    return { defects: [`unresolved ${unresolved.text}`], value: cannotTellFinding(proxy.location, label, 'the retry policy', unresolved) };
  }
  if (options.retry.state !== 'absent') return undefined;
  const settings = outageSettings(ctx.config);
  const who = proxy.kind === 'local' ? 'the worker retries' : 'the server retries';
  let effect = `${who} failures with the default policy`;
  let cost = '';
  let data: Record<string, unknown> = policyData(review);
  if (retry.known) {
    effect += ` (${describeRetryPolicy(retry.policy)})`;
    cost = ` ${capitalize(outageCost(retry.policy, proxy.kind, settings, localRetryThresholdMs(options.localRetryThreshold)))}.`;
    data = { ...data, outage: outageData(retry.policy, proxy.kind, settings) };
  }
  const bounded = retry.known && retry.policy.scheduleToCloseMs !== undefined;
  const until = bounded ? 'until scheduleToCloseTimeout runs out' : 'for as long as the workflow runs';
  const throws = implementationThrows(review.uses);
  return {
    defects: ['no retry policy'],
    value: {
      location: proxy.location,
      message: `No retry policy on ${label}: ${effect}, ${until}. ${evidence(throws, ctx.root, bounded)}` + cost + (retry.known ? configurableNote(retry.configurable) : ''),
      fix:
        "Write the policy down, sized to the dependency: retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', " +
        "maximumAttempts: 5, nonRetryableErrorTypes: ['YourBusinessError'] }, and bound the total time with scheduleToCloseTimeout.",
      related: throws.retried.map((t) => ({ ...t.location, message: `${t.activity} throws ${t.type} here, not marked non-retryable` })),
      data: {
        ...data,
        implementations: throws.unknown.length === review.uses.length ? 'unknown' : throws.unknown.length === 0 ? 'known' : 'partly-known',
        retriedThrows: throws.retried.map((t) => ({ type: t.type, activity: t.activity, file: relativePath(ctx.root, t.location.file), line: t.location.line })),
      },
    },
  };
}

/**
 * What the missing policy means for these activities, stated only as far as the code shows it:
 * the retryable errors the implementations throw, by type and place; or, when every error they
 * throw is already non-retryable, that only transient failures are retried; or that the
 * implementation was not found.
 */
function evidence(throws: ImplementationThrows, root: string, bounded: boolean): string {
  const inStep = 'every workflow in flight retries in step (there is no jitter).';
  const missing = throws.unknown.length
    ? ` The implementation of ${listNames(throws.unknown)} is not in the reviewed code, so what ${throws.unknown.length === 1 ? 'it throws' : 'they throw'} is not known.`
    : '';
  if (throws.retried.length) {
    const shown = throws.retried.slice(0, MAX_THROWS_NAMED).map((t) => `${t.type} (${relativePath(root, t.location.file)}:${t.location.line})`);
    const more = throws.retried.length - shown.length;
    return (
      `That includes the business errors the implementations throw without marking them non-retryable: ${listNames(more ? [...shown, `${more} more`] : shown, MAX_THROWS_NAMED + 1)}. ` +
      `A failure that cannot succeed is retried like an outage, and ${inStep}` +
      missing
    );
  }
  // The head of the message already says when a bounded retry stops.
  const limit = bounded ? '' : ' without limit';
  if (throws.unknown.length || throws.activities === 0) return `Transient failures (a timeout, a dependency down) are retried${limit}, and ${inStep}${missing}`;
  const plain = throws.plainRetried ? ' and plain Error throws' : '';
  return (
    (throws.nonRetryable
      ? 'Every business error the implementations throw is already non-retryable; '
      : 'The implementations throw no business error type of their own; ') +
    `what is retried${limit} are transient failures (a timeout, a dependency down)${plain}, and ${inStep}`
  );
}

/** Past this many, the list says "and N more": every one is a related location. */
const MAX_THROWS_NAMED = 3;
