// --format pretty for `capacity`: the slot count to configure, what it gives at the planned and
// the expected rate, and the wait-against-slots curve as horizontal bars.

import pc from 'picocolors';
import { formatDuration } from '../../engine/duration.js';
import type { SlotEvaluation, SlotPlan } from '../slot-planner.js';
import { horizontalBar } from './terminal-chart.js';

export interface CapacityReport {
  plan: SlotPlan;
  /** Present with --slots: the given slot count at the planned rate. */
  evaluation?: SlotEvaluation & { meetsTarget: boolean };
  meanDurationMs: number;
  durationCv: number;
}

const BAR_WIDTH = 32;

export function renderCapacityPretty(report: CapacityReport, options: { color: boolean; evaluationLabel?: string }): string {
  const c = pc.createColors(options.color);
  const { plan } = report;
  const p = `p${trimPercentile(plan.percentile)}`;
  const lines: string[] = [];
  lines.push(
    c.bold('Activity slots') +
      ` for ${num(plan.atExpectedRate.ratePerSecond)} activities/s x ${formatDuration(report.meanDurationMs)} mean` +
      (report.durationCv === 1 ? '' : ` (duration cv ${Number(report.durationCv.toFixed(2))})`) +
      `, schedule-to-start ${p} <= ${formatDuration(plan.targetMs)}, headroom ${plan.headroom}x`,
  );
  lines.push('');
  lines.push(`  ${c.bold(c.green(`${plan.slots} slots`))} across all workers on the task queue`);
  lines.push(`  at ${num(plan.ratePerSecond)}/s (planned): ${describe(plan, p)}`);
  lines.push(`  at ${num(plan.atExpectedRate.ratePerSecond)}/s (expected): ${describe(plan.atExpectedRate, p)}`);
  if (report.evaluation) {
    const e = report.evaluation;
    const verdict = e.meetsTarget ? c.green('meets the target') : c.red('misses the target');
    lines.push(`  ${c.bold(`${e.slots} slots`)} (${options.evaluationLabel ?? '--slots'}) at ${num(e.ratePerSecond)}/s: ${describe(e, p)}; ${verdict}`);
  }
  lines.push('');

  const finite = plan.table.map((r) => r.waitAtPercentile).filter(Number.isFinite);
  const max = Math.max(1e-3, ...finite);
  lines.push(c.dim(`  ${p} wait against slots at ${num(plan.ratePerSecond)}/s (log scale)`));
  lines.push(c.dim(`  ${'slots'.padStart(7)}  ${'util'.padStart(6)}  ${'wait'.padStart(8)}`));
  for (const row of plan.table) {
    const text = `  ${String(row.slots).padStart(7)}  ${pct(row.utilization).padStart(6)}  ${seconds(row.waitAtPercentile).padStart(8)}  `;
    const bar = horizontalBar(row.waitAtPercentile * 1000, max * 1000, BAR_WIDTH);
    const ok = row.waitAtPercentile <= plan.targetMs / 1000;
    const marker = row.slots === plan.slots ? c.bold('  <- plan') : '';
    lines.push(text + (ok ? c.green(bar) : c.red(bar)) + marker);
  }
  return `${lines.join('\n')}\n`;
}

function describe(e: SlotEvaluation, p: string): string {
  if (!e.stable) return `utilization ${pct(e.utilization)}: the queue grows without bound`;
  return `utilization ${pct(e.utilization)}, P(wait) ${pct(e.probabilityOfWaiting)}, wait p50 ${seconds(e.wait.p50)} p95 ${seconds(e.wait.p95)} p99 ${seconds(e.wait.p99)}` +
    (p === 'p50' || p === 'p95' || p === 'p99' ? '' : `, ${p} ${seconds(e.waitAtPercentile)}`);
}

function seconds(s: number): string {
  if (!Number.isFinite(s)) return 'unbounded';
  if (s === 0) return '0';
  if (s < 0.001) return '<1ms';
  return formatDuration(s * 1000);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function num(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function trimPercentile(p: number): string {
  return String(p).replace(/\.0+$/, '');
}
