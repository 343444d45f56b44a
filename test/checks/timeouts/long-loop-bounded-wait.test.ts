// activity-long-loop-without-heartbeat on a bounded wait (read on real code): a loop capped at a
// constant number of turns whose only waits are a constant pause and local file work ends within
// turns x pause. Under a minute it is not a long run. The same cap with a long pause, a network call
// per turn, or a pause whose unit the code converts is still reported.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('long-loop-bounded-wait');
});

describe('activity-long-loop-without-heartbeat on a bounded wait', () => {
  it('reports the long or remote polls but not the waits of 8 s and 5 s for a local file', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 55 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 64 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 73 },
    ]);
    expect(found.map((f) => f.message.split(' (')[0])).toEqual(['awaitSlowMarker polls', 'awaitRemoteReady polls', 'awaitMarkerInSeconds polls']);
  });
});
