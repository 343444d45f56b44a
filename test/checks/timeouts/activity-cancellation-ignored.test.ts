// A heartbeating activity that polls with a plain timer and never reads cancellation.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('activity-cancellation-ignored', () => {
  it('reports the plain-timer poll, not the activity sleep, a read of cancellationSignal or a local activity', { timeout: 120_000 }, () => {
    const findings = findingsOf('activity-cancellation-ignored', ['activity-cancellation-ignored']);
    expect(where(findings)).toEqual(['activity-cancellation-ignored info src/activities.ts:7']);
    const message = findings[0]!.message;
    expect(message).toContain('Activity waitForIndex heartbeats (src/activities.ts:9) while it polls with a plain timer (`while (!(await isIndexed(id))) {` at src/activities.ts:8, the timer at src/activities.ts:4)');
    expect(message).toContain('but never reads cancellation');
    expect(message).toContain('heartbeat() does not throw and a setTimeout promise does not reject');
    expect(findings[0]!.data).toMatchObject({ activityType: 'waitForIndex' });
  });
});
