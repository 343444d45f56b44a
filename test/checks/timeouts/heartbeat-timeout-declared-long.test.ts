// activity-heartbeat-timeout-missing on a long startToCloseTimeout over short activities, and on a
// startToCloseTimeout whose value is computed. Read on real code bases: a '1h' cap over one
// database read and one publish was judged info (the fix is a shorter timeout, not heartbeats), and
// `${seconds} seconds` was reported FALSE as "no startToClose or scheduleToClose timeout".

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('heartbeat-timeout-declared-long');
});

describe('activity-heartbeat-timeout-missing and how long the activities look', () => {
  it('is info over short activities, a warning where code is not followed, and cannot tell a computed timeout', () => {
    const found = fixture.findings(['activity-heartbeat-timeout-missing']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'warning', file: 'src/workflows.ts', line: 6 },
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'info', file: 'src/workflows.ts', line: 10 },
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'warning', file: 'src/workflows.ts', line: 13 },
    ]);
    expect(found[0]!.message).toContain('The activities look short');
    expect(found[0]!.message).toContain('a startToCloseTimeout a little above the longest healthy run finds it sooner');
    expect(found[1]!.message).toContain('reindexAccount may run up to 1h');
    expect(found[1]!.message).not.toContain('look short');
    expect(found[2]!.message).toContain('Cannot tell how long a crashed attempt of settleAccount goes unnoticed');
    expect(found[2]!.message).toContain('startToCloseTimeout depends on `${seconds} seconds`');
    // A function made by a factory is not followed: its code may run long.
    expect(found[3]!.message).toContain('copyAccount may run up to 2h');
    expect(found[3]!.message).not.toContain('look short');
    for (const finding of found) expect(finding.message).not.toContain('no startToClose or scheduleToClose timeout');
  });
});
