// Bounded work is no evidence of a long run. activity-long-loop-without-heartbeat: a counted loop
// that sleeps (`for (let i = 0; i < rounds; i++)`, `for _ in range(rounds)`) states its bound even
// when the bound is computed, so it is info with its turns and pause; a bound that is no bound
// (Infinity, itertools.count()), one the loop grows, or a huge constant stays a warning.
// activity-heartbeat-timeout-missing: one short constant sleep in a stub is no reason; a long or
// computed one is.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const fixtures = path.resolve(import.meta.dirname, '..', '..', 'fixtures');
let ts: Finding[];
let py: Finding[];

beforeAll(async () => {
  ({ findings: ts } = await review({ dir: path.join(fixtures, 'heartbeat-bounded-work'), config: undefined }));
  ({ findings: py } = await review({ dir: path.join(fixtures, 'python-heartbeat-bounded-work'), config: undefined }));
});

const at = (f: Finding) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`;

describe('activity-long-loop-without-heartbeat on counted polls', () => {
  test('TypeScript: a computed bound is info; Infinity, a bound the loop grows and a huge constant are warnings', () => {
    const loops = ts.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat');
    expect(loops.map(at)).toEqual([
      'activity-long-loop-without-heartbeat info src/activities.ts:14',
      'activity-long-loop-without-heartbeat warning src/activities.ts:21',
      'activity-long-loop-without-heartbeat warning src/activities.ts:29',
      'activity-long-loop-without-heartbeat warning src/activities.ts:37',
    ]);
    expect(loops[0]!.message).toContain('it turns at most `rounds` times, a bound the code sets before the loop starts, pausing 1s in each turn (it takes 600 turns of that pause alone to fill startToCloseTimeout, 10m)');
    expect(loops[0]!.message).not.toContain('no bound on its turns');
    expect(loops[1]!.message).toContain('no bound on its turns that the code states');
    expect(loops[2]!.message).toContain('no bound on its turns that the code states');
    expect(loops[3]!.message).toContain('for up to 1667 minutes');
  });

  test('Python: range of a computed bound is info; itertools.count() and a huge range are warnings', () => {
    const loops = py.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat');
    expect(loops.map(at)).toEqual([
      'activity-long-loop-without-heartbeat info app/activities.py:17',
      'activity-long-loop-without-heartbeat warning app/activities.py:24',
      'activity-long-loop-without-heartbeat warning app/activities.py:31',
    ]);
    expect(loops[0]!.message).toContain('it turns at most `rounds` times, a bound the code sets before the loop starts, pausing 1s in each turn');
    expect(loops[1]!.message).toContain('no bound on its turns (itertools.count())');
  });
});

describe('activity-heartbeat-timeout-missing and a single short sleep', () => {
  test('a 100 ms pause, direct or through a sleep helper, is no reason; a 45 s or computed sleep is', () => {
    const missing = ts.filter((f) => f.checkId === 'activity-heartbeat-timeout-missing');
    expect(missing.map(at)).toEqual(['activity-heartbeat-timeout-missing warning src/workflows.ts:7', 'activity-heartbeat-timeout-missing warning src/workflows.ts:8']);
    expect(missing[0]!.message).toContain('settleLong sleeps (wait(45_000))');
    expect(missing[1]!.message).toContain('settleComputed sleeps');
    expect(ts.some((f) => /heartbeat/.test(f.checkId) && f.line === 6 && f.file === 'src/workflows.ts')).toBe(false);
  });
});
