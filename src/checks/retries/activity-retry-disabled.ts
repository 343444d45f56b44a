// Points at retries switched off: with retry.maximumAttempts: 1 the first network blip, database
// failover or worker crash during an attempt fails the activity for good, and the workflow with it
// unless the workflow catches the failure (Python: retry_policy=RetryPolicy(maximum_attempts=1) on
// an execute_activity call whose ActivityError nothing catches). A catch that only cleans up and
// throws again on every path (compensates, logs, writes a status, then rethrows) does not count:
// the workflow still fails. Often deliberate (work that must not run twice), so the finding is info
// and is left out when the workflow recovers from the failure or a comment explains it.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { uncaughtCallsOf } from '../../engine/activity-policy/uncaught-calls.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { CodeModel } from '../../model/types.js';

export default defineCheck({
  id: 'activity-retry-disabled',
  area: 'retries',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'retry.maximumAttempts: 1 (Python: RetryPolicy(maximum_attempts=1)) with no catch in the workflow that recovers: the first transient error of the activity fails the workflow.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const { verdict } of ownVerdicts(model, (review) => evaluate(review, model, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, model: CodeModel, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const attempts = review.options.retry.state === 'set' ? review.options.retry.maximumAttempts : undefined;
  if (attempts?.state !== 'set' || attempts.value !== 1) return undefined;
  const python = review.proxy.language === 'python';
  const found = uncaughtCallsOf(review, model, { rethrown: true });
  if (!found) return undefined;
  const { uncaught, types, workflows, handledElsewhere } = found;
  const first = uncaught[0]!;
  const setting = python ? 'retry_policy=RetryPolicy(maximum_attempts=1)' : 'retry.maximumAttempts: 1';
  const rethrown = uncaught.some((call) => call.handling === 'rethrown');
  const catches =
    (python ? 'catches the ActivityError' : 'catches it') +
    (rethrown ? ` and recovers (${python ? 'an except' : 'a catch'} that cleans up and then ${python ? 'raises' : 'throws'} again on every path still fails the workflow)` : '');
  return verdict(['attempts 1'], {
    location: review.proxy.location,
    message:
      `Retries are off for ${review.label} (${setting}): a network blip, a database failover or a worker crash during ${listNames(types)} ` +
      `fails the activity at its first attempt, and nothing in ${workflows.length === 1 ? 'workflow' : 'workflows'} ${listNames(workflows)} ${catches}${handledElsewhere}, ` +
      `so the workflow fails with it. This is right for work that must not run twice; for idempotent reads and writes it turns every transient error into a failed workflow.`,
    fix: python
      ? `Keep maximum_attempts=1 only for the activities that must not run twice, and give the idempotent calls a bounded retry policy ` +
        `(e.g. RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(minutes=1))); or catch ActivityError in the workflow and compensate. A comment next to retry_policy= or maximum_attempts= at the call saying why it is 1 records the choice and silences this finding.`
      : `Keep maximumAttempts: 1 only for the activities that must not run twice, and give the idempotent ones their own proxy with a bounded retry policy ` +
        `(e.g. retry: { maximumAttempts: 5, maximumInterval: '1 minute' }); or catch the failure in the workflow and compensate. A comment next to maximumAttempts saying why it is 1 records the choice and silences this finding.`,
    related: uncaught.slice(0, 3).map((call) => ({
      ...call.location,
      message:
        call.handling === 'rethrown'
          ? `${call.activityType} called in ${call.workflow}, whose ${python ? 'except' : 'catch'} around it ${python ? 'raises' : 'throws'} again`
          : `${call.activityType} called without a catch in ${call.workflow}`,
    })),
    data: { ...policyData(review), uncaughtActivityTypes: types, workflows, firstCall: `${relativePath(ctx.root, first.location.file)}:${first.location.line}` },
  });
}
