// Points at activities that retry by themselves: a counted loop that sleeps a growing delay and
// throws when the tries run out holds a worker slot for the whole backoff, is lost with the
// worker mid-backoff, and gives up for good, where the activity's retry policy (bounded by
// scheduleToCloseTimeout) would wait between attempts durably, off the worker.

import { defineCheck } from '../define-check.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';

export default defineCheck({
  id: 'activity-retries-in-loop',
  area: 'retries',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'The activity retries by itself in a loop with a growing sleep and throws when the tries run out, inside one attempt.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const reviews = proxyReviews(model);
    for (const implementation of model.activities) {
      const backoff = implementation.manualBackoff;
      if (!backoff) continue;
      const callers = reviews.filter((review) => review.uses.some((use) => use.implementations.includes(implementation)));
      // Only what a workflow schedules runs as an activity attempt; a local activity is a different trade-off.
      if (callers.length === 0 || callers.every((review) => review.proxy.kind === 'local')) continue;
      const giveUp = `${relativePath(model.root, backoff.giveUp.file)}:${backoff.giveUp.line}`;
      const beats = implementation.heartbeat !== null ? 'it heartbeats, but a heartbeat does not make the sleep durable' : 'it never heartbeats';
      ctx.report({
        location: backoff.location,
        message:
          `Activity ${implementation.name} retries by itself (${backoff.text}): it sleeps a growing delay between tries and throws when they run out (${giveUp}). ` +
          `The whole backoff runs inside one attempt: it holds a worker slot while it sleeps, ${beats}, and a worker restart mid-backoff loses it and starts the tries over. ` +
          (backoff.nonRetryable
            ? 'The give-up is a non-retryable failure, so after the last try the activity fails for good however long the thing it waits for is late.'
            : 'After the give-up, the retry policy runs the whole loop again on the next attempt, so the tries multiply.'),
        fix:
          'Let Temporal retry: make one try per attempt, throw a retryable failure when it is not there yet, and set retry.initialInterval, ' +
          'backoffCoefficient and maximumInterval for the backoff, with scheduleToCloseTimeout as the overall bound.',
        related: [
          { ...backoff.sleep, message: 'the growing sleep' },
          { ...backoff.giveUp, message: 'the give-up' },
          ...callers.map((review) => ({ ...review.proxy.location, message: `${review.label} schedules it` })),
        ],
        data: { activityType: implementation.name, nonRetryable: backoff.nonRetryable, proxies: callers.map((review) => review.proxy.id) },
      });
    }
  },
});
