// activity-long-loop-without-heartbeat read against how long an attempt can run and whether it is
// retried (round-4 readers on production code): a loop or poll whose every call site caps an attempt
// under the 10 minutes from which activity-heartbeat-timeout-missing speaks up costs at most that
// long per crash (info, "noticed within X"); with maximumAttempts 1 no retry restarts the loop, so the
// message no longer says one does. Long attempts keep the warning.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('long-loop-attempts');
});

describe('activity-long-loop-without-heartbeat and the length of an attempt', () => {
  it('is info under attempts capped below 10 minutes (startToClose or scheduleToClose, a poll too), a warning under 1 day or 15 minutes', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 9 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 27 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 35 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 46 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 58 },
    ]);
    expect(found[0]!.message).toBe(
      'This loop, run by copyQuickly and copyWithinDeadline, loops over awaits (do {) and never calls heartbeat(), directly or through a helper. ' +
        'Every call site caps an attempt at 5m or less, so a worker crash mid-loop is noticed within 5m and loses at most that much work; a cancellation never reaches it while it loops. ' +
        'If the loop can outlast 5m (a large input, a slow dependency), every attempt times out and the next one starts the loop from the beginning, because no progress was saved in heartbeat details, ' +
        'while the timed-out attempt, in which nothing reacts to a cancellation (no heartbeat, no cancellation signal), keeps looping in its worker alongside it.',
    );
    expect(found[1]!.message).toMatch(/^waitForDeploy polls .* noticed within 5m .* If what it waits for takes longer than 5m, the attempt times out and the next one polls again, while the timed-out attempt, in which nothing reacts to a cancellation \(no heartbeat, no cancellation signal\), keeps polling in its worker alongside its retry: one more poll running for every attempt that times out\.$/);
  });

  it('does not say that a retry restarts the loop when no caller retries it (maximumAttempts 1)', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']);
    const short = found.find((f) => f.line === 35)!;
    const long = found.find((f) => f.line === 46)!;
    expect(short.message).toMatch(/noticed within 2m .* No caller retries it \(maximumAttempts 1\), so no retry restarts the loop; a loop that outlasts 2m fails the activity, but the attempt, in which nothing reacts to a cancellation \(no heartbeat, no cancellation signal\), keeps looping in its worker after that\.$/);
    expect(long.message).toBe(
      'copyOnceLong loops over awaits (do {) and never calls heartbeat(), directly or through a helper, and it runs while `cursor`, set from a call awaited in the loop: ' +
        'if its worker crashes (killed, out of memory, its host lost) mid-loop, ' +
        'the server notices only when startToCloseTimeout (1d) expires; a cancellation never reaches it. ' +
        'No caller retries it (maximumAttempts 1), so no retry restarts the loop: what remains is the wait for that timeout after a crash and a loop nobody can stop.',
    );
    for (const finding of [short, long]) expect(finding.message).not.toContain('every retry');
  });
});
