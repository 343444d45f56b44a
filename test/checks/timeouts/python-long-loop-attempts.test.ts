// activity-long-loop-without-heartbeat on Python activities, read against how long an attempt can
// run and whether it is retried (round-4 readers on production code): a poll under a 5-minute
// start_to_close_timeout, a loop under 300 seconds that runs once (maximum_attempts=1) are info;
// a loop under 1 day that runs once keeps its warning without claiming a retry restarts it; a loop
// under 15 minutes with retries is unchanged.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-long-loop-attempts');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

const loops = () => findings.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat');

describe('activity-long-loop-without-heartbeat on Python and the length of an attempt', () => {
  test('short attempts are info; long ones stay warnings', () => {
    expect(loops().map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-long-loop-without-heartbeat info app/activities.py:21',
      'activity-long-loop-without-heartbeat info app/activities.py:29',
      'activity-long-loop-without-heartbeat warning app/activities.py:40',
      'activity-long-loop-without-heartbeat warning app/activities.py:52',
      'activity-long-loop-without-heartbeat info app/activities.py:64',
    ]);
  });

  test('says when a crash is noticed, and drops the retry claim under maximum_attempts=1', () => {
    const [poll, reconcile, exportOnce, exportAll, imports] = loops();
    expect(poll!.message).toContain('Every call site caps an attempt at 5m or less, so a worker crash mid-loop is noticed within 5m');
    expect(reconcile!.message).toContain('No caller retries it (maximum_attempts 1), so no retry restarts the loop; a loop that outlasts 5m fails the activity.');
    expect(exportOnce!.message).toContain('the server notices only when start_to_close_timeout (1d) expires; a cancellation never reaches it. No caller retries it (maximum_attempts 1)');
    for (const finding of [reconcile!, exportOnce!]) expect(finding.message).not.toContain('every retry');
    expect(exportAll!.message).toContain('and every retry starts the loop from the beginning');
    // POLICIES["patient"] is read from the module's dict (maximum_attempts=3): the next attempt restarts the loop.
    expect(imports!.message).toContain('every attempt times out and the next one starts the loop from the beginning');
  });
});
