// Code no running path reaches, and settings that change nothing, over test/fixtures/unrun-code:
// a Worker.create in a function nothing calls (legacy-worker.ts) and a start in a method only an
// interface declares (orders.ts) are notes with the reason; a worker whose workflowsPath names no
// file (scripts/old-worker.ts) cannot start: a diagnostic, and its process findings are notes;
// ignored poll options at or below the SDK's default poll count (min(10, slots), SDK 1.24.0
// worker-options.ts: 40 workflow slots, 100 activity slots by default) are info; a workflow
// whose whole body is in a try whose catch returns is no type that needs a failure alert.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Diagnostic, Finding } from '../../src/engine/types.js';
import { review } from '../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', 'fixtures', 'unrun-code');
let findings: Finding[];
let diagnostics: Diagnostic[];

beforeAll(async () => {
  ({ findings, diagnostics } = await review({ dir: root, config: undefined }));
}, 120_000);

const at = (checkId: string, file: string): string[] =>
  findings.filter((f) => f.checkId === checkId && f.file === file).map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('code nothing runs', () => {
  test('a worker created in a function nothing calls: info with the reason', () => {
    expect(at('worker-concurrency-implicit', 'src/legacy-worker.ts')).toEqual(['worker-concurrency-implicit info src/legacy-worker.ts:12']);
    const finding = findings.find((f) => f.checkId === 'worker-concurrency-implicit' && f.file === 'src/legacy-worker.ts')!;
    expect(finding.message).toContain('it is in createLegacyWorker, which nothing in the reviewed code calls or refers to');
    expect(findings.filter((f) => f.file === 'src/legacy-worker.ts' && f.severity !== 'info')).toEqual([]);
    // the metrics finding groups the workers that run, at the first of them
    const metrics = findings.filter((f) => f.checkId === 'worker-metrics-not-exported');
    expect(metrics.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['worker-metrics-not-exported warning src/jobs/standalone-worker.ts:9']);
    expect(metrics[0]!.message).not.toContain('orders-legacy');
  });

  test('a start in a method only an interface declares: info, the live start is untouched', () => {
    expect(at("workflow-start-without-search-attributes", "src/orders.ts").filter((f) => f.endsWith(":27"))).toEqual(["workflow-start-without-search-attributes info src/orders.ts:27"]);
    expect(findings.find((f) => f.checkId === 'workflow-start-without-search-attributes' && f.line === 27)!.message).toContain(
      'but it is code that never runs: it is in OrderService.startFollowUp, which nothing in the reviewed code calls',
    );
    // the live worker keeps its findings
    expect(at('worker-concurrency-implicit', 'src/worker.ts')).toEqual([]);
  });

  test('an export of a module no reviewed file imports may be loaded by file name: it stays a warning', () => {
    expect(at('worker-concurrency-implicit', 'src/jobs/standalone-worker.ts')).toEqual(['worker-concurrency-implicit warning src/jobs/standalone-worker.ts:9']);
  });

  test('a worker whose workflowsPath names nothing cannot start: a diagnostic, and notes only', () => {
    expect(diagnostics.some((d) => d.kind === 'note' && d.file === 'src/scripts/old-worker.ts' && /workflowsPath names src\/scripts\/workflows, where there is no file or folder/.test(d.message))).toBe(true);
    expect(at('worker-shutdown-not-drained', 'src/scripts/old-worker.ts')).toEqual(['worker-shutdown-not-drained info src/scripts/old-worker.ts:15']);
    expect(findings.filter((f) => f.file === 'src/scripts/old-worker.ts' && f.severity !== 'info')).toEqual([]);
  });
});

describe('worker-ignored-poller-options against the SDK default', () => {
  test('values at or below min(10, slots) are info; a value above it stays a warning', () => {
    expect(at('worker-ignored-poller-options', 'src/worker.ts')).toEqual([
      'worker-ignored-poller-options info src/worker.ts:26',
      'worker-ignored-poller-options warning src/worker.ts:27',
    ]);
    const info = findings.find((f) => f.checkId === 'worker-ignored-poller-options' && f.line === 26)!;
    expect(info.message).toContain('its value (4 or 8) is at or below the 10 pollers the SDK uses by default here (min(10, maxConcurrentActivityTaskExecutions))');
  });
});

describe('workflow-failure-alert-missing', () => {
  test('leaves out a workflow whose body cannot throw', () => {
    const alert = findings.filter((f) => f.checkId === 'workflow-failure-alert-missing');
    expect(alert.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['workflow-failure-alert-missing warning src/workflows.ts:6']);
    expect(alert[0]!.message).toContain('chargeOrder');
    expect(alert[0]!.message).not.toContain('notifyCustomer');
  });
});
