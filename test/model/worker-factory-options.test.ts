// Workers a project's factory creates from an options parameter: one worker per call of the
// factory, its options read with that call's arguments (`createAppWorker({ taskQueue, workflowsPath,
// activities })`, and `createTemporalWorker(input)` that spreads `input` into a WorkerOptions const).

import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { review } from '../../src/review.js';
import { findingsOf, fixtureModel, where } from '../checks/determinism/review-fixture.js';
import { fixturesDir } from './model-fixtures.js';

const FIXTURE = 'worker-factory-options';
const model = () => fixtureModel(FIXTURE);
const rel = (file: string | null) => (file ? path.relative(path.join(fixturesDir, FIXTURE), file) : file);

beforeAll(() => {
  fixtureModel(FIXTURE);
});

describe('a worker factory whose options come from its parameter', () => {
  test('makes one worker per call, with that call\'s task queue, activities and workflow module', () => {
    expect(
      model().workers.map((w) => [w.id, w.taskQueue?.kind === 'string' ? w.taskQueue.value : w.taskQueue?.kind, w.activityNames, rel(w.workflowsPath), w.workflowsUnresolved]),
    ).toEqual([
      ['src/workers/app-worker.ts:12:10<src/billing-main.ts:6:24', 'billing', ['chargeCard', 'refundCard'], 'src/workflows/index.ts', false],
      ['src/workers/app-worker.ts:12:10<src/mail-main.ts:8:24', 'mail', ['sendReceipt'], 'src/workflows/index.ts', false],
      ['src/workers/create-worker.ts:22:10<src/control-main.ts:6:24', 'control', ['chargeCard', 'refundCard'], 'src/workflows/index.ts', false],
      // Called without includeWorkflows: an activity-only worker, whose workflowsPath is never spread in.
      ['src/workers/create-worker.ts:22:10<src/reports-main.ts:6:24', 'reports', ['buildReport'], null, false],
    ]);
    expect(model().workers.map((w) => w.factoryCall && `${rel(w.factoryCall.location.file)}:${w.factoryCall.location.line}`)).toEqual([
      'src/billing-main.ts:6',
      'src/mail-main.ts:8',
      'src/control-main.ts:6',
      'src/reports-main.ts:6',
    ]);
  });

  test('reads the concurrency each call spreads in', () => {
    const control = model().workers[2]!;
    expect(control.options.kind === 'object' && control.options.properties.get('maxConcurrentActivityTaskExecutions')).toMatchObject({ kind: 'number', value: 20 });
  });

  test('reports per-worker findings at the Worker.create of the factory, naming each worker\'s queue', () => {
    const findings = findingsOf(FIXTURE, ['worker-concurrency-implicit', 'worker-bundles-at-startup']);
    expect(where(findings)).toEqual([
      'worker-concurrency-implicit warning src/workers/app-worker.ts:12',
      'worker-concurrency-implicit warning src/workers/app-worker.ts:12',
      'worker-bundles-at-startup info src/workers/app-worker.ts:16',
      'worker-bundles-at-startup info src/workers/app-worker.ts:16',
      'worker-bundles-at-startup info src/workers/create-worker.ts:19',
      'worker-concurrency-implicit warning src/workers/create-worker.ts:22',
    ]);
    expect(findings.filter((f) => f.checkId === 'worker-concurrency-implicit').map((f) => f.message.split(' runs ')[0])).toEqual([
      "The worker for task queue 'billing'",
      "The worker for task queue 'mail'",
      "The worker for task queue 'reports'",
    ]);
  });

  test('knows the registered implementations, so an unthrown non-retryable type is a warning unless nothing is retried', () => {
    const findings = findingsOf(FIXTURE, ['activity-non-retryable-type-unknown']);
    expect(where(findings)).toEqual([
      'activity-non-retryable-type-unknown warning src/workflows/index.ts:7',
      'activity-non-retryable-type-unknown info src/workflows/index.ts:8',
    ]);
    expect(findings[1]!.message).toContain('allows a single attempt (maximumAttempts 1), so nothing is retried today');
  });

  test('leaves no note that the activities or the workflow module could not be read', async () => {
    const { diagnostics } = await review({ dir: path.join(fixturesDir, FIXTURE), config: undefined });
    expect(diagnostics.filter((d) => /could not be (read|located) statically/.test(d.message))).toEqual([]);
  });
});
