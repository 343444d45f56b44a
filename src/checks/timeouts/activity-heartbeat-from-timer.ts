// Tells what a timer heartbeat does and does not buy: `setInterval(() => heartbeat(), ms)` keeps
// beating while the work is stuck, so heartbeatTimeout detects a dead worker but never a hung
// step, and heartbeats only deliver a cancellation the code must still look at.

import { defineCheck } from '../define-check.js';
import { describeTimeout, listNames } from '../../engine/activity-policy/describe-policy.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { ActivityImplementation } from '../../model/typescript/types.js';

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
          cancellationSentence(implementation, model.root),
        fix:
          'Heartbeat from the work itself (after each step or chunk, with progress details), or give each step its own deadline; ' +
          'pass Context.current().cancellationSignal to the calls that wait, so a cancellation stops them.',
        related: [{ ...implementation.heartbeat.location, message: 'the timer that heartbeats' }],
        data: { activityType: implementation.name, cancellationObserved: implementation.cancellation !== null ? true : (implementation.unfollowedCalls ?? []).length > 0 ? 'unknown' : false },
      });
    }
  },
});

/**
 * What the activity does with a cancellation. "Never" only when the tool followed all of its work:
 * a call into the project it could not follow (a method behind an interface, an injected service)
 * may read cancellation where the tool cannot see.
 */
function cancellationSentence(implementation: ActivityImplementation, root: string): string {
  if (implementation.cancellation !== null) return '';
  const unfollowed = implementation.unfollowedCalls ?? [];
  if (unfollowed.length === 0) {
    return ' It never reads cancellation (cancelled(), cancellationSignal, the activity sleep): the heartbeats deliver a cancellation, but nothing reacts to it, so a cancelled activity runs to the end.';
  }
  const first = unfollowed[0]!;
  const more = unfollowed.length > 1 ? ` and ${unfollowed.length - 1} other call${unfollowed.length > 2 ? 's' : ''}` : '';
  return (
    ' No read of cancellation (cancelled(), cancellationSignal, the activity sleep) was seen in the code the tool could follow, ' +
    `but it calls ${first.text} (${relativePath(root, first.location.file)}:${first.location.line})${more} that the tool cannot follow (a method behind an interface, an injected service): ` +
    'whether a cancellation stops the activity is not known.'
  );
}
