// The SDK facts workflow-handlers-unfinished rests on, read from the installed SDKs' sources:
// a handler still running when the workflow completes is abandoned with a warning (default policy
// WARN_AND_ABANDON), the client of an unfinished update gets an error, continue-as-new counts as
// completing, and allHandlersFinished / all_handlers_finished is the wait to put before it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const workflowLib = path.dirname(require.resolve('@temporalio/workflow'));

describe('@temporalio/workflow: unfinished handlers', () => {
  const internals = fs.readFileSync(path.join(workflowLib, 'internals.js'), 'utf8');
  const workerInterface = fs.readFileSync(path.join(workflowLib, 'worker-interface.js'), 'utf8');
  const declarations = fs.readFileSync(path.join(workflowLib, 'workflow.d.ts'), 'utf8');

  it('warns about handlers still running when the run completes, and only those left at WARN_AND_ABANDON', () => {
    expect(workerInterface).toMatch(/if \(activator\.completed\) \{\s*activator\.warnIfUnfinishedHandlers\(\);/);
    expect(internals).toContain('ex.unfinishedPolicy === common_1.HandlerUnfinishedPolicy.WARN_AND_ABANDON');
    // The default policy of a signal handler.
    expect(internals).toContain('signalHandler?.unfinishedPolicy ?? common_1.HandlerUnfinishedPolicy.WARN_AND_ABANDON');
    expect(internals).toContain('[TMPRL1102] Workflow finished while a signal handler was still running. This may have interrupted work that the');
    expect(internals).toContain("client that sent the update will receive a 'workflow execution");
  });

  it('offers allHandlersFinished as the wait before return or continue-as-new', () => {
    expect(declarations).toContain('export declare function allHandlersFinished(): boolean;');
    expect(declarations).toContain('Consider waiting on this condition before workflow return or continue-as-new');
  });
});

const python = process.env.PREFLIGHT_PYTHON ?? '';
const pythonAvailable = python !== '' && fs.existsSync(python) && spawnSync(python, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;

describe.skipIf(!pythonAvailable)('temporalio (Python): unfinished handlers', () => {
  it('warns on any completing command, continue-as-new included, and offers all_handlers_finished', () => {
    const run = spawnSync(
      python,
      ['-c', 'import inspect, temporalio, temporalio.worker._workflow_instance as w, temporalio.workflow as wf; print(temporalio.__version__); print(inspect.getsource(w)); print(inspect.getsource(wf.all_handlers_finished)); print(wf.HandlerUnfinishedPolicy.__doc__)'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const source = run.stdout;
    expect(source.split('\n')[0]).toBe('1.35.0');
    expect(source).toMatch(/or command\.HasField\("continue_as_new_workflow_execution"\)[\s\S]{0,300}if any\(map\(is_completion, self\._current_completion\.successful\.commands\)\):\s*self\._warn_if_unfinished_handlers\(\)/);
    expect(source).toContain('[TMPRL1102] Workflow finished while signal handlers are still running.');
    expect(source).toContain('def all_handlers_finished() -> bool:');
    expect(source).toContain('The workflow exit may be due to successful return, failure, cancellation, or continue-as-new.');
  });
});
