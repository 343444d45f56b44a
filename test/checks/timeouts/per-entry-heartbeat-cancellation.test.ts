// activity-cancellation-ignored on an activity that heartbeats after each entry of a loop (no
// sleep, no poll) and never reads cancellation: the heartbeats deliver a cancellation that nothing
// looks at, so a cancelled attempt works through the remaining entries.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

const CHECK = 'activity-cancellation-ignored';

describe(`${CHECK} and heartbeats per entry of a loop`, () => {
  it('reports the loop that heartbeats per entry, not the one that reads cancellationSignal nor a heartbeat outside the loop', { timeout: 120_000 }, () => {
    const findings = findingsOf('per-entry-heartbeat', [CHECK]);
    expect(where(findings)).toEqual([`${CHECK} info src/activities.ts:5`]);
    const message = findings[0]!.message;
    expect(message).toContain('Activity uploadArchive heartbeats (src/activities.ts:8) in each turn of its loop (`for (const [index, entry] of entries.entries()) {` at src/activities.ts:6), but never reads cancellation');
    expect(message).toContain('the cancelled attempt keeps working through the rest of its loop');
    expect(findings[0]!.related?.[1]).toMatchObject({ file: 'src/activities.ts', line: 6, message: 'the loop that heartbeats' });
  });
});
