// Prevents launching with a worker pool that already cannot keep up: activities that wait in the
// task queue longer than the target mean saturated or too few workers, and it gets worse at peak.

import { defineCheck } from '../define-check.js';
import { formatDuration, parseDuration } from '../../engine/duration.js';
import { historyAnalysisOf } from '../../model/history/index.js';

export default defineCheck({
  id: 'history-schedule-to-start-high',
  area: 'capacity',
  severity: 'warning',
  evidence: 'history',
  needs: 'histories',
  description: 'Activity schedule-to-start p99 in histories over the target (500 ms by default)',
  run(ctx) {
    const analysis = historyAnalysisOf(ctx.histories);
    if (!analysis) return;
    const target = parseDuration(ctx.config.targets.scheduleToStartP99) ?? 500;
    for (const latency of analysis.report.scheduleToStart) {
      if (latency.p99 <= target) continue;
      ctx.report({
        message:
          `Activity ${latency.activityType} on task queue ${latency.taskQueue} waited ${formatDuration(latency.p99)} at p99 between being scheduled and starting ` +
          `(p50 ${formatDuration(latency.p50)}, p95 ${formatDuration(latency.p95)}, ${latency.samples} first attempt${latency.samples === 1 ? '' : 's'}), over the ${formatDuration(target)} target. ` +
          'Tasks queue up when the workers polling this task queue have no free slots or are too few; at peak load the wait grows and deadlines are missed.',
        fix:
          `Add workers for task queue ${latency.taskQueue} or raise maxConcurrentActivityTaskExecutions (size it with \`temporal-preflight capacity\`), ` +
          'and set scheduleToStartTimeout so a saturated pool fails visibly instead of silently.',
        data: { ...latency, targetMs: target },
      });
    }
  },
});
