// activity-heartbeat-from-timer: an activity whose only heartbeats come from a timer callback.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

const CHECK = 'activity-heartbeat-from-timer';

describe(CHECK, () => {
  it('reports activities that heartbeat only from a timer, as a warning under a 2-hour startToClose', { timeout: 120_000 }, () => {
    const findings = findingsOf('timer-heartbeat', [CHECK]);
    expect(where(findings)).toEqual([
      `${CHECK} warning src/activities.ts:9`,
      `${CHECK} warning src/activities.ts:19`,
      `${CHECK} warning src/activities.ts:59`,
      `${CHECK} warning src/activities.ts:70`,
    ]);
    expect(findings[0]?.message).toContain('a hung step keeps heartbeating until startToCloseTimeout (2h)');
    expect(findings[0]?.message).toContain('It never reads cancellation');
    expect(findings[1]?.message).not.toContain('never reads cancellation');
  });

  // hocus-like: the Context comes from a helper (`currentContext()` returns Context.current()) and
  // another helper races the work against its `cancelled` promise: the activity does react.
  it('sees cancellation read through a Context that a helper returns', { timeout: 120_000 }, () => {
    const findings = findingsOf('timer-heartbeat', [CHECK]);
    const stoppable = findings.find((f) => f.line === 59);
    expect(where(stoppable ? [stoppable] : [])).toEqual([`${CHECK} warning src/activities.ts:59`]);
    expect(stoppable?.message).not.toContain('never reads cancellation');
    expect(stoppable?.data).toMatchObject({ cancellationObserved: true });
  });

  // hocus-like: the work goes through a method of an interface (which class runs is decided at run
  // time), so no cancellation read in the code the tool follows does not mean there is none.
  it('does not claim "never" when the work goes through a call it cannot follow', { timeout: 120_000 }, () => {
    const findings = findingsOf('timer-heartbeat', [CHECK]);
    const behindInterface = findings.find((f) => f.line === 70);
    expect(where(behindInterface ? [behindInterface] : [])).toEqual([`${CHECK} warning src/activities.ts:70`]);
    expect(behindInterface?.message).not.toContain('never reads cancellation');
    expect(behindInterface?.message).toContain(
      "No read of cancellation (cancelled(), cancellationSignal, the activity sleep) was seen in the code the tool could follow, but it calls runtimeFor('video').encode (src/activities.ts:73) that the tool cannot follow",
    );
    expect(behindInterface?.data).toMatchObject({ cancellationObserved: 'unknown' });
  });

  // The fact behind "cancellation is not observed": heartbeat() never throws on cancellation; the
  // activity Context only settles its `cancelled` promise and aborts its cancellationSignal, which
  // the code must read (@temporalio/activity 1.24).
  it('rests on the SDK: heartbeat() does not interrupt the activity', () => {
    const require = createRequire(import.meta.url);
    const source = readFileSync(require.resolve('@temporalio/activity/src/index.ts'), 'utf8');
    expect(source).toMatch(/public readonly heartbeat = \(details\?: unknown\): void => \{\s*this\.heartbeatFn\(details\);\s*\};/);
  });
});
