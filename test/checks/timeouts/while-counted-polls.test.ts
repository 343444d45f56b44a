// A counted `while` that sleeps is bounded as a counted `for` is: `while (attempt < maxAttempts)`
// with `attempt++` in every turn turns at most maxAttempts times (info, with its bound), a count down
// (`while (remaining > 0)`) at most the counter's start, one to a literal at most that many
// (a short wait). A turn that can reset the counter, step it only under an `if`, or skip the step
// with `continue` leaves it unbounded (a warning). Python's `while attempt < max_attempts:` the same,
// and a `while page < MAX_PAGES` of awaits with no sleep is a capped loop (no finding), as in TypeScript.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const fixtures = path.resolve(import.meta.dirname, '..', '..', 'fixtures');
let ts: Finding[];
let py: Finding[];

beforeAll(async () => {
  ({ findings: ts } = await review({ dir: path.join(fixtures, 'while-counted-polls'), config: undefined }));
  ({ findings: py } = await review({ dir: path.join(fixtures, 'python-while-counted-polls'), config: undefined }));
});

const at = (f: Finding) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`;
const loops = (findings: Finding[]) => findings.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat');

describe('activity-long-loop-without-heartbeat on counted while loops', () => {
  test('TypeScript: counted up to a computed bound or down to 0 is info with its bound; a reset, a conditional step or a skipped step is a warning', () => {
    const found = loops(ts);
    expect(found.map(at)).toEqual([
      'activity-long-loop-without-heartbeat info src/activities.ts:15',
      'activity-long-loop-without-heartbeat info src/activities.ts:24',
      'activity-long-loop-without-heartbeat info src/activities.ts:33',
      'activity-long-loop-without-heartbeat warning src/activities.ts:42',
      'activity-long-loop-without-heartbeat warning src/activities.ts:52',
      'activity-long-loop-without-heartbeat warning src/activities.ts:61',
    ]);
    expect(found[0]!.message).toContain('it turns at most `input.maxAttempts` times, a bound the code sets before the loop starts, pausing 1s in each turn');
    expect(found[1]!.message).toContain('it turns at most `remaining` times');
    expect(found[2]!.message).toContain('for about 5s in all at most');
    for (const warning of found.slice(3)) expect(warning.message).toContain('no bound on its turns that the code states');
  });

  test('Python: the same loops read the same way; a counted while of awaits to a constant is no finding', () => {
    const found = loops(py);
    expect(found.map(at)).toEqual([
      'activity-long-loop-without-heartbeat info app/activities.py:18',
      'activity-long-loop-without-heartbeat info app/activities.py:27',
      'activity-long-loop-without-heartbeat info app/activities.py:36',
      'activity-long-loop-without-heartbeat warning app/activities.py:53',
      'activity-long-loop-without-heartbeat warning app/activities.py:64',
      'activity-long-loop-without-heartbeat warning app/activities.py:73',
    ]);
    expect(found[0]!.message).toContain('it turns at most `max_attempts` times, a bound the code sets before the loop starts, pausing 1s in each turn');
    expect(found[1]!.message).toContain('it turns at most `remaining` times');
    expect(found[2]!.message).toContain('for about 3s in all at most');
    for (const warning of found.slice(3)) expect(warning.message).toContain('until something outside changes');
  });
});
