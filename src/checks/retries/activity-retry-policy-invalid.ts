// Prevents a retry policy that fails when the activity is scheduled: the SDK or the server rejects
// it, the workflow task fails and is retried forever, and the workflow is stuck before its first
// activity runs.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import type { DurationField, NumberField, RetryFields } from '../../engine/activity-policy/read-options.js';
import { timedeltaFor } from '../../engine/activity-policy/python-durations.js';
import { validateRetryPolicy, type RetryPolicyInput } from '../../simulate/retry-policy.js';

const SDK_STUCK =
  'the SDK throws when the workflow schedules the activity, so the workflow task fails and is retried forever: the workflow is stuck';

export default defineCheck({
  id: 'activity-retry-policy-invalid',
  area: 'retries',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'A retry policy the SDK or the server rejects when the activity is scheduled.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, label } = review;
  if (options.retry.state !== 'set') return undefined;
  const problems = problemsOf(options.retry, proxy.kind);
  if (problems.length === 0) return undefined;
  // A Python number or string given for a timedelta: a type checker (mypy, pyright) rejects it, Python runs it.
  const typed = problems.filter((p) => p.timedelta !== undefined);
  const caught = typed.length > 0 && typed.length === problems.length ? 'A type checker would flag it, but Python runs it' : 'Type checking does not catch this';
  return verdict(problems.map((p) => p.text), {
    location: proxy.location,
    message: `The retry policy of ${label} is rejected at run time: ${problems.map((p) => p.text).join('; ')}. ${caught}; ${problems[0]!.consequence}.`,
    fix:
      (typed.length > 0 ? `Pass timedelta values: RetryPolicy(${typed.map((p) => `${p.field.replace(/^retry\./, '')}=${p.timedelta}`).join(', ')}).` : '') +
      (typed.length === problems.length ? '' : `${typed.length > 0 ? ' ' : ''}Fix ${listNames([...new Set(problems.map((p) => p.field))])}: intervals are positive durations ('1s', '1m'), maximumInterval >= initialInterval, backoffCoefficient >= 1 (2 recommended), maximumAttempts a positive integer.`),
    data: { ...policyData(review), problems: problems.map((p) => ({ field: p.field, error: p.text })) },
  });
}

interface Problem {
  field: string;
  text: string;
  consequence: string;
  /** A Python number or string given for a timedelta: the timedelta it likely meant. */
  timedelta?: string;
}

/** The SDK's checks first (compileRetryPolicy / msToNumber), then the server's (remote only). */
function problemsOf(retry: RetryFields, kind: 'remote' | 'local'): Problem[] {
  const problems: Problem[] = [];
  const input: RetryPolicyInput = {};
  const durations: [string, DurationField, 'initialIntervalMs' | 'maximumIntervalMs'][] = [
    ['retry.initialInterval', retry.initialInterval, 'initialIntervalMs'],
    ['retry.maximumInterval', retry.maximumInterval, 'maximumIntervalMs'],
  ];
  for (const [field, value, key] of durations) {
    if (value.state === 'invalid') {
      if (value.problem.reason === 'not-a-timedelta') {
        problems.push({ field, text: `${field}=${value.written} is not a timedelta (${value.problem.error})`, consequence: SDK_STUCK, timedelta: timedeltaFor(value.written) });
      } else if (value.problem.rejectedBy === 'sdk') {
        problems.push({ field, text: `${field} ${value.written}: ${value.problem.error}`, consequence: SDK_STUCK });
      } else {
        problems.push({ field, text: `${field} ${value.written} is negative`, consequence: stuckBy(kind) });
      }
    } else if (value.state === 'set') input[key] = value.ms;
    else if (value.state === 'zero') input[key] = 0;
  }
  const numbers: [NumberField, 'backoffCoefficient' | 'maximumAttempts'][] = [
    [retry.backoffCoefficient, 'backoffCoefficient'],
    [retry.maximumAttempts, 'maximumAttempts'],
  ];
  for (const [value, key] of numbers) {
    if (value.state === 'set') input[key] = value.value;
  }
  if (retry.nonRetryableErrorTypes.state === 'set') input.nonRetryableErrorTypes = retry.nonRetryableErrorTypes.entries.map((e) => e.value);
  // Unparsable intervals throw before anything else is looked at.
  if (problems.some((p) => p.consequence === SDK_STUCK)) return problems;
  for (const problem of validateRetryPolicy(input)) {
    if (problem.rejectedBy === 'server' && kind === 'local') continue;
    problems.push({ field: `retry.${problem.field}`, text: problem.message, consequence: problem.explanation });
  }
  return problems;
}

function stuckBy(kind: 'remote' | 'local'): string {
  return kind === 'remote'
    ? 'the server rejects the ScheduleActivityTask command (BAD_SCHEDULE_ACTIVITY_ATTRIBUTES), so the workflow task fails and is retried forever: the workflow is stuck'
    : 'the worker cannot schedule the local activity, so the workflow task fails and is retried forever: the workflow is stuck';
}
