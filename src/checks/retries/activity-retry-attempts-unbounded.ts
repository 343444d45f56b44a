// Prevents an activity whose retry policy names no maximumAttempts and no scheduleToCloseTimeout
// from retrying forever: a permanent failure keeps the workflow open and paying for attempts.

import { defineCheck } from '../define-check.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { capitalize, configurableNote, describeRetryPolicy, outageCost, outageData, outageSettings } from '../../engine/activity-policy/describe-policy.js';
import { policyData, proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { ownsOptions } from '../../model/typescript/activity-options/override-changes.js';

export default defineCheck({
  id: 'activity-retry-attempts-unbounded',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A retry policy without maximumAttempts and no scheduleToCloseTimeout to bound it.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const settings = outageSettings(ctx.config);
    for (const review of proxyReviews(model)) {
      const { proxy, options, retry, label } = review;
      if (options.retry.state !== 'set') continue;
      if (!ownsOptions(model, proxy, [['retry', 'maximumAttempts'], ['scheduleToCloseTimeout']])) continue;
      const attempts = options.retry.maximumAttempts;
      const deadline = options.scheduleToCloseTimeout;
      const attemptsBound = attempts.state === 'set' && attempts.value > 0 && Number.isFinite(attempts.value);
      const timeBound = deadline.state === 'set';
      if (attemptsBound || timeBound) continue;
      // Invalid values are activity-retry-policy-invalid's and activity-timeout-invalid's.
      if (attempts.state === 'invalid' || deadline.state === 'invalid') continue;
      if (attempts.state === 'set' && attempts.value <= 0) continue;
      const unresolved = unresolvedField('retry.maximumAttempts', attempts) ?? unresolvedField('scheduleToCloseTimeout', deadline);
      if (unresolved) {
        ctx.report(cannotTellFinding(proxy.location, label, 'whether retries are bounded', unresolved));
        continue;
      }
      const written = attempts.state === 'set' ? `maximumAttempts is ${attempts.written} (unlimited)` : 'the retry policy sets no maximumAttempts';
      const effect = retry.known ? ` The server runs ${describeRetryPolicy(retry.policy)}.` : '';
      const cost = retry.known ? ` ${capitalize(outageCost(retry.policy, proxy.kind, settings))}.` : '';
      ctx.report({
        location: proxy.location,
        message:
          `Retries of ${label} never stop: ${written} and there is no scheduleToCloseTimeout. ` +
          `A failure that cannot succeed (a bad input, a deleted record, a revoked credential) is retried for as long as the workflow runs, ` +
          `and the workflow stays open waiting for it.` +
          effect +
          cost +
          (retry.known ? configurableNote(retry.configurable) : ''),
        fix: 'Set retry.maximumAttempts to what the dependency deserves (e.g. 5), or a scheduleToCloseTimeout equal to the business deadline, or both.',
        data: { ...policyData(review), ...(retry.known ? { outage: outageData(retry.policy, proxy.kind, settings) } : {}) },
      });
    }
  },
});
