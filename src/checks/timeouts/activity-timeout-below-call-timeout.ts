// Prevents slow calls that run twice: an activity's own outbound call (an HTTP client, an LLM SDK,
// a child process) may wait longer than the attempt's startToClose. The server times the attempt
// out while the call is still waiting and schedules the next attempt, which makes the same slow
// call again; the attempt that timed out is not stopped unless it heartbeats and honours
// cancellation, and the code that handles the client's own timeout never runs.

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
  description: "An activity's own outbound call (HTTP client, LLM SDK, child process) may wait longer than the attempt's startToClose: the attempt times out first and the call runs again on the retry.",
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
      for (const use of review.uses) {
        for (const implementation of use.implementations) {
          if (reported.has(implementation)) continue;
          const longer = longerCall(implementation.callTimeouts ?? [], limit.ms);
          if (!longer) continue;
          reported.add(implementation);
          ctx.report(finding(review, use.type, implementation, longer, limit, python, model.root));
        }
      }
    }
  },
});

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
function longerCall(timeouts: CallTimeout[], limitMs: number): CallTimeout | undefined {
  const explicit = timeouts.filter((timeout) => !timeout.sdkDefault);
  const longest = explicit.filter((timeout) => timeout.ms > limitMs).sort((a, b) => b.ms - a.ms)[0];
  if (longest) return longest;
  if (explicit.length > 0) return undefined;
  return timeouts.filter((timeout) => timeout.sdkDefault && timeout.ms > limitMs)[0];
}

function finding(review: ProxyReview, type: string, implementation: ActivityImplementationFacts, call: CallTimeout, limit: AttemptLimit, python: boolean, root: string) {
  const where = (location: { file: string; line: number }) => `${relativePath(root, location.file)}:${location.line}`;
  const through = call.via.length > 0 ? `, reached through the call at ${where(call.via[0]!)}` : '';
  const once = review.retry.known && review.retry.policy.maximumAttempts === 1;
  const seconds = (ms: number) => formatDuration(ms);
  const waits = call.sdkDefault
    ? `${type}'s ${call.what} is created without a timeout (${where(call.location)}${through}), so each request waits up to the SDK default of ${seconds(call.ms)} (and the SDK retries it twice)`
    : `${type}'s ${call.what} waits up to ${seconds(call.ms)} (\`${call.written}\` at ${where(call.location)}${call.source ? `, the value from ${where(call.source)}` : ''}${through})`;
  const outcome = once
    ? 'the attempt times out first and, with no retry (maximumAttempts 1), the workflow sees a timeout instead of the call\'s own error'
    : 'the attempt times out first and the call runs again on the retry, while the timed-out attempt may still be waiting for the first one';
  const testOnly = review.proxy.testOnly;
  const note = testOnly ? ` This proxy is used only when \`${testOnly.flag}\` is set, a test or development mode.` : '';
  const fixLimit = python ? 'start_to_close_timeout' : 'startToCloseTimeout';
  return {
    location: review.proxy.location,
    // No retry: the call does not run twice; what is left is a timeout instead of the call's own error.
    ...(call.sdkDefault || testOnly || once ? { severity: 'info' as const } : {}),
    message:
      `${waits} but ${limit.name} is ${limit.text}: ${outcome}. ` +
      "The code that handles the call's own timeout never runs, and the attempt is not stopped unless it heartbeats and honours cancellation." +
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
