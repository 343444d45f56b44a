// What the Python SDK does with a start whose argument count does not fit the run method, and with
// an activity call whose count does not fit the activity function, asked of a real Worker
// (temporalio 1.35.0) and dev server: the facts workflow-start-arguments-mismatch and
// activity-arguments-mismatch encode. Runs only when PREFLIGHT_PYTHON names an interpreter with
// temporalio installed and the temporal CLI is on PATH.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const python = process.env.PREFLIGHT_PYTHON ?? '';
const dir = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sdk-facts');
const temporal = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).stdout.trim();
const available = python !== '' && fs.existsSync(python) && temporal !== '' && spawnSync(python, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;

type Outcome = { outcome: string; status?: string; message?: string; result?: unknown; attempts_spent?: string; type?: string; non_retryable?: boolean };

describe.skipIf(!available)('temporalio (Python SDK) start argument count, on a real worker and dev server', () => {
  let facts: Record<string, Outcome>;
  beforeAll(() => {
    const run = spawnSync(python, ['start_arguments_facts.py', temporal], { cwd: dir, encoding: 'utf8', timeout: 150_000 });
    expect({ status: run.status, signal: run.signal }, run.stderr.slice(-4000)).toEqual({ status: 0, signal: null });
    facts = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, Outcome>;
  }, 160_000);

  test('one argument too many or a required parameter without one fails the workflow task (TypeError), the workflow stays Running', () => {
    expect(facts.typed_three).toMatchObject({ outcome: 'stuck', status: 'RUNNING', message: 'TwoArgs.run() takes from 2 to 3 positional arguments but 4 were given' });
    expect(facts.untyped_three).toMatchObject({ outcome: 'stuck', status: 'RUNNING', message: 'Untyped.run() takes from 2 to 3 positional arguments but 4 were given' });
    expect(facts.typed_none).toMatchObject({ outcome: 'stuck', status: 'RUNNING', message: "TwoArgs.run() missing 1 required positional argument: 'customer_id'" });
  });

  test('a count the run method takes completes; *args takes any count', () => {
    expect(facts.typed_two).toEqual({ outcome: 'completed', result: 'c:1' });
    expect(facts.star_three).toEqual({ outcome: 'completed', result: 3 });
  });

  // activity-arguments-mismatch: nothing counts an activity call's arguments before the activity
  // worker calls the function with them; a bound method's self takes none.
  test('an activity call with one argument too many or a required parameter without one fails every attempt with a retryable TypeError', () => {
    expect(facts.activity_function_extra).toEqual({ outcome: 'failed', attempts_spent: 'MAXIMUM_ATTEMPTS_REACHED', type: 'TypeError', non_retryable: false, message: 'one_config() takes 1 positional argument but 2 were given' });
    expect(facts.activity_method_missing).toEqual({ outcome: 'failed', attempts_spent: 'MAXIMUM_ATTEMPTS_REACHED', type: 'TypeError', non_retryable: false, message: "Pairs.pair() missing 1 required positional argument: 'b'" });
    expect(facts.activity_method_fits).toEqual({ outcome: 'completed', result: 'a1' });
  });
});

// The start calls' keywords, read from the installed SDK (temporalio 1.35.0): every option is
// keyword-only and none of the calls takes **kwargs, so a workflow parameter passed as a keyword
// (`start_workflow(wf, **args, id=..., task_queue=...)`) raises TypeError before anything is sent.
const pythonOnly = python !== '' && fs.existsSync(python) && spawnSync(python, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;

describe.skipIf(!pythonOnly)('temporalio (Python SDK) start calls take no **kwargs', () => {
  test('start_workflow, execute_workflow, start_child_workflow and ScheduleActionStartWorkflow reject a keyword that is not an option', () => {
    const script = [
      'import inspect, json',
      'from temporalio import client, workflow',
      'out = {}',
      'for name, fn in [("start_workflow", client.Client.start_workflow), ("execute_workflow", client.Client.execute_workflow), ("start_child_workflow", workflow.start_child_workflow), ("ScheduleActionStartWorkflow", client.ScheduleActionStartWorkflow.__init__)]:',
      '    sig = inspect.signature(fn)',
      '    kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values())',
      '    first = ["self"] if "self" in sig.parameters else []',
      '    try:',
      '        sig.bind(*([None] * len(first)), "Wf", id="x", task_queue="q", project_id="p")',
      '        error = None',
      '    except TypeError as e:',
      '        error = str(e)',
      '    out[name] = {"kwargs": kwargs, "error": error}',
      'print(json.dumps(out))',
    ].join('\n');
    const run = spawnSync(python, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const facts = JSON.parse(run.stdout.trim()) as Record<string, { kwargs: boolean; error: string | null }>;
    for (const name of ['start_workflow', 'execute_workflow', 'start_child_workflow', 'ScheduleActionStartWorkflow']) {
      expect(facts[name]).toEqual({ kwargs: false, error: "got an unexpected keyword argument 'project_id'" });
    }
  });
});
