// The optional evidence sections read from the result: history sizes, retry-storm curves and the
// capacity curve. Their producers live elsewhere and type them loosely (`unknown`), so each reader
// checks the shape and returns undefined when the data is absent or malformed: the report then
// leaves the section out instead of failing.

import type { ReviewResult } from '../../engine/types.js';

/** History size of one workflow type, in bytes, against the per-execution budget. */
export interface HistorySizeRow {
  workflowType: string;
  executions?: number;
  /** The size drawn as the bar (p95 when known, else the mean, else the maximum). */
  bytes: number;
  /** Which statistic `bytes` is: 'p95', 'mean' or 'max'. */
  statistic: string;
  maxBytes?: number;
  budgetBytes: number;
}

export interface RetryScenario {
  name: string;
  /** [seconds since the outage began, attempts per second]. */
  series: [number, number][];
}

export interface CapacityRow {
  slots: number;
  utilization: number;
  /** Seconds; undefined when the queue is unstable (grows without bound). */
  p99: number | undefined;
}

export interface CapacityCurve {
  rows: CapacityRow[];
  targetMs?: number;
  recommendedSlots?: number;
}

/** The config's default `histories.budget` ("50KB"), used when no finding names the budget. */
export const DEFAULT_HISTORY_BUDGET_BYTES = 50_000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * From the history report (`result.histories.workflowTypes[]`: `{ workflowType, executions,
 * historyBytes: { mean, p50, p95, max } }`). The report does not carry the budget; the
 * history-size-over-budget findings do (`data.budgetBytes`), else the config default applies.
 */
export function readHistorySizes(result: ReviewResult): HistorySizeRow[] | undefined {
  const histories = result.histories;
  if (!isObject(histories) || !Array.isArray(histories.workflowTypes)) return undefined;
  const budgetFromFindings = result.findings
    .filter((f) => f.checkId === 'history-size-over-budget')
    .map((f) => num(f.data?.budgetBytes))
    .find((b) => b !== undefined);
  const budgetBytes = budgetFromFindings ?? num(histories.budgetBytes) ?? DEFAULT_HISTORY_BUDGET_BYTES;
  const rows: HistorySizeRow[] = [];
  for (const value of histories.workflowTypes) {
    if (!isObject(value) || typeof value.workflowType !== 'string' || !isObject(value.historyBytes)) continue;
    const sizes = value.historyBytes;
    const p95 = num(sizes.p95);
    const mean = num(sizes.mean);
    const max = num(sizes.max);
    const [bytes, statistic] = p95 !== undefined ? [p95, 'p95'] : mean !== undefined ? [mean, 'mean'] : max !== undefined ? [max, 'max'] : [undefined, ''];
    if (bytes === undefined) continue;
    const executions = num(value.executions);
    rows.push({
      workflowType: value.workflowType,
      bytes,
      statistic,
      budgetBytes,
      ...(executions !== undefined ? { executions } : {}),
      ...(max !== undefined ? { maxBytes: max } : {}),
    });
  }
  return rows.length ? rows : undefined;
}

/** `extras.simulation = { scenarios: [{ name, series: [[t, attemptsPerSecond], ...] }] }`. */
export function readRetryScenarios(result: ReviewResult): RetryScenario[] | undefined {
  const simulation = result.extras?.simulation;
  if (!isObject(simulation) || !Array.isArray(simulation.scenarios)) return undefined;
  const scenarios: RetryScenario[] = [];
  for (const s of simulation.scenarios) {
    if (!isObject(s) || typeof s.name !== 'string' || !Array.isArray(s.series)) continue;
    const series = s.series.filter(
      (p): p is [number, number] => Array.isArray(p) && num(p[0]) !== undefined && num(p[1]) !== undefined,
    );
    if (series.length) scenarios.push({ name: s.name, series });
  }
  return scenarios.length ? scenarios : undefined;
}

/** `extras.capacity = { table: [{ slots, utilization, p99 }], targetMs?, slots? }` (p99 in seconds). */
export function readCapacityCurve(result: ReviewResult): CapacityCurve | undefined {
  const capacity = result.extras?.capacity;
  if (!isObject(capacity) || !Array.isArray(capacity.table)) return undefined;
  const rows: CapacityRow[] = [];
  for (const row of capacity.table) {
    if (!isObject(row)) continue;
    const slots = num(row.slots);
    const utilization = num(row.utilization);
    if (slots === undefined || utilization === undefined) continue;
    // JSON turns Infinity into null: both mean the queue grows without bound.
    rows.push({ slots, utilization, p99: num(row.p99) });
  }
  if (!rows.length) return undefined;
  rows.sort((a, b) => a.slots - b.slots);
  const targetMs = num(capacity.targetMs);
  const recommendedSlots = num(capacity.slots);
  return { rows, ...(targetMs !== undefined ? { targetMs } : {}), ...(recommendedSlots !== undefined ? { recommendedSlots } : {}) };
}
