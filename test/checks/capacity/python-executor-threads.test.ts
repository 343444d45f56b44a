// worker-concurrency-implicit on a Python worker whose sync activities run on
// `activity_executor=ThreadPoolExecutor(max_workers=N)` with N a literal below the default 100
// activity slots: tasks accepted beyond N wait for a thread while their start_to_close_timeout
// runs (temporalio 1.35.0 worker/_worker.py: max_workers should be at least
// max_concurrent_activities). An executor with enough threads adds nothing.
// Over test/fixtures/python-executor-threads.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-executor-threads');
let findings: Finding[];

beforeAll(async () => {
  findings = (await review({ dir: root })).findings.filter((f) => f.checkId === 'worker-concurrency-implicit');
});

describe('worker-concurrency-implicit: a thread pool smaller than the activity slots (Python)', () => {
  test('the small executor is named, the large one is not', () => {
    const small = findings.find((f) => f.file === 'app/worker.py' && f.line === 12);
    const large = findings.find((f) => f.file === 'app/worker.py' && f.line === 13);
    expect(small?.message).toContain('Its sync (def) activities (render) run on activity_executor=ThreadPoolExecutor(max_workers=10): only 10 run at once, while the worker accepts up to 100 activity tasks');
    expect(large).toBeDefined();
    expect(large?.message).not.toContain('ThreadPoolExecutor');
  });
});
