// Points at activities that heartbeat while they poll with a plain timer but never read
// cancellation (TEMPORAL-FACTS.md section 4). The heartbeat is how a cancellation reaches a
// TypeScript activity (a workflow cancel, a worker shutdown, the server timing the attempt out),
// but heartbeat() does not throw and a plain `setTimeout` promise does not reject: only
// cancelled(), cancellationSignal or the activity Context's sleep() make the code stop. Such an
// activity keeps polling after it was cancelled, until its loop ends. The same holds for a loop
// over items that heartbeats in its turns: it works through the remaining items.

import { defineCheck } from '../define-check.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { LongRunningSign } from '../../model/types.js';

export default defineCheck({
  id: 'activity-cancellation-ignored',
  area: 'timeouts',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'The activity heartbeats while it polls with a plain timer, or in each turn of a loop, but never reads cancellation: a cancelled attempt keeps going to the end of its loop.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    const reviews = proxyReviews(model);
    for (const implementation of model.activities) {
      const heartbeat = implementation.heartbeat;
      // A timer heartbeat is activity-heartbeat-from-timer's finding, which says the same about cancellation.
      if (!heartbeat || heartbeat.fromTimer || implementation.cancellation !== null) continue;
      // A call the tool could not follow may read cancellation where it cannot see.
      if ((implementation.unfollowedCalls ?? []).length > 0) continue;
      // A loop that sleeps, or a loop of awaits in an activity that sleeps in a helper (the sleep
      // sign of a helper does not say which loop calls it).
      const signs = implementation.longRunning;
      const timer = signs.find((sign: LongRunningSign) => sign.kind === 'sleep');
      const poll = signs.find((sign: LongRunningSign) => sign.kind === 'poll') ?? (timer ? signs.find((sign: LongRunningSign) => sign.kind === 'loop-with-await') : undefined);
      // Or a loop over items that heartbeats in its turns: each heartbeat can deliver a
      // cancellation, which nothing looks at, so a cancelled attempt works through the rest.
      const perEntry = poll ? undefined : signs.find((sign: LongRunningSign) => sign.kind === 'loop-with-await' && sign.heartbeats === true);
      const loop = poll ?? perEntry;
      if (!loop) continue;
      // Local activities do not heartbeat to the server; only a remote schedule delivers a cancellation this way.
      const callers = reviews.filter((review) => review.proxy.kind === 'remote' && review.uses.some((use) => use.implementations.includes(implementation)));
      if (callers.length === 0) continue;
      const where = (location: { file: string; line: number }) => `${relativePath(model.root, location.file)}:${location.line}`;
      const loopAt =
        (loop.via && loop.via.length > 0 ? `${where(loop.location)} (through the call at ${where(loop.via[0]!)})` : where(loop.location)) +
        (poll && poll.kind !== 'poll' && timer ? `, the timer at ${where(timer.location)}` : '');
      const neverReads =
        'but never reads cancellation (no cancelled(), cancellationSignal or the activity Context sleep(), here or in the helpers it calls). ' +
        'The heartbeat is how a cancellation reaches it (the workflow cancelling it, a worker shutting down, the server timing the attempt out), ';
      ctx.report({
        location: implementation.location,
        message: poll
          ? `Activity ${implementation.name} heartbeats (${where(heartbeat.location)}) while it polls with a plain timer (\`${poll.text}\` at ${loopAt}), ${neverReads}` +
            'but heartbeat() does not throw and a setTimeout promise does not reject: the cancelled attempt keeps polling, and holds its worker slot, until its loop ends ' +
            '(after a timeout, alongside the retry that replaced it).'
          : `Activity ${implementation.name} heartbeats (${where(heartbeat.location)}) in each turn of its loop (\`${loop.text}\` at ${loopAt}), ${neverReads}` +
            'but heartbeat() does not throw: the cancelled attempt keeps working through the rest of its loop, and holds its worker slot, until the loop ends ' +
            '(after a timeout, alongside the retry that replaced it).',
        fix: poll
          ? "Sleep with the activity Context's sleep() (`Context.current().sleep(ms)` or `sleep` from @temporalio/activity), which rejects with a CancelledFailure when the activity is cancelled, " +
            'or check `Context.current().cancellationSignal.aborted` between turns and pass the signal to the calls that wait.'
          : 'Check `Context.current().cancellationSignal.aborted` at each turn (or race the work against `Context.current().cancelled`) and pass the signal to the calls that wait, ' +
            'so a cancellation stops the loop.',
        related: [
          { ...heartbeat.location, message: 'the heartbeat that delivers the cancellation' },
          { ...loop.location, message: poll ? 'the loop that waits with a plain timer' : 'the loop that heartbeats' },
          ...callers.map((review) => ({ ...review.proxy.location, message: `${review.label} schedules it` })),
        ],
        data: { activityType: implementation.name, proxies: callers.map((review) => review.proxy.id) },
      });
    }
  },
});
