// activity-retry-repeats-side-effect on Python and the unique keys a project declares: an asyncpg
// insert whose SQL sets the column of a Prisma `@unique` (the schema of another app of the same
// project) fails on it on a retry, and the finding says so (a column set to `gen_random_uuid()` or
// `NOW()` is new on every run and is no key); a SQLAlchemy model with `unique=True` on a column,
// inserted through `session.add`, has its key named in the note; a model with only an Integer id
// keeps "a unique constraint this review cannot see".
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-retry-repeats-side-effect on Python: declared unique keys', () => {
  let findings: Finding[];
  const of = (activity: string) => findings.filter((f) => f.message.includes(`. ${activity} creates`));
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-creates-unique-keys'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-retry-repeats-side-effect');
  }, 120_000);

  it('reports the three returned inserts, as info', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 17 },
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 18 },
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 19 },
    ]);
  });

  it('says the retry fails on the Prisma unique key the SQL sets', () => {
    const [campaign] = of('open_campaign');
    expect(campaign!.message).toContain(
      'open_campaign creates a row in Campaign with `conn.fetchrow(...)` at app/store.py:6 (through app/activities.py:10), as its last step. The table has a unique key on (workflowId) at web/prisma/schema.prisma:4, and the insert sets it:',
    );
    expect(campaign!.message).toContain('Info: the retry does not duplicate the row; once it is stored, no retry of this activity can succeed.');
    expect(campaign!.message).not.toContain('inserts a second row');
    expect(campaign!.message).not.toContain('cannot see');
  });

  it('names the SQLAlchemy unique column when the inserted columns are not read', () => {
    const [member] = of('join_team');
    expect(member!.message).toContain('Info: the table declares a unique key on (email) at app/models.py:11: if the insert sets it to the same value on the retry, the retry fails on that key instead of duplicating');
    const [visit] = of('record_visit');
    expect(visit!.message).toContain('Info: a unique constraint this review cannot see may refuse the repeat');
  });
});
