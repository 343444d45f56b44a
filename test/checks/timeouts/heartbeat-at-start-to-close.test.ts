// activity-heartbeat-timeout-without-heartbeat when heartbeatTimeout is not shorter than
// startToCloseTimeout (issue 13, twelfth reading): the heartbeat timeout never fires first, so a
// slow attempt fails at startToClose whether or not the activity heartbeats. Only the redundancy is
// left, which activity-timeouts-inconsistent names. Over test/fixtures/timeouts-heartbeat-at-start-to-close.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('timeouts-heartbeat-at-start-to-close');
});

describe('heartbeatTimeout at startToClose', () => {
  it('reports only the proxy whose heartbeat timeout is shorter than startToClose', () => {
    expect(fixture.findings(['activity-heartbeat-timeout-without-heartbeat']).map(where)).toEqual([
      // info: the fixture's activities compute in memory (no await, no I/O), so no slow dependency can hold them.
      { checkId: 'activity-heartbeat-timeout-without-heartbeat', severity: 'info', file: 'src/workflows.ts', line: 12 },
    ]);
    expect(fixture.findings(['activity-timeouts-inconsistent']).map((f) => `${f.file}:${f.line}`)).toContain('src/workflows.ts:5');
  });
});
