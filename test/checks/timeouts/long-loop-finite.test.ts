// activity-long-loop-without-heartbeat on quick loops over a collection the code shows finite
// before the loop starts (read on real code: the batches of one cleanup deleted one by one, the
// child jobs of one query job, the controls of one report). The activity's own input arrives
// whole in one payload; the result of one call that does not page is one response. Such a loop
// is long only if that one collection is huge, so it is info whatever the startToClose. A list
// gathered page by page by a helper, or a nested loop over a list the item does not hold, keeps
// the warning. Helpers are followed five deep, as heartbeats are. A promise the turn starts and drops does not make the turn wait; a counted loop
// with a second way out (`i < ids.length && !failed`) still walks a collection, and the length of
// a list made of spread responses (`[...(await a()), ...(await b())]`) is not known; a loop over the
// list each item holds is one quick loop over every pair.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('long-loop-finite');
});

describe('activity-long-loop-without-heartbeat on quick loops over a finite collection', () => {
  it('is info for input lists and one-call results under any startToClose, a warning for gathered pages, unrelated nested lists and strided loops', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 32 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 40 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 53 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 70 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 76 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 84 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 92 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 114 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 123 },
    ]);
    expect(found[0]!.message).toBe(
      'archiveTickets loops over `ids` (for (const id of ids) {) with a few quick awaited calls per item and never calls heartbeat(), directly or through a helper. ' +
        "`ids` arrives whole with the activity's input, sized by the workflow that sends it. " +
        'That takes seconds for tens or hundreds of items; if `ids` can hold thousands, an attempt runs for minutes, a worker crash mid-loop is noticed only when startToCloseTimeout (2h) expires, ' +
        'a cancellation never reaches it, and every retry starts the loop from the beginning.',
    );
    expect(found[1]!.message).toContain('`tickets` is read by one call before the loop, not page by page.');
  });
});
