// activity-long-loop-without-heartbeat on code read by reviewers of real code bases (held-out
// sample): a loop over a constant collection written in the code is not long-running; a loop
// whose attempts are capped at 30 seconds costs at most that on a crash (info), a poll as much as a
// loop over data (it times out and polls again, while the timed-out attempt, never told, polls on); and only a short
// heartbeatTimeout makes a loop over data of unknown size an incident (error).

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('long-loop-bounds');
});

describe('activity-long-loop-without-heartbeat and what bounds a loop', () => {
  it('skips loops over a const array (imported), Object.values of a const object, and a filtered subset', () => {
    const running = fixture.model.activities.filter((a) => a.longRunning.length > 0).map((a) => a.name).sort();
    expect(running).toEqual(['refundPatiently', 'refundQuickly', 'refundWatched', 'waitForShipment']);
  });

  it('does not take a write stream opened to append a log line for a sign of a long run', () => {
    expect(fixture.model.activities.find((a) => a.name === 'logTransition')!.longRunning).toEqual([]);
  });

  it('is info for a loop over data or a poll under a 30-second startToClose, and under a heartbeatTimeout when nothing shows the loop runs long', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 29 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 35 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 41 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 58 },
    ]);
    expect(found[0]!.message).toContain('Every call site caps an attempt at 30s or less, so a worker crash mid-loop is noticed within 30s and loses at most that much work');
    // Every caller sets heartbeatTimeout: what goes wrong is that a long loop outruns it, not a late crash notice.
    expect(found[1]!.message).toMatch(/the usual costs apply: proxyActivities for refundPatiently sets heartbeatTimeout '30 minutes', so every attempt that loops longer than that fails with a heartbeat timeout/);
    expect(found[1]!.message).not.toContain('startToCloseTimeout');
  });
});
