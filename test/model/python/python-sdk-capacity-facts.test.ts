// The Python SDK facts the capacity and payload checks rely on, asked of the real temporalio
// package (1.35.0). Set PREFLIGHT_PYTHON to an interpreter that has it installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { PYTHON_OVERRIDING_POLL_OPTIONS, PYTHON_SLOT_OPTIONS_EXCLUSIVE_WITH_TUNER } from '../../../src/checks/capacity/worker-ignored-poller-options.js';
import { DEFAULT_ACTIVITY_SLOTS, DEFAULT_LOCAL_ACTIVITY_SLOTS } from '../../../src/engine/load-model.js';

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

  test('worker-capacity-below-peak sizes an unset max_concurrent_activities / max_concurrent_local_activities with the SDK default', () => {
    const slots = facts().fixed_slots as Record<string, number>;
    expect([slots.activity, slots.local_activity]).toEqual([DEFAULT_ACTIVITY_SLOTS, DEFAULT_LOCAL_ACTIVITY_SLOTS]);
  });

  test('poll counts are read, not ignored: a truthy max_concurrent_*_task_polls replaces the poller behavior (SimpleMaximum), 0 or None leaves it', () => {
    const f = facts();
    expect(f.poll_options).toEqual(Object.keys(PYTHON_OVERRIDING_POLL_OPTIONS));
    expect(f.poller_behavior_defaults).toEqual({
      workflow_task_poller_behavior: 'PollerBehaviorSimpleMaximum(maximum=5)',
      activity_task_poller_behavior: 'PollerBehaviorSimpleMaximum(maximum=5)',
    });
    expect(f.poll_count_replaces_behavior).toEqual({
      [PYTHON_OVERRIDING_POLL_OPTIONS.max_concurrent_workflow_task_polls]: 'PollerBehaviorSimpleMaximum(maximum=3)',
      [PYTHON_OVERRIDING_POLL_OPTIONS.max_concurrent_activity_task_polls]: 'PollerBehaviorSimpleMaximum(maximum=4)',
    });
    expect(f.zero_poll_count_keeps_behavior).toEqual({
      workflow_task_poller_behavior: 'PollerBehaviorAutoscaling(minimum=1, maximum=100, initial=5)',
      activity_task_poller_behavior: 'PollerBehaviorAutoscaling(minimum=1, maximum=100, initial=5)',
    });
  });

  test('a truthy slot option next to tuner= is a ValueError when the Worker is built; 0 is not', () => {
    const f = facts();
    expect(f.tuner_with_slots).toBe(
      `ValueError: Cannot specify ${Object.values(PYTHON_SLOT_OPTIONS_EXCLUSIVE_WITH_TUNER).slice(0, 3).join(', ')}, or ${PYTHON_SLOT_OPTIONS_EXCLUSIVE_WITH_TUNER.max_concurrent_nexus_tasks} when also specifying tuner`,
    );
    expect(f.tuner_with_zero_slots).toBe(null);
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
