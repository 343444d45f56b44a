// Prevents a worker that never starts: the Python SDK runs a sync (`def`) activity on the worker's
// activity_executor and raises ValueError when the Worker is constructed without one
// (temporalio 1.35.0, worker/_activity.py), so the whole worker, not only that activity, is down.

import { defineCheck } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { workerLabel, workerOption } from '../../model/typescript/observability/worker-options.js';

export default defineCheck({
  id: 'worker-sync-activity-without-executor',
  area: 'capacity',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'A Python Worker registers a sync (def) activity but no activity_executor: the SDK raises ValueError when the Worker is built.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const worker of model.workers) {
      const names = worker.activityNames;
      if (names === 'unknown' || names.length === 0) continue;
      const sync = model.activities.filter((activity) => activity.sync === true && names.includes(activity.name));
      if (sync.length === 0) continue;
      // Given (even as a value that cannot be read) or possibly given by a `**` spread: not judged.
      if (workerOption(worker, 'activity_executor', model).state !== 'absent') continue;
      const listed = [...new Set(sync.map((activity) => activity.name))].sort();
      ctx.report({
        location: worker.location,
        message:
          `${workerLabel(worker, model)} registers the sync (def) ${listed.length === 1 ? 'activity' : 'activities'} ${listNames(listed)} but passes no activity_executor: ` +
          `the SDK raises ValueError 'Activity ${listed[0]} is not async so an activity_executor must be present' when the Worker is constructed, so the worker never starts and none of its workflows or activities run.`,
        fix:
          'Pass activity_executor=concurrent.futures.ThreadPoolExecutor(max_workers=...) (at least max_concurrent_activities workers), or make the activities `async def` if they do not block.',
        related: sync.map((activity) => ({ ...activity.location, message: `${activity.name} is a sync (def) activity` })),
        data: { syncActivities: listed },
      });
    }
  },
});
