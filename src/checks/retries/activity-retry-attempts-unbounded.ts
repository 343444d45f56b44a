// Prevents an activity whose retry policy names no maximumAttempts and no scheduleToCloseTimeout
// from retrying forever: a permanent failure keeps the workflow open and paying for attempts.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { capitalize, configurableNote, describeRetryPolicy, localRetryThresholdMs, outageCost, outageData, outageSettings } from '../../engine/activity-policy/describe-policy.js';
import { documentedChoice, documentedNote } from '../../engine/activity-policy/documented-choice.js';
import { relativePath } from '../../model/typescript/locate.js';
import { ownVerdicts, policyData, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';

export default defineCheck({
  id: 'activity-retry-attempts-unbounded',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A retry policy without maximumAttempts and no scheduleToCloseTimeout to bound it.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, retry, label } = review;
  if (options.retry.state !== 'set') return undefined;
  const attempts = options.retry.maximumAttempts;
  const deadline = options.scheduleToCloseTimeout;
  const attemptsBound = attempts.state === 'set' && attempts.value > 0 && Number.isFinite(attempts.value);
  if (attemptsBound || deadline.state === 'set') return undefined;
  // Invalid values (maximumAttempts <= 0, a negative deadline) are activity-retry-policy-invalid's and activity-timeout-invalid's.
  if (attempts.state === 'invalid' || deadline.state === 'invalid') return undefined;
  if (attempts.state === 'set' && attempts.value <= 0) return undefined;
  const unresolved = unresolvedField('retry.maximumAttempts', attempts) ?? unresolvedField('scheduleToCloseTimeout', deadline);
  if (unresolved) {
    return { defects: [`unresolved ${unresolved.text}`], value: cannotTellFinding(proxy.location, label, 'whether retries are bounded', unresolved) };
  }
  const settings = outageSettings(ctx.config);
  const written = attempts.state === 'set' ? `maximumAttempts is ${attempts.written} (unlimited)` : 'the retry policy sets no maximumAttempts';
  const effect = retry.known ? ` The server runs ${describeRetryPolicy(retry.policy)}.` : '';
  const cost = retry.known ? ` ${capitalize(outageCost(retry.policy, proxy.kind, settings, localRetryThresholdMs(options.localRetryThreshold)))}.` : '';
  // A comment on the retry policy (or one about retries above the proxy) says the unbounded retry is meant.
  const documented = documentedChoice(review, /\bretr(y|ies|ied|ying)\b|\battempts?\b/i, 'retry');
  return {
    defects: ['unbounded attempts'],
    value: {
      location: proxy.location,
      ...(documented ? { severity: 'info' as const } : {}),
      message:
        `Retries of ${label} never stop: ${written} and there is no scheduleToCloseTimeout. ` +
        `A failure that cannot succeed (a bad input, a deleted record, a revoked credential) is retried for as long as the workflow runs, ` +
        `and the workflow stays open waiting for it.` +
        effect +
        cost +
        (retry.known ? configurableNote(retry.configurable) : '') +
        (documented ? documentedNote(documented, relativePath(ctx.root, documented.location.file)) : ''),
      fix: documented
        ? 'Nothing required if the choice still holds; make sure something notices a run that keeps retrying (an alert on activity failures or on the work it should have done), or bound it with a scheduleToCloseTimeout.'
        : 'Set retry.maximumAttempts to what the dependency deserves (e.g. 5), or a scheduleToCloseTimeout equal to the business deadline, or both.',
      ...(documented ? { related: [{ ...documented.location, message: 'the comment that documents the choice' }] } : {}),
      data: { ...policyData(review), ...(retry.known ? { outage: outageData(retry.policy, proxy.kind, settings) } : {}), ...(documented ? { documentedChoice: documented.text } : {}) },
    },
  };
}
