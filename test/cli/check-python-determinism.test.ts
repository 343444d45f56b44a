// The determinism checks on Python code, as a user runs them (built CLI, child process): calls the
// workflow sandbox rejects (error) or lets through (warning), the sandbox switched off (info),
// plain exceptions raised by workflows, unregistered workflow types and the missing replay test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchFolder } from '../helpers/scratch-folder.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

interface Finding {
  checkId: string;
  area: string;
  severity: string;
  file?: string;
  line?: number;
  message: string;
  fix: string;
}

function check(dir: string) {
  const run = spawnSync(process.execPath, ['dist/cli/main.js', 'check', dir, '--format', 'json'], { cwd: repoRoot, encoding: 'utf8', timeout: 170_000 });
  expect(run.error).toBeUndefined();
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as { verdict: string; findings: Finding[]; areas: { area: string; status: string }[] };
  const determinism = report.findings.filter((f) => f.area === 'determinism');
  return { run, report, determinism, where: determinism.map((f) => `${f.checkId} ${f.severity} ${f.file ?? '-'}:${f.line ?? '-'}`) };
}

describe('determinism on Python code (built CLI, child process)', () => {
  it('finds the determinism defects of examples/python-prototype-app at their lines', { timeout: 180_000 }, () => {
    const { run, report, where, determinism } = check('examples/python-prototype-app');
    expect(run.status).toBe(1);
    expect(report.verdict).toBe('NO-GO');
    expect(where).toEqual([
      'no-replay-test warning -:-',
      'workflow-nondeterministic-call warning report_store.py:5',
      'workflow-not-registered error starter.py:29',
      // The cancel signal sets self._cancelled and nothing reads it.
      'workflow-signal-state-read-too-early warning workflows.py:35',
      'workflow-throws-plain-error info workflows.py:62',
      'workflow-nondeterministic-call error workflows.py:63',
      'workflow-nondeterministic-call error workflows.py:64',
    ]);
    expect(report.areas.find((a) => a.area === 'determinism')?.status).toBe('fail');
    const at = (id: string, file: string, line: number) => determinism.find((f) => f.checkId === id && f.file === file && f.line === line)!;
    expect(at('workflow-nondeterministic-call', 'workflows.py', 63).message).toContain('rejects datetime.datetime.now at run time with RestrictedWorkflowAccessError');
    expect(at('workflow-nondeterministic-call', 'workflows.py', 63).fix).toContain('workflow.now()');
    expect(at('workflow-nondeterministic-call', 'workflows.py', 64).fix).toContain('workflow.uuid4()');
    expect(at('workflow-nondeterministic-call', 'report_store.py', 5).message).toContain('(reached through workflows.py:68). It is in code passed through the sandbox');
    expect(at('workflow-throws-plain-error', 'workflows.py', 62).fix).toContain('ApplicationError(message, type="ValueError", non_retryable=True)');
    expect(at('workflow-not-registered', 'starter.py', 29).message).toContain("starts workflow type 'daily-report', but no Worker(workflows=[...]) of the project registers it");
  });

  it('tells rejected from let-through calls and leaves activities, locals, replay-guarded logging, caught exceptions and queries alone', { timeout: 180_000 }, () => {
    const { where, determinism } = check('test/fixtures/python-determinism');
    expect(where).toEqual([
      'no-replay-test warning -:-',
      'workflow-nondeterministic-call error helpers.py:8',
      'workflow-nondeterministic-call warning store.py:5',
      'workflow-not-registered error worker.py:10',
      'workflow-nondeterministic-call error workflows.py:40',
      'workflow-nondeterministic-call error workflows.py:41',
      'workflow-nondeterministic-call error workflows.py:42',
      'workflow-nondeterministic-call error workflows.py:43',
      'workflow-nondeterministic-call error workflows.py:44',
      'workflow-nondeterministic-call warning workflows.py:50',
      // The worker registers activities=[] and nothing here starts Orders by its type: a warning.
      'activity-not-registered warning workflows.py:58',
      'workflow-throws-plain-error info workflows.py:60',
      'workflow-sandbox-disabled info workflows.py:74',
      'workflow-nondeterministic-call warning workflows.py:80',
    ]);
    const at = (file: string, line: number) => determinism.find((f) => f.file === file && f.line === line)!;
    expect(at('workflows.py', 41).fix).toContain('await asyncio.sleep(seconds) or await workflow.sleep(timedelta(...))');
    expect(at('workflows.py', 42).fix).toContain('workflow.random()');
    expect(at('workflows.py', 44).message).toContain('reads os.environ');
    expect(at('workflows.py', 50).message).toContain('workflow.unsafe.sandbox_unrestricted()');
    expect(at('workflows.py', 80).message).toContain('runs without the sandbox');
  });

  it("reads the worker's own SandboxRestrictions: a module they lift is info, the rest stays an error", { timeout: 180_000 }, () => {
    expect(check('test/fixtures/python-determinism-lifted').where.filter((w) => w.startsWith('workflow-nondeterministic-call'))).toEqual([
      'workflow-nondeterministic-call info workflows.py:11',
      'workflow-nondeterministic-call error workflows.py:12',
    ]);
  });

  it("reads a worker that passes the workflow's own package through: its calls are let through (warning), another package's stay an error", { timeout: 180_000 }, () => {
    // with_passthrough_modules("src") makes the sandbox take src.flows.stamped from the host
    // (temporalio's module_configured_passthrough matches a module by its packages too), so its
    // datetime.now() is the real one; jobs.nightly is re-imported in the sandbox and rejected.
    const { determinism, where } = check('test/fixtures/python-determinism-module-passthrough');
    expect(where.filter((w) => w.startsWith('workflow-nondeterministic-call'))).toEqual([
      'workflow-nondeterministic-call error jobs/nightly.py:11',
      'workflow-nondeterministic-call warning src/flows/stamped.py:11',
    ]);
    // the two calls in Stamped are one root cause: one finding, the second call listed
    const stamped = determinism.find((f) => f.file === 'src/flows/stamped.py')!;
    expect(stamped.message).toContain('Workflow Stamped calls datetime.now(), and a call of the same kind at src/flows/stamped.py:12. It is in code passed through the sandbox');
    expect((stamped as Finding & { related?: { file: string; line: number }[] }).related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/flows/stamped.py:12']);
  });

  it('counts a pytest that replays histories with the Replayer as a replay test', { timeout: 180_000 }, () => {
    const dir = scratchFolder('py-replay');

    fs.cpSync(path.join(repoRoot, 'test/fixtures/python-determinism'), dir, { recursive: true });
    fs.mkdirSync(path.join(dir, 'tests'));
    fs.writeFileSync(
      path.join(dir, 'tests/test_replay.py'),
      ['from temporalio.worker import Replayer', '', 'from workflows import Orders', '', '', 'async def test_replay(history):', '    await Replayer(workflows=[Orders]).replay_workflow(history)', ''].join('\n'),
    );
    expect(check(dir).where.filter((w) => w.startsWith('no-replay-test'))).toEqual([]);
  });
});
