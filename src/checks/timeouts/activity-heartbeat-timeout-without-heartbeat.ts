// Prevents an activity from timing out on every slow attempt: with heartbeatTimeout set and no
// heartbeat() in the implementation, any attempt that runs longer than the timeout fails with a
// heartbeat timeout and is retried, so slow days turn into retry loops.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { configurableFields, configurableNote, describeTimeout, listNames } from '../../engine/activity-policy/describe-policy.js';
import { SINGLE_CALL_MS, longRunningSignsOf, loopSignsOf, signVerb } from '../../engine/activity-policy/long-running.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { formatDuration } from '../../engine/duration.js';
import type { ActivityImplementationFacts } from '../../model/types.js';

export default defineCheck({
  id: 'activity-heartbeat-timeout-without-heartbeat',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'heartbeatTimeout is set but the implementation never heartbeats, directly or through helpers.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, timeouts, label, uses, retry } = review;
  if (proxy.kind !== 'remote' || options.heartbeatTimeout.state !== 'set') return undefined;
  const heartbeatMs = options.heartbeatTimeout.ms;
  // A heartbeat timeout at or above startToClose never fires first: a slow attempt fails at
  // startToClose whether or not it heartbeats (activity-timeouts-inconsistent names the redundancy).
  if (timeouts.startToClose.known && Number.isFinite(timeouts.startToClose.ms) && heartbeatMs >= timeouts.startToClose.ms) return undefined;
  // Only implementations we can see are judged; a missing one may well heartbeat. A looping
  // one is reported at its loop by activity-long-loop-without-heartbeat, which names this proxy.
  const silent = uses.filter(
    (use) =>
      use.implementations.length > 0 &&
      use.implementations.every((impl) => impl.heartbeat === null) &&
      !use.implementations.some((impl) => loopSignsOf(impl).length > 0),
  );
  if (silent.length === 0) return undefined;
  const implementations = silent.flatMap((use) => use.implementations);
  const longRunning = implementations.flatMap((impl) => longRunningSignsOf(impl).map((sign) => ({ impl, sign })));
  const retried =
    retry.known && retry.policy.maximumAttempts === 1
      ? 'and fails the activity (maximumAttempts is 1), so a slow dependency fails the work that was still running'
      : retry.known && retry.policy.nonRetryableErrorTypes.includes('TemporalTimeout:Heartbeat')
        ? 'and fails the activity (TemporalTimeout:Heartbeat is non-retryable here)'
        : 'and is retried from the start, so a slow dependency turns into a retry loop';
  // The timeout serves the proxy's activities that heartbeat; on a short one that shares the proxy
  // it only caps each attempt, which is not a defect unless that activity may run that long.
  const heartbeating = uses.filter((use) => use.implementations.some((impl) => impl.heartbeat !== null)).map((use) => use.type);
  if (heartbeating.length > 0 && longRunning.length === 0) {
    return verdict(silent.map((use) => use.type), {
      location: proxy.location,
      severity: 'info',
      message:
        `heartbeatTimeout ${options.heartbeatTimeout.written} on ${label} serves ${listNames(heartbeating)}, which ${heartbeating.length === 1 ? 'heartbeats' : 'heartbeat'}; ` +
        `${listNames(silent.map((use) => use.type))} never ${silent.length === 1 ? 'calls' : 'call'} heartbeat() and ${silent.length === 1 ? 'shows' : 'show'} no sign of running long, ` +
        `so for ${silent.length === 1 ? 'it' : 'them'} the timeout only caps each attempt at ${formatDuration(heartbeatMs)}.`,
      fix: `Nothing to do while ${listNames(silent.map((use) => use.type))} stay${silent.length === 1 ? 's' : ''} short; if one may run longer than ${formatDuration(heartbeatMs)}, make it heartbeat or give it its own proxy without heartbeatTimeout.`,
      related: implementations.map((impl) => ({ ...impl.location, message: `${impl.name} never heartbeats` })),
      data: { ...policyData(review), activitiesWithoutHeartbeat: silent.map((use) => use.type), activitiesWithHeartbeat: heartbeating },
    });
  }
  // Work with no await, no promise and no I/O (a computation over the input) cannot wait on a slow
  // dependency: the timeout only caps a computation that would have to run that long.
  if (longRunning.length === 0 && implementations.every(performsNoIO)) {
    const names = silent.map((use) => use.type);
    return verdict(names, {
      location: proxy.location,
      severity: 'info',
      message:
        `heartbeatTimeout ${options.heartbeatTimeout.written} on ${label}, but ${listNames(names)} never ${names.length === 1 ? 'calls' : 'call'} heartbeat(); ` +
        `${names.length === 1 ? 'it runs' : 'they run'} in memory (no await, no promise and no I/O call in ${names.length === 1 ? 'it' : 'them'} or the helpers ${names.length === 1 ? 'it calls' : 'they call'}), ` +
        `so no slow dependency can hold an attempt past ${formatDuration(heartbeatMs)}: the timeout only caps a computation that runs that long.`,
      fix: `Nothing to do while ${listNames(names)} stay${names.length === 1 ? 's' : ''} in memory; remove heartbeatTimeout from this proxy, or make the activity heartbeat if it may compute for longer than ${formatDuration(heartbeatMs)}.`,
      related: implementations.map((impl) => ({ ...impl.location, message: `${impl.name} runs in memory and never heartbeats` })),
      data: { ...policyData(review), activitiesWithoutHeartbeat: names, inMemory: true },
    });
  }
  // Local work read to the end (every call into the project's code followed, or nothing awaited)
  // with no loop, sleep, poll, stream, child process or library wait, and no network call: a git
  // command, a file read, a stub. Nothing shows a run as long as a timeout of a minute or more, which
  // then acts as a shorter deadline on a hung call. A network call stays a warning: it waits on
  // another system's work (a batch job behind one POST, a model call), which may take any time.
  if (longRunning.length === 0 && heartbeatMs >= SINGLE_CALL_MS && implementations.every(readToTheEnd)) {
    const names = silent.map((use) => use.type);
    const one = names.length === 1;
    const timeout = formatDuration(heartbeatMs);
    return verdict(names, {
      location: proxy.location,
      severity: 'info',
      message:
        `heartbeatTimeout ${options.heartbeatTimeout.written} on ${label}, but ${listNames(names)} never ${one ? 'calls' : 'call'} heartbeat(); ` +
        `preflight finds no loop, wait, stream, child process or network call in ${one ? 'it' : 'them'} or the helpers ${one ? 'it calls' : 'they call'}, ` +
        `and a run shorter than the ${timeout} heartbeat timeout never reaches it: the timeout acts as a shorter deadline on a call that hangs.`,
      fix: `Nothing to do while ${listNames(names)} stay${one ? 's' : ''} short; if one call in ${one ? 'it' : 'them'} may take longer than ${timeout} (a slow command or query, a large file), make ${one ? 'it' : 'them'} heartbeat while ${one ? 'it waits' : 'they wait'}, or remove heartbeatTimeout from this proxy.`,
      related: implementations.map((impl) => ({ ...impl.location, message: `${impl.name} never heartbeats and shows no sign of running long` })),
      data: { ...policyData(review), activitiesWithoutHeartbeat: names, noLongRunSign: true },
    });
  }
  const capped = timeouts.heartbeat.known && timeouts.heartbeat.source === 'capped' ? ` (the server caps it at startToClose, ${describeTimeout(timeouts.heartbeat)})` : '';
  // Only the activities that can run as long as the timeout are named: one that performs no I/O (a
  // parse of its input sharing the proxy) returns long before it, so naming it would be wrong.
  const named = silent.filter((use) => !use.implementations.every(performsNoIO));
  const namedImplementations = named.flatMap((use) => use.implementations);
  const names = named.map((use) => use.type);
  // A function handed as a value to code preflight does not read (an injected runner's callback)
  // may heartbeat when called: without it the absence is not shown, so no error is claimed.
  const unread = namedImplementations.filter((impl) => (impl.unreadCallbacks?.length ?? 0) > 0);
  const error = longRunning.length > 0 && unread.length === 0;
  return verdict(names, {
    location: proxy.location,
    ...(error ? { severity: 'error' as const } : {}),
    message:
      `heartbeatTimeout ${options.heartbeatTimeout.written}${capped} on ${label}, but ${listNames(names)} ` +
      `never ${named.length === 1 ? 'calls' : 'call'} heartbeat(), directly or through a helper: every attempt that runs longer than ` +
      `${formatDuration(heartbeatMs)} fails with a heartbeat timeout ${retried}.` +
      (longRunning.length > 0
        ? ` ${longRunning[0]!.impl.name} ${signVerb(longRunning[0]!.sign.kind)}, so its attempts will run that long.`
        : '') +
      (unread.length > 0
        ? ` That holds unless ${unreadNote(unread)} heartbeats when called: preflight cannot read ${unread.flatMap((impl) => impl.unreadCallbacks!).length === 1 ? 'it' : 'them'}.`
        : '') +
      configurableNote(configurableFields([['heartbeatTimeout', options.heartbeatTimeout]])),
    fix: `Call heartbeat() from ${listNames(namedImplementations.map((impl) => impl.name))} at least every ${formatDuration(heartbeatMs)} while it works (with progress as details), or remove heartbeatTimeout from this proxy.`,
    related: [
      ...namedImplementations.map((impl) => ({ ...impl.location, message: `${impl.name} never heartbeats` })),
      ...unread.flatMap((impl) => impl.unreadCallbacks!.map((callback) => ({ ...callback.location, message: `${impl.name} hands ${callback.text} to code preflight does not read` }))),
    ],
    data: { ...policyData(review), activitiesWithoutHeartbeat: names, ...(unread.length > 0 ? { unreadCallbacks: true } : {}) },
  });
}

/** Performs no I/O: runs in memory (TypeScript), or never waits on anything (Python). */
function performsNoIO(impl: ActivityImplementationFacts): boolean {
  return impl.inMemory === true || impl.waitsOnNothing === true;
}

function unreadNote(unread: ActivityImplementationFacts[]): string {
  const callbacks = unread.flatMap((impl) => impl.unreadCallbacks!.map((callback) => `${callback.text} (handed on by ${impl.name})`));
  return callbacks.length === 1 ? `the function ${callbacks[0]}` : `one of the functions ${listNames(callbacks)}`;
}

/**
 * Whether the review saw all the code an activity runs and it stays local: it awaits nothing (in
 * memory), or every call into the project's own code was followed and none goes over the network.
 * A call it could not follow (an injected service, a method behind an interface) may loop or wait
 * out of view, and a network call waits on another system's work: then the warning stands.
 */
function readToTheEnd(impl: ActivityImplementationFacts): boolean {
  if (impl.inMemory === true) return true;
  return impl.unfollowedCalls !== undefined && impl.unfollowedCalls.length === 0 && impl.networkCall === null;
}
