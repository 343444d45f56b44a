// Drills with a worker in another language (--worker-command), as a user runs them (built CLI,
// child process, throwaway dev server): the Python fixture worker reads TEMPORAL_ADDRESS,
// TEMPORAL_NAMESPACE and TEMPORAL_TASK_QUEUE, runs through `sh -c` (a `cd ... &&` wrapper, so
// the shell is the parent of python), and is SIGKILLed as a process group and started again.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LoadDrillReport } from '../../src/drill/load/load-report.js';
import type { OutageDrillReport } from '../../src/drill/outage/outage-report.js';
import type { RestartDrillReport } from '../../src/drill/restart/restart-report.js';
import { jsonOutput, leftoverProcesses, runCliProcess } from '../helpers/cli-process.js';

const python = process.env['PREFLIGHT_PYTHON'];
const available = Boolean(python) && spawnSync(python!, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;
if (!available) console.warn(`skipping the --worker-command drills: set PREFLIGHT_PYTHON to an interpreter with temporalio installed${python ? ` (${python} has none)` : ''}`);

const scenario = 'test/fixtures/python-drill/scenario.json';
const workerCommand = () => `cd test/fixtures/python-replay/app && '${python}' -m greeting.worker`;
const BOUND_MS = 240_000;

describe.skipIf(!available)('drill with --worker-command (real Python worker, real dev server)', () => {
  it('restart: the Python worker is SIGKILLed twice and every workflow finishes after the restarts, nothing left', async () => {
    const run = await runCliProcess(['drill', 'restart', '--worker-command', workerCommand(), '--scenario', scenario, '--restarts', '2', '--seed', '3', '--format', 'json'], { timeoutMs: BOUND_MS });
    expect(run.timedOut).toBe(false);
    const report = jsonOutput(run) as RestartDrillReport;
    expect(report.problems).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(run.code).toBe(0);
    expect(report.summary).toEqual({ workflows: 4, completed: 4, failed: 0, open: 0, nondeterminism: 0, resultsDiffer: 0 });
    expect(report.restarts).toHaveLength(2);
    // the first kill landed while workflows were open, so they finished on a restarted worker
    expect(report.restarts[0]!.openWorkflows).toBeGreaterThan(0);
    expect(report.workflows.map((w) => [w.key, w.outcome, w.result])).toEqual([0, 1, 2, 3].map((i) => [`GreetingWorkflow-0-${i}`, 'completed', 'equal']));
    expect(await leftoverProcesses(run.marker)).toEqual([]);
    expect(run.leftoverTemp).toEqual([]);
  }, BOUND_MS + 20_000);

  it('load: starts at the given rate reach the Python worker; its slots are reported unknown, not guessed', async () => {
    const run = await runCliProcess(['drill', 'load', '--worker-command', workerCommand(), '--scenario', scenario, '--rate', '2', '--duration', '3s', '--target', '5s', '--format', 'json'], { timeoutMs: BOUND_MS });
    expect(run.timedOut).toBe(false);
    const report = jsonOutput(run) as LoadDrillReport;
    expect(report.workflows).toEqual({ started: 6, completed: 6, failed: 0, open: 0 });
    expect(report.queues.map((q) => [q.taskQueue === report.taskQueue, q.slots, q.predicted])).toEqual([[true, null, null]]);
    expect(report.verdict).toBe('pass');
    expect(run.code).toBe(0);
    expect(await leftoverProcesses(run.marker)).toEqual([]);
  }, BOUND_MS + 20_000);

  it('outage: the Python worker gets the fault injector through sitecustomize; the SDK retries the failed attempts and every workflow completes', async () => {
    const run = await runCliProcess(['drill', 'outage', '--worker-command', workerCommand(), '--scenario', scenario, '--fail-activity', 'compose_greeting', '--outage', '2500ms', '--format', 'json'], { timeoutMs: BOUND_MS });
    expect(run.timedOut).toBe(false);
    const report = jsonOutput(run) as OutageDrillReport;
    expect(report.problems).toEqual([]);
    expect(report.workflows).toEqual({ started: 4, completed: 4, failed: 0, open: 0 });
    const compose = report.activities.find((a) => a.activityType === 'compose_greeting')!;
    // default RetryPolicy (1 s, x2): attempts at 0 s and 1 s fail inside the 2.5 s window, the one at 3 s succeeds
    expect([compose.affected, compose.activities, compose.completed, compose.maxAttempts]).toEqual([true, 4, 4, 3]);
    // the injector reported each failed attempt, so the drill measured the real gap between attempts
    expect(report.simulation.overheadSamples).toBeGreaterThan(0);
    expect(report.verdict).toBe('pass');
    expect(run.code).toBe(0);
    expect(await leftoverProcesses(run.marker)).toEqual([]);
    expect(run.leftoverTemp).toEqual([]);
  }, BOUND_MS + 20_000);

  it('SIGTERM mid-drill: exit 143, the shell and the python under it are gone with the server', async () => {
    let sent = false;
    let pythonSeen = false;
    const run = await runCliProcess(['drill', 'restart', '--worker-command', workerCommand(), '--scenario', scenario, '--restarts', '2'], {
      timeoutMs: BOUND_MS,
      onOutput(child, _stdout, stderr) {
        if (sent || !/baseline: /.test(stderr)) return;
        sent = true;
        // signal once python runs under the drill's shell (its processes carry the run's marker)
        const marker = /PREFLIGHT_TEST_RUN=([^\0]+)/.exec(fs.readFileSync(`/proc/${child.pid}/environ`, 'latin1'))![1]!;
        void (async () => {
          const deadline = Date.now() + 60_000;
          while (Date.now() < deadline) {
            if ((await leftoverProcesses(marker, 0)).some((line) => line.includes('-m greeting.worker') && !line.includes('sh -c'))) {
              pythonSeen = true;
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          child.kill('SIGTERM');
        })();
      },
    });
    expect(sent).toBe(true);
    expect(pythonSeen).toBe(true);
    expect(run.code).toBe(143);
    expect(run.stderr.trim().split('\n').at(-1)).toBe("temporal-preflight: stopped by SIGTERM; the drill's server, worker and temporary files are removed");
    expect(await leftoverProcesses(run.marker)).toEqual([]);
    expect(run.leftoverTemp).toEqual([]);
  }, BOUND_MS + 20_000);

  it('a worker command that exits at once is a one-line error naming its last line, exit 2, nothing left', async () => {
    const run = await runCliProcess(['drill', 'restart', '--worker-command', "echo 'no such module' >&2; exit 3", '--scenario', scenario], { timeoutMs: BOUND_MS });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').at(-1)).toBe('temporal-preflight: --worker-command: the worker command exited (code 3): no such module');
    expect(await leftoverProcesses(run.marker)).toEqual([]);
  }, BOUND_MS + 20_000);
});

describe('drill usage with --worker-command', () => {
  it('--fail-dependency needs the TypeScript fetch wrapper; --worker-command with --worker is ambiguous: exit 2 before any server', async () => {
    const outage = await runCliProcess(['drill', 'outage', '--worker-command', 'python -m app.worker', '--scenario', scenario, '--fail-dependency', 'payments.internal'], { timeoutMs: 60_000 });
    expect(outage.stderr).toBe('temporal-preflight: drill outage --fail-dependency wraps fetch inside a TypeScript worker; a --worker-command worker takes --fail-activity (Python workers)\n');
    expect(outage.code).toBe(2);
    const both = await runCliProcess(['drill', 'restart', '--worker-command', 'python -m app.worker', '--worker', 'w.ts', '--scenario', scenario], { timeoutMs: 60_000 });
    expect(both.stderr).toBe('temporal-preflight: give one of --worker, --worker-command or --workflows (with --activities), not --worker and --worker-command\n');
    expect(both.code).toBe(2);
  }, 130_000);
});
