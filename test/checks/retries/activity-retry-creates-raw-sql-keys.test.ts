// activity-retry-repeats-side-effect on raw SQL inserts that set their id column from a value
// (`INSERT INTO campaigns (id, brief) VALUES ($1, $2)` with `[c.id, c.brief]`): keyed by the
// input when the activity passes its own parameter (the retry fails on the key), and a new row per
// attempt when the activity draws the id fresh on the way (`id: \`camp-${nanoid(10)}\``): the retry
// inserts a second row, and a unique key on id does not refuse it. The two are separate findings.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-repeats-side-effect.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-repeats-side-effect: raw SQL inserts keyed by a value', () => {
  const findings = fixtureReview('activity-retry-creates-raw-sql-keys').run(check);
  const of = (activity: string) => findings.find((f) => f.message.includes(`. ${activity} creates`));

  it('reports each activity at the retrying proxy, as info', () => {
    expect(where(findings)).toEqual(Array(2).fill('activity-retry-repeats-side-effect info src/workflows.ts:4'));
  });

  it('an id drawn fresh on the way makes a second row on the retry', () => {
    const message = of('openCampaign')!.message;
    expect(message).toContain('openCampaign creates a row in campaigns with `query(...)` at src/db.ts:11 (through src/activities.ts:5), as its last step, and hands the new row back to the workflow');
    expect(message).toContain('the retry inserts a second row');
    expect(message).not.toContain('fails on that key');
  });

  it('an id from the activity input fails on the key', () => {
    const message = of('recordCampaign')!.message;
    expect(message).toContain('recordCampaign creates a row in campaigns with `query(...)` at src/db.ts:11 (through src/activities.ts:10), as its last step, with its primary key from the input (`id: c.id`)');
    expect(message).toContain('every retry fails on that key');
  });
});
