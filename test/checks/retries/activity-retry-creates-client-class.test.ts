// activity-retry-repeats-side-effect, inserts made by a project client class (a Supabase-style
// `from('t').insert(row).select().single()` in `DataClient.createTicket(ticket)`): the rows are read
// through the method's parameter from the argument its caller passes, and the chained `.select()`
// hands the new row back. Info when the activity returns it (a retry after the commit leaves the
// first row behind), also once per item of a loop whose failing item is dropped and whose new ids
// the activity returns. Left alone: a count returned instead of the rows, an upsert, and a list
// the activity only counts.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-repeats-side-effect.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-repeats-side-effect: inserts through a client class', () => {
  const review = fixtureReview('activity-retry-creates-client-class');
  const findings = review.run(check);
  const of = (activity: string) => findings.filter((f) => f.message.includes(`. ${activity} creates`));

  it('reports the returned ticket and the returned tickets of a loop, as info at the proxy', () => {
    expect(where(findings)).toEqual(Array(2).fill('activity-retry-repeats-side-effect info src/workflows.ts:4'));
    expect(of('openTicket')[0]!.message).toContain(
      "openTicket creates a row in tickets with `this.rows.from('tickets').insert(...)` at src/data-client.ts:12 (through src/activities.ts:6), as its last step, and hands the new row back to the workflow",
    );
    const [each] = of('openTickets');
    expect(each!.message).toContain("openTickets creates a row in tickets with `this.rows.from('tickets').insert(...)` at src/data-client.ts:12 (through src/activities.ts:17), once per item, as the loop's last step, and hands the new rows back to the workflow");
    expect((each!.data as { sideEffect: { lastStep: string; eachItem?: boolean } }).sideEffect).toMatchObject({ lastStep: 'returned', eachItem: true });
  });

  it('leaves a returned count, an upsert and a counted list alone', () => {
    expect(findings.some((f) => /labelTicket|saveTicket|countTickets/.test(f.message))).toBe(false);
  });
});
