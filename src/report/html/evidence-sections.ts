// The optional sections drawn from evidence beyond the code: history sizes, the retry storm and
// the capacity curve. Each appears only when its data is in the result.

import { formatSize as formatBytes } from '../../engine/duration.js';
import type { ReviewResult } from '../../engine/types.js';
import { html, type Markup } from './escape.js';
import { readCapacityCurve, readHistorySizes, readRetryScenarios, type CapacityCurve, type HistorySizeRow, type RetryScenario } from './evidence-data.js';
import { barChart, formatNumber, lineChart, timeTicks } from './svg-chart.js';

/** Series colours in order; the first scenario is usually the code's own policy. */
const PALETTE = ['#d92d20', '#f79009', '#12b76a', '#2e90fa', '#7a5af8', '#667085'];

export function evidenceSections(result: ReviewResult): Markup[] {
  const sections: Markup[] = [];
  const histories = readHistorySizes(result);
  if (histories) sections.push(historySection(histories));
  const scenarios = readRetryScenarios(result);
  if (scenarios) sections.push(retryStormSection(scenarios));
  const capacity = readCapacityCurve(result);
  if (capacity) sections.push(capacitySection(capacity));
  return sections;
}

function historySection(rows: HistorySizeRow[]): Markup {
  const over = rows.filter((r) => r.bytes > r.budgetBytes);
  const budgets = [...new Set(rows.map((r) => r.budgetBytes))];
  const budgetText = budgets.length === 1 ? `the ${formatBytes(budgets[0]!)} budget` : 'each type’s budget';
  const chart = barChart({
    title: 'History size per workflow type against the budget',
    rows: rows.map((r) => ({
      label: r.workflowType,
      value: r.bytes,
      reference: r.budgetBytes,
      tip: `${r.workflowType}: ${r.statistic} ${formatBytes(r.bytes)} per execution, budget ${formatBytes(r.budgetBytes)}`,
    })),
    format: formatBytes,
    referenceLabel: budgets.length === 1 ? `budget: ${formatBytes(budgets[0]!)} per execution` : 'budget per execution',
  });
  return html`<section class="panel" id="histories">
  <div class="panel-head"><h2>History size per workflow type</h2><p class="shown">${over.length ? `${over.length} of ${rows.length} over budget` : rows.length === 1 ? 'within budget' : `all ${rows.length} within budget`}</p></div>
  <p class="lede">Size of one execution’s event history against ${budgetText}. Histories grow with every activity, timer and signal; large ones slow every replay and end at the server’s 50 MiB limit.</p>
  ${chart}
  <table class="data"><thead><tr><th>Workflow type</th><th class="num">Executions</th><th class="num">Size</th><th class="num">Largest</th><th class="num">Budget</th></tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr class="${r.bytes > r.budgetBytes ? 'over' : ''}"><td>${r.workflowType}</td><td class="num">${r.executions ?? '–'}</td><td class="num">${formatBytes(r.bytes)} <span class="muted">${r.statistic}</span></td><td class="num">${r.maxBytes !== undefined ? formatBytes(r.maxBytes) : '–'}</td><td class="num">${formatBytes(r.budgetBytes)}</td></tr>`,
  )}</tbody></table>
</section>`;
}

function retryStormSection(scenarios: RetryScenario[]): Markup {
  const chart = lineChart({
    title: 'Activity attempts per second during a dependency outage',
    xLabel: 'seconds since the outage began',
    yLabel: 'attempts per second',
    formatX: (x) => formatDuration(x),
    xTicks: timeTicks,
    series: scenarios.map((s, i) => ({
      name: s.name,
      color: PALETTE[i % PALETTE.length]!,
      points: s.series.map(([x, y]) => ({ x, y })),
      ...(i > 0 && /default/i.test(s.name) ? { dashed: true } : {}),
    })),
  });
  return html`<section class="panel" id="retry-storm">
  <div class="panel-head"><h2>Retry storm</h2></div>
  <p class="lede">How hard the workers hit a failing dependency while it is down. Each attempt is also a billed Action on Temporal Cloud.</p>
  ${chart}
  <table class="data"><thead><tr><th>Policy</th><th class="num">Peak attempts/s</th><th class="num">Attempts in total</th></tr></thead>
  <tbody>${scenarios.map((s) => html`<tr><td>${s.name}</td><td class="num">${formatNumber(Math.max(...s.series.map((p) => p[1])))}</td><td class="num">${formatNumber(Math.round(area(s.series)))}</td></tr>`)}</tbody></table>
</section>`;
}

function capacitySection(curve: CapacityCurve): Markup {
  const finite = curve.rows.flatMap((r) => (r.p99 === undefined ? [] : [r.p99 * 1000]));
  const target = curve.targetMs;
  // Near saturation the wait explodes; clip the axis so the knee of the curve stays readable.
  const yMax = target !== undefined ? Math.min(Math.max(...finite, target), target * 4) : Math.max(...finite, 1);
  const chart = lineChart({
    title: 'p99 schedule-to-start wait against worker slots',
    xLabel: 'activity slots',
    yLabel: 'p99 wait in the task queue',
    yMax,
    dots: true,
    formatY: (ms) => formatMs(ms),
    series: [
      {
        name: 'p99 schedule-to-start',
        color: '#2e90fa',
        points: curve.rows.map((r) => ({
          x: r.slots,
          y: r.p99 === undefined ? undefined : r.p99 * 1000,
          tip: `${r.slots} slots: p99 ${r.p99 === undefined ? 'unbounded (queue grows)' : formatMs(r.p99 * 1000)}, utilization ${Math.round(r.utilization * 100)}%`,
        })),
      },
    ],
    ...(target !== undefined ? { horizontal: [{ value: target, label: `target ${formatMs(target)}`, color: '#d92d20' }] } : {}),
    ...(curve.recommendedSlots !== undefined ? { vertical: [{ value: curve.recommendedSlots, label: `${curve.recommendedSlots} slots`, color: '#12b76a' }] } : {}),
  });
  const unstable = curve.rows.filter((r) => r.p99 === undefined).map((r) => r.slots);
  return html`<section class="panel" id="capacity">
  <div class="panel-head"><h2>Worker capacity</h2>${curve.recommendedSlots !== undefined ? html`<p class="shown">plan: ${curve.recommendedSlots} slots</p>` : ''}</div>
  <p class="lede">How long an activity waits for a free slot (p99) as the slot count changes, at the planned load.${
    unstable.length ? ` With ${unstable.length === 1 ? `${unstable[0]} slots` : `${Math.max(...unstable)} slots or fewer`} the queue grows without bound.` : ''
  }</p>
  ${chart}
</section>`;
}

function area(series: [number, number][]): number {
  let total = 0;
  for (let i = 1; i < series.length; i++) {
    const [x0, y0] = series[i - 1]!;
    const [x1, y1] = series[i]!;
    total += ((y0 + y1) / 2) * (x1 - x0);
  }
  return total;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${formatNumber(ms / 1000)} s` : `${formatNumber(ms)} ms`;
}

function formatDuration(seconds: number): string {
  if (seconds === 0) return '0';
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${formatNumber(seconds)} s`;
}
