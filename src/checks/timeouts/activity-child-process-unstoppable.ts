// Prevents orphaned processes and overlapping runs: an activity that starts a child process with no
// timeout, no abort signal and no kill cannot stop it. When the attempt times out or is cancelled,
// Temporal gives up on it, but the process keeps running on the worker while a retry (or the
// workflow's next call) starts another one next to it. A synchronous call (execSync, spawnSync) is
// left to activity-blocks-event-loop: it blocks the worker's event loop until the process ends.

import { defineCheck } from '../define-check.js';
import { describeTimeout, listNames } from '../../engine/activity-policy/describe-policy.js';
import { neverRetried } from '../../engine/activity-policy/attempt-cap.js';
import { LONG_START_TO_CLOSE_MS } from '../../engine/activity-policy/long-running.js';
import { proxyReviews, type ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import { formatDuration } from '../../engine/duration.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { ActivityImplementationFacts as ActivityImplementation, LongRunningSign } from '../../model/types.js';

export default defineCheck({
  id: 'activity-child-process-unstoppable',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'An activity starts a child process with no timeout, abort signal or kill: a timed-out or cancelled attempt leaves it running while the next one starts.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    const reviews = proxyReviews(model);
    // Under long attempts the finding is about cancellation only: one per process site, naming
    // every activity that reaches it, so a shared wrapper is one finding, not one per activity.
    const quiet = new Map<string, { sign: LongRunningSign; entries: { implementation: ActivityImplementation; callers: ProxyReview[] }[] }>();
    for (const implementation of model.activities) {
      const callers = reviews.filter((review) => review.uses.some((use) => use.implementations.includes(implementation)));
      // Scheduled by no workflow of the reviewed code: no attempt of it is seen to time out.
      if (callers.length === 0) continue;
      // One finding per activity: its first unstoppable process says what the fix is.
      // A synchronous one (execSync, spawnSync) is activity-blocks-event-loop's: it blocks the worker's
      // event loop until it ends, so the attempt's timeout and a cancellation never reach the activity.
      const sign = implementation.longRunning.find((s) => s.kind === 'child-process' && s.unstoppable && !s.syncProcess);
      if (!sign) continue;
      if (shortAttempts(callers) !== undefined) {
        ctx.report(finding(implementation, sign, callers, model.root));
        continue;
      }
      const key = `${sign.location.file}:${sign.location.line}:${sign.location.column}`;
      const group = quiet.get(key) ?? { sign, entries: [] };
      group.entries.push({ implementation, callers });
      quiet.set(key, group);
    }
    for (const { sign, entries } of quiet.values()) {
      if (entries.length === 1) ctx.report(finding(entries[0]!.implementation, sign, entries[0]!.callers, model.root));
      else ctx.report(sharedFinding(sign, entries, model.root));
    }
  },
});

/** The longest startToClose of the callers when every one is known and under LONG_START_TO_CLOSE_MS. */
function shortAttempts(callers: ProxyReview[]): number | undefined {
  const attempts = callers.map((review) => review.timeouts.startToClose);
  if (!attempts.every((timeout) => timeout.known && Number.isFinite(timeout.ms))) return undefined;
  const longest = Math.max(...attempts.map((timeout) => (timeout.known ? timeout.ms : 0)));
  return longest < LONG_START_TO_CLOSE_MS ? longest : undefined;
}

function sharedFinding(sign: LongRunningSign, entries: { implementation: ActivityImplementation; callers: ProxyReview[] }[], root: string) {
  const names = [...new Set(entries.map((entry) => entry.implementation.name))].sort();
  const callers = [...new Set(entries.flatMap((entry) => entry.callers))];
  return {
    location: sign.location,
    severity: 'info' as const,
    message:
      `This child process (${sign.text}) is started by activities ${listNames(names, 6)} with no timeout option, no abort signal and no kill, so nothing stops it early. ` +
      `When one of their attempts times out or the workflow cancels it, Temporal gives up on the attempt but the process keeps running on the worker until it ends by itself, next to the retry (or the workflow's next call).`,
    fix:
      'Give the process a `timeout` a little below the startToCloseTimeout of the activities that start it and pass Context.current().cancellationSignal as its `signal` ' +
      '(the activity learns of a cancellation through its heartbeats), or kill it in the code that starts it.',
    related: [
      ...entries.map((entry) => ({ ...(entry.implementation.longRunning.find((s) => s === sign)?.via?.[0] ?? entry.implementation.location), message: `activity ${entry.implementation.name} starts it from here` })),
      ...callers.map((review) => ({ ...review.proxy.location, message: `${review.label} schedules ${listNames(review.uses.filter((use) => use.implementations.some((impl) => names.includes(impl.name))).map((use) => use.type))}` })),
    ],
    data: { activityTypes: names, process: sign.text, proxies: callers.map((review) => review.proxy.id) },
  };
}

function finding(implementation: ActivityImplementation, sign: LongRunningSign, callers: ProxyReview[], root: string) {
  const attempts = callers.map((review) => review.timeouts.startToClose);
  const known = attempts.every((timeout) => timeout.known && Number.isFinite(timeout.ms));
  // A short attempt is one a slow process (a network command, a stuck lock) outlives in ordinary
  // operation; under a long one the process outlives the attempt only when it hangs, and what is
  // left is a cancellation that does not stop it.
  const longest = shortAttempts(callers);
  const short = longest !== undefined;
  const limits = known ? listNames([...new Set(attempts.map(describeTimeout))]) : undefined;
  const where = `${relativePath(root, sign.location.file)}:${sign.location.line}`;
  const through = sign.via && sign.via.length > 0 ? `, reached from the activity at ${relativePath(root, sign.via[0]!.file)}:${sign.via[0]!.line}` : '';
  const once = neverRetried(callers);
  const next = once ? "the workflow's next call of it (no retry: maximumAttempts 1)" : 'the retry (or the workflow\'s next call)';
  return {
    location: sign.via?.[0] ?? sign.location,
    ...(short ? {} : { severity: 'info' as const }),
    message:
      `Activity ${implementation.name} starts a child process (${sign.text} at ${where}${through}) with no timeout option, no abort signal and no kill, so nothing stops it early. ` +
      (short
        ? `Each attempt has startToCloseTimeout ${limits}: when the process runs longer (a slow remote host, a lock held elsewhere, a large input), the attempt times out but the process keeps running on the worker, and ${next} starts another one next to it, so the same work overlaps.`
        : `When an attempt times out${limits ? ` (startToCloseTimeout ${limits})` : ''} or the workflow cancels it, Temporal gives up on the attempt but the process keeps running on the worker until it ends by itself, next to ${next}.`),
    fix:
      `Give the process a \`timeout\` a little below startToCloseTimeout${short ? ` (${formatDuration(longest!)})` : ''} and pass Context.current().cancellationSignal as its \`signal\` ` +
      '(the activity learns of a cancellation through its heartbeats), or kill it in the code that starts it.',
    related: [
      { ...sign.location, message: 'the child process' },
      ...callers.map((review) => ({ ...review.proxy.location, message: `${review.label} schedules ${implementation.name}` })),
    ],
    data: { activityType: implementation.name, process: sign.text, startToCloseMs: known ? Math.max(...attempts.map((timeout) => (timeout.known ? timeout.ms : 0))) : 'unknown', proxies: callers.map((review) => review.proxy.id) },
  };
}
