// `replay` and `check --replay` on a Python project, as a user runs them (built CLI, child
// process): the histories were recorded from a real run of test/fixtures/python-replay/app
// against `temporal server start-dev` (greeting-ada.json with the Python SDK's
// WorkflowHistory.to_json, greeting-ada__<run>.json with `temporal-preflight fetch`; see
// record_histories.py), and replay through the real temporalio Replayer in PREFLIGHT_PYTHON.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cliScript, jsonOutput, leftoverProcesses, repoRoot, runCliProcess } from '../helpers/cli-process.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const python = process.env['PREFLIGHT_PYTHON'];
const available = Boolean(python) && spawnSync(python!, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;
if (!available) console.warn(`skipping the Python replay tests: set PREFLIGHT_PYTHON to an interpreter with temporalio installed${python ? ` (${python} has none)` : ''}`);

const fixtures = 'test/fixtures/python-replay';
const histories = `${fixtures}/histories`;
const fetched = `${histories}/greeting-ada__01a23cb2-29b4-71c4-bc7b-d4f8ae9d9ebe.json`;
const recorded = `${histories}/greeting-ada.json`;

interface ReplayJson {
  results: { file: string; workflowType: string; outcome: string; message: string; eventId: number | null; expected: string | null; issued: string | null; location?: { file: string; line: number } }[];
  summary: Record<string, number>;
}

const replay = (args: string[], env: Record<string, string> = {}) => runCliProcess(['replay', ...args], { timeoutMs: 120_000, env });

describe.skipIf(!available)('replay on a Python project (real temporalio Replayer)', () => {
  const temp = scratchFolderForSuite('py-replay-test');

  it('replays histories recorded from a real run: ok, exit 0', async () => {
    const run = await replay(['--python', python!, '--workflows', `${fixtures}/app`, recorded, fetched, '--format', 'json']);
    expect(run.stderr).toBe('replayed 1/2\nreplayed 2/2\n');
    expect(run.code).toBe(0);
    const report = jsonOutput(run) as ReplayJson;
    expect(report.results.map((r) => [r.file, r.workflowType, r.outcome])).toEqual([
      [recorded, 'GreetingWorkflow', 'ok'],
      [fetched, 'GreetingWorkflow', 'ok'],
    ]);
    expect(await leftoverProcesses(run.marker)).toEqual([]);
  });

  it('a changed workflow is nondeterminism naming the event, the recorded and the issued command and the line', async () => {
    const run = await replay(['--python', python!, '--workflows', `${fixtures}/changed`, fetched, '--format', 'json']);
    expect(run.code).toBe(1);
    const [result] = (jsonOutput(run) as ReplayJson).results;
    expect(result).toMatchObject({
      outcome: 'nondeterminism',
      eventId: 5,
      expected: 'ActivityTaskScheduled compose_greeting',
      issued: 'ScheduleActivityTask deliver_greeting',
      location: { file: 'test/fixtures/python-replay/changed/greeting/workflows.py', line: 14 },
      message: "[TMPRL1100] Nondeterminism error: Activity type of scheduled event 'compose_greeting' does not match activity type of activity command 'deliver_greeting'",
    });
  });

  it('a corrupt history in the folder is reported with the reason and the others still replay', async () => {
    const run = await replay(['--python', python!, '--workflows', `${fixtures}/app`, histories, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = jsonOutput(run) as ReplayJson;
    expect(report.results.map((r) => [r.file, r.outcome, r.message])).toEqual([
      [`${histories}/corrupt.json`, 'error', 'truncated JSON at byte 13'],
      [recorded, 'ok', ''],
      [fetched, 'ok', ''],
    ]);
    expect(report.summary).toEqual({ ok: 2, running: 0, nondeterminism: 0, error: 1 });
  });

  it('a workflow module that fails to import is named on one line; the other workflows still replay', async () => {
    const run = await replay(['--python', python!, '--workflows', `${fixtures}/broken`, recorded, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n').filter((line) => !line.startsWith('replayed '))).toEqual([
      "temporal-preflight: greeting.reports: cannot import the workflow module (ModuleNotFoundError: No module named 'preflight_fixture_missing_package'); its workflows are not replayed",
      '',
    ]);
    expect((jsonOutput(run) as ReplayJson).summary).toEqual({ ok: 1, running: 0, nondeterminism: 0, error: 0 });
  });

  it('a missing interpreter is a one-line error, exit 2', async () => {
    const run = await replay(['--python', '/no/such/python3', '--workflows', `${fixtures}/app`, recorded]);
    expect(run.stderr).toBe('temporal-preflight: --python /no/such/python3: no such interpreter\n');
    expect(run.code).toBe(2);
  });

  it('an interpreter without temporalio is named with the install command, exit 2', async () => {
    // the same interpreter without site-packages (-S) has no temporalio
    const bare = path.join(temp, 'python-without-sdk');
    fs.writeFileSync(bare, `#!/bin/sh\nexec "${python}" -S "$@"\n`, { mode: 0o755 });
    const run = await replay(['--python', bare, '--workflows', `${fixtures}/app`, recorded]);
    expect(run.stderr).toBe(
      `temporal-preflight: ${bare}: the Temporal Python SDK is not installed in this environment (ModuleNotFoundError: No module named 'temporalio'); install it there: ${bare} -m pip install temporalio\n`,
    );
    expect(run.code).toBe(2);
  });

  it('a module that never finishes importing is stopped at the deadline, and nothing is left running', async () => {
    const run = await replay(['--python', python!, '--workflows', `${fixtures}/hang`, recorded, '--format', 'json'], { PREFLIGHT_REPLAY_DEADLINE_MS: '3000' });
    expect(run.code).toBe(1);
    const [result] = (jsonOutput(run) as ReplayJson).results;
    expect([result!.outcome, result!.message]).toEqual(['error', 'the workflow modules did not import within 3 s: the Python replay process was stopped']);
    expect(await leftoverProcesses(run.marker)).toEqual([]);
  });

  it('SIGTERM stops the Python replay process with the run: exit 143, one line, nothing left', async () => {
    const marker = randomUUID();
    const child = spawn(process.execPath, [cliScript, 'replay', '--python', python!, '--workflows', `${fixtures}/hang`, recorded], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', PREFLIGHT_TEST_RUN: marker },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // wait until the driver runs (importing the module that never finishes)
    const deadline = Date.now() + 30_000;
    while (!(await leftoverProcesses(marker, 0)).some((p) => p.includes('replay_driver.py')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(stderr).toBe('temporal-preflight: stopped by SIGTERM; the Python replay processes are stopped\n');
    expect(await leftoverProcesses(marker)).toEqual([]);
  });

  it('check --replay on the Python directory adds the nondeterminism to determinism', async () => {
    const run = await runCliProcess(['check', `${fixtures}/changed`, '--histories', fetched, '--replay', '--python', python!, '--format', 'json'], { timeoutMs: 170_000 });
    expect(run.code).toBe(1);
    const report = jsonOutput(run) as { findings: { checkId: string; severity: string; file: string; line: number }[]; areas: { area: string; status: string }[] };
    expect(report.findings.filter((f) => f.checkId.startsWith('replay-')).map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['replay-nondeterminism error greeting/workflows.py:14']);
    expect(report.areas.find((a) => a.area === 'determinism')!.status).toBe('fail');
  });
});

