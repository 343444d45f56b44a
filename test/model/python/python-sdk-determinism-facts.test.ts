// What the Python SDK's workflow sandbox really does, asked of a real Worker (temporalio 1.35.0)
// against a real dev server (the `temporal` CLI on PATH, started by the SDK on a free port): the
// facts the Python determinism checks encode. Runs only when PREFLIGHT_PYTHON names an
// interpreter with temporalio installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const python = process.env.PREFLIGHT_PYTHON ?? '';
const dir = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sdk-facts');
const temporal = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).stdout.trim();
const available = python !== '' && fs.existsSync(python) && temporal !== '' && spawnSync(python, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;
if (!available) console.warn('skipping the Python sandbox facts: set PREFLIGHT_PYTHON to an interpreter with temporalio, and put the temporal CLI on PATH');

type Outcome = { outcome: string; message?: string };
interface Facts {
  version: string;
  sandboxed: Record<string, 'allowed' | 'restricted'>;
  sandboxed_false: Record<string, 'allowed' | 'restricted'>;
  unsandboxed_runner: Record<string, 'allowed' | 'restricted'>;
  raise: Record<string, Outcome>;
  log_lines_without_cache: Record<string, number>;
  unregistered_type: Outcome;
  update_raises: Record<string, Outcome>;
  replayer_api: string[];
}

describe.skipIf(!available)('temporalio (Python SDK) workflow sandbox, on a real worker and dev server', () => {
  let facts: Facts;
  beforeAll(() => {
    const run = spawnSync(python, ['determinism_facts.py', temporal], { cwd: dir, encoding: 'utf8', timeout: 150_000 });
    expect(run.status, run.stderr).toBe(0);
    // The dev server prints a banner on stdout: the facts are the last line.
    facts = JSON.parse(run.stdout.trim().split('\n').pop()!) as Facts;
  }, 160_000);

  test('the sandbox rejects the non-deterministic calls at run time (RestrictedWorkflowAccessError); datetime.now() is rejected, not made deterministic', () => {
    expect(facts.version).toBe('1.35.0');
    const restricted = Object.entries(facts.sandboxed).filter(([, v]) => v === 'restricted').map(([k]) => k).sort();
    expect(restricted).toEqual([
      'datetime.date.today',
      'datetime.datetime.now',
      'datetime.datetime.today',
      'datetime.datetime.utcnow',
      'open',
      'os.environ.get',
      'os.environ[]',
      'os.getenv',
      'project helper calling time.time',
      'random.choice',
      'random.randint',
      'random.random',
      'socket.socket',
      'subprocess.run',
      'threading.Lock',
      'threading.Thread',
      'time.monotonic',
      'time.sleep',
      'time.time',
      'urllib.request.urlopen',
      'uuid.uuid4',
    ]);
  });

  test('what the sandbox lets through: the workflow.* replacements, asyncio.sleep, seeded random.Random, uuid5, fromtimestamp, and a passed-through module calling time.time()', () => {
    for (const name of ['workflow.now', 'workflow.random', 'workflow.uuid4', 'asyncio.sleep', 'random.Random', 'uuid.uuid5', 'datetime.datetime.fromtimestamp', 'passed-through helper calling time.time']) {
      expect([name, facts.sandboxed[name]]).toEqual([name, 'allowed']);
    }
    expect(facts.sandboxed['time.time in sandbox_unrestricted']).toBe('allowed');
  });

  test('sandboxed=False and UnsandboxedWorkflowRunner let every call through: nothing stops a non-deterministic call', () => {
    expect(Object.values(facts.sandboxed_false).every((v) => v === 'allowed')).toBe(true);
    expect(Object.values(facts.unsandboxed_runner).every((v) => v === 'allowed')).toBe(true);
  });

  test('a restricted call or a plain exception fails the workflow task (retried), not the workflow; ApplicationError and listed types fail the workflow', () => {
    expect(facts.raise['datetime.now']).toEqual({ outcome: 'workflow-task-failed', message: expect.stringContaining('Cannot access datetime.datetime.now.__call__ from inside a workflow') });
    expect(facts.raise.ValueError).toEqual({ outcome: 'workflow-task-failed', message: 'bad input' });
    expect(facts.raise.ApplicationError).toEqual({ outcome: 'workflow-failed' });
    expect(facts.raise['ValueError listed in failure_exception_types']).toEqual({ outcome: 'workflow-failed' });
    expect(facts.raise['ValueError with worker workflow_failure_exception_types']).toEqual({ outcome: 'workflow-failed' });
  });

  test('a failed conversion of received data fails the workflow task too: Enum(value), a split unpacked into names, also in a WorkflowInboundInterceptor (workflow-conversion-fails-task)', () => {
    expect(facts.raise['Enum(value)']).toEqual({ outcome: 'workflow-task-failed', message: "'Enum' is not a valid Color" });
    expect(facts.raise['split unpacked']).toEqual({ outcome: 'workflow-task-failed', message: 'not enough values to unpack (expected 2, got 1)' });
    expect(facts.raise['split unpacked in a WorkflowInboundInterceptor']).toEqual({ outcome: 'workflow-task-failed', message: 'not enough values to unpack (expected 2, got 1)' });
  });

  test('workflow.logger writes a line once; a logger that knows nothing of replay (loguru, a plain logging.Logger) and print write it again on every replay (workflow-log-not-replay-aware)', () => {
    // Three workflow tasks on a worker without a workflow cache: each replays the run from its start.
    expect(facts.log_lines_without_cache).toEqual({ 'from a plain logger': 3, 'from print': 3, 'from workflow.logger': 1 });
  });

  test('an update handler that raises a plain exception after its update was accepted fails the workflow TASK (retried; the update is never answered); ApplicationError and a validator\'s exception fail only the update (workflow-throws-plain-error)', () => {
    expect(facts.update_raises['ValueError in the handler']).toEqual({ outcome: 'workflow-task-failed', message: 'bad update' });
    expect(facts.update_raises['ApplicationError in the handler']).toEqual({ outcome: 'update-failed', message: expect.stringContaining('bad update') });
    expect(facts.update_raises['ValueError in the validator']).toEqual({ outcome: 'update-failed', message: expect.stringContaining('rejected by its validator') });
  });

  test('a workflow type no worker on the queue registers fails its workflow task with NotFoundError (retried)', () => {
    expect(facts.unregistered_type).toEqual({ outcome: 'workflow-task-failed', message: expect.stringContaining('Workflow class NotRegistered is not registered on this worker') });
  });

  test('the Replayer API a replay test uses', () => {
    expect(facts.replayer_api).toEqual(['replay_workflow', 'replay_workflows', 'workflow_replay_iterator']);
  });
});
