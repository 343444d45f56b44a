// activity-long-loop-without-heartbeat on a spin for a lock (issue 13, read on real code): a loop
// that retries a non-blocking lock every few milliseconds until it gets it waits for a holder that
// keeps the lock briefly; it is not a long run. A loop with a long pause, or one that names no
// lock, is still a poll.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('long-loop-lock-spin');
});

describe('activity-long-loop-without-heartbeat on a lock spin', () => {
  it('reports the polls but not the spin for a lock with a 5 ms pause', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 39 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 48 },
    ]);
    expect(found.map((f) => f.message.split(' (')[0])).toEqual(['waitForLockedJob polls', 'waitForJob polls']);
  });
});
