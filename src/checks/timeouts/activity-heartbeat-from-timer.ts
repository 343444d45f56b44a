// Tells what a timer heartbeat does and does not buy: `setInterval(() => heartbeat(), ms)` keeps
// beating while the work is stuck, so heartbeatTimeout detects a dead worker but never a hung
// step, and heartbeats only deliver a cancellation the code must still look at.

import { defineCheck } from '../define-check.js';
import { describeTimeout, listNames } from '../../engine/activity-policy/describe-policy.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';

export default defineCheck({
  id: 'activity-heartbeat-from-timer',
  area: 'timeouts',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'The activity heartbeats only from a timer: a hung step keeps heartbeating until startToCloseTimeout.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    const reviews = proxyReviews(model);
    for (const implementation of model.activities) {
      if (!implementation.heartbeat?.fromTimer) continue;
      const callers = reviews.filter((review) => review.proxy.kind === 'remote' && review.uses.some((use) => use.implementations.includes(implementation)));
      const limits = callers.map((review) => review.timeouts.startToClose).filter((timeout) => timeout.known);
      const until = limits.length > 0 && limits.length === callers.length ? `startToCloseTimeout (${listNames([...new Set(limits.map(describeTimeout))])})` : 'startToCloseTimeout';
      const at = `${relativePath(model.root, implementation.heartbeat.location.file)}:${implementation.heartbeat.location.line}`;
      ctx.report({
        location: implementation.location,
        message:
          `Activity ${implementation.name} heartbeats from a timer (${at}), not as its work progresses: heartbeatTimeout then detects only a dead worker, ` +
          `and a hung step keeps heartbeating until ${until} ends the attempt.` +
          (implementation.cancellation === null
            ? ' It never reads cancellation (cancelled(), cancellationSignal, the activity sleep): the heartbeats deliver a cancellation, but nothing reacts to it, so a cancelled activity runs to the end.'
            : ''),
        fix:
          'Heartbeat from the work itself (after each step or chunk, with progress details), or give each step its own deadline; ' +
          'pass Context.current().cancellationSignal to the calls that wait, so a cancellation stops them.',
        related: [{ ...implementation.heartbeat.location, message: 'the timer that heartbeats' }],
        data: { activityType: implementation.name, cancellationObserved: implementation.cancellation !== null },
      });
    }
  },
});
