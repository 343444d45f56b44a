// Prevents slow detection of crashed workers: without heartbeatTimeout the server notices a
// worker that died mid-attempt only when startToCloseTimeout expires, so long activities stall
// for their whole timeout after every deploy or crash.

import { attemptCapMs, neverRetried } from '../../engine/activity-policy/attempt-cap.js';
import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { configurableFields, configurableNote, describeTimeout, listNames } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import type { SourceLocation } from '../../model/typescript/types.js';
import type { ActivityImplementationFacts } from '../../model/types.js';
import { formatDuration } from '../../engine/duration.js';
import { unnoticedStop } from '../../engine/worker-stop-notice.js';
import { documentedChoice, documentedNote } from '../../engine/activity-policy/documented-choice.js';
import { relativePath } from '../../model/typescript/locate.js';
import { DECLARED_LONG_START_TO_CLOSE_MS, LONG_START_TO_CLOSE_MS, SHORT_ATTEMPT_MS, SHORT_START_TO_CLOSE_MS, longRunningSignsOf, loopSignsOf, signVerb } from '../../engine/activity-policy/long-running.js';

interface Reason {
  type: string;
  /** What makes it long-running: 'heartbeats', 'heartbeats once', a long-running sign, or 'long startToClose'. */
  kind: string;
  text: string;
  /**
   * 'evidence': the code heartbeats or shows a long run, or the timeout declares one (30 minutes
   * or more); 'timeout': only a startToClose between 10 and 30 minutes on code that shows no long
   * run; 'guess': the implementation was not found.
   */
  strength: 'evidence' | 'timeout' | 'guess';
  location?: SourceLocation;
}

export default defineCheck({
  id: 'activity-heartbeat-timeout-missing',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A long-running activity (it heartbeats, sleeps, streams or waits on a process, or startToClose is 10 minutes or more) without heartbeatTimeout.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, timeouts, label, uses } = review;
  // heartbeat() does nothing in a local activity and there is no heartbeatTimeout option (§4).
  if (proxy.kind !== 'remote' || options.unresolved) return undefined;
  const field = options.heartbeatTimeout;
  // Set, or a 0 / invalid value that activity-timeout-invalid already reports.
  if (field.state === 'set' || field.state === 'zero' || field.state === 'invalid') return undefined;
  const attempt = timeouts.startToClose;
  // Within 30 seconds a crash is noticed anyway: a sign of a long run (a child process, a sleep) is
  // bounded by the attempt. Heartbeats that nothing watches are still reported (they are meant to
  // matter), as info when the attempt is capped at SHORT_ATTEMPT_MS or less (below).
  const shortAttempt = attempt.known && attempt.ms <= SHORT_START_TO_CLOSE_MS;
  // A crash stalls the workflow for the whole startToClose: from LONG_START_TO_CLOSE_MS on that
  // alone is worth a heartbeat, whatever the activity does.
  const longTimeout = attempt.known && attempt.ms >= LONG_START_TO_CLOSE_MS;
  const declaredLong = attempt.known && attempt.ms >= DECLARED_LONG_START_TO_CLOSE_MS;
  const reasons: Reason[] = [];
  for (const use of uses) {
    const heartbeating = use.implementations.find((impl) => impl.heartbeat);
    if (heartbeating?.heartbeat) {
      // One heartbeat per attempt, before the work that follows (a fetch, a model fit): a
      // heartbeatTimeout alone would fail healthy attempts; the fix starts with heartbeating as the work progresses.
      const once = use.implementations.every((impl) => !impl.heartbeat || impl.heartbeat.once === true);
      if (once) {
        const at = heartbeating.heartbeat.via[0] ?? heartbeating.heartbeat.location;
        reasons.push({ type: use.type, kind: 'heartbeats once', text: `${use.type} heartbeats only once per attempt, before the work that follows, and nothing watches it`, strength: 'evidence', location: at });
      } else reasons.push({ type: use.type, kind: 'heartbeats', text: `${use.type} heartbeats but nothing watches it`, strength: 'evidence', location: heartbeating.heartbeat.location });
      continue;
    }
    // A loop without heartbeat is reported at the loop (activity-long-loop-without-heartbeat), where the fix starts.
    if (use.implementations.some((impl) => loopSignsOf(impl).length > 0)) continue;
    // A single short pause (`setTimeout(resolve, 100)` in a stub) says nothing about how long it runs.
    const sign = use.implementations.flatMap(longRunningSignsOf)[0];
    if (sign && !shortAttempt) reasons.push({ type: use.type, kind: sign.kind, text: `${use.type} ${signVerb(sign.kind)} (${sign.text})`, strength: 'evidence', location: sign.location });
    else if (longTimeout && use.implementations.length > 0) {
      reasons.push({ type: use.type, kind: 'long startToClose', text: `${use.type} may run up to ${describeTimeout(attempt)}`, strength: declaredLong ? 'evidence' : 'timeout' });
    } else if (longTimeout) {
      reasons.push({ type: use.type, kind: 'implementation not found', text: `${use.type} may run up to ${describeTimeout(attempt)} (its implementation was not found)`, strength: 'guess' });
    }
  }
  if (reasons.length === 0) return undefined;
  const unresolved = unresolvedField('heartbeatTimeout', field);
  if (unresolved) {
    return verdict([`unresolved ${unresolved.text}`], cannotTellFinding(proxy.location, label, `whether crashed attempts of ${listNames(reasons.map((r) => r.type))} are detected early`, unresolved));
  }
  // startToClose or scheduleToClose is written but its value was not read (`${seconds} seconds`):
  // the attempt may be bounded by a few seconds or by hours, so how late a crash is noticed is not
  // known. Heartbeats that nothing watches are still reported: they are meant to matter.
  const unreadAttempt = attempt.known ? undefined : unresolvedField('startToCloseTimeout', options.startToCloseTimeout) ?? unresolvedField('scheduleToCloseTimeout', options.scheduleToCloseTimeout);
  if (unreadAttempt && !reasons.some((r) => r.kind === 'heartbeats')) {
    return verdict([`unresolved ${unreadAttempt.text}`], cannotTellFinding(proxy.location, label, `how long a crashed attempt of ${listNames(reasons.map((r) => r.type))} goes unnoticed without heartbeatTimeout`, unreadAttempt));
  }
  // A declared-long startToClose over activities whose code shows no long run: every activity of the
  // proxy was found, none heartbeats, loops, sleeps, streams or waits on a process, and every call
  // into the project's code was followed. The timeout is then more likely a generous cap on calls
  // that take seconds than a sign of long work, and the fix is a shorter startToCloseTimeout.
  // An activity that runs in memory (no await, no I/O call, no loop, in it or its helpers) returns at once.
  const quiet = (test: (impl: ActivityImplementationFacts) => boolean) =>
    reasons.every((r) => r.kind === 'long startToClose') &&
    uses.every((use) => use.implementations.length > 0 && use.implementations.every((impl) => !impl.heartbeat && longRunningSignsOf(impl).length === 0 && test(impl)));
  const followed = quiet((impl) => impl.unfollowedCalls !== undefined && impl.unfollowedCalls.length === 0);
  const allInMemory = !followed && quiet(returnsAtOnce);
  const looksShort = followed || allInMemory;
  if (looksShort) for (const reason of reasons) reason.strength = 'timeout';
  // Without evidence of a long run, a long startToClose may well be a generous bound on a short call.
  const certain = reasons.some((r) => r.strength === 'evidence');
  const strongest = certain ? 'evidence' : reasons.some((r) => r.strength === 'timeout') ? 'timeout' : 'guess';
  const shown = reasons.filter((r) => r.strength === strongest);
  const beats = (r: Reason) => r.kind === 'heartbeats' || r.kind === 'heartbeats once';
  // Every shown reason is a heartbeat sent only once per attempt: the advice is to heartbeat as the work progresses.
  const onlyOnce = shown.every((r) => r.kind === 'heartbeats once');
  // An attempt capped at two minutes or less is noticed within that anyway: a heartbeatTimeout (a
  // few heartbeat intervals) would find a crash at most a minute or so sooner. Other signs keep
  // their own rule (SHORT_START_TO_CLOSE_MS): without heartbeats a cancellation cannot reach them either.
  const cap = attemptCapMs(review);
  const quick = cap !== undefined && cap <= SHORT_ATTEMPT_MS && shown.every(beats);
  const capName = cap !== undefined && attempt.known && attempt.ms === cap ? 'startToCloseTimeout' : 'scheduleToCloseTimeout';
  const detection = !attempt.known
    ? 'only when the attempt times out, after a startToCloseTimeout whose value preflight cannot read'
    : Number.isFinite(attempt.ms)
      ? `only when startToCloseTimeout (${describeTimeout(attempt)}) expires`
      : 'never, since no startToClose or scheduleToClose timeout ends the attempt';
  // Heartbeats are sent without a heartbeatTimeout too (throttled to 30 s) and carry the
  // cancellation (§4): only activities that never heartbeat are out of its reach.
  const shownTypes = new Set(shown.map((r) => r.type));
  const silent = uses.filter((use) => shownTypes.has(use.type) && use.implementations.length > 0 && !use.implementations.some((impl) => impl.heartbeat)).map((use) => use.type);
  const cancellation = silent.length === 0 ? '.' : `; and a cancellation never reaches ${silent.length === shownTypes.size ? (shownTypes.size === 1 ? 'it' : 'them') : listNames(silent)}, since an activity learns of it only through its heartbeats.`;
  // A team that wrote down why it left heartbeatTimeout out (false heartbeat timeouts duplicated work) chose the slower detection.
  const documented = documentedChoice(review, /heartbeat/i);
  return verdict(shown.map((r) => `${r.type} ${r.kind}`), {
    location: proxy.location,
    ...(certain && !documented && !quick ? {} : { severity: 'info' as const }),
    message:
      `No heartbeatTimeout on ${label}: ${shown.map((r) => r.text).join('; ')}. ` +
      `When a worker ${unnoticedStop(uses.flatMap((use) => use.implementations), ctx)} mid-attempt, the server notices ${detection}, ` +
      (neverRetried([review]) ? 'and the activity fails (maximumAttempts 1: no retry)' : 'then retries from the start') +
      cancellation +
      (onlyOnce && !quick
        ? ` A heartbeatTimeout alone would not help: nothing heartbeats after that one call, so every healthy attempt whose work outlasts the heartbeatTimeout would fail with a heartbeat timeout${neverRetried([review]) ? '' : ' and be retried'}.`
        : '') +
      (quick
        ? ` An attempt is capped at ${formatDuration(cap)} (${capName}), so a crash is noticed within that anyway: a heartbeatTimeout, a few heartbeat intervals, would notice it at most a minute or so sooner.`
        : '') +
      (strongest === 'timeout' && allInMemory
        ? ` ${uses.length === 1 ? 'It runs' : 'They run'} in memory (no await, no I/O call, no loop, sleep or child process, in ${uses.length === 1 ? 'it' : 'them'} or the helpers ${uses.length === 1 ? 'it calls' : 'they call'}) and ${uses.length === 1 ? 'returns' : 'return'} at once: a crash can hardly land while an attempt runs, and a startToCloseTimeout of ${describeTimeout(attempt)} is only a generous cap.`
        : strongest === 'timeout' && looksShort && declaredLong
        ? ` The activities look short (no loop, sleep, stream, child process or heartbeat, and every call into the project's code was followed): a startToCloseTimeout of ${describeTimeout(attempt)} looks like a generous cap on calls that take seconds. A crash that lands while an attempt runs is still found only when it expires; a startToCloseTimeout a little above the longest healthy run finds it sooner.`
        : strongest === 'timeout'
        ? ` Nothing in their code shows a long run (no loop, sleep, stream, child process or heartbeat, and a startToCloseTimeout under ${formatDuration(DECLARED_LONG_START_TO_CLOSE_MS)}): the stall happens only when a crash lands while an attempt runs, which for calls that take seconds is rare.`
        : strongest === 'guess'
          ? ' preflight cannot tell whether these activities run long; review them by hand.'
          : '') +
      configurableNote(configurableFields([['startToCloseTimeout', options.startToCloseTimeout], ['scheduleToCloseTimeout', options.scheduleToCloseTimeout]])) +
      (documented ? documentedNote(documented, relativePath(ctx.root, documented.location.file)) : ''),
    fix: documented
      ? 'Nothing required while the choice holds; if crashed attempts must be noticed sooner, lower startToCloseTimeout to a little above the longest healthy run.'
      : quick
      ? `Nothing required: attempts this short are noticed soon after a crash anyway. If a crash must be noticed sooner, heartbeat at least every few seconds while the work runs and set heartbeatTimeout to a few heartbeat intervals.`
      : onlyOnce
      ? 'Heartbeat as the work progresses (in each turn of its loop, between its steps, or from a progress callback of the library doing the work), then set heartbeatTimeout above the longest gap between two heartbeats; ' +
        'where the long step is one blocking call that reports no progress, lower startToCloseTimeout to a little above its longest healthy run instead.'
      : "Call heartbeat() from the activity at least every few seconds and set heartbeatTimeout to a few heartbeat intervals (e.g. '30s'); " +
      `for a short activity that does not heartbeat, lower startToCloseTimeout to a little above its longest healthy run instead (preflight stays quiet ${certain ? `at ${formatDuration(SHORT_START_TO_CLOSE_MS)} or less` : `under ${formatDuration(LONG_START_TO_CLOSE_MS)}`}).`,
    related: [
      ...shown.filter((r) => r.location).map((r) => ({ ...r.location!, message: r.text })),
      ...(documented ? [{ ...documented.location, message: 'the comment that documents the choice' }] : []),
    ],
    data: { ...policyData(review), reasons: shown.map((r) => ({ activityType: r.type, reason: r.text })), ...(documented ? { documentedChoice: documented.text } : {}) },
  });
}

/** The activity never waits on anything (TypeScript: inMemory; Python: waitsOnNothing). */
function returnsAtOnce(impl: { inMemory?: boolean; waitsOnNothing?: boolean }): boolean {
  return impl.inMemory === true || impl.waitsOnNothing === true;
}
