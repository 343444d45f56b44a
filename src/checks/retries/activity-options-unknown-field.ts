// Prevents a retry policy or timeout that the team wrote and Temporal never applies: the SDK reads
// only the fields it knows, so `retry: { initialIntervalMs: 5000, maximumIntervalMs: 60000 }` in a
// shared constant schedules the activity with the default 1 s initial interval and 100 s cap, and
// nobody sees the difference until an outage. Type checking rejects an unknown key only in an
// object literal written at the call; a constant defined elsewhere passes.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { UnknownOptionField } from '../../engine/activity-policy/read-options.js';
import { attemptSchedule, type EffectiveRetryPolicy } from '../../simulate/retry-policy.js';
import { parseDuration } from '../../engine/duration.js';

export default defineCheck({
  id: 'activity-options-unknown-field',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Activity options or a retry policy carry a field the SDK does not read (initialIntervalMs, maxAttempts): the setting is silently ignored.',
  run(ctx) {
    if (!ctx.model || ctx.model.language === 'python') return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const fields = review.options.unknownFields;
  if (!fields?.length) return undefined;
  // Ignored fields whose intended value is what the SDK applies anyway (or that no retry ever
  // uses, with maximumAttempts 1) change nothing: a note, not a warning.
  const idle = retryUnchanged(review, fields);
  const where = (location: { file: string; line: number }) => `${relativePath(ctx.root, location.file)}:${location.line}`;
  const named = fields.map((f) => `${f.path}: ${f.written} (${where(f.location)})`);
  const meant = fields.filter((f) => f.meant);
  const retryIgnored = fields.some((f) => f.path.startsWith('retry.'));
  return verdict(
    fields.map((f) => f.path),
    {
      location: review.proxy.location,
      ...(idle ? { severity: 'info' as const } : {}),
      message:
        `The options of ${review.label} carry ${fields.length === 1 ? 'a field' : 'fields'} the TypeScript SDK does not read: ${listNames(named, 6)}. ` +
        `${fields.length === 1 ? 'It is' : 'They are'} silently ignored, so ${meant.length > 0 ? `${listNames(meant.map((f) => f.meant!))} ${meant.length === 1 ? 'keeps its' : 'keep their'} default` : 'the settings the code meant are not applied'}` +
        (retryIgnored ? ' (initialInterval 1 s, backoffCoefficient 2, maximumInterval 100 x initialInterval, unlimited attempts unless maximumAttempts is set)' : '') +
        '. Type checking rejects unknown keys only in an object literal written at the call, not in a constant defined elsewhere.' +
        (idle ? ` With these values nothing changes yet: ${idle}. The next edit of the constant will not take effect either.` : ''),
      fix:
        meant.length > 0
          ? `Rename ${listNames(meant.map((f) => `${f.path} to ${f.meant}`))}: durations take milliseconds as a number or a string ('5s'). Type the shared constant (\`satisfies RetryPolicy\` / \`satisfies ActivityOptions\`) so the compiler catches the next one.`
          : 'Remove the fields or move them where they are read; type the shared constant (`satisfies RetryPolicy` / `satisfies ActivityOptions`) so the compiler catches unknown keys.',
      related: fields.map((f) => ({ ...f.location, message: `${f.path} is not read by the SDK${f.meant ? ` (meant: ${f.meant})` : ''}` })),
      data: { ...policyData(review), unknownFields: fields.map((f) => ({ path: f.path, ...(f.meant ? { meant: f.meant } : {}), written: f.written })) },
    },
  );
}

/**
 * Why the ignored fields change no retry, when that is so: every unknown field is a near miss of a
 * retry interval, and the attempt schedule with the intended values is the one the SDK runs.
 */
function retryUnchanged(review: ProxyReview, fields: UnknownOptionField[]): string | undefined {
  if (!review.retry.known) return undefined;
  const read = review.retry.policy;
  const intended: EffectiveRetryPolicy = { ...read };
  for (const field of fields) {
    const ms = typeof field.value === 'number' || typeof field.value === 'string' ? parseDuration(field.value) : null;
    if (field.meant === 'retry.initialInterval' && ms !== null) intended.initialIntervalMs = ms;
    else if (field.meant === 'retry.maximumInterval' && ms !== null) intended.maximumIntervalMs = ms;
    else return undefined;
  }
  if (read.maximumAttempts === 1) return 'maximumAttempts is 1, so no retry waits at all';
  const horizon = { untilMs: 24 * 60 * 60_000 };
  const a = attemptSchedule(read, horizon).starts;
  const b = attemptSchedule(intended, horizon).starts;
  return a.length === b.length && a.every((start, i) => start === b[i]) ? 'the retries wait the same with the intended values as with the defaults' : undefined;
}
