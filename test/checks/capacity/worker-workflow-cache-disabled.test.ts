// worker-workflow-cache-disabled: a worker that keeps no workflow cache (maxCachedWorkflows: 0 /
// max_cached_workflows=0). The SDK facts: @temporalio/worker's WorkerOptions.maxCachedWorkflows
// ("If set to 0, sticky execution is disabled"), temporalio 1.35.0's Worker docstring ("If nonzero,
// workflows will be cached and sticky task queues will be used").
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const fixtures = path.resolve(import.meta.dirname, '..', '..', 'fixtures');
let typescript: Finding[];
let python: Finding[];

beforeAll(async () => {
  ({ findings: typescript } = await review({ dir: path.join(fixtures, 'workflow-cache-disabled') }));
  ({ findings: python } = await review({ dir: path.join(fixtures, 'python-workflow-cache') }));
}, 180_000);

const where = (findings: Finding[]) =>
  findings.filter((f) => f.checkId === 'worker-workflow-cache-disabled').map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('worker-workflow-cache-disabled', () => {
  test('TypeScript: a written 0 is a warning, a 0 from the environment a note, a sized cache nothing', () => {
    expect(where(typescript)).toEqual(['worker-workflow-cache-disabled warning src/worker.ts:8', 'worker-workflow-cache-disabled info src/worker.ts:14']);
    const [written, fromEnv] = typescript.filter((f) => f.checkId === 'worker-workflow-cache-disabled');
    expect(written!.message).toContain("The worker for task queue 'orders' sets maxCachedWorkflows: 0: it keeps no workflow in memory and polls no sticky task queue");
    expect(written!.message).toContain('fetches the workflow\'s whole history from the server and replays it from the first event');
    expect(fromEnv!.message).toContain('(the default of process.env.WORKFLOW_CACHE, used when it is not set)');
  });

  test('Python: a written 0 at its keyword, a pydantic settings default at the Worker call, 200 nothing', () => {
    expect(where(python)).toEqual(['worker-workflow-cache-disabled warning app/worker.py:13', 'worker-workflow-cache-disabled info app/worker.py:15']);
    const fromSettings = python.find((f) => f.checkId === 'worker-workflow-cache-disabled' && f.line === 15)!;
    // The task queue and the cache size both come from a BaseSettings instance: their defaults are read.
    expect(fromSettings.message).toContain("The worker for task queue 'reports' sets max_cached_workflows=0 (the default of settings.WORKFLOW_CACHE_SIZE, used when it is not set)");
    expect(fromSettings.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/config.py:6']);
    expect(fromSettings.fix).toContain('the SDK default is 1000');
  });
});
