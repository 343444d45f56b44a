// activity-long-loop-without-heartbeat on a Python bounded wait: a `for` loop over `range` of a
// constant whose turns only check a local file and sleep a constant pause ends within cap x pause.
// Under a minute it is not reported; the same cap with a 30 s pause, or with a call to another
// system in every turn, stays a warning.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-bounded-wait');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('activity-long-loop-without-heartbeat on a Python bounded wait', () => {
  test('the waits of 8 s and 10 s for a local file are not reported; the long and remote polls are', () => {
    const loops = findings.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat');
    expect(loops.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-long-loop-without-heartbeat warning app/activities.py:37',
      'activity-long-loop-without-heartbeat info app/activities.py:47',
    ]);
    expect(loops.map((f) => f.message.split(' (')[0])).toEqual(['wait_for_slow_socket polls', 'wait_for_agent polls']);
  });
});
