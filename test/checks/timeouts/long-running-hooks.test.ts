// What makes an activity long-running for the heartbeat checks is its own work: a hook it hands to a
// library (`pool({ async error() { await sleep(100) } })`) or an event listener (`on('error', ...)`)
// runs when that event fires, and `analytics.pipe('endpoint', params)` is a named query, not a
// stream. Before, both made a one-query activity "sleep" or "stream" and earned a warning.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('long-running signs of an activity', () => {
  const findings = findingsOf('long-running-hooks', ['activity-heartbeat-timeout-missing']);

  it('ignore library hooks, event listeners and named pipe queries, and keep a sleep of the work itself', () => {
    expect(where(findings)).toEqual(['activity-heartbeat-timeout-missing warning src/workflows.ts:8']);
    expect(findings[0]!.message).toContain('waitForExport sleeps (setTimeout(resolve, 60_000))');
  });
});
