// activity-long-loop-without-heartbeat on Python call sites whose retry policy comes from a dict
// of policies and whose start_to_close_timeout is computed from the loop's own bound (round-4
// readers on production code): a loop over items given a multiple of the input's length under
// maximum_attempts=1 is info, so is a poll whose callers build the timeout from its own deadline;
// with retries, an unreadable policy key, or a timeout built from another setting, a warning.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sized-attempts');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

const loops = () => findings.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat');

describe('activity-long-loop-without-heartbeat and computed attempts', () => {
  test('an attempt sized to the loop is info; the others stay warnings', () => {
    expect(loops().map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-long-loop-without-heartbeat info app/activities.py:28',
      'activity-long-loop-without-heartbeat info app/activities.py:37',
      'activity-long-loop-without-heartbeat info app/activities.py:46',
      'activity-long-loop-without-heartbeat info app/activities.py:57',
      'activity-long-loop-without-heartbeat warning app/activities.py:67',
    ]);
  });

  test('reads RETRY_POLICIES["fail_fast"], and claims no retry it cannot read', () => {
    const [once, retried, chosen, deadline, other] = loops();
    expect(once!.message).toContain('Every call site sizes start_to_close_timeout to the input (a multiple of its length) and no caller retries it (maximum_attempts 1)');
    expect(once!.message).not.toContain('every retry');
    expect(retried!.message).toContain('and every retry starts the loop from the beginning');
    // RETRY_POLICIES[mode]: the key is not a constant, so the policy is not known.
    expect(chosen!.message).toContain('and a retry (if the retry policy, which preflight cannot read, allows one) starts the loop from the beginning');
    expect(chosen!.message).not.toContain('every retry');
    expect(deadline!.message).toContain('It polls until a deadline, and every call site builds start_to_close_timeout from that same deadline');
    // settings.SLOW_LIMIT (a module constant read through the module): the default of its environment read.
    expect(other!.message).toContain('the server notices only when start_to_close_timeout (10m) expires');
  });
});
