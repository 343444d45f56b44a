// Prevents a retry policy or timeout that the team wrote and Temporal never applies: the SDK reads
// only the fields it knows, so `retry: { initialIntervalMs: 5000, maximumIntervalMs: 60000 }` in a
// shared constant schedules the activity with the default 1 s initial interval and 100 s cap, and
// nobody sees the difference until an outage. Type checking rejects an unknown key only in an
// object literal written at the call; a constant defined elsewhere passes.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';

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
  const where = (location: { file: string; line: number }) => `${relativePath(ctx.root, location.file)}:${location.line}`;
  const named = fields.map((f) => `${f.path}: ${f.written} (${where(f.location)})`);
  const meant = fields.filter((f) => f.meant);
  const retryIgnored = fields.some((f) => f.path.startsWith('retry.'));
  return verdict(
    fields.map((f) => f.path),
    {
      location: review.proxy.location,
      message:
        `The options of ${review.label} carry ${fields.length === 1 ? 'a field' : 'fields'} the TypeScript SDK does not read: ${listNames(named, 6)}. ` +
        `${fields.length === 1 ? 'It is' : 'They are'} silently ignored, so ${meant.length > 0 ? `${listNames(meant.map((f) => f.meant!))} ${meant.length === 1 ? 'keeps its' : 'keep their'} default` : 'the settings the code meant are not applied'}` +
        (retryIgnored ? ' (initialInterval 1 s, backoffCoefficient 2, maximumInterval 100 x initialInterval, unlimited attempts unless maximumAttempts is set)' : '') +
        '. Type checking rejects unknown keys only in an object literal written at the call, not in a constant defined elsewhere.',
      fix:
        meant.length > 0
          ? `Rename ${listNames(meant.map((f) => `${f.path} to ${f.meant}`))}: durations take milliseconds as a number or a string ('5s'). Type the shared constant (\`satisfies RetryPolicy\` / \`satisfies ActivityOptions\`) so the compiler catches the next one.`
          : 'Remove the fields or move them where they are read; type the shared constant (`satisfies RetryPolicy` / `satisfies ActivityOptions`) so the compiler catches unknown keys.',
      related: fields.map((f) => ({ ...f.location, message: `${f.path} is not read by the SDK${f.meant ? ` (meant: ${f.meant})` : ''}` })),
      data: { ...policyData(review), unknownFields: fields.map((f) => ({ path: f.path, ...(f.meant ? { meant: f.meant } : {}), written: f.written })) },
    },
  );
}
