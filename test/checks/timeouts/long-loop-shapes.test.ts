// activity-long-loop-without-heartbeat on loop shapes reviewers read as FALSE on a held-out code
// base: a loop over a constant list held inside entries of a constant list, a loop over an input
// whose only awaits are local file operations, and a generic pipe helper handed a fixed number of
// stages. Each comes with the shape that stays TRUE next to it. A loop in a helper that one
// activity reaches is reported at the activity's call into the helper.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('long-loop-shapes');
});

const running = (name: string) => fixture.model.activities.find((a) => a.name === name)!.longRunning;

describe('activity-long-loop-without-heartbeat and loop shapes of real code', () => {
  it('bounds a loop over a property of an entry of a constant list, nested or destructured', () => {
    expect(running('collectReports')).toEqual([]);
    expect(running('collectSections')).toEqual([]);
  });

  it('does not take a loop whose only awaits are local file operations (directly or through a helper) for a long run', () => {
    expect(running('removePartials')).toEqual([]);
  });

  it('bounds a loop over a rest parameter by the arguments of the call that reaches it', () => {
    expect(running('normalise')).toEqual([]);
  });

  it('still reports the loop over data inside a constant loop, a loop that also uploads, a helper returning a request, and stages spread from an input', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 36 },
      // One upload or one request per entry of the activity's input: a quick loop over a list that
      // arrives in one payload, info under any startToClose (long-loop-finite).
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 59 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 70 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 83 },
    ]);
  });

  it('anchors a loop in a helper at the activity call into it, with the loop as a related location', () => {
    const finding = fixture.findings(['activity-long-loop-without-heartbeat']).find((f) => f.line === 83)!;
    expect(finding.message).toMatch(/^applySteps loops over awaits \(for \(const stage of stages\) \{, in a helper at src\/pipe\.ts:5\) and never calls heartbeat\(\)/);
    expect(finding.related?.[0]).toMatchObject({ file: 'src/pipe.ts', line: 5, message: 'the loop' });
  });
});

describe('activity-heartbeat-timeout-missing on a 10-minute startToClose', () => {
  it('is info for activities whose code shows no long run, and says what a crash costs; a warning when one of them heartbeats', () => {
    const found = fixture.findings(['activity-heartbeat-timeout-missing']).filter((f) => f.line !== 4);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'info', file: 'src/workflows.ts', line: 9 },
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'warning', file: 'src/workflows.ts', line: 14 },
    ]);
    expect(found[0]!.message).toBe(
      'No heartbeatTimeout on proxyActivities for loadAccount: loadAccount may run up to 10m. When a worker crashes (killed, out of memory, its host lost) mid-attempt, ' +
        'the server notices only when startToCloseTimeout (10m) expires, then retries from the start; and a cancellation never reaches it, ' +
        'since an activity learns of it only through its heartbeats. Nothing in their code shows a long run (no loop, sleep, stream, child process or heartbeat, ' +
        'and a startToCloseTimeout under 30m): the stall happens only when a crash lands while an attempt runs, which for calls that take seconds is rare.',
    );
    // exportAccount heartbeats once, between two writes.
    expect(found[1]!.message).toMatch(/^No heartbeatTimeout on proxyActivities for exportAccount and loadAccount: exportAccount heartbeats only once per attempt, before the work that follows, and nothing watches it\. /);
  });

  // Heartbeats are sent without a heartbeatTimeout too (throttled to 30 s) and bring the
  // cancellation with them: only the activities that never heartbeat are out of its reach.
  it('does not say a cancellation never reaches an activity that heartbeats', () => {
    const found = fixture.findings(['activity-heartbeat-timeout-missing']).filter((f) => f.line === 14);
    expect(found[0]!.message).toMatch(
      /: exportAccount heartbeats only once per attempt, before the work that follows, and nothing watches it\. When a worker crashes \(killed, out of memory, its host lost\) mid-attempt, the server notices only when startToCloseTimeout \(10m\) expires, then retries from the start\. A heartbeatTimeout alone would not help: nothing heartbeats after that one call, so every healthy attempt whose work outlasts the heartbeatTimeout would fail with a heartbeat timeout and be retried\.$/,
    );
  });

  it('stays a warning under a startToClose of 30 minutes or more: the timeout says attempts run long', () => {
    expect(fixture.findings(['activity-heartbeat-timeout-missing']).filter((f) => f.line === 4).map(where)).toEqual([
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'warning', file: 'src/workflows.ts', line: 4 },
    ]);
  });
});
