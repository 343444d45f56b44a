// The capacity checks that size and judge Python Worker(...) options (fixture python-capacity-peak):
// the declared peak against max_concurrent_activities, a task queue read from os.environ with a
// default, a poll count that replaces a poller behavior, and slot options beside a tuner.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding, ReviewInventory } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-capacity-peak');
let findings: Finding[];
let inventory: ReviewInventory | undefined;

beforeAll(async () => {
  ({ findings, inventory } = await review({ dir: root }));
});

const of = (id: string) => findings.filter((f) => f.checkId === id);
const where = (list: Finding[]) => list.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('worker-capacity-below-peak on a Python worker', () => {
  test('20 activity slots against charge 20/s x 2s: a warning at max_concurrent_activities, and the loop that cannot be counted as info', () => {
    expect(where(of('worker-capacity-below-peak'))).toEqual([
      'worker-capacity-below-peak warning app/worker.py:16',
      'worker-capacity-below-peak info app/workflows.py:15',
    ]);
    const [warning, loop] = of('worker-capacity-below-peak');
    expect(warning!.message).toContain(
      `Task queue 'checkout' (the default of os.environ.get("TASK_QUEUE"), configurable at deploy time) has 20 activity slots (one worker, one process assumed), but the declared peak (charge 20/s x 2s) needs 92`,
    );
    expect(warning!.fix).toContain('Raise max_concurrent_activities to 92 if one process can run that many');
    expect(warning!.fix).toContain('one process per Worker(...)');
    expect(loop!.message).toBe("Cannot size task queue 'checkout' completely: Checkout calls notify in a loop or a repeated callback, so its arrival rate is unknown.");
  });

  test('the local activity slots come from int(os.getenv("AUDIT_SLOTS", "8")): 8 are enough for audit 20/s x 50ms', () => {
    expect(of('worker-capacity-below-peak').some((f) => f.data?.slotKind === 'local-activity')).toBe(false);
  });

  test('the task queue from os.environ.get("TASK_QUEUE", "checkout") is counted under its default', () => {
    expect(inventory?.taskQueues).toBe(2);
  });
});

describe('worker-ignored-poller-options on a Python worker', () => {
  test('a poll count beside a poller behavior replaces it (warning); a slot option beside tuner= stops the worker (error); a 0 poll count changes nothing', () => {
    expect(where(of('worker-ignored-poller-options'))).toEqual([
      'worker-ignored-poller-options warning app/worker.py:20',
      'worker-ignored-poller-options error app/worker.py:32',
    ]);
    const [override, tuner] = of('worker-ignored-poller-options');
    expect(override!.message).toBe(
      "The worker for task queue 'checkout' sets both max_concurrent_activity_task_polls=4 and activity_task_poller_behavior; the SDK uses the first and replaces the behavior with PollerBehaviorSimpleMaximum(maximum=4), " +
        'so activity_task_poller_behavior=PollerBehaviorAutoscaling(maximum=50) (line 19) never takes effect.',
    );
    expect(tuner!.message).toContain("The worker for task queue 'tuned' sets max_concurrent_activities next to tuner=: the SDK raises ValueError");
  });
});
