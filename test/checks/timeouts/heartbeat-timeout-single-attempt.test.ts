// activity-heartbeat-timeout-missing under maximumAttempts 1 (read FALSE on a real code base when
// it said "then retries from the start"): with one attempt, a crash is noticed late and the
// activity fails; only a proxy that retries restarts it.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('heartbeat-timeout-single-attempt');
});

describe('activity-heartbeat-timeout-missing and the retry policy', () => {
  it('says the activity fails under maximumAttempts 1 and retries from the start otherwise', () => {
    const found = fixture.findings(['activity-heartbeat-timeout-missing']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'warning', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'warning', file: 'src/workflows.ts', line: 6 },
    ]);
    expect(found[0]!.message).toContain('only when startToCloseTimeout (20m) expires, and the activity fails (maximumAttempts 1: no retry)');
    expect(found[0]!.message).not.toContain('retries from the start');
    // probeOnce heartbeats once, before the probe: with one attempt, a heartbeat timeout would fail it, not retry it.
    expect(found[0]!.message).toContain('would fail with a heartbeat timeout.');
    expect(found[1]!.message).toContain('would fail with a heartbeat timeout and be retried.');
    expect(found[1]!.message).toContain('only when startToCloseTimeout (20m) expires, then retries from the start');
  });
});
