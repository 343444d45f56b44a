// The four history checks on generated histories: each flags what crosses its threshold, with the
// exact check id, file (when one file is concerned), severity and data, and stays silent below it.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type PreflightConfig } from '../../src/engine/config.js';
import type { Finding } from '../../src/engine/types.js';
import { review } from '../../src/review.js';
import { buildHistory, METADATA_BYTES, writeHistory, type HistorySpec } from './history-builder.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const tmp = scratchFolderForSuite('history-checks');
let counter = 0;

async function findingsFor(histories: Record<string, HistorySpec>, config: Partial<PreflightConfig> = {}): Promise<Finding[]> {
  const dir = path.join(tmp, `case-${counter++}`);
  for (const [name, spec] of Object.entries(histories)) writeHistory(dir, name, buildHistory(spec));
  const result = await review({ dir, skipCode: true, histories: [dir], config: { ...defaultConfig(), ...config } });
  return result.findings;
}

const KiB = 1024;
const MiB = 1024 * 1024;
const only = (findings: Finding[], checkId: string) => findings.filter((f) => f.checkId === checkId);

describe('history-size-over-budget', () => {
  it('flags the one execution over the 50 KB budget, naming its file', async () => {
    const findings = await findingsFor({
      'small.json': { workflowType: 'orderWorkflow', activities: [{ type: 'loadOrder', resultBytes: 2 * KiB }] },
      'big.json': { workflowType: 'orderWorkflow', activities: [{ type: 'loadOrder', resultBytes: 60 * KiB }] },
    });
    const [finding, ...rest] = only(findings, 'history-size-over-budget');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ checkId: 'history-size-over-budget', area: 'payloads', severity: 'warning', evidence: 'history', file: 'big.json' });
    expect(finding!.line).toBeUndefined();
    expect(finding!.message).toMatch(/^1 of 2 executions of workflow orderWorkflow is over the history budget of 50KB per execution \(p50 .*, max 6\d\.\d KiB in big\.json\); most payload bytes come from activity loadOrder result/);
    expect(finding!.data).toMatchObject({ workflowType: 'orderWorkflow', executions: 2, affected: 1, budgetBytes: 50_000, thresholdBytes: 50_000, largestFile: 'big.json' });
  });

  it('reports a type-wide finding without a file when several executions are over, and honours histories.budget', async () => {
    const specs = {
      'a.json': { workflowType: 'reportWorkflow', activities: [{ type: 'render', resultBytes: 30 * KiB }] },
      'b.json': { workflowType: 'reportWorkflow', activities: [{ type: 'render', resultBytes: 40 * KiB }] },
    };
    expect(only(await findingsFor(specs), 'history-size-over-budget')).toEqual([]);
    const [finding] = only(await findingsFor(specs, { histories: { budget: '20KB' } }), 'history-size-over-budget');
    expect(finding!.file).toBeUndefined();
    expect(finding!.message).toMatch(/^All 2 executions of workflow reportWorkflow are over the history budget of 20KB per execution/);
  });

  it('warns at 4 MiB, where Temporal suggests continue-as-new', async () => {
    const [finding] = only(
      await findingsFor({ 'long.json': { workflowType: 'batchWorkflow', activities: [1, 2, 3].map(() => ({ type: 'fetchPage', resultBytes: 1.5 * MiB })) } }),
      'history-size-over-budget',
    );
    expect(finding).toMatchObject({ severity: 'warning', file: 'long.json', data: { thresholdBytes: 4 * MiB } });
    expect(finding!.message).toContain('is over 4 MiB, where Temporal suggests continue-as-new');
  });
});

describe('history-payload-over-limit', () => {
  it('warns at 512 KiB and names the activity, direction, encoding and event', async () => {
    const findings = await findingsFor({ 'o.json': { workflowType: 'orderWorkflow', activities: [{ type: 'loadOrderLines', resultBytes: 600 * KiB }] } });
    const [finding, ...rest] = only(findings, 'history-payload-over-limit');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'warning', file: 'o.json', area: 'payloads' });
    expect(finding!.message).toMatch(/^Workflow orderWorkflow has a payload of 512 KiB or more from activity loadOrderLines result \(largest 600 KiB, json\/plain, event 7 in o\.json\)/);
    expect(finding!.data).toEqual({
      workflowType: 'orderWorkflow',
      origin: { site: 'activity', direction: 'result', name: 'loadOrderLines' },
      label: 'activity loadOrderLines result',
      largestBytes: 600 * KiB + METADATA_BYTES,
      encoding: 'json/plain',
      eventId: 7,
      largestFile: 'o.json',
      payloads: 1,
      files: 1,
    });
  });

  it('is an error over 2 MiB, one finding per origin across files', async () => {
    const findings = await findingsFor({
      'a.json': { workflowType: 'importWorkflow', inputBytes: 2.5 * MiB },
      'b.json': { workflowType: 'importWorkflow', inputBytes: 700 * KiB },
    });
    const [finding, ...rest] = only(findings, 'history-payload-over-limit');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'error', data: { label: 'workflow input', payloads: 2, files: 2, largestFile: 'a.json' } });
    expect(finding!.file).toBeUndefined();
  });

  it('stays silent below 512 KiB', async () => {
    expect(only(await findingsFor({ 'o.json': { workflowType: 'w', activities: [{ type: 'a', resultBytes: 500 * KiB }] } }), 'history-payload-over-limit')).toEqual([]);
  });
});

describe('history-event-count-high', () => {
  it('is info past 4,096 events and a warning past 10,240', async () => {
    const info = only(await findingsFor({ 'loop.json': { workflowType: 'pollWorkflow', timers: 2100 } }), 'history-event-count-high');
    expect(info).toMatchObject([{ severity: 'info', file: 'loop.json', data: { thresholdEvents: 4096, maxEvents: 4205 } }]);
    const warning = only(await findingsFor({ 'loop.json': { workflowType: 'pollWorkflow', timers: 5200 } }), 'history-event-count-high');
    expect(warning).toMatchObject([{ severity: 'warning', file: 'loop.json', data: { thresholdEvents: 10_240, maxEvents: 10_405 } }]);
    expect(warning[0]!.message).toMatch(/^The only execution of workflow pollWorkflow is over 10,240 events/);
  });

  it('stays silent under 4,096 events', async () => {
    expect(only(await findingsFor({ 'short.json': { workflowType: 'pollWorkflow', timers: 2000 } }), 'history-event-count-high')).toEqual([]);
  });
});

describe('history-schedule-to-start-high', () => {
  const slow = { workflowType: 'orderWorkflow', activities: [20, 40, 900].map((ms) => ({ type: 'chargeCard', taskQueue: 'payments', scheduleToStartMs: ms })) };

  it('flags an activity type and task queue whose p99 is over the 500 ms target', async () => {
    const findings = only(await findingsFor({ 'o.json': slow }), 'history-schedule-to-start-high');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ area: 'capacity', severity: 'warning', evidence: 'history' });
    expect(findings[0]!.file).toBeUndefined();
    expect(findings[0]!.data).toEqual({ activityType: 'chargeCard', taskQueue: 'payments', samples: 3, p50: 40, p95: 900, p99: 900, max: 900, targetMs: 500 });
    expect(findings[0]!.message).toMatch(/^Activity chargeCard on task queue payments waited 900ms at p99/);
  });

  it('follows targets.scheduleToStartP99 and ignores retried attempts', async () => {
    expect(only(await findingsFor({ 'o.json': slow }, { targets: { scheduleToStartP99: '1s', headroom: 2 } }), 'history-schedule-to-start-high')).toEqual([]);
    const retried = { workflowType: 'w', activities: [{ type: 'a', scheduleToStartMs: 5000, attempt: 3 }] };
    expect(only(await findingsFor({ 'r.json': retried }), 'history-schedule-to-start-high')).toEqual([]);
  });
});
