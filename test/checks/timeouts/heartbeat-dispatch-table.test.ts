// Heartbeats reached through a table of functions indexed by a computed key (`renderers[kind]`):
// read FALSE on a real code base when activity-heartbeat-timeout-without-heartbeat said an activity
// that dispatches through such a table never heartbeats, while every entry of the table did.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('heartbeat-dispatch-table');
});

describe('heartbeats behind a dispatch table', () => {
  it('follows every entry of the table, through a const and through a direct call', () => {
    const found = fixture.findings(['activity-heartbeat-timeout-without-heartbeat']);
    expect(found.map(where)).toEqual([{ checkId: 'activity-heartbeat-timeout-without-heartbeat', severity: 'info', file: 'src/workflows.ts', line: 4 }]);
    // Only the control activity lacks heartbeats; the two that dispatch through a table heartbeat.
    expect(found[0]!.message).toContain('serves exportReport and renderReport, which heartbeat; archiveReport never calls heartbeat()');
  });
});
