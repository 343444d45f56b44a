// --format pretty for `simulate outage`: the summary sentence, a table of the three scenarios and
// their attempts-per-second curves on one time axis. Colours only when the caller allows them.

import pc from 'picocolors';
import { formatUsd } from '../actions-cost.js';
import { formatDuration } from '../../engine/duration.js';
import type { OutageScenario, OutageSimulation } from '../outage.js';
import { columnChart, columnPeaks, shortCount } from './terminal-chart.js';

export interface OutagePrettyOptions {
  color: boolean;
  /** Columns of the chart; default 64. */
  width?: number;
}

const CHART_HEIGHT = 3;
const LABEL = 16;

export function renderOutagePretty(sim: OutageSimulation, options: OutagePrettyOptions): string {
  const c = pc.createColors(options.color);
  const paint: Record<OutageScenario['name'], (s: string) => string> = {
    given: c.yellow,
    'server-default': c.red,
    recommended: c.green,
  };
  const width = options.width ?? 64;
  const lines: string[] = [];
  lines.push(c.bold(`Outage of ${formatDuration(sim.outageMs)}`) +
    `: ${count(sim.workflowsInFlight)} workflows in flight, ${count(sim.ratePerSecond)} new per second during the outage`);
  lines.push(sim.summary.charAt(0).toUpperCase() + sim.summary.slice(1) + '.');
  lines.push('');

  const header = ['scenario', 'attempts', 'cost', 'peak/s', 'recovery peak/s', 'completed', 'failed', 'pending', 'drain'];
  const rows = sim.scenarios.map((s) => [
    s.name + (s.jitter === 'none' ? '' : ` (${s.jitter} jitter)`),
    count(s.totalAttempts),
    formatUsd(s.costUsd),
    count(s.peakAttemptsPerSecond),
    count(s.recoveryPeakAttemptsPerSecond),
    count(s.completed),
    count(s.failed),
    count(s.pending),
    s.drainSeconds === null ? 'not within the horizon' : formatDuration(s.drainSeconds * 1000),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  lines.push(`  ${c.dim(line(header))}`);
  rows.forEach((r, i) => lines.push(`  ${paint[sim.scenarios[i]!.name](line(r))}`));
  lines.push('');

  const horizonSeconds = sim.horizonMs / 1000;
  const peaks = sim.scenarios.map((s) => columnPeaks(s.series, width, horizonSeconds + 1));
  const max = Math.max(1, ...peaks.flat());
  const outageColumn = Math.min(width - 1, Math.floor((sim.outageMs / 1000 / (horizonSeconds + 1)) * width));
  const step = sim.scenarios[0]!.series.length > 1 ? sim.scenarios[0]!.series[1]![0] - sim.scenarios[0]!.series[0]![0] : 1;
  const peak = Math.max(...sim.scenarios.map((s) => s.peakAttemptsPerSecond));
  lines.push(
    c.dim(`  attempts per second${step > 1 ? ` (mean over ${formatDuration(step * 1000)} steps)` : ''}, log scale up to ${shortCount(max)}/s; ` +
      `single-second peak ${shortCount(peak)}/s; ┆ marks the recovery`),
  );
  sim.scenarios.forEach((s, i) => {
    columnChart(peaks[i]!, max, CHART_HEIGHT).forEach((row, r) => {
      const label = r === CHART_HEIGHT - 1 ? s.name : '';
      const marked = row.slice(0, outageColumn) + (row[outageColumn] === ' ' ? c.dim('┆') : row[outageColumn]) + row.slice(outageColumn + 1);
      lines.push(`  ${label.padEnd(LABEL)}${paint[s.name](marked)}`);
    });
  });
  lines.push(`  ${' '.repeat(LABEL)}${axis(width, outageColumn, sim.outageMs, sim.horizonMs)}`);
  lines.push('');

  const recommended = sim.scenarios.find((s) => s.name === 'recommended');
  if (recommended?.explanation) lines.push(`${c.bold('Recommended')}: ${recommended.explanation}`);
  return `${lines.join('\n')}\n`;
}

/** 0 at the left, the recovery under its marker, the horizon at the right. */
function axis(width: number, outageColumn: number, outageMs: number, horizonMs: number): string {
  const cells = new Array<string>(width).fill(' ');
  const place = (text: string, at: number): void => {
    const start = Math.max(0, Math.min(width - text.length, at));
    for (let i = 0; i < text.length; i++) cells[start + i] = text[i]!;
  };
  place('0', 0);
  place(formatDuration(horizonMs), width);
  const recovery = formatDuration(outageMs);
  if (outageColumn > 2 && outageColumn + recovery.length < width - formatDuration(horizonMs).length - 1) place(recovery, outageColumn);
  return cells.join('');
}

function count(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
