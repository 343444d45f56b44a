// What the Python SDK does when an activity timeout, a retry policy interval or a child workflow
// timeout is a number or a string instead of a timedelta, asked of a real Worker (temporalio 1.35.0)
// and dev server: the fact activity-timeout-invalid encodes for Python. Runs only when
// PREFLIGHT_PYTHON names an interpreter with temporalio installed and the temporal CLI is on PATH.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const python = process.env.PREFLIGHT_PYTHON ?? '';
const dir = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sdk-facts');
const temporal = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).stdout.trim();
const available = python !== '' && fs.existsSync(python) && temporal !== '' && spawnSync(python, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;

type Outcome = { outcome: string; status?: string; message?: string; retried?: boolean; result?: unknown };

describe.skipIf(!available)('temporalio (Python SDK) timeouts that are not a timedelta, on a real worker and dev server', () => {
  let facts: Record<string, Outcome> & { version?: unknown };
  beforeAll(() => {
    const run = spawnSync(python, ['timeout_type_facts.py', temporal], { cwd: dir, encoding: 'utf8', timeout: 150_000 });
    expect({ status: run.status, signal: run.signal }, run.stderr.slice(-4000)).toEqual({ status: 0, signal: null });
    // The dev server prints a banner on stdout: the facts are the last line.
    facts = JSON.parse(run.stdout.trim().split('\n').pop()!) as typeof facts;
  }, 160_000);

  const stuck = (type: string) => ({ outcome: 'stuck', status: 'RUNNING', retried: true, message: `Fail to convert to Duration. Expected a timedelta object got ${type}` });

  test('an int, float or str activity timeout fails the workflow task when the activity is scheduled (protobuf Duration.FromTimedelta raises TypeError); the task is retried, the workflow stays Running', () => {
    expect(facts.version).toBe('1.35.0');
    expect(facts['start_to_close_timeout=600']).toEqual(stuck('int'));
    expect(facts['start_to_close_timeout=600.5']).toEqual(stuck('float'));
    expect(facts["start_to_close_timeout='600'"]).toEqual(stuck('str'));
    expect(facts["start_to_close_timeout='10m'"]).toEqual(stuck('str'));
    expect(facts['schedule_to_close_timeout=600']).toEqual(stuck('int'));
    expect(facts["schedule_to_close_timeout='10m'"]).toEqual(stuck('str'));
    expect(facts['schedule_to_start_timeout=600']).toEqual(stuck('int'));
    expect(facts['heartbeat_timeout=600']).toEqual(stuck('int'));
    expect(facts["heartbeat_timeout='10m'"]).toEqual(stuck('str'));
    expect(facts['local start_to_close_timeout=600']).toEqual(stuck('int'));
  });

  test('a RetryPolicy interval that is a number or a string fails the workflow task too (its validation calls total_seconds())', () => {
    expect(facts['initial_interval=1']).toEqual({ outcome: 'stuck', status: 'RUNNING', retried: true, message: "'int' object has no attribute 'total_seconds'" });
    expect(facts["initial_interval='1s'"]).toEqual({ outcome: 'stuck', status: 'RUNNING', retried: true, message: "'str' object has no attribute 'total_seconds'" });
    expect(facts['maximum_interval=60']).toEqual({ outcome: 'stuck', status: 'RUNNING', retried: true, message: "'int' object has no attribute 'total_seconds'" });
  });

  test('a child workflow execution_timeout or run_timeout that is an int fails the parent workflow task the same way', () => {
    expect(facts['child execution_timeout=600']).toEqual(stuck('int'));
    expect(facts['child run_timeout=600']).toEqual(stuck('int'));
  });

  test('the same value as timedelta(seconds=600) completes', () => {
    expect(facts['timedelta=600']).toEqual({ outcome: 'completed', result: 'pong' });
  });
});
