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
  test('a worker whose activities are all sync is bounded by the executor: the mismatch is the finding, not 100 activities at once', () => {
    const small = findings.find((f) => f.file === 'app/worker.py' && f.line === 12);
    expect(small?.message).toContain(
      'Its activities are all sync (def) and run on activity_executor=ThreadPoolExecutor(max_workers=10), so at most 10 run at once, while the worker accepts up to 100 activity tasks: the others wait in the executor\'s queue',
    );
    expect(small?.message).not.toContain('100 concurrent activities can exhaust memory');
    expect(small?.fix).toContain("Set max_concurrent_activities to the executor's max_workers (10)");
  });

  test('an executor bound by `with ThreadPoolExecutor(max_workers=20) as activity_executor:` is read through the name', () => {
    const pooled = findings.find((f) => f.file === 'app/pooled_worker.py' && f.line === 14);
    expect(pooled?.message).toContain('Its activities are all sync (def) and run on activity_executor=ThreadPoolExecutor(max_workers=20), so at most 20 run at once');
  });

  test('a worker with async activities too keeps the slot warning and names the sync ones', () => {
    const mixed = findings.find((f) => f.file === 'app/worker.py' && f.line === 14);
    expect(mixed?.message).toContain('100 concurrent activities can exhaust memory');
    expect(mixed?.message).toContain('Its sync (def) activities (render) run on activity_executor=ThreadPoolExecutor(max_workers=10): only 10 run at once, while the worker accepts up to 100 activity tasks');
  });

  test('an executor with enough threads adds nothing', () => {
    const large = findings.find((f) => f.file === 'app/worker.py' && f.line === 13);
    expect(large).toBeDefined();
    expect(large?.message).not.toContain('ThreadPoolExecutor');
  });
});

describe('worker-shutdown-grace-missing on sync activities (Python)', () => {
  test('the cancellation a shutdown would deliver is the SDK raising CancelledError in the thread, not code of the activity', async () => {
    const grace = (await review({ dir: root })).findings.find((f) => f.checkId === 'worker-shutdown-grace-missing' && f.file === 'app/pooled_worker.py');
    expect(grace?.line).toBe(14);
    expect(grace?.message).toContain(
      "with its activities in flight: nothing cancels render, which a worker shutdown would (the SDK raises CancelledError in a sync activity's thread), so its attempt stops mid-way wherever the process is killed.",
    );
  });
});
