// activity-timeout-invalid and activity-retry-policy-invalid on Python: an activity timeout or a
// RetryPolicy interval given a number or a string instead of a timedelta fails the workflow task when
// the workflow schedules the activity, retried forever (python-sdk-timeout-type-facts.test.ts).
// Reported: an int literal, a module constant (int, str), an int read from the environment with a
// default, a pydantic settings field declared int, a RetryPolicy interval. Not reported: a timedelta
// (also multiplied), a parameter, a helper's result, a settings field declared timedelta (pydantic
// converts its default and the environment's value).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/timeouts/activity-timeout-invalid.js';
import retryCheck from '../../../src/checks/retries/activity-retry-policy-invalid.js';
import type { Finding } from '../../../src/engine/types.js';
import { review as reviewDir } from '../../../src/review.js';
import { where } from '../capacity/fixture-review.js';

describe('activity-timeout-invalid (Python): a number or a string where the SDK takes a timedelta', () => {
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-timeout-type');
  let findings: Finding[];
  let retry: Finding[];
  beforeAll(async () => {
    const all = (await reviewDir({ dir: root, config: undefined })).findings;
    findings = all.filter((f) => f.checkId === check.id);
    retry = all.filter((f) => f.checkId === retryCheck.id);
  }, 120_000);

  it('reports the int literal, the constants, the environment default and the int settings field at their calls, nothing on timedelta values, parameters or helper results', () => {
    expect(where(findings)).toEqual([
      'activity-timeout-invalid error app/workflows.py:18',
      'activity-timeout-invalid error app/workflows.py:32',
      'activity-timeout-invalid error app/workflows.py:33',
      'activity-timeout-invalid error app/workflows.py:34',
      'activity-timeout-invalid error app/workflows.py:35',
    ]);
  });

  it('names what the SDK raises, that the workflow is stuck, and the timedelta to write', () => {
    const [literal, constant, text, environment] = findings;
    expect(literal!.message).toContain("start_to_close_timeout=600 is not a timedelta: the SDK raises TypeError ('Fail to convert to Duration. Expected a timedelta object got int') when the workflow schedules the activity");
    expect(literal!.message).toContain('A type checker would flag it, but Python runs it; the workflow task fails and is retried forever: the workflow is stuck.');
    expect(literal!.fix).toBe('Pass timedelta values: start_to_close_timeout=timedelta(seconds=600).');
    expect(constant!.related).toEqual([expect.objectContaining({ file: 'app/settings.py', line: 6, message: 'schedule_to_close_timeout is written here' })]);
    expect(text!.message).toContain("heartbeat_timeout='5m' is not a timedelta: the SDK raises TypeError ('Fail to convert to Duration. Expected a timedelta object got str')");
    expect(text!.fix).toBe('Pass timedelta values: heartbeat_timeout=timedelta(seconds=300).');
    expect(environment!.message).toContain('start_to_close_timeout=900 (the default of os.getenv("RENDER_TIMEOUT_S")) is not a timedelta');
  });

  it('a RetryPolicy interval given an int is activity-retry-policy-invalid\'s: RetryPolicy validation raises AttributeError', () => {
    expect(where(retry)).toEqual(['activity-retry-policy-invalid error app/workflows.py:49']);
    expect(retry[0]!.message).toContain("retry_policy.initial_interval=1 is not a timedelta (AttributeError: 'int' object has no attribute 'total_seconds')");
    expect(retry[0]!.message).toContain('A type checker would flag it, but Python runs it;');
    expect(retry[0]!.fix).toBe('Pass timedelta values: RetryPolicy(initial_interval=timedelta(seconds=1)).');
  });
});
