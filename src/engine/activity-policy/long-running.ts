// What makes an activity long-running for the heartbeat checks (DESIGN.md catalog, TEMPORAL-FACTS.md section 4).

import type { ActivityImplementationFacts as ActivityImplementation, LongRunningSign } from '../../model/types.js';

/**
 * A startToCloseTimeout from which a crashed attempt stalls its workflow long enough to matter even
 * when nothing in the code says the activity runs long: without heartbeatTimeout the server notices
 * the crash only when startToClose expires. Ten minutes is past most alerting windows and user
 * patience; shorter timeouts on short activities (a config read, one query, one API call with
 * `startToCloseTimeout: '1 minute'`) are ordinary and cost at most that minute after a crash.
 */
export const LONG_START_TO_CLOSE_MS = 10 * 60_000;

/**
 * From this startToCloseTimeout on, the timeout itself says the authors expect attempts to run
 * long (a slow partner API, a model call): a warning even when the code shows no loop or sleep.
 * Between LONG_START_TO_CLOSE_MS and this, a timeout on an activity whose code is one or two
 * calls is usually a generous cap on work that takes seconds (postiz puts '10 minutes' on every
 * proxy): a crash stalls the workflow for the whole timeout, but only a crash that lands in the
 * seconds an attempt actually runs, so the finding is info.
 */
export const DECLARED_LONG_START_TO_CLOSE_MS = 30 * 60_000;

/**
 * At or below 30 seconds of startToClose a heartbeatTimeout (a few heartbeat intervals, typically
 * 30 s) cannot notice a crash any sooner than the attempt's own timeout does, whatever the body does.
 */
export const SHORT_START_TO_CLOSE_MS = 30_000;

/**
 * Attempts capped at this or less (startToClose, or a shorter scheduleToClose) are short: a user or
 * a workflow step waits for them (worker-activity-slots-shared). A crashed attempt is then noticed
 * within two minutes anyway, and a heartbeatTimeout, a few heartbeat intervals (30 s or more: the
 * heartbeat throttle is 30 s without one, TEMPORAL-FACTS.md section 4), would notice it at most a
 * minute or so sooner: activity-heartbeat-timeout-missing reports heartbeats that nothing watches
 * on such attempts as info.
 */
export const SHORT_ATTEMPT_MS = 2 * 60_000;

/**
 * Under a minute, one slow call (an API or model call, a query on a loaded database) can reach a
 * heartbeat timeout on its own: an activity that never heartbeats needs no loop or wait for it to fire.
 * From a minute on, a run of a few calls that shows no loop, wait, stream or child process stays well
 * under it in normal operation.
 */
export const SINGLE_CALL_MS = 60_000;

/**
 * Under this, a sleep with a constant pause that runs once per attempt (not in a loop or a
 * callback) is a pause, not a sign of a long run: a stub's `setTimeout(resolve, 100)`, a short
 * settle before a call.
 */
export const SHORT_SLEEP_MS = 1_000;

/** A single sleep of a constant pause under SHORT_SLEEP_MS, run once per attempt. */
export function isShortSleep(sign: LongRunningSign): boolean {
  return sign.kind === 'sleep' && sign.sleepMs !== undefined && sign.sleepMs < SHORT_SLEEP_MS && sign.repeats !== true;
}

/** The signs that say the implementation may run long: every sign but a single short sleep. */
export function longRunningSignsOf(implementation: ActivityImplementation): LongRunningSign[] {
  return implementation.longRunning.filter((sign) => !isShortSleep(sign));
}

/** Signs that the implementation loops over awaits: a loop is where a heartbeat belongs. */
const LOOP_SIGN_KINDS = new Set<LongRunningSign['kind']>(['loop-with-await', 'poll']);

export function loopSignsOf(implementation: ActivityImplementation): LongRunningSign[] {
  // `for await (... of stream)` is recorded as a stream sign, but it is a loop over awaits too.
  return implementation.longRunning.filter((sign) => LOOP_SIGN_KINDS.has(sign.kind) || (sign.kind === 'stream' && /^for\s+await\b/.test(sign.text)));
}

/** "sleeps", "streams": the verb for a long-running sign in a message. */
export function signVerb(kind: LongRunningSign['kind']): string {
  switch (kind) {
    case 'sleep':
      return 'sleeps';
    case 'stream':
      return 'streams';
    case 'poll':
      return 'polls';
    case 'loop-with-await':
      return 'loops over awaits';
    case 'child-process':
      return 'waits on a child process';
    case 'library-wait':
      return 'waits in a library call for an outside event';
  }
}
