// activity-retries-stacked on a counted loop with a fixed pause: reported only when the loop's
// worst case (per-call timeouts and pauses) is longer than the activity's startToCloseTimeout, two
// calls deep included. Not a loop that fits (3 x 5s + 2 x 2s under 60s), a loop whose calls set no
// timeout and whose pauses fit (4 x 10s under 60s), nor the same helper under a 5-minute timeout.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('activity-retries-stacked: fixed-pause loops longer than the attempt', () => {
  it('reports the helper loop reached from two activities under 60s, nothing else', { timeout: 120_000 }, () => {
    const findings = findingsOf('retries-fixed-pause', ['activity-retries-stacked']);
    expect(where(findings)).toEqual(['activity-retries-stacked info src/fetch.ts:4']);
    const message = findings[0]!.message;
    expect(message).toContain('Activities fetchPage, fetchLinks retry inside each attempt with a fixed pause');
    expect(message).toContain('the pause at src/fetch.ts:11');
    expect(message).toContain('in the worst case 3 x 1m (the per-call timeout) + 2 x 10s (the pause) = 3m 20s.');
    expect(message).toContain('That is longer than the startToCloseTimeout of 1m');
    expect(message).toContain("The server's default retry policy (unlimited attempts) then starts the whole loop over from its first try");
    expect(findings[0]!.data).toMatchObject({ kind: 'fixed-pause-loop', innerTries: 3, pauseMs: 10_000, callTimeoutMs: 60_000, worstCaseMs: 200_000, startToCloseMs: 60_000 });
  });
});
