// The Python SDK facts the Python front-end and the retry/timeout checks rely on, asked of the real
// temporalio package (1.35.0). Set PREFLIGHT_PYTHON to an interpreter that has it installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const python = process.env.PREFLIGHT_PYTHON ?? '/work/venvs/py16/bin/python';
const script = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sdk-facts', 'facts.py');
const available = fs.existsSync(python) && spawnSync(python, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;
if (!available) console.warn(`skipping the Python SDK facts: no interpreter with temporalio at ${python} (set PREFLIGHT_PYTHON)`);

describe.skipIf(!available)('temporalio (Python SDK) facts', () => {
  const facts = () => {
    const run = spawnSync(python, [script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout);
  };

  test('an activity call with neither start_to_close_timeout nor schedule_to_close_timeout raises ValueError, and timedelta(0) counts as neither', () => {
    const f = facts();
    expect(f.version).toBe('1.35.0');
    expect(f.schedule_checks_truthiness).toBe(true);
    expect(f.schedule_error).toBe(true);
    expect(f.timedelta_zero_is_falsy).toBe(true);
  });

  test('RetryPolicy defaults: 1s, 2.0, maximum_interval sent as 100 x initial (also for timedelta(0)), unlimited attempts', () => {
    const f = facts();
    expect(f.defaults).toEqual({ initial_interval_s: 1, backoff_coefficient: 2, maximum_interval: null, maximum_attempts: 0, non_retryable_error_types: null });
    expect(f.maximum_interval_sent_s).toBe(100);
    expect(f.maximum_interval_zero_sent_s).toBe(100);
  });

  test('RetryPolicy validation happens in the SDK: backoff < 1, negative attempts and maximum < initial raise; maximum_attempts=0 is valid', () => {
    expect(facts().validation).toEqual({
      backoff_0_5: 'Backoff coefficient cannot be less than 1',
      maximum_attempts_0: null,
      maximum_attempts_negative: 'Maximum attempts cannot be negative',
      maximum_interval_below_initial: 'Maximum interval cannot be less than initial interval',
    });
  });

  test('the failure type is the class name of a plain exception, and only type= for an ApplicationError subclass', () => {
    const f = facts();
    expect([f.plain_exception_type, f.application_error_subclass_type, f.application_error_type]).toEqual(['PaymentDeclined', '', 'Fraud']);
  });

  test('RetryPolicy(maximum_attempts=1) is valid and sent as one attempt; a failed activity reaches the workflow as ActivityError, a FailureError, which fails the workflow', () => {
    const f = facts();
    expect([f.single_attempt_sent, f.single_attempt_valid]).toEqual([1, null]);
    expect(f.activity_error_mro).toEqual(['ActivityError', 'FailureError', 'TemporalError', 'Exception', 'BaseException', 'object']);
    expect(f.failure_error_fails_workflow).toBe(true);
  });

  test('a worker registers an activity under its function name or @activity.defn(name=...), bound methods included; an unregistered type fails with a retryable NotFoundError', () => {
    const f = facts();
    expect(f.registered_names).toEqual(['plain_activity', 'ship-order', 'charge', 'refund-payment']);
    expect([f.unregistered_message, f.unregistered_type, f.unregistered_non_retryable]).toEqual([true, true, false]);
  });
});
