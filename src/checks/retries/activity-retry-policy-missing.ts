// Prevents the retry storm of an activity with no retry policy: the server retries every failure,
// business errors included, without limit, and a dependency outage multiplies into Actions and load.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { capitalize, configurableNote, describeRetryPolicy, localRetryThresholdMs, outageCost, outageData, outageSettings } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';

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
  let effect = `${who} every failure with the default policy`;
  let cost = '';
  let data: Record<string, unknown> = policyData(review);
  if (retry.known) {
    effect += ` (${describeRetryPolicy(retry.policy)})`;
    cost = ` ${capitalize(outageCost(retry.policy, proxy.kind, settings, localRetryThresholdMs(options.localRetryThreshold)))}.`;
    data = { ...data, outage: outageData(retry.policy, proxy.kind, settings) };
  }
  const bounded = retry.known && retry.policy.scheduleToCloseMs !== undefined;
  return {
    defects: ['no retry policy'],
    value: {
      location: proxy.location,
      message:
        `No retry policy on ${label}: ${effect}, business errors included, ` +
        `${bounded ? 'until scheduleToCloseTimeout runs out' : 'for as long as the workflow runs'}. ` +
        `Failures that cannot succeed are retried like outages, and every workflow in flight retries in step (there is no jitter).` +
        cost +
        (retry.known ? configurableNote(retry.configurable) : ''),
      fix:
        "Write the policy down, sized to the dependency: retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', " +
        "maximumAttempts: 5, nonRetryableErrorTypes: ['YourBusinessError'] }, and bound the total time with scheduleToCloseTimeout.",
      data,
    },
  };
}
