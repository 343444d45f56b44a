// Every metric name the generated rules and dashboard use must exist in what a real worker
// exports: runs a worker (its own process per exporter variant, since Runtime.install runs once
// per process) against the Temporal dev server and reads /metrics.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_EXPORT_OPTIONS,
  FAILURE_REASON_NON_DETERMINISM,
  POLLER_TYPES,
  SDK_METRICS,
  WORKER_TYPES,
  exportedName,
  type MetricExportOptions,
  type SdkMetricKey,
} from '../../src/generate/metric-names.js';
import { freeLoopbackPort, startDevServer, type DevServer } from '../helpers/dev-server.js';

const run = promisify(execFile);
const script = path.resolve(import.meta.dirname, '../fixtures/capacity-metrics-app/scrape-metrics.mjs');

interface Series {
  name: string;
  labels: Record<string, string>;
}

function parseScrape(text: string): Series[] {
  const series: Series[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    series.push({ name: match[1]!, labels });
  }
  return series;
}

async function scrape(address: string, options: Partial<MetricExportOptions>): Promise<Series[]> {
  const { stdout } = await run(process.execPath, [script, address, JSON.stringify(options), String(await freeLoopbackPort())], {
    maxBuffer: 32 * 1024 * 1024,
    timeout: 90_000,
  });
  return parseScrape(stdout);
}

const VARIANTS: { title: string; options: MetricExportOptions; bucketBound: string }[] = [
  { title: 'default exporter options', options: DEFAULT_EXPORT_OPTIONS, bucketBound: '500' },
  {
    title: 'countersTotalSuffix and unitSuffix',
    options: { countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: false },
    bucketBound: '500',
  },
  {
    title: 'unitSuffix and useSecondsForDurations',
    options: { countersTotalSuffix: false, unitSuffix: true, useSecondsForDurations: true },
    bucketBound: '0.5',
  },
];

describe('metric names against a real worker', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const variant of VARIANTS) {
    it(`exports every name the generators use, with their labels, under ${variant.title}`, async () => {
      const series = await scrape(server.address, variant.options);
      const byName = new Map<string, Series[]>();
      for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);

      for (const key of Object.keys(SDK_METRICS) as SdkMetricKey[]) {
        const metric = SDK_METRICS[key];
        const names = metric.kind === 'histogram'
          ? (['bucket', 'count', 'sum'] as const).map((part) => exportedName(key, variant.options, part))
          : [exportedName(key, variant.options)];
        for (const name of names) {
          expect(byName.has(name), `${name} in /metrics`).toBe(true);
          const labels = Object.keys(byName.get(name)![0]!.labels).filter((l) => l !== 'service_name' && l !== 'le').sort();
          expect(labels, `labels of ${name}`).toEqual([...metric.labels].sort());
        }
      }

      const nonDeterminism = byName.get(exportedName('workflowTaskExecutionFailed', variant.options)) ?? [];
      expect(nonDeterminism.map((s) => s.labels.failure_reason)).toContain(FAILURE_REASON_NON_DETERMINISM);
      const workerTypes = new Set(byName.get(exportedName('workerTaskSlotsAvailable', variant.options))!.map((s) => s.labels.worker_type));
      expect([...workerTypes].sort()).toEqual(Object.values(WORKER_TYPES).sort());
      const pollerTypes = new Set(byName.get(exportedName('numPollers', variant.options))!.map((s) => s.labels.poller_type));
      for (const pollerType of POLLER_TYPES) expect(pollerTypes.has(pollerType), `poller_type ${pollerType}`).toBe(true);
      // The unit of duration thresholds: a 500 ms bound is "500" in milliseconds, "0.5" in seconds.
      const buckets = byName.get(exportedName('activityScheduleToStartLatency', variant.options, 'bucket'))!;
      expect(buckets.map((s) => s.labels.le)).toContain(variant.bucketBound);
      // A counter without the suffix must not also appear with it (and the reverse).
      const other = variant.options.countersTotalSuffix ? 'temporal_workflow_failed' : 'temporal_workflow_failed_total';
      expect(byName.has(other)).toBe(false);
    }, 120_000);
  }
});
