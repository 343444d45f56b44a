// What a Python workflow's `except` really receives when an activity, a local activity or a child
// workflow raises ApplicationError, asked of a real Worker (temporalio 1.35.0) against a real dev
// server (the `temporal` CLI on PATH): the facts workflow-catch-tests-application-failure encodes.
// Runs only when PREFLIGHT_PYTHON names an interpreter with temporalio installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const python = process.env.PREFLIGHT_PYTHON ?? '';
const dir = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sdk-facts');
const temporal = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).stdout.trim();
const available = python !== '' && fs.existsSync(python) && temporal !== '' && spawnSync(python, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;
if (!available) console.warn('skipping the Python catch facts: set PREFLIGHT_PYTHON to an interpreter with temporalio, and put the temporal CLI on PATH');

interface Seen {
  class: string;
  is_application_error: boolean;
  cause_class: string | null;
  cause_attribute_class: string | null;
}

describe.skipIf(!available)('temporalio (Python SDK): what a workflow catches, on a real worker and dev server', () => {
  let facts: { version: string; seen: Record<string, Seen> };
  beforeAll(() => {
    const run = spawnSync(python, ['catch_facts.py', temporal], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    facts = JSON.parse(run.stdout.trim().split('\n').pop()!);
  }, 130_000);

  test('an activity (executed or started and awaited) fails as ActivityError, a child as ChildWorkflowError, with the ApplicationError as cause and __cause__; except ApplicationError does not take it', () => {
    expect(facts.version).toBe('1.35.0');
    const wrapped = (cls: string): Seen => ({ class: cls, is_application_error: false, cause_class: 'ApplicationError', cause_attribute_class: 'ApplicationError' });
    expect(facts.seen['execute_activity_except_application_error']).toBeUndefined();
    expect(facts.seen['execute_activity']).toEqual(wrapped('ActivityError'));
    expect(facts.seen['start_activity_awaited']).toEqual(wrapped('ActivityError'));
    expect(facts.seen['execute_child_workflow']).toEqual(wrapped('ChildWorkflowError'));
  });

  test('a local activity passes its ApplicationError through unwrapped', () => {
    expect(facts.seen['execute_local_activity']).toEqual({ class: 'ApplicationError', is_application_error: true, cause_class: null, cause_attribute_class: null });
  });
});
