// activity-heartbeat-from-timer on timers kept in a helper module: a helper that beats on an
// interval from the Context it is given (swallowing heartbeat errors), a wrapper that puts the SDK
// heartbeat itself on the timer, a helper handed the heartbeat that calls it from a timer two
// levels down, and a helper that beats once and then hands the same closure to setInterval, through
// a Context held in a variable declared with its type, and a timer started through a parameter that
// defaults to setInterval with a `Context | null`. Reported at the timer, as a warning under a
// 30-day startToClose and as info under a one-minute one; a timer that beats only when the work has
// moved on is not reported, nor a throttled heartbeat the work calls.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

const CHECK = 'activity-heartbeat-from-timer';

describe(`${CHECK} and timers in helpers`, () => {
  it('reports each helper timer at the timer, a warning only under a long startToClose', { timeout: 120_000 }, () => {
    const findings = findingsOf('heartbeat-helpers', [CHECK]);
    expect(where(findings)).toEqual([
      `${CHECK} warning src/keep-alive.ts:5`,
      `${CHECK} warning src/keep-alive.ts:17`,
      `${CHECK} warning src/keep-alive.ts:27`,
      `${CHECK} warning src/keep-alive.ts:72`,
      `${CHECK} warning src/lease.ts:19`,
      `${CHECK} info src/pulse.ts:5`,
    ]);
    expect(findings.map((f) => f.data?.activityTypes)).toEqual([['headline', 'summarise'], ['translate'], ['classify'], ['stream'], ['reap'], ['title']]);
  });

  it('states the startToClose, says which activities hold a hung call long, and names them as related locations', { timeout: 120_000 }, () => {
    const findings = findingsOf('heartbeat-helpers', [CHECK]);
    const shared = findings[0]!;
    expect(shared.message).toMatch(/^Activities headline and summarise heartbeat only from this timer, in a helper they call, .* until startToCloseTimeout \(30d and 1m\) ends the attempt\./);
    expect(shared.message).toContain('For summarise (startToCloseTimeout 30d), a call that hangs');
    expect(shared.message).toContain('None of them reads cancellation');
    expect(shared.related?.map((r) => [r.file, r.line, r.message])).toEqual([
      ['src/activities.ts', 8, 'activity summarise runs this timer (through the call at src/activities.ts:9)'],
      ['src/activities.ts', 60, 'activity headline runs this timer (through the call at src/activities.ts:61)'],
    ]);
    const translate = findings[1]!;
    expect(translate.message).toMatch(/^Activity translate heartbeats only from this timer, .* until startToCloseTimeout \(30d\) ends the attempt\. With a startToCloseTimeout that long/);
    const title = findings[5]!;
    expect(title.message).toContain('until startToCloseTimeout (1m) ends the attempt');
    expect(title.message).not.toContain('that long');
  });

  it('does not report a timer that heartbeats only when the work has progressed, nor a throttled heartbeat the work calls', { timeout: 120_000 }, () => {
    const findings = findingsOf('heartbeat-helpers', [CHECK]);
    const named = findings.flatMap((f) => (f.data?.activityTypes as string[] | undefined) ?? []);
    expect(named).not.toContain('draft');
    expect(named).not.toContain('draftThrottled');
  });
});
