// Pretty text for the restart drill report.
import pc from 'picocolors';
import type { RestartDrillReport } from './restart-report.js';

export function renderRestartPretty(report: RestartDrillReport, color: boolean): string {
  const c = pc.createColors(color);
  const s = report.summary;
  const verdict = report.verdict === 'pass' ? c.green('PASS') : c.red('FAIL');
  const lines = [
    `restart drill ${verdict}: ${s.workflows} workflow(s), ${report.restarts.length}/${report.plannedRestarts} SIGKILL restart(s) (seed ${report.seed}, task queue ${report.taskQueue})`,
    `  ${s.completed} completed, ${s.failed} failed, ${s.open} open, ${s.nondeterminism} with nondeterminism, ${s.resultsDiffer} result(s) differ from the run without restarts`,
  ];
  for (const [i, restart] of report.restarts.entries()) {
    lines.push(c.dim(`  restart ${i + 1}: killed at ${restart.atMs} ms with ${restart.openWorkflows} open, worker back after ${restart.restartMs} ms`));
  }
  lines.push('', '  workflow                                  outcome      time      without restarts  result');
  for (const w of report.workflows) {
    const outcome = w.outcome === 'completed' ? c.green(w.outcome.padEnd(12)) : c.red(w.outcome.padEnd(12));
    const result = w.result === 'differs' ? c.red(w.result) : w.result;
    lines.push(`  ${w.workflowId.slice(-40).padEnd(40)}  ${outcome} ${ms(w.durationMs).padStart(8)}  ${ms(w.baselineDurationMs).padStart(16)}  ${result}`);
    for (const event of w.nondeterminism) lines.push(`    ${c.red('NONDETERMINISM')} at event ${event.eventId}: ${event.message}`);
  }
  if (report.problems.length) {
    lines.push('', c.red(`${report.problems.length} problem(s):`));
    for (const problem of report.problems) lines.push(`  - ${problem}`);
  }
  return `${lines.join('\n')}\n`;
}

function ms(value: number | null): string {
  if (value === null) return '-';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`;
}
