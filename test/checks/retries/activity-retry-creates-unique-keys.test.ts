// activity-retry-repeats-side-effect and the unique keys a project declares (read from its SQL
// migrations, Prisma schemas and SQLAlchemy models, never run): an insert that sets every column
// of a unique key does not duplicate on a retry, it fails on the key, and the finding says so; a
// table whose declared key the insert may not set (a column that may be null) names the key in its
// note instead of "a constraint this review cannot see" (an index part `coalesce(team, '')` has a
// value whatever the insert sets); a table with only a generated id, or not
// declared anywhere, keeps that note. Not named: a key dropped by a later migration, a key with a
// column the database fills anew (a serial id in `PRIMARY KEY (id, created_at)`), and a key in a
// folder of set-aside migrations (`migrations_backup`).
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-repeats-side-effect.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-repeats-side-effect: declared unique keys', () => {
  const review = fixtureReview('activity-retry-creates-unique-keys');
  const findings = review.run(check);
  const of = (activity: string) => findings.filter((f) => f.message.includes(`. ${activity} creates`));

  it('reports the five last-step inserts at the retrying proxy, as info', () => {
    expect(where(findings)).toEqual(Array(5).fill('activity-retry-repeats-side-effect info src/workflows.ts:4'));
  });

  it('says the retry fails on a declared unique key the insert sets, not that it duplicates', () => {
    const [ticket] = of('openTicket');
    expect(ticket!.message).toContain(
      'openTicket creates a row in tickets with `db.query(...)` at src/activities.ts:9, as its last step. The table has a unique key on (board_id, title) at db/migrations/001_init.sql:7, and the insert sets it:',
    );
    expect(ticket!.message).toContain("the retry's insert fails on that key instead of adding a second row, and unless that error is handled every retry fails the same way");
    expect(ticket!.message).toContain('Info: the retry does not duplicate the row; once it is stored, no retry of this activity can succeed.');
    expect(ticket!.message).not.toContain('cannot see');
    expect(ticket!.message).not.toContain('inserts a second row');
    expect(ticket!.fix).toContain('INSERT ... ON CONFLICT (board_id, title) DO NOTHING');
    expect((ticket!.data as { sideEffect: { uniqueKey: string[] } }).sideEffect.uniqueKey).toEqual(['board_id', 'title']);
  });

  it('reads an index on coalesce(column, ...) as set whatever the insert sets', () => {
    const [sprint] = of('startSprint');
    expect(sprint!.message).toContain("The table has a unique key on (board_id, coalesce(team, ''), name) at db/migrations/002_labels_per_group.sql:16, and the insert sets it:");
    expect(sprint!.fix).toContain('Let the insert meet its own row on that key: `INSERT ... ON CONFLICT DO NOTHING` (SQL)');
    expect(sprint!.fix).not.toContain('onConflict:');
  });

  it('names a declared key the insert may not set, and not a key a later migration dropped', () => {
    const [label] = of('addLabel');
    expect(label!.message).toContain('the retry inserts a second row');
    expect(label!.message).toContain(
      'Info: the table declares a unique key on (board_id, group_id, name) at db/migrations/002_labels_per_group.sql:3: if the insert sets it to the same values on the retry, the retry fails on that key instead of duplicating',
    );
    expect(label!.message).not.toContain('(board_id, name)');
    expect(label!.message).not.toContain('cannot see');
  });

  it('keeps the note for a table whose keys hold a generated column and for a table declared only in set-aside migrations', () => {
    for (const activity of ['addComment', 'recordEvent']) {
      const [create] = of(activity);
      expect(create!.message).toContain('the retry inserts a second row');
      expect(create!.message).toContain('Info: a unique constraint this review cannot see may refuse the repeat');
    }
  });
});
