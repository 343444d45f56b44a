// A drill scenario: which workflows to start, with what arguments and how many. One file feeds
// the restart, outage and load drills:
//
//   - workflowType: processOrder
//     count: 20
//     args: [{ orderId: "drill-{index}", customerId: "cust-1" }]
//
// `{index}` in any string of `args` becomes the start's number within its entry (0-based), so
// each execution gets its own business key. `delay` holds an entry's first start back and
// `interval` spaces its starts (durations such as "500ms" or milliseconds); entries run side by side.

import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../engine/duration.js';
import { UsageError } from '../engine/errors.js';
import { CONFIG_FILE_MAX_BYTES, readBoundedFile } from '../engine/bounded-file.js';

/**
 * Bounds that keep a drill a drill: every start is held in memory and run against a throwaway
 * server, so `count: 1e9` used to run the process out of memory with the server left behind.
 */
export const MAX_DRILL_STARTS = 100_000;
const MAX_OFFSET_MS = 7 * 86_400_000;

const duration = z
  .union([z.string(), z.number()])
  .refine((v) => (parseDuration(v) ?? -1) >= 0, { message: "expected a duration such as '500ms' or '2s', or milliseconds" })
  .transform((v) => parseDuration(v)!)
  .refine((ms) => ms <= MAX_OFFSET_MS, { message: 'at most 7 days' });

const entrySchema = z
  .object({
    workflowType: z.string().min(1),
    args: z.array(z.unknown()).default([]),
    count: z.number().int().positive().max(MAX_DRILL_STARTS, { message: `at most ${MAX_DRILL_STARTS.toLocaleString('en-US')} starts per drill` }).default(1),
    taskQueue: z.string().min(1).optional(),
    delay: duration.default(0),
    interval: duration.default(0),
  })
  .strict();

const scenarioSchema = z
  .array(entrySchema)
  .min(1, { message: 'expected at least one entry' })
  .refine((entries) => entries.reduce((sum, e) => sum + e.count, 0) <= MAX_DRILL_STARTS, {
    message: `the counts add up to more than ${MAX_DRILL_STARTS.toLocaleString('en-US')} starts per drill`,
  });

export type ScenarioEntry = z.output<typeof entrySchema>;
export type ScenarioEntryInput = z.input<typeof entrySchema>;

/** One workflow start of a scenario. */
export interface ScenarioStart {
  /** Stable across drill phases: `<workflowType>-<entry>-<index>`. */
  key: string;
  workflowType: string;
  args: unknown[];
  taskQueue?: string;
  /** When to start it, in milliseconds after the drill starts its workflows. */
  offsetMs: number;
}

export function loadScenario(file: string): ScenarioEntry[] {
  const read = readBoundedFile(file, CONFIG_FILE_MAX_BYTES);
  if (!read.ok) throw new UsageError(`${file}: cannot read the scenario (${read.reason})`);
  const text = read.text;
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'} (${String(error instanceof Error ? error.message : error).split('\n')[0]})`);
  }
  return parseScenario(raw, path.basename(file));
}

export function parseScenario(raw: unknown, label: string): ScenarioEntry[] {
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? ` at ${issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '')}` : '';
    throw new UsageError(`${label}: invalid scenario${where}: ${issue.message}`);
  }
  return parsed.data;
}

/** Every start of the scenario, in file order. */
export function expandScenario(entries: ScenarioEntry[]): ScenarioStart[] {
  const starts: ScenarioStart[] = [];
  entries.forEach((entry, entryIndex) => {
    for (let index = 0; index < entry.count; index++) {
      starts.push({
        key: `${entry.workflowType}-${entryIndex}-${index}`,
        workflowType: entry.workflowType,
        args: substituteIndex(entry.args, index) as unknown[],
        offsetMs: entry.delay + index * entry.interval,
        ...(entry.taskQueue ? { taskQueue: entry.taskQueue } : {}),
      });
    }
  });
  return starts.sort((a, b) => a.offsetMs - b.offsetMs);
}

function substituteIndex(value: unknown, index: number): unknown {
  if (typeof value === 'string') return value.split('{index}').join(String(index));
  if (Array.isArray(value)) return value.map((item) => substituteIndex(item, index));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteIndex(item, index)]));
  }
  return value;
}
