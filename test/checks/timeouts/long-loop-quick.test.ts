// activity-long-loop-without-heartbeat on loops over a few quick items (issue 13, read on real
// code): one email per member of one organization, one unlink and one rmdir per link. Such a loop
// is long only if its collection holds thousands of items, which the code does not say; under a
// startToClose below the 30 minutes from which activity-heartbeat-timeout-missing takes the timeout
// itself as a declared long run, it is info naming the collection. Loops that nest a loop over a
// list the item does not hold, or sleep per item, and quick loops under a long startToClose over a
// list the code does not show finite (long-loop-finite covers those), keep the warning.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('long-loop-quick');
});

describe('activity-long-loop-without-heartbeat on quick loops over a collection', () => {
  it('is info for a few quick calls per item under a short startToClose, a warning under a long one, with nested loops, or with a sleep per item', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 28 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 38 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 47 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 55 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 72 },
    ]);
    expect(found[0]!.message).toBe(
      'notifyMembers loops over `members` (for (const member of members) {) with a few quick awaited calls per item and never calls heartbeat(), directly or through a helper. ' +
        'That takes seconds for tens or hundreds of items; if `members` can hold thousands, an attempt runs for minutes, a worker crash mid-loop is noticed only when startToCloseTimeout (10m) expires, ' +
        'a cancellation never reaches it, and every retry starts the loop from the beginning.',
    );
    expect(found[1]!.message).toMatch(/^notifyMembersSlowly loops over awaits \(for \(let i = 0; i < members.length; i\+\+\) \{\)/);
  });

  it('does not say a retry starts the loop over when every proxy makes one attempt', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']).find((f) => f.line === 72)!;
    expect(found.message).toBe(
      'notifyTeamsOnce loops over awaits (for (const team of teams) {) and never calls heartbeat(), directly or through a helper. ' +
        'Nothing in the code says it runs long: it is long if `teams` holds thousands of items, or only a few when each turn is slow (a child process, a model call, a request with a long timeout), and preflight cannot see its size or how long a turn takes. When it does, the usual costs apply: ' +
        'if its worker crashes (killed, out of memory, its host lost) mid-loop, the server notices only when startToCloseTimeout (10m) expires; a cancellation never reaches it. ' +
        'No caller retries it (maximumAttempts 1), so no retry restarts the loop: what remains is the wait for that timeout after a crash and a loop nobody can stop.',
    );
  });

  it('takes a local file operation with a .catch() handler for the millisecond call it is', () => {
    expect(fixture.model.activities.find((a) => a.name === 'removeLinks')!.longRunning).toEqual([]);
  });
});
