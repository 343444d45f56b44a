// Prevents long activities that nobody can watch or stop: a loop over awaits that never
// heartbeats is noticed dead only at startToCloseTimeout, cannot receive cancellation, and
// restarts from the beginning on every retry because it saved no progress.

import { defineCheck } from '../define-check.js';
import { describeTimeout, listNames } from '../../engine/activity-policy/describe-policy.js';
import { loopSignsOf, signVerb } from '../../engine/activity-policy/long-running.js';
import { proxyReviews, type ProxyReview } from '../../engine/activity-policy/proxy-review.js';

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
    for (const implementation of model.activities) {
      if (implementation.heartbeat !== null) continue;
      const loop = loopSignsOf(implementation)[0];
      if (!loop) continue;
      const callers = reviews.filter((review) => review.uses.some((use) => use.implementations.includes(implementation)));
      // heartbeat() does nothing in a local activity (§4): a long local activity is a different problem.
      if (callers.length > 0 && callers.every((review) => review.proxy.kind === 'local')) continue;
      const remote = callers.filter((review) => review.proxy.kind === 'remote');
      const detection = detectionOf(remote);
      // With heartbeatTimeout on a caller, every attempt longer than it fails: an incident, not a risk.
      const watched = remote.filter((review) => review.options.heartbeatTimeout.state === 'set');
      const unwatched = remote.filter((review) => review.options.heartbeatTimeout.state !== 'set');
      const timesOut = watched
        .map((review) => `${review.label} sets heartbeatTimeout ${(review.options.heartbeatTimeout as { written: string }).written}, so every attempt that loops longer than that fails with a heartbeat timeout and is retried`)
        .join('; ');
      ctx.report({
        location: loop.location,
        ...(watched.length > 0 ? { severity: 'error' as const } : {}),
        message:
          `${implementation.name} ${signVerb(loop.kind)} (${loop.text}) and never calls heartbeat(), directly or through a helper: ` +
          `if its worker crashes or is redeployed mid-loop, the server notices ${detection}; a cancellation never reaches it; ` +
          `and every retry starts the loop from the beginning, because no progress was saved in heartbeat details.` +
          (timesOut ? ` Worse, ${timesOut}.` : ''),
        fix:
          `Call heartbeat(progress) inside the loop, resume from activityInfo().heartbeatDetails on the next attempt, ` +
          (unwatched.length > 0 || remote.length === 0
            ? `and set heartbeatTimeout on ${remote.length > 0 ? listNames(unwatched.map((r) => r.proxy.id)) : 'the proxies that schedule it'} to a few heartbeat intervals.`
            : 'and keep heartbeatTimeout a few heartbeat intervals long.'),
        related: remote.map((review) => ({ ...review.proxy.location, message: `${review.label} schedules ${implementation.name}` })),
        data: { activityType: implementation.name, loop: loop.text, proxies: remote.map((review) => review.proxy.id) },
      });
    }
  },
});

/** When a crashed attempt is noticed: the longest effective startToClose among the callers. */
function detectionOf(callers: ProxyReview[]): string {
  const known = callers.map((review) => review.timeouts.startToClose).filter((timeout) => timeout.known);
  if (known.length === 0 || known.length < callers.length) return 'only when startToCloseTimeout expires';
  const longest = known.reduce((a, b) => (a.known && b.known && b.ms > a.ms ? b : a));
  return `only when startToCloseTimeout (${describeTimeout(longest)}) expires`;
}
