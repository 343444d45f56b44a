// Pretty text for the load drill report.
import pc from 'picocolors';
import type { LoadDrillReport } from './load-report.js';

export function renderLoadPretty(report: LoadDrillReport, color: boolean): string {
  const c = pc.createColors(color);
  const verdict = report.verdict === 'pass' ? c.green('PASS') : c.red('FAIL');
  const w = report.workflows;
  const lines = [
    `load drill ${verdict}: ${report.rates.map((r) => `${r.workflowType} ${r.ratePerSecond}/s`).join(', ')} for ${report.durationMs / 1000} s; target schedule-to-start p99 ${report.targetP99Ms} ms`,
    `  workflows: ${w.started} started, ${w.completed} completed, ${w.failed} failed, ${w.open} open`,
  ];
  for (const q of report.queues) {
    const a = q.activities;
    const p99 = q.pass ? c.green(`${a.p99} ms`) : c.red(`${a.p99} ms`);
    lines.push(
      '',
      `  task queue ${q.taskQueue}`,
      `    activity schedule-to-start  p50 ${a.p50} ms  p95 ${a.p95} ms  p99 ${p99}  max ${a.max} ms  (${a.count} activities${q.climbing ? c.red(', p99 climbing') : ''})`,
      `    workflow task schedule-to-start  p50 ${q.workflowTasks.p50} ms  p95 ${q.workflowTasks.p95} ms  p99 ${q.workflowTasks.p99} ms`,
      `    ${q.activityRatePerSecond} activities/s, mean ${q.meanActivityDurationMs} ms; slots ${q.slots ?? 'unknown'}, most in use ${q.maxConcurrentActivities}, most waiting ${q.maxBacklog}`,
    );
    if (q.predicted) {
      const p = q.predicted;
      const show = (v: number | null) => (v === null || !Number.isFinite(v) ? 'unbounded' : `${v} ms`);
      lines.push(`    planner (Erlang C, same rate and slots): utilization ${p.utilization}${p.stable ? '' : c.red(' (unstable)')}, p50 ${show(p.wait.p50)}  p95 ${show(p.wait.p95)}  p99 ${show(p.wait.p99)}`);
    }
    if (q.metrics?.scheduleToStart) {
      const m = q.metrics.scheduleToStart;
      lines.push(c.dim(`    worker metrics: schedule-to-start p50 <= ${m.p50} ms, p95 <= ${m.p95} ms, p99 <= ${m.p99} ms (histogram buckets); slots used at most ${q.metrics.maxSlotsUsed ?? '?'}`));
    }
    if (q.p99BySecond.length) lines.push(c.dim(`    p99 by second: ${q.p99BySecond.map(([, v]) => v).join(' ')}`));
  }
  if (report.problems.length) {
    lines.push('', c.red(`${report.problems.length} problem(s):`));
    for (const problem of report.problems) lines.push(`  - ${problem}`);
  }
  return `${lines.join('\n')}\n`;
}
