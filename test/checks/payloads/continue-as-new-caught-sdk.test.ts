// The SDK facts continue-as-new-caught rests on, asked of a real worker (@temporalio/worker 1.24)
// on a real dev server (the `temporal` CLI on PATH), over test/fixtures/continue-as-new-caught-sdk:
// `await continueAsNew(...)` rejects with a ContinueAsNew (an Error, name 'ContinueAsNew', not a
// cancellation nor an ApplicationFailure); the run continues as new only when that error leaves
// the workflow function (@temporalio/workflow internals.ts handleWorkflowFailure: `error
// instanceof ContinueAsNew` pushes continueAsNewWorkflowExecution). A catch that returns completes
// the run; one that throws an ApplicationFailure fails it; one that throws a plain Error fails the
// workflow task (the run stays open and the task is retried); a rethrow, a finally, and `return
// continueAsNew(...)` (returned, not awaited: the catch never sees it) all continue as new.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../helpers/dev-server.js';

const workflowsPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/continue-as-new-caught-sdk/workflows.ts');
const taskQueue = 'continue-as-new-caught';

interface Outcome {
  result?: string;
  error?: unknown;
  /** Event types of the first run's history. */
  events: string[];
}

describe('continueAsNew inside a try, on a real worker and dev server', () => {
  let server: DevServer;
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    server = await startDevServer();
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: server.namespace });
    const native = await NativeConnection.connect({ address: server.address });
    try {
      const worker = await Worker.create({ connection: native, namespace: server.namespace, taskQueue, workflowsPath });
      await worker.runUntil(async () => {
        const run = async (workflowType: string) => {
          const handle = await client.workflow.start(workflowType, { taskQueue, workflowId: workflowType, args: [0] });
          let outcome: Omit<Outcome, 'events'>;
          if (workflowType === 'catchThrowsPlainError') {
            // The run stays open: wait until its workflow task has failed, then end it.
            for (let i = 0; i < 100; i++) {
              const history = await client.workflow.getHandle(workflowType, handle.firstExecutionRunId).fetchHistory();
              if (history.events?.some((e) => eventName(e.eventType) === 'WORKFLOW_TASK_FAILED')) break;
              await new Promise((r) => setTimeout(r, 100));
            }
            outcome = { result: (await handle.describe()).status.name };
            await handle.terminate('test over');
          } else {
            outcome = await handle.result().then((result: string) => ({ result }), (error: unknown) => ({ error }));
          }
          const history = await client.workflow.getHandle(workflowType, handle.firstExecutionRunId).fetchHistory();
          outcomes.set(workflowType, { ...outcome, events: (history.events ?? []).map((e) => eventName(e.eventType)) });
        };
        for (const type of ['catchReturns', 'catchThrowsFailure', 'catchThrowsPlainError', 'catchRethrows', 'returnedNotAwaited', 'finallyOnly']) await run(type);
      });
    } finally {
      await native.close();
      await connection.close();
    }
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('rejects with a ContinueAsNew: an Error named ContinueAsNew, neither a cancellation nor an ApplicationFailure', () => {
    expect(outcomes.get('catchReturns')!.result).toBe(
      'caught instanceof ContinueAsNew=true instanceof Error=true name=ContinueAsNew message=Workflow continued as new isCancellation=false instanceof ApplicationFailure=false',
    );
  });

  it('a catch that returns completes the first run: no continue-as-new', () => {
    const events = outcomes.get('catchReturns')!.events;
    expect(events.at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
    expect(events).not.toContain('WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
  });

  it('a catch that throws an ApplicationFailure fails the run with it', () => {
    const { error, events } = outcomes.get('catchThrowsFailure')!;
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('SyncError');
    expect(cause?.message).toBe('caught: Workflow continued as new');
    expect(events.at(-1)).toBe('WORKFLOW_EXECUTION_FAILED');
  });

  it('a catch that throws a plain Error fails the workflow task and leaves the run open', () => {
    const { result, events } = outcomes.get('catchThrowsPlainError')!;
    expect(result).toBe('RUNNING');
    expect(events).toContain('WORKFLOW_TASK_FAILED');
    expect(events).not.toContain('WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
  });

  it('a rethrow on the ContinueAsNew path, a finally, and a returned (not awaited) call continue as new', () => {
    for (const type of ['catchRethrows', 'finallyOnly', 'returnedNotAwaited']) {
      const { result, events } = outcomes.get(type)!;
      expect([type, result]).toEqual([type, 'round 1']);
      expect([type, events.at(-1)]).toEqual([type, 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW']);
    }
  });
});

/** `EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED` or its enum number, as the name without the prefix. */
function eventName(type: unknown): string {
  const name = typeof type === 'string' ? type : temporal.api.enums.v1.EventType[Number(type)];
  return String(name ?? type).replace(/^EVENT_TYPE_/, '');
}

// Python: workflow.continue_as_new() raises ContinueAsNewError (the worker's private
// _ContinueAsNewError subclass), which derives from BaseException and not from Exception
// (temporalio 1.35.0, temporalio/workflow/_workflow_ops.py), so `except Exception:` lets it through.
// Runs only when PREFLIGHT_PYTHON names an interpreter with temporalio installed.
const python = process.env.PREFLIGHT_PYTHON ?? '';
const pythonReady = python !== '' && existsSync(python) && spawnSync(python, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;

describe.skipIf(!pythonReady)('ContinueAsNewError in the Python SDK', () => {
  it('is a BaseException, not an Exception, and the worker raises a subclass of it', () => {
    const script = [
      'import json, temporalio',
      'from temporalio import workflow',
      'from temporalio.worker._workflow_instance import _ContinueAsNewError',
      'print(json.dumps({"version": temporalio.__version__, "exception": issubclass(workflow.ContinueAsNewError, Exception),',
      '  "base": issubclass(workflow.ContinueAsNewError, BaseException), "private": issubclass(_ContinueAsNewError, workflow.ContinueAsNewError)}))',
    ].join('\n');
    const run = spawnSync(python, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ version: '1.35.0', exception: false, base: true, private: true });
  });
});
