// What happens to a workflow that iterates a set of strings when another worker process replays it,
// asked of a real Worker and the Replayer (temporalio 1.35.0) against a real dev server (the
// `temporal` CLI on PATH): the fact behind workflow-nondeterministic-call's set-order finding.
// Python salts str hashing per process (PYTHONHASHSEED), and the SDK's sandbox does nothing about
// it. Runs only when PREFLIGHT_PYTHON names an interpreter with temporalio installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const python = process.env.PREFLIGHT_PYTHON ?? '';
const dir = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sdk-facts');
const temporal = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).stdout.trim();
const pythonOnly = python !== '' && fs.existsSync(python) && spawnSync(python, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;
const available = pythonOnly && temporal !== '';

type Outcome = { outcome: string; error?: string; message?: string };
interface Facts {
  order_differs_between_processes: boolean;
  same_seed_same_order: boolean;
  sandbox_order_is_the_process_order: boolean;
  sandbox_order_differs_between_processes: boolean;
  SetOrderTypes: { same_seed: Outcome; other_seed: Outcome };
  SetOrderArgs: { same_seed: Outcome; other_seed: Outcome };
}

describe.skipIf(!pythonOnly)('temporalio (Python SDK) sandbox source: nothing about str hash randomization', () => {
  test('the SDK never sets PYTHONHASHSEED, and the sandbox restricts no set or hash builtin', () => {
    const script = [
      'import json, pathlib, temporalio',
      'from temporalio.worker.workflow_sandbox._restrictions import SandboxRestrictions',
      'root = pathlib.Path(temporalio.__file__).parent',
      'mentions = sorted(str(p.relative_to(root)) for p in root.rglob("*.py") if "HASHSEED" in p.read_text(errors="ignore"))',
      'builtins = SandboxRestrictions.invalid_module_members_default.children["__builtins__"]',
      'restricted = sorted(set(builtins.use) | set(builtins.children))',
      'print(json.dumps({"version": temporalio.__version__, "mentions": mentions, "restricted_builtins": restricted}))',
    ].join('\n');
    const run = spawnSync(python, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ version: '1.35.0', mentions: [], restricted_builtins: ['breakpoint', 'input', 'open'] });
  });
});

describe.skipIf(!available)('temporalio (Python SDK) a set of strings iterated in a workflow, replayed by another process', () => {
  let facts: Facts;
  beforeAll(() => {
    const run = spawnSync(python, ['set_order_facts.py', temporal], { cwd: dir, encoding: 'utf8', timeout: 150_000 });
    expect({ status: run.status, signal: run.signal }, run.stderr.slice(-4000)).toEqual({ status: 0, signal: null });
    // The dev server prints a banner on stdout: the facts are the last line.
    facts = JSON.parse(run.stdout.trim().split('\n').pop()!) as Facts;
  }, 160_000);

  test('a set of strings iterates in another order in another process (another PYTHONHASHSEED), inside the sandbox too', () => {
    expect(facts.order_differs_between_processes).toBe(true);
    expect(facts.same_seed_same_order).toBe(true);
    expect(facts.sandbox_order_is_the_process_order).toBe(true);
    expect(facts.sandbox_order_differs_between_processes).toBe(true);
  });

  test('one activity type per element: the replay in another process fails with a NondeterminismError; the same process replays it', () => {
    expect(facts.SetOrderTypes.same_seed).toEqual({ outcome: 'replayed' });
    expect(facts.SetOrderTypes.other_seed).toMatchObject({ outcome: 'failed', error: 'NondeterminismError', message: expect.stringContaining('Activity type of scheduled event') });
  });

  test('one activity type, the element as argument: the replay in another process passes the loop and hands each element another element\'s result (no error there: the next differing command fails)', () => {
    expect(facts.SetOrderArgs.same_seed).toEqual({ outcome: 'replayed' });
    expect(facts.SetOrderArgs.other_seed).toMatchObject({
      outcome: 'failed',
      error: 'NondeterminismError',
      message: expect.stringContaining("Activity type of scheduled event 'results_matched' does not match activity type of activity command 'results_misattributed'"),
    });
  });
});
