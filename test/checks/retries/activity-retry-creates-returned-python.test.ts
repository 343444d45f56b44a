// activity-retry-repeats-side-effect on Python, an insert as the last step whose row goes back to
// the workflow: a `session.add` inside `async with ..., session.begin():` (in the activity or in a
// method of a module-level instance it calls) whose row or id the activity returns is info at the
// execute_activity call. Left alone: the same add when nothing is returned, and an add whose commit
// catches IntegrityError.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-retry-repeats-side-effect on Python: returned inserts', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-creates-returned'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-retry-repeats-side-effect');
  }, 120_000);

  it('reports the snapshot taken through a module-level store and the ticket whose id is returned', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 15 },
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 16 },
    ]);
    expect(findings[0]!.message).toContain('take_snapshot creates a Snapshot row with `session.add(...)` at app/store.py:7 (through app/activities.py:15), as its last step, and hands the new row back to the workflow');
    expect(findings[1]!.message).toContain('open_ticket creates a Ticket row with `session.add(...)` at app/activities.py:24, as its last step, and hands the new row back to the workflow');
    expect(findings.some((f) => /open_ticket_quietly|open_ticket_once/.test(f.message))).toBe(false);
  });
});
