// What a Python workflow's `except` really receives when an activity, a local activity or a child
// workflow raises ApplicationError, asked of a real Worker (temporalio 1.35.0) against a real dev
// server (the `temporal` CLI, started here through the helper the other tests use): the facts
// workflow-catch-tests-application-failure encodes. Runs only when PREFLIGHT_PYTHON names an
// interpreter with temporalio installed.
//
// The server is ours, not the SDK's (WorkflowEnvironment.start_local): its start waits up to 60 s
// instead of the SDK's 5 s (too short under load), it is stopped in afterAll whatever happened, and
// a Python run killed at its deadline leaves no server behind (one the SDK started outlives a killed
// Python). The script leaves with os._exit once the facts are printed (see catch_facts.py: the
// SDK's threads can abort the finalizing interpreter), logs each phase's end on stderr, which a
// failure shows, and runs asynchronously so the server's output keeps draining meanwhile.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findTemporalCli, startDevServer, type DevServer } from '../../helpers/dev-server.js';

const python = process.env.PREFLIGHT_PYTHON ?? '';
const dir = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sdk-facts');
const temporal = (() => {
  try {
    return findTemporalCli();
  } catch {
    return '';
  }
})();
const available = python !== '' && fs.existsSync(python) && temporal !== '' && spawnSync(python, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;
if (!available) console.warn('skipping the Python catch facts: set PREFLIGHT_PYTHON to an interpreter with temporalio, and put the temporal CLI on PATH');

/** Runs the script to its end, or kills it (SIGKILL) at the deadline; never throws. */
function runScript(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(python, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => {
    stderr += `\nkilled after ${timeoutMs} ms\n`;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ status: null, stdout, stderr: `${stderr}\n${error.message}` });
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

interface Seen {
  class: string;
  is_application_error: boolean;
  cause_class: string | null;
  cause_attribute_class: string | null;
}

describe.skipIf(!available)('temporalio (Python SDK): what a workflow catches, on a real worker and dev server', () => {
  let facts: { version: string; seen: Record<string, Seen> };
  let server: DevServer | undefined;
  beforeAll(async () => {
    server = await startDevServer({ cliPath: temporal });
    const env = { ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace, PYTHONDONTWRITEBYTECODE: '1' };
    const run = await runScript(['catch_facts.py'], env, 120_000);
    expect(run.status, run.stderr).toBe(0);
    facts = JSON.parse(run.stdout.trim().split('\n').pop()!);
  }, 190_000);

  afterAll(async () => {
    await server?.stop();
  }, 30_000);

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
