// activity-long-loop-without-heartbeat on a loop bounded by an attempts counter that does not
// sleep (`for (let attempt = 0; attempt < maxAttempts; attempt++)`, a counted `while`, Python
// `for attempt in range(max_attempts)`): it turns at most that many times, a bound the code sets
// before the loop, and is long only if the bound is large or each turn is slow; not "only if it
// turns thousands of times" (readers on real code: a re-prompt loop around a model call).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const fixtures = path.resolve(import.meta.dirname, '..', '..', 'fixtures');
let ts: Finding[];
let py: Finding[];

beforeAll(async () => {
  ts = (await review({ dir: path.join(fixtures, 'long-loop-counted-attempts'), config: undefined })).findings.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat');
  py = (await review({ dir: path.join(fixtures, 'python-long-loop-counted-attempts'), config: undefined })).findings.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat');
});

const where = (f: Finding) => ({ severity: f.severity, file: f.file, line: f.line });

describe('activity-long-loop-without-heartbeat and a loop bounded by an attempts counter', () => {
  it('says the TypeScript loop turns at most its counted bound (for and while)', () => {
    expect(ts.map(where)).toEqual([
      { severity: 'info', file: 'src/activities.ts', line: 12 },
      { severity: 'info', file: 'src/activities.ts', line: 21 },
    ]);
    expect(ts[0]!.message).toContain('Nothing in the code says it runs long: it turns at most `maxAttempts` times, a bound the code sets before the loop starts, so it is long only if that bound is large or the calls in each turn are slow');
    expect(ts[1]!.message).toContain('it turns at most `tries` times, a bound the code sets before the loop starts');
    for (const finding of ts) expect(finding.message).not.toContain('thousands');
  });

  it('says the Python loop turns at most its range or counted bound, and keeps range(len(rows)) a walk over rows', () => {
    expect(py.map(where)).toEqual([
      { severity: 'info', file: 'app/activities.py', line: 10 },
      { severity: 'info', file: 'app/activities.py', line: 20 },
      { severity: 'info', file: 'app/activities.py', line: 30 },
    ]);
    expect(py[0]!.message).toContain('it turns at most `max_attempts` times, a bound the code sets before the loop starts');
    expect(py[1]!.message).toContain('it turns at most `tries` times, a bound the code sets before the loop starts');
    expect(py[2]!.message).toContain('it is long if `range(len(rows))` holds thousands of items, or only a few when each turn is slow');
  });
});
