// Prevents an activity from burning its whole retry budget on a failure that cannot heal: a plain
// `throw new Error('variable set not found')` is retried like an outage, every attempt fails the
// same way, and the workflow sees the failure only when the attempts run out (never, without a
// maximumAttempts). Reported at the throw, where the fix goes.

import { defineCheck, type FindingDraft } from '../define-check.js';
import { describeRetryPolicy, listNames } from '../../engine/activity-policy/describe-policy.js';
import { permanentThrows, type PermanentThrow } from '../../engine/activity-policy/permanent-throws.js';
import { ownVerdicts, policyData, verdict, type ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import { formatDuration } from '../../engine/duration.js';
import { spokenDuration } from '../../simulate/outage-cost-sentence.js';
import { attemptSchedule, type EffectiveRetryPolicy } from '../../simulate/retry-policy.js';

/** How long the message counts attempts of an unlimited policy over. */
const UNLIMITED_WINDOW_MS = 24 * 3_600_000;

interface ProxyCost {
  review: ProxyReview;
  policy: EffectiveRetryPolicy;
  /** Unlimited attempts and no scheduleToCloseTimeout: the failure is retried for as long as the workflow runs. */
  unlimited: boolean;
  throws: PermanentThrow[];
}

interface ThrowEntry {
  thrown: PermanentThrow;
  costs: ProxyCost[];
  activities: Set<string>;
}

/** The activity's own throws first, then those in the functions it calls; in source order within each. */
function compareThrows(a: PermanentThrow, b: PermanentThrow): number {
  const x = a.error.location;
  const y = b.error.location;
  return (a.error.callDepth ?? 0) - (b.error.callDepth ?? 0) || x.file.localeCompare(y.file) || x.line - y.line || x.column - y.column;
}

export default defineCheck({
  id: 'activity-permanent-error-retried',
  area: 'retries',
  // A note, not a warning: readers of real code bases found most such throws to be guards that
  // cannot fire (ids from rows committed before the workflow starts, values the caller checked),
  // which the review cannot tell from the ones that do.
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'An activity throws a plain error for a condition retrying cannot change (not found, missing, invalid, denied), and its retry policy retries it.',
  run(ctx) {
    if (!ctx.model) return;
    const costs = ownVerdicts(ctx.model, evaluate).map(({ verdict }) => verdict.value);
    // One finding per throw, however many proxies reach it: the fix goes in one place.
    const byThrow = new Map<string, ThrowEntry>();
    for (const cost of costs) {
      for (const thrown of cost.throws) {
        const { file, line, column } = thrown.error.location;
        const key = `${file}:${line}:${column}`;
        const entry = byThrow.get(key) ?? { thrown, costs: [], activities: new Set<string>() };
        if (!entry.costs.includes(cost)) entry.costs.push(cost);
        entry.activities.add(thrown.activity);
        byThrow.set(key, entry);
      }
    }
    // Then one finding per activity (or per set of activities sharing a helper): its first
    // permanent throw carries the finding and the others are related locations, since they are
    // one decision about that activity's failures.
    const byActivities = new Map<string, ThrowEntry[]>();
    for (const entry of byThrow.values()) {
      const key = [...entry.activities].sort().join('\u0000');
      byActivities.set(key, [...(byActivities.get(key) ?? []), entry]);
    }
    for (const entries of byActivities.values()) {
      const [first, ...others] = entries.sort((a, b) => compareThrows(a.thrown, b.thrown));
      const reaching = [...new Set(entries.flatMap((entry) => entry.costs))];
      ctx.report(finding(first!.thrown, others.map((entry) => entry.thrown), reaching, [...first!.activities].sort()));
    }
  },
});

function evaluate(review: ProxyReview) {
  const { options, retry } = review;
  // A proxy whose retry policy cannot be read is activity-retry-policy-missing's to report.
  if (options.unresolved || options.retry.state === 'maybe' || options.retry.state === 'unknown' || !retry.known) return undefined;
  const policy = retry.policy;
  if (policy.maximumAttempts === 1) return undefined;
  const throws = permanentThrows(review);
  if (throws.length === 0) return undefined;
  const unlimited = policy.maximumAttempts === 0 && policy.scheduleToCloseMs === undefined;
  return verdict(
    throws.map((t) => `${t.error.location.file}:${t.error.location.line}`),
    { review, policy, unlimited, throws } satisfies ProxyCost,
  );
}

function finding(thrown: PermanentThrow, others: PermanentThrow[], costs: ProxyCost[], activities: string[]): FindingDraft {
  // The costliest proxy speaks for the throw: unlimited first, then the most attempts.
  const ranked = [...costs].sort((a, b) => Number(b.unlimited) - Number(a.unlimited) || attempts(b.policy) - attempts(a.policy));
  const worst = ranked[0]!;
  const production = ranked.filter((cost) => !cost.review.proxy.testOnly);
  const python = worst.review.proxy.language === 'python';
  const { error } = thrown;
  const who = activities.length === 1 ? `${activities[0]} throws` : `${listNames(activities)} throw`;
  const depth = error.callDepth ?? 0;
  const where = depthText(depth);
  const why = reason(thrown);
  const labels = listNames(ranked.map((cost) => cost.review.label), 2);
  const testOnly = production.length === 0 ? ` ${labels} ${ranked.length === 1 ? 'is' : 'are'} used only behind a test or development flag, so this matters only if that mode runs real work.` : '';
  const type = suggestedType(error.messageText);
  const more =
    others.length === 0
      ? ''
      : ` ${activities.length === 1 ? 'It also throws' : 'They also throw'} ${others.length === 1 ? 'a plain error' : `${others.length} plain errors`} of that kind: ${others.map((other) => mention(other, error.location.file)).join(', ')}.`;
  const places = others.length === 0 ? 'here' : 'here and at the other places listed';
  return {
    location: error.location,
    message:
      `${who} a plain ${error.type} "${error.messageText}"${where} for a condition that would be permanent (${why}): if it occurs, another attempt meets the same condition. ` +
      `${labels} ${ranked.length === 1 ? 'retries' : 'retry'} it: ${consequence(worst)}, ${worst.unlimited ? 'and the workflow never gets to handle the failure' : 'and the workflow sees the failure only after that'}. ` +
      `The type ${error.type} cannot go in nonRetryableErrorTypes without making every bug non-retryable too.` +
      more +
      testOnly,
    fix: python
      ? `Raise ApplicationError("...", type="${type}", non_retryable=True) ${places}, or raise a class of your own and add its name to ` +
        `the retry policy's non_retryable_error_types; keep plain exceptions for the failures a retry can fix.`
      : `Throw ApplicationFailure.nonRetryable(message, '${type}') ${places}, or throw a class of your own and add its name to ` +
        `retry.nonRetryableErrorTypes (keep class names unminified); keep plain errors for the failures a retry can fix.`,
    related: [
      ...others.map((other) => ({ ...other.error.location, message: `${other.error.type} "${other.error.messageText}"${depthText(other.error.callDepth ?? 0)}, also permanent (${reason(other)})` })),
      ...activities.map((name) => {
        const location = name === thrown.activity ? thrown.activityLocation : costs.flatMap((c) => c.throws).find((t) => t.activity === name)!.activityLocation;
        return { ...location, message: `activity ${name}, which reaches this throw` };
      }),
      ...ranked.map((cost) => ({ ...cost.review.proxy.location, message: `${cost.review.label}: ${describeRetryPolicy(cost.policy)}` })),
    ],
    data: {
      ...policyData(worst.review),
      errorType: error.type,
      messageText: error.messageText,
      evidence: thrown.evidence,
      callDepth: depth,
      activities,
      unlimited: worst.unlimited,
      ...(others.length > 0 ? { otherThrows: others.map((other) => ({ line: other.error.location.line, errorType: other.error.type, messageText: other.error.messageText })) } : {}),
    },
  };
}

function depthText(depth: number): string {
  return depth === 0 ? '' : depth === 1 ? ' (in a function it calls)' : ` (${depth} calls down)`;
}

function reason(thrown: PermanentThrow): string {
  return thrown.evidence.kind === 'words' ? `the message says "${thrown.evidence.words}"` : 'it fires only when a value just read is missing';
}

/** `line 60 "No recommendations provided"`, with the file when it is not the first throw's. */
function mention(other: PermanentThrow, file: string): string {
  const where = other.error.location.file === file ? '' : `${other.error.location.file.split(/[\\/]/).pop()} `;
  return `${where}line ${other.error.location.line} "${other.error.messageText}"`;
}

function attempts(policy: EffectiveRetryPolicy): number {
  return policy.maximumAttempts === 0 ? Number.POSITIVE_INFINITY : policy.maximumAttempts;
}

/** How many attempts the failure gets under this proxy's policy, and over how long. */
function consequence(cost: ProxyCost): string {
  const { policy } = cost;
  if (cost.unlimited) {
    const inDay = attemptSchedule(policy, { untilMs: UNLIMITED_WINDOW_MS }).starts.length;
    return (
      `attempts are unlimited (no maximumAttempts, no scheduleToCloseTimeout), so it is retried for as long as the workflow runs, ` +
      `${inDay} attempts in the first ${spokenDuration(UNLIMITED_WINDOW_MS)} at one every ${formatDuration(policy.maximumIntervalMs)} once the backoff reaches its cap`
    );
  }
  const schedule = attemptSchedule(policy);
  const last = schedule.starts[schedule.starts.length - 1] ?? 0;
  const until = schedule.state === 'TIMEOUT' ? 'until scheduleToCloseTimeout runs out' : `maximumAttempts is ${policy.maximumAttempts}`;
  return `${schedule.starts.length} attempts over ${spokenDuration(Math.max(last, 1000))} (${until})`;
}

/** A failure type named after the condition: `NotFound`, `InvalidInput`, ... */
function suggestedType(text: string | undefined): string {
  const lower = (text ?? '').toLowerCase();
  if (/not found|no such|not exist/.test(lower)) return 'NotFound';
  if (/denied|forbidden|not allowed|not permitted|unauthori[sz]ed|not authori[sz]ed|permission/.test(lower)) return 'PermissionDenied';
  if (/not configured|no configured|no active|has no|not set|not defined/.test(lower)) return 'NotConfigured';
  if (/already/.test(lower)) return 'AlreadyDone';
  if (/invalid|malformed|unsupported|not supported|required|must|cannot be|expected/.test(lower)) return 'InvalidInput';
  return 'PermanentFailure';
}
