// activity-retry-repeats-side-effect on Python, SQLAlchemy Core inserts: `session.execute(insert(Model)
// .values(...))` committed before an awaited publish, the same through `engine.begin()` with the publish
// after the block, and an `insert(...).returning(...)` whose result the activity returns are info at the
// execute_activity call. Left alone: a Core insert committed as the last step, a statement with
// on_conflict_do_nothing (set on the variable after it was built, or in the execute call), rows with a
// deterministic id, an audit-log table, a returned rowcount, and `list.insert(...)`.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-retry-repeats-side-effect on Python: SQLAlchemy Core inserts', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-core-inserts'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-retry-repeats-side-effect');
  }, 120_000);

  it('reports the committed insert before a publish, the insert in a begin() block before a publish, and the returned insert', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 26 },
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 27 },
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 28 },
    ]);
    expect(findings[0]!.message).toContain('record_findings creates a Finding row with `session.execute(...)` at app/activities.py:15, then awaits `notifier.publish(...)` at app/activities.py:17');
    expect(findings[1]!.message).toContain('record_findings_then_publish creates a Finding row with `conn.execute(...)` at app/activities.py:24, then awaits `notifier.publish(...)` at app/activities.py:25');
    expect(findings[2]!.message).toContain('open_case creates a Case row with `session.execute(...)` at app/activities.py:31, as its last step, and hands the new row back to the workflow');
    expect(findings.some((f) => /record_findings_in_one_transaction|record_facts_ignoring_repeats|record_finding_with_id|record_audit|queue_titles|open_cases_counting|record_facts_inline_conflict/.test(f.message))).toBe(false);
  });
});
