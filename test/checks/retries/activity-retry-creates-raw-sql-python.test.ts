// activity-retry-repeats-side-effect on Python, raw SQL inserts through a project store class: an
// asyncpg `fetchrow("INSERT ... RETURNING *")` with a database-drawn id (`gen_random_uuid()`), in a
// method of the singleton a factory returns (`get_store()`), whose row the activity hands back is
// info as a returned last step; a loop of inserts inside `async with conn.transaction():` counts
// from the block's end (a later failing step repeats it; the next turn does not, the transaction
// rolls back). Left alone: an id from the input, a conflict clause, and the transactional loop
// that is the last step.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-retry-repeats-side-effect on Python: raw SQL inserts', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-creates-raw-sql'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-retry-repeats-side-effect');
  }, 120_000);

  it('reports the returned order and the lines before a failing step, as info', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 17 },
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 21 },
    ]);
    expect(findings[0]!.message).toContain('open_order creates a row in orders with `conn.fetchrow(...)` at app/store.py:12 (through app/activities.py:17), as its last step, and hands the new row back to the workflow');
    expect(findings[1]!.message).toContain('save_lines_and_notify creates a row in order_lines with `conn.execute(...)` at app/store.py:38 (through app/activities.py:44), then awaits `notify(...)` at app/activities.py:45: when that fails, the retry runs the activity from the top');
  });

  it('leaves keyed, conflict-handled and transactional last-step inserts alone', () => {
    expect(findings.some((f) => /open_order_with_id|open_order_once|save_lines creates/.test(f.message))).toBe(false);
  });
});
