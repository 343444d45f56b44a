// Pretty text for the outage drill report.
import pc from 'picocolors';
import { formatUsd } from '../../simulate/actions-cost.js';
import type { OutageDrillReport } from './outage-report.js';

export function renderOutagePretty(report: OutageDrillReport, color: boolean): string {
  const c = pc.createColors(color);
  const down = [...report.fault.activityTypes, ...report.fault.dependencies].join(', ');
  const w = report.workflows;
  const verdict = report.verdict === 'pass' ? c.green('PASS') : c.red('FAIL');
  const lines = [
    `outage drill ${verdict}: ${down} down for ${seconds(report.fault.outageMs)}${report.fault.outageStartMs ? ` from ${seconds(report.fault.outageStartMs)}` : ''} (task queue ${report.taskQueue})`,
    `  workflows: ${w.started} started, ${w.completed} completed, ${w.failed} failed, ${w.open} open`,
    `  Actions billed: ${report.actions} (${formatUsd(report.costUsd)} at pay-as-you-go prices)`,
    '',
    '  activity                      scheduled  attempts  max  completed  failed',
  ];
  for (const a of report.activities) {
    const name = `${a.activityType}${a.affected ? ' *' : ''}`;
    lines.push(`  ${name.padEnd(28)}  ${String(a.activities).padStart(9)}  ${String(a.attempts).padStart(8)}  ${String(a.maxAttempts).padStart(3)}  ${String(a.completed).padStart(9)}  ${String(a.failed).padStart(6)}`);
  }
  const sim = report.simulation;
  const pct = `${sim.deviation >= 0 ? '+' : ''}${(sim.deviation * 100).toFixed(1)}%`;
  lines.push(
    c.dim('  * hit by the outage'),
    '',
    `  simulate outage with the same starts and policies: ${sim.simulatedAttempts} attempts; measured ${sim.measuredAttempts} (${pct})`,
    c.dim(`  (each retry came ${sim.attemptOverheadMs} ms later than the backoff alone, over ${sim.overheadSamples} retries; the simulation includes it)`),
  );
  for (const scenario of sim.scenarios) {
    lines.push(`    ${scenario.name.padEnd(15)} ${String(scenario.totalAttempts).padStart(7)} attempts  ${formatUsd(scenario.costUsd)}  ${scenario.completed} completed, ${scenario.failed} failed`);
  }
  if (report.problems.length) {
    lines.push('', c.red(`${report.problems.length} problem(s):`));
    for (const problem of report.problems) lines.push(`  - ${problem}`);
  }
  return `${lines.join('\n')}\n`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
