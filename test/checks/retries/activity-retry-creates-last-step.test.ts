// activity-retry-repeats-side-effect, creates that are the activity's last step: still info when
// the insert hands its new row back to the workflow (a retry after the commit leaves the first row
// behind), or stores the answer of an outside call made just before it (a timed-out attempt keeps
// running and inserts while its retry inserts too), or takes its id from the input (a retry after
// the commit fails on it). Left alone: a conflict clause, a row not handed back, a transaction, an outside call that observes the
// cancellation, a cache or database read before the insert, and a single-attempt proxy.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-repeats-side-effect.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-repeats-side-effect: last-step creates', () => {
  const review = fixtureReview('activity-retry-creates-last-step');
  const findings = review.run(check);
  const of = (activity: string) => findings.filter((f) => f.message.includes(`. ${activity} creates`));

  it('reports the five last-step inserts at the retrying proxy, as info', () => {
    expect(where(findings)).toEqual(Array(5).fill('activity-retry-repeats-side-effect info src/workflows.ts:4'));
    expect(findings.map((f) => (f.data as { activityTypes: string[] }).activityTypes[0]).sort()).toEqual(['createNote', 'createNoteWithId', 'createRun', 'fetchAndStore', 'summarize']);
    expect(of('createNoteWithId')[0]!.message).toContain('as its last step, with its primary key from the input (`id: id`)');
  });

  it('names an insert whose new row goes back to the workflow', () => {
    const [run] = of('createRun');
    expect(run!.message).toContain('createRun creates a row in runs with `db.query(...)` at src/activities.ts:13, as its last step, and hands the new row back to the workflow:');
    expect(run!.message).toContain('the retry inserts a second row and the workflow goes on with that one');
    expect((run!.data as { sideEffect: { lastStep: string } }).sideEffect.lastStep).toBe('returned');
    expect(of('createNote')[0]!.message).toContain('createNote creates a note row with `db.note.create(...)` at src/activities.ts:18, as its last step, and hands the new row back');
  });

  it('names an insert that stores the answer of an outside call', () => {
    const [stored] = of('fetchAndStore');
    expect(stored!.message).toContain(
      'fetchAndStore creates a row in answers with `db.query(...)` at src/activities.ts:26, as its last step, to store the answer of `connector.fetch(...)` at src/activities.ts:25: when that call runs past the startToCloseTimeout (3m)',
    );
    expect(stored!.message).toContain('nothing in the activity observes the cancellation');
    expect(stored!.related!.map((r) => `${r.file.split('/').pop()}:${r.line}`)).toEqual(['activities.ts:26', 'activities.ts:25']);
    expect(of('summarize')[0]!.message).toContain('to store the answer of `openai.chat.completions.create(...)` at src/activities.ts:30');
  });

  it('leaves idempotent, unreturned, transactional and cancellable inserts alone', () => {
    const quiet = /createRunOnce|addNote|createNoteAtomically|fetchAndStoreCancellable|copyNote/;
    expect(findings.some((f) => quiet.test(f.message))).toBe(false);
  });
});
