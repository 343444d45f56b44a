// Prevents long activities that nobody can watch or stop: a loop over awaits that never
// heartbeats is noticed dead only at startToCloseTimeout, cannot receive cancellation, and
// restarts from the beginning on every retry because it saved no progress.

import { defineCheck } from '../define-check.js';
import { describeTimeout, listNames } from '../../engine/activity-policy/describe-policy.js';
import { relativePath } from '../../model/typescript/locate.js';
import { packageRootOf } from '../../model/typescript/workspace-packages.js';
import { DECLARED_LONG_START_TO_CLOSE_MS, LONG_START_TO_CLOSE_MS, loopSignsOf, signVerb } from '../../engine/activity-policy/long-running.js';
import { longestAttemptCapMs, neverRetried } from '../../engine/activity-policy/attempt-cap.js';
import { formatDuration } from '../../engine/duration.js';
import { unnoticedStop } from '../../engine/worker-stop-notice.js';
import { proxyReviews, type ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import type { ActivityImplementationFacts as ActivityImplementation, LongRunningSign } from '../../model/types.js';

/** One loop and every activity that runs it: a loop in a shared helper is one finding, not one per activity. */
interface LoopGroup {
  loop: LongRunningSign;
  implementations: ActivityImplementation[];
}

/** Why a timed-out attempt goes on running: the worker cancels it, but nothing in it reacts to that. */
const OUTLIVES = 'but the attempt, in which nothing reacts to a cancellation (no heartbeat, no cancellation signal),';
const OUTLIVES_POLL = 'in which nothing reacts to a cancellation (no heartbeat, no cancellation signal)';

/** A loop over the items of a collection: `for (const x of xs)`, `for (const k in o)` (not `for await`). */
const COLLECTION_LOOP = /^for\s*\(\s*(?:const|let|var)\s+[^;]*?\s(?:of|in)\s/;

export default defineCheck({
  id: 'activity-long-loop-without-heartbeat',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'The activity implementation loops over awaits and never heartbeats.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const reviews = proxyReviews(model);
    const groups = new Map<string, LoopGroup>();
    for (const implementation of model.activities) {
      if (implementation.heartbeat !== null) continue;
      const loop = loopSignsOf(implementation)[0];
      if (!loop) continue;
      const callers = callersOf(implementation, reviews);
      // heartbeat() does nothing in a local activity (§4): a long local activity is a different problem.
      if (callers.length > 0 && callers.every((review) => review.proxy.kind === 'local')) continue;
      const key = `${loop.location.file}:${loop.location.line}:${loop.location.column}`;
      const group = groups.get(key) ?? { loop, implementations: [] };
      if (!group.implementations.includes(implementation)) group.implementations.push(implementation);
      groups.set(key, group);
    }
    for (const { loop, implementations } of groups.values()) {
      const names = [...new Set(implementations.map((impl) => impl.name))].sort();
      const remote = [...new Set(implementations.flatMap((impl) => callersOf(impl, reviews)))].filter((review) => review.proxy.kind === 'remote');
      const detection = detectionOf(remote);
      // With heartbeatTimeout on a caller, every attempt longer than it fails: an incident, not a risk.
      const watched = remote.filter((review) => review.options.heartbeatTimeout.state === 'set');
      const unwatched = remote.filter((review) => review.options.heartbeatTimeout.state !== 'set');
      const allWatched = remote.length > 0 && unwatched.length === 0;
      // With maximumAttempts 1 nothing restarts the loop: what is left is the late crash notice and the lost cancellation.
      const once = neverRetried(remote);
      // A retry policy that does not resolve (a value passed in, a lookup by a computed key) may allow none: hedge the retry.
      const retriesKnown = remote.every((review) => review.retry.known);
      const timesOut = watched
        .map((review) => `${review.label} sets heartbeatTimeout ${(review.options.heartbeatTimeout as { written: string }).written}, so every attempt that loops longer than that fails with a heartbeat timeout${once ? '' : ' and is retried'}`)
        .join('; ');
      const who = names.length === 1 ? names[0]! : `This loop, run by ${listNames(names, 8)},`;
      // A loop in a helper that one activity reaches is reported at the activity's call into it:
      // a generic helper (`asyncPipe`) says nothing about which activity runs long. A helper that
      // several activities share stays one finding at the loop, naming them.
      const entry = names.length === 1 ? loop.via?.[0] : undefined;
      const where = entry ? `, in a helper at ${relativePath(model.root, loop.location.file)}:${loop.location.line}` : '';
      // A short heartbeatTimeout fails long loops outright (error); short attempts only bound the cost of a crash.
      // Only a loop the code shows long is sure to outrun it: without that evidence it is a warning at most.
      const soon = watched.some(heartbeatsSoon);
      const failsOutright = loop.evidence !== undefined && soon;
      // Nothing in the code says the loop runs long (it does not page until a source is empty, poll
      // without a short bound, state a large size or stream): a loop over a handful of rows looks the same.
      const unproven = loop.evidence === undefined;
      const unprovenWatched = unproven && soon;
      // Under the bound from which activity-heartbeat-timeout-missing speaks up, a crash costs at most one
      // short attempt, whatever the loop does (a poll too: it outlives a short attempt with or without a heartbeat).
      const cap = longestAttemptCapMs(remote);
      const shortAttempts = !soon && cap !== undefined && cap < LONG_START_TO_CLOSE_MS ? formatDuration(cap) : undefined;
      // A few quick calls per item of a collection whose size the code does not say, under a
      // startToClose that does not declare a long run (the threshold of activity-heartbeat-timeout-missing):
      // long only if the collection is large, which preflight cannot see.
      // Under a longer startToClose too when the collection is finite before the loop starts: the
      // activity's own input (one payload, sized by the workflow) or the result of one call that does
      // not page. The timeout then covers the rest of the activity; the loop is long only if that one
      // collection is huge, which nothing in the code says.
      // A quick loop in a helper of another package of the workspace (a shared data-access or
      // search library): the library serves many callers, and the collection is what one call
      // hands it or reads for one record; nothing in the activity's own code says it is large.
      // A loop over a collection there (`for (const role of roles)`) is info even when its turns are
      // not a few quick calls; one that pages (`while (hasMoreRows)`) keeps the warning.
      const library =
        loop.via?.length &&
        loop.kind === 'loop-with-await' &&
        (loop.quickOver || COLLECTION_LOOP.test(loop.text)) &&
        implementations.every((impl) => packageRootOf(impl.location.file, model.root) !== packageRootOf(loop.location.file, model.root))
          ? relativePath(model.root, packageRootOf(loop.location.file, model.root))
          : undefined;
      const finite = loop.finiteSource === 'fetched-once' || (loop.finiteSource === 'parameter' && !loop.via?.length) ? loop.finiteSource : library ? 'library' : undefined;
      const shortTurns = attemptsBelow(remote, DECLARED_LONG_START_TO_CLOSE_MS);
      const quickOver = !soon && !shortAttempts && loop.kind === 'loop-with-await' && (shortTurns || finite) ? loop.quickOver : undefined;
      const finiteNote =
        quickOver && !shortTurns && finite
          ? finite === 'parameter'
            ? ` \`${quickOver}\` arrives whole with the activity's input, sized by the workflow that sends it.`
            : finite === 'library'
              ? ` The loop is in a helper of another package (${library}), which serves many callers: \`${quickOver}\` is what one call hands it or reads, and nothing in the activity says it is large.`
              : ` \`${quickOver}\` is read by one call before the loop, not page by page.`
          : '';
      // Every call site computes startToClose from the loop's own bound (a front-end that reads
      // computed timeouts says so): an attempt lasts as long as the loop is meant to. A poll then
      // loses nothing to a crash or a retry that it would not lose anyway; a loop over items still
      // loses its progress to a retry, so only without retries is it info.
      const sized = !soon && !shortAttempts && !quickOver && (loop.attemptSized === 'deadline' || (loop.attemptSized === 'items' && once)) ? loop.attemptSized : undefined;
      // Registered (or exported) but scheduled by no workflow of the reviewed code: it runs only if
      // something outside schedules it by name, so the risk is not shown here.
      const unscheduled = implementations.every((impl) => callersOf(impl, reviews).length === 0);
      const unscheduledNote = unscheduled
        ? ` No workflow in the reviewed code schedules ${names.length === 1 ? 'it' : 'them'}: this applies only if something outside it (another service, a workflow scheduling activities by name) does.`
        : '';
      // A timed-out attempt is cancelled in its worker, but only code that reacts to a cancellation
      // stops (TypeScript: cancelled(), cancellationSignal; Python: any await of an async activity).
      // When no activity that runs the loop ever reacts, the attempt goes on beside its retry.
      const unstopped = implementations.every((impl) => impl.cancellation === null);
      const opening = `${who} ${signVerb(loop.kind)} (${loop.text}${where}) and never calls heartbeat(), directly or through a helper`;
      ctx.report({
        location: entry ?? loop.location,
        // Without evidence that the loop runs long, a heartbeatTimeout that fails long attempts is
        // activity-heartbeat-timeout-without-heartbeat's finding; here it is a note.
        ...(failsOutright
          ? { severity: 'error' as const }
          : shortAttempts || quickOver || sized || unscheduled || library || unproven || unprovenWatched
            ? { severity: 'info' as const }
            : {}),
        message: (sized
          ? `${opening}. ` +
            (sized === 'deadline'
              ? `It polls until a deadline, and every call site builds startToCloseTimeout from that same deadline: an attempt lasts as long as the poll is meant to, so a worker crash mid-poll is noticed about when the poll would have ended, and a retry polls again, as a poll should. `
              : `Every call site sizes startToCloseTimeout to the input (a multiple of its length) and no caller retries it (maximumAttempts 1): a worker crash mid-loop is noticed when that timeout expires and no retry restarts the loop. `) +
            `A cancellation never reaches it while it loops.`
          : shortAttempts
          ? `${opening}. Every call site caps an attempt at ${shortAttempts} or less, so a worker crash mid-loop is noticed within ${shortAttempts} and loses at most that much work; ` +
            `a cancellation never reaches it while it loops. ` +
            (once
              ? `No caller retries it (maximumAttempts 1), so no retry restarts the loop; a loop that outlasts ${shortAttempts} fails the activity${unstopped ? `, ${OUTLIVES} keeps looping in its worker after that` : ''}.`
              : loop.kind === 'poll'
                ? `If what it waits for takes longer than ${shortAttempts}, the attempt times out and the next one polls again` +
                  (unstopped ? `, while the timed-out attempt, ${OUTLIVES_POLL}, keeps polling in its worker alongside its retry: one more poll running for every attempt that times out.` : ', heartbeat or not.')
                : `If the loop can outlast ${shortAttempts} (a large input, a slow dependency), every attempt times out and ${
                    retriesKnown ? 'the next one' : 'a retry (if the retry policy, which preflight cannot read, allows one)'
                  } starts the loop from the beginning, because no progress was saved in heartbeat details${unstopped ? `, while the timed-out attempt, ${OUTLIVES_POLL}, keeps looping in its worker alongside it` : ''}.`) +
            (timesOut ? ` Worse, ${timesOut}.` : '')
          : quickOver
            ? `${who} loops over \`${quickOver}\` (${loop.text}${where}) with a few quick awaited calls per item and never calls heartbeat(), directly or through a helper.${finiteNote} ` +
              `That takes seconds for tens or hundreds of items; if \`${quickOver}\` can hold thousands, an attempt runs for minutes, a worker crash mid-loop is noticed ${detection}, ` +
              (once
                ? `and a cancellation never reaches it (no caller retries it: maximumAttempts 1).`
                : `a cancellation never reaches it, and ${retriesKnown ? 'every retry' : 'a retry (if the retry policy, which preflight cannot read, allows one)'} starts the loop from the beginning.`) +
              (timesOut ? ` Worse, ${timesOut}.` : '')
            : (library && !failsOutright
                ? `${opening}. The loop is in a helper of another package (${library}), which serves many callers: the collection it walks is what one call hands it or reads, and nothing in the activity says it is large. When it is, the usual costs apply: `
                : unproven
                  ? `${opening}. Nothing in the code says it runs long: ${unprovenReason(loop, remote)}. When it does, the usual costs apply: `
                  : `${opening}${loop.evidence ? `, and ${loop.evidence.detail}` : ''}: `) +
              (allWatched
                ? // Every caller sets heartbeatTimeout: a crash is noticed at that timeout, and the defect is
                  // that the loop outruns it, so every such attempt times out.
                  `${timesOut}; a cancellation never reaches it while it loops` +
                  (once
                    ? `. No caller retries it (maximumAttempts 1): a loop that outlasts the heartbeat timeout fails the activity.`
                    : `, and ${retriesKnown ? 'every retry' : 'a retry (if the retry policy, which preflight cannot read, allows one)'} starts the loop from the beginning, because no progress was saved in heartbeat details.`)
                : `if its worker ${unnoticedStop(implementations, ctx)} mid-loop, the server notices ${detection}; a cancellation never reaches it` +
                  (once
                    ? `. No caller retries it (maximumAttempts 1), so no retry restarts the loop: what remains is the wait for that timeout after a crash and a loop nobody can stop.`
                    : `; and ${retriesKnown ? 'every retry' : 'a retry (if the retry policy, which preflight cannot read, allows one)'} starts the loop from the beginning, because no progress was saved in heartbeat details.`) +
                  (timesOut ? ` Worse, ${timesOut}.` : ''))) + unscheduledNote,
        fix:
          `Call heartbeat(progress) inside the loop, resume from activityInfo().heartbeatDetails on the next attempt, ` +
          (unwatched.length > 0 || remote.length === 0
            ? `and set heartbeatTimeout on ${remote.length > 0 ? listNames(unwatched.map((r) => r.proxy.id)) : 'the proxies that schedule it'} to a few heartbeat intervals.`
            : 'and keep heartbeatTimeout a few heartbeat intervals long.'),
        related: [
          ...(entry ? [{ ...loop.location, message: 'the loop' }] : []),
          ...(implementations.length > 1 ? implementations.map((impl) => ({ ...impl.location, message: `activity ${impl.name} runs this loop` })) : []),
          ...remote.map((review) => ({ ...review.proxy.location, message: `${review.label} schedules ${listNames(typesRunning(review, implementations))}` })),
        ],
        data: { ...(loop.evidence ? { evidence: loop.evidence.kind } : {}), activityType: names[0], activityTypes: names, loop: loop.text, proxies: remote.map((review) => review.proxy.id), ...(quickOver ? { collection: quickOver } : {}) },
      });
    }
  },
});

/** Why a loop without evidence of a long run is long only in a case the code does not show. */
function unprovenReason(loop: LongRunningSign, callers: ProxyReview[]): string {
  if (loop.turnsBound !== undefined) {
    // The longest startToClose an attempt gets, when every caller's is known: how many turns of the pause alone fill it.
    const limits = callers.map((review) => review.timeouts.startToClose);
    const longest = limits.length > 0 && limits.every((t) => t.known && Number.isFinite(t.ms)) ? Math.max(...limits.map((t) => (t.known ? t.ms : 0))) : undefined;
    const pause =
      loop.pauseMs !== undefined
        ? `, pausing ${formatDuration(loop.pauseMs)} in each turn` +
          (longest !== undefined ? ` (it takes ${Math.ceil(longest / loop.pauseMs)} turns of that pause alone to fill startToCloseTimeout, ${formatDuration(longest)})` : '')
        : '';
    return `it turns at most \`${loop.turnsBound}\` times, a bound the code sets before the loop starts${pause}, so it is long only if that bound is large or the calls in each turn are slow, which preflight cannot see`;
  }
  // The size is not the only thing that makes a loop long: a few turns are enough when each one is
  // slow (a child process, a model call, a request with a long timeout, a sleep).
  if (loop.over !== undefined)
    return `it is long if \`${loop.over}\` holds thousands of items, or only a few when each turn is slow (a child process, a model call, a request with a long timeout), and preflight cannot see its size or how long a turn takes`;
  if (loop.waitMs !== undefined)
    return `it sleeps between looks for about ${formatDuration(loop.waitMs)} in all at most (its turns times its pause), so it is long only if the calls in each turn are slow`;
  return 'it does not page through a source until it is empty, poll without a short bound or state a large size, so it is long only if it turns thousands of times, or a few when each turn is slow (a child process, a model call, a request with a long timeout), which preflight cannot see';
}

/** The activity types a proxy schedules whose implementation is one of `implementations`. */
function typesRunning(review: ProxyReview, implementations: ActivityImplementation[]): string[] {
  return review.uses.filter((use) => use.implementations.some((impl) => implementations.includes(impl))).map((use) => use.type);
}

function callersOf(implementation: ActivityImplementation, reviews: ProxyReview[]): ProxyReview[] {
  return reviews.filter((review) => review.uses.some((use) => use.implementations.includes(implementation)));
}

/** True when every remote caller's startToClose is known and shorter than `ms`. */
function attemptsBelow(callers: ProxyReview[], ms: number): boolean {
  return callers.length > 0 && callers.every((review) => review.timeouts.startToClose.known && review.timeouts.startToClose.ms < ms);
}

/**
 * Up to this heartbeatTimeout, a loop over data of unknown size outruns it in ordinary operation:
 * attempts fail, an incident. A timeout of half an hour fails only loops that run that long.
 */
const SOON_HEARTBEAT_MS = 5 * 60_000;

function heartbeatsSoon(review: ProxyReview): boolean {
  return review.timeouts.heartbeat.known && review.timeouts.heartbeat.ms <= SOON_HEARTBEAT_MS;
}

/** When a crashed attempt is noticed: the longest effective startToClose among the callers. */
function detectionOf(callers: ProxyReview[]): string {
  // With heartbeatTimeout on every caller, an attempt that sends no heartbeat ends at that timeout.
  const beats = callers.map((review) => review.timeouts.heartbeat);
  if (callers.length > 0 && callers.every((review) => review.options.heartbeatTimeout.state === 'set') && beats.every((timeout) => timeout.known)) {
    const longest = beats.reduce((a, b) => (a.known && b.known && b.ms > a.ms ? b : a));
    return `when heartbeatTimeout (${describeTimeout(longest)}) expires`;
  }
  const known = callers.map((review) => review.timeouts.startToClose).filter((timeout) => timeout.known);
  if (known.length === 0 || known.length < callers.length) return 'only when startToCloseTimeout expires';
  const longest = known.reduce((a, b) => (a.known && b.known && b.ms > a.ms ? b : a));
  return `only when startToCloseTimeout (${describeTimeout(longest)}) expires`;
}
