// The Python SDK facts the capacity and payload checks rely on, asked of the real temporalio
// package (1.35.0). Set PREFLIGHT_PYTHON to an interpreter that has it installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const python = process.env.PREFLIGHT_PYTHON ?? '/work/venvs/py16/bin/python';
const script = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sdk-capacity-facts', 'facts.py');
const available = fs.existsSync(python) && spawnSync(python, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;
if (!available) console.warn(`skipping the Python SDK capacity facts: no interpreter with temporalio at ${python} (set PREFLIGHT_PYTHON)`);

describe.skipIf(!available)('temporalio (Python SDK) capacity and payload facts', () => {
  let cached: Record<string, unknown> | undefined;
  const facts = () => {
    if (cached) return cached;
    const run = spawnSync(python, [script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    cached = JSON.parse(run.stdout) as Record<string, unknown>;
    return cached;
  };

  test('no slot option and no tuner is WorkerTuner.create_fixed(): 100 workflow, 100 activity, 100 local activity slots', () => {
    const f = facts();
    expect(f.version).toBe('1.35.0');
    expect([f.max_concurrent_activities, f.max_concurrent_workflow_tasks, f.max_concurrent_local_activities, f.tuner]).toEqual([null, null, null, null]);
    expect(f.implicit_tuner_is_create_fixed).toBe(true);
    expect(f.fixed_slots).toEqual({ workflow: 100, activity: 100, local_activity: 100 });
  });

  test('graceful_shutdown_timeout defaults to timedelta(0): running activities are cancelled as soon as shutdown starts', () => {
    expect(facts().graceful_shutdown_timeout_s).toBe(0);
  });

  test('cancellation interrupts activity code: an async one at its next await (task.cancel), a sync one by an exception raised in its thread unless no_thread_cancel_exception', () => {
    const f = facts();
    expect([f.async_cancel_cancels_task, f.sync_cancel_raises_in_thread, f.no_thread_cancel_exception_option]).toEqual([true, true, true]);
  });

  test('a sync (def) activity with no activity_executor raises ValueError when the Worker is built; an async one does not', () => {
    const f = facts();
    expect(f.activity_executor).toBe(null);
    expect(f.sync_without_executor).toBe('ValueError: Activity sync_activity is not async so an activity_executor must be present');
    expect(f.async_without_executor).toBe(null);
  });

  test('the continue-as-new API the history check looks for exists', () => {
    const f = facts();
    expect([f.history_guards, f.continue_as_new]).toEqual([true, true]);
  });
});
