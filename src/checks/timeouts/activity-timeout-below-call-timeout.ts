// Prevents slow calls that run twice: an activity's own outbound call (an HTTP client, an LLM SDK,
// a child process) may wait longer than the attempt's startToClose. The server times the attempt
// out while the call is still waiting and schedules the next attempt, which makes the same slow
// call again; the attempt that timed out is not stopped unless it heartbeats and honours
// cancellation, and the code that handles the client's own timeout never runs.
//
// The same holds for heartbeatTimeout when the activity heartbeats (so the timeout is meant to
// apply) but not while the call waits: the server fails the attempt when no heartbeat arrived for
// heartbeatTimeout, counted from the attempt's start or its last heartbeat, whichever is later
// (Temporal server timer_sequence.go, getActivityHeartbeatTimeout: lastHeartbeat = max(StartedTime,
// LastHeartbeatUpdateTime)), so it applies before the first heartbeat too and is enforced by the
// server, the same for every SDK. One awaited call sends no heartbeat while it waits unless
// something runs beside it (a heartbeat task or timer), which the front-end tells (`quietWait`).
// The SDKs throttle heartbeats to 0.8 x heartbeatTimeout, capped at 60 s (Temporal facts §4), so a
// heartbeat sent just before the call may reach the server up to that much later: the window is
// between heartbeatTimeout and heartbeatTimeout + throttle. The message says so.

import { defineCheck } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { proxyReviews, policyData, type ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import { formatDuration } from '../../engine/duration.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { ActivityImplementationFacts, CallTimeout } from '../../model/types.js';

export default defineCheck({
  id: 'activity-timeout-below-call-timeout',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: "An activity's own outbound call (HTTP client, LLM SDK, child process) may wait as long as the attempt's startToClose or longer, or longer than its heartbeatTimeout with no heartbeat meanwhile: the attempt times out first and the call runs again on the retry.",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const reviews = proxyReviews(model).filter((review) => review.uses.length > 0);
    for (const review of reviews) {
      const limit = attemptLimit(review);
      if (!limit) continue;
      // An executeWithOptions override with the same attempt limit as its base is the base's finding.
      if (review.proxy.origin === 'override') {
        const base = reviews.find((candidate) => candidate.proxy.id === review.proxy.baseProxyId);
        const baseLimit = base ? attemptLimit(base) : undefined;
        if (baseLimit && baseLimit.ms === limit.ms) continue;
      }
      const python = review.proxy.language === 'python';
      const reported = new Set<ActivityImplementationFacts>();
      const beat = heartbeatLimit(review, limit.ms);
      for (const use of review.uses) {
        for (const implementation of use.implementations) {
          if (reported.has(implementation)) continue;
          const longer = longerCall(implementation.callTimeouts ?? [], limit.ms);
          // A total deadline (asyncio.wait_for, asyncio.timeout) allowed exactly as long as the
          // attempt, whose timeout nothing on the way catches: whichever fires first, the attempt
          // fails the same way and is retried the same way. Not a client's timeout (requests,
          // httpx): it bounds each read or connect, so the whole call may run well past it.
          const sameOutcome = longer && longer.handled === false && longer.ms === limit.ms && TOTAL_DEADLINE.has(longer.what);
          if (longer && !sameOutcome) {
            reported.add(implementation);
            ctx.report(finding(review, use.type, implementation, longer, limit, python, model.root));
            continue;
          }
          // An activity that never heartbeats is activity-heartbeat-timeout-without-heartbeat's; one
          // whose every heartbeat comes from a timer beats while the call waits.
          if (!beat || !implementation.heartbeat || implementation.heartbeat.fromTimer) continue;
          const quiet = (implementation.callTimeouts ?? []).filter((timeout) => timeout.quietWait === true);
          const outlasts = longerCall(quiet, beat.ms, true);
          if (!outlasts) continue;
          reported.add(implementation);
          ctx.report(heartbeatFinding(review, use.type, implementation, outlasts, beat, python, model.root));
        }
      }
    }
  },
});

/**
 * The proxy's heartbeatTimeout when the code writes it as a constant and it is shorter than the
 * attempt's limit (a longer one never fires first). Remote activities only: local ones have none.
 */
function heartbeatLimit(review: ProxyReview, attemptMs: number): AttemptLimit | undefined {
  const option = review.options.heartbeatTimeout;
  if (review.proxy.kind !== 'remote' || option.state !== 'set' || !Number.isFinite(option.ms) || option.ms <= 0 || option.ms >= attemptMs) return undefined;
  const effective = review.timeouts.heartbeat;
  if (!effective.known || effective.configurable) return undefined;
  const python = review.proxy.language === 'python';
  return { ms: option.ms, name: python ? 'heartbeat_timeout' : 'heartbeatTimeout', text: limitText(option.ms, option.written) };
}

interface AttemptLimit {
  ms: number;
  /** The option as the workflow's language spells it, with what stands for it. */
  name: string;
  /** "30s", with the value as written when it reads differently (`30s (timedelta(seconds=30))`). */
  text: string;
}

/**
 * The longest one attempt may run, when the code says it as a constant: startToClose, or
 * scheduleToClose when startToClose is unset (or longer). Unknown (a variable, a value read from
 * the environment, no limit at all): nothing to compare.
 */
function attemptLimit(review: ProxyReview): AttemptLimit | undefined {
  const timeout = review.timeouts.startToClose;
  if (!timeout.known || !Number.isFinite(timeout.ms) || timeout.ms <= 0 || timeout.configurable) return undefined;
  const python = review.proxy.language === 'python';
  const attempt = review.options.startToCloseTimeout;
  const overall = review.options.scheduleToCloseTimeout;
  if (timeout.source === 'written' && attempt.state === 'set') {
    return { ms: timeout.ms, name: python ? 'start_to_close_timeout' : 'startToCloseTimeout', text: limitText(timeout.ms, attempt.written) };
  }
  if ((timeout.source === 'capped' || timeout.source === 'from-schedule-to-close') && overall.state === 'set' && !overall.configurable) {
    return { ms: timeout.ms, name: python ? 'schedule_to_close_timeout (the attempt gets no more)' : 'scheduleToCloseTimeout (the attempt gets no more)', text: limitText(timeout.ms, overall.written) };
  }
  return undefined;
}

function limitText(ms: number, written: string): string {
  const plain = formatDuration(ms);
  const bare = written.replace(/^['"`]|['"`]$/g, '');
  return bare === plain || bare === String(ms) ? plain : `${plain} (\`${written}\`)`;
}

/**
 * The call that outlasts the attempt: the longest explicit limit over it, else (info) an SDK
 * client's default over it, but only when no explicit limit of the activity fits in the attempt
 * (a shorter one may bound that same call: `AbortSignal.timeout` handed to the request).
 */
/** Limits that bound the whole wrapped call (Python), not each read of it. */
const TOTAL_DEADLINE = new Set(['asyncio.wait_for', 'asyncio.timeout block']);

function longerCall(timeouts: CallTimeout[], limitMs: number, strictly = false): CallTimeout | undefined {
  const explicit = timeouts.filter((timeout) => !timeout.sdkDefault);
  // A call allowed as long as the attempt (`timeout=300` under a 5-minute startToClose) outlasts it
  // too: the attempt started before the call, so the server's timeout comes first. Against a
  // heartbeat timeout the last heartbeat may arrive late (throttling), so only a longer call counts.
  const outlasts = (timeout: CallTimeout) => (strictly ? timeout.ms > limitMs : timeout.ms >= limitMs);
  const longest = explicit.filter(outlasts).sort((a, b) => b.ms - a.ms)[0];
  if (longest) return longest;
  if (explicit.length > 0) return undefined;
  return timeouts.filter((timeout) => timeout.sdkDefault && outlasts(timeout))[0];
}

function finding(review: ProxyReview, type: string, implementation: ActivityImplementationFacts, call: CallTimeout, limit: AttemptLimit, python: boolean, root: string) {
  const where = (location: { file: string; line: number }) => `${relativePath(root, location.file)}:${location.line}`;
  const through = call.via.length > 0 ? `, reached through the call at ${where(call.via[0]!)}` : '';
  const once = review.retry.known && review.retry.policy.maximumAttempts === 1;
  const seconds = (ms: number) => formatDuration(ms);
  const waits = call.sdkDefault
    ? `${type}'s ${call.what} is created without a timeout (${where(call.location)}${through}), so each request waits up to the SDK default of ${seconds(call.ms)} (and the SDK retries it twice)`
    : `${type}'s ${call.what} waits up to ${seconds(call.ms)} (\`${call.written}\` at ${where(call.location)}${call.source ? `, the value from ${where(call.source)}` : ''}${through})`;
  // The worker cancels a timed-out attempt on its own: the SDKs' core keeps a local start-to-close
  // timer per activity task and sends a cancel (reason TimedOut) when it runs out, heartbeat or not.
  // An async Python activity gets CancelledError at the await, which abandons the call there; a sync
  // one gets it raised in its thread, which stops a blocking call only once it returns to Python; a
  // TypeScript call stops only if it is given the activity's cancellation signal.
  const asyncPython = python && implementation.sync !== true;
  const outcome = once
    ? 'the attempt times out first and, with no retry (maximumAttempts 1), the workflow sees a timeout instead of the call\'s own error'
    : asyncPython
      ? 'the attempt times out first and the call runs again on the retry'
      : 'the attempt times out first and the call runs again on the retry, while the timed-out attempt may still be waiting for the first one';
  const stopped = !python
    ? "The worker cancels the timed-out attempt on its own (the SDK keeps a local start-to-close timer), but the call stops only if it is given the activity's cancellation signal."
    : asyncPython
      ? 'The worker cancels the timed-out attempt on its own (the SDK keeps a local start-to-close timer), which abandons the call at its await.'
      : 'The worker cancels the timed-out attempt on its own (the SDK keeps a local start-to-close timer) by raising CancelledError in its thread, which stops a blocking call only once it returns.';
  const testOnly = review.proxy.testOnly;
  const note = testOnly ? ` This proxy is used only when \`${testOnly.flag}\` is set, a test or development mode.` : '';
  const fixLimit = python ? 'start_to_close_timeout' : 'startToCloseTimeout';
  return {
    location: review.proxy.location,
    // No retry: the call does not run twice; what is left is a timeout instead of the call's own error.
    ...(call.sdkDefault || testOnly || once ? { severity: 'info' as const } : {}),
    message:
      (call.ms === limit.ms
        ? `${waits}, as long as ${limit.name} (${limit.text}), and the attempt started before the call: ${outcome}. `
        : `${waits} but ${limit.name} is ${limit.text}: ${outcome}. `) +
      (call.handled === false ? stopped : `The code that handles the call's own timeout never runs. ${stopped}`) +
      note,
    fix:
      `Make ${fixLimit} longer than the call's timeout plus a margin (e.g. ${seconds(Math.ceil((call.ms * 1.25) / 1000) * 1000)}), ` +
      `or set the call's timeout below ${fixLimit} (under ${seconds(limit.ms)})` +
      (call.sdkDefault ? ` by passing \`timeout\` to the client` : '') +
      ', or heartbeat during the call and honour cancellation so a timed-out attempt stops.',
    related: [
      { ...call.location, message: call.sdkDefault ? `${call.what} with the SDK's default timeout` : `the ${call.what}'s timeout` },
      ...(call.source ? [{ ...call.source, message: 'where the timeout value is set' }] : []),
      ...(call.via.length > 0 ? [{ ...call.via[0]!, message: `${implementation.name} calls the helper that makes it` }] : []),
      { ...implementation.location, message: `activity ${implementation.name}` },
    ],
    data: {
      ...policyData(review),
      activityType: type,
      attemptLimitMs: limit.ms,
      callTimeoutMs: call.ms,
      call: call.what,
      ...(call.sdkDefault ? { sdkDefault: true } : {}),
      ...(testOnly ? { testOnly: testOnly.flag } : {}),
      activities: listNames([implementation.name]),
    },
  };
}

/** The SDKs' heartbeat throttle: 0.8 x heartbeatTimeout, at most 60 s (Temporal facts §4). */
function throttleMs(heartbeatMs: number): number {
  return Math.min(heartbeatMs * 0.8, 60_000);
}

function heartbeatFinding(review: ProxyReview, type: string, implementation: ActivityImplementationFacts, call: CallTimeout, beat: AttemptLimit, python: boolean, root: string) {
  const where = (location: { file: string; line: number }) => `${relativePath(root, location.file)}:${location.line}`;
  const through = call.via.length > 0 ? `, reached through the call at ${where(call.via[0]!)}` : '';
  const once = review.retry.known && review.retry.policy.maximumAttempts === 1;
  const nonRetryable = review.retry.known && review.retry.policy.nonRetryableErrorTypes.includes('TemporalTimeout:Heartbeat');
  const waits = call.sdkDefault
    ? `${type}'s ${call.what} is created without a timeout (${where(call.location)}${through}), so each request waits up to the SDK default of ${formatDuration(call.ms)}`
    : `${type}'s ${call.what} waits up to ${formatDuration(call.ms)} (\`${call.written}\` at ${where(call.location)}${call.source ? `, the value from ${where(call.source)}` : ''}${through})`;
  const heartbeatAt = where(implementation.heartbeat!.via[0] ?? implementation.heartbeat!.location);
  const outcome = once || nonRetryable
    ? `and the attempt fails with a heartbeat timeout, which fails the activity (${once ? 'maximumAttempts is 1' : 'TemporalTimeout:Heartbeat is non-retryable'}) while the call may still succeed`
    : 'and the attempt fails with a heartbeat timeout and is retried from the start, so a slow call runs again and again';
  const testOnly = review.proxy.testOnly;
  const note = testOnly ? ` This proxy is used only when \`${testOnly.flag}\` is set, a test or development mode.` : '';
  const fixLimit = python ? 'heartbeat_timeout' : 'heartbeatTimeout';
  const slack = formatDuration(beat.ms + throttleMs(beat.ms));
  return {
    location: review.proxy.location,
    ...(call.sdkDefault || testOnly ? { severity: 'info' as const } : {}),
    message:
      `${waits} and no heartbeat is sent while it waits, but ${beat.name} is ${beat.text}: ${type} heartbeats (e.g. ${heartbeatAt}), yet a call that takes longer than ` +
      `about ${formatDuration(beat.ms)} (up to ${slack} when the last heartbeat was held back by the SDK's throttling) leaves the server without one, ${outcome}. ` +
      'The heartbeat timeout counts from the attempt\'s start or its last heartbeat, so a heartbeat sent just before the call does not cover it.' +
      note,
    fix:
      `Heartbeat while the call waits (a task that calls heartbeat every ${formatDuration(Math.max(1000, Math.floor(beat.ms / 3 / 1000) * 1000))} until the call returns), ` +
      `or make ${fixLimit} longer than the call's timeout (e.g. ${formatDuration(Math.ceil((call.ms * 1.25) / 1000) * 1000)}), or set the call's timeout below ${fixLimit} (under ${formatDuration(beat.ms)}).`,
    related: [
      { ...call.location, message: call.sdkDefault ? `${call.what} with the SDK's default timeout` : `the ${call.what}'s timeout` },
      ...(call.source ? [{ ...call.source, message: 'where the timeout value is set' }] : []),
      ...(call.via.length > 0 ? [{ ...call.via[0]!, message: `${implementation.name} calls the helper that makes it` }] : []),
      { ...implementation.heartbeat!.location, message: 'a heartbeat, not sent while the call waits' },
      { ...implementation.location, message: `activity ${implementation.name}` },
    ],
    data: {
      ...policyData(review),
      activityType: type,
      heartbeatTimeoutMs: beat.ms,
      callTimeoutMs: call.ms,
      call: call.what,
      limit: 'heartbeat',
      ...(call.sdkDefault ? { sdkDefault: true } : {}),
      ...(testOnly ? { testOnly: testOnly.flag } : {}),
      activities: listNames([implementation.name]),
    },
  };
}
