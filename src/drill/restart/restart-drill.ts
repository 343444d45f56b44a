// The worker-restart drill: run the scenario once without restarts, then again while the worker
// process is SIGKILLed at seeded moments and started again. Every restart empties the sticky
// cache, so each open workflow's next task replays its whole history on the new worker: the
// drill proves the code survives that (no nondeterminism, same results) before production does.

import type { Client } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDrill, type DrillRunOptions } from '../drill-options.js';
import { seededRandom } from '../../simulate/seeded-random.js';
import type { WorkflowFacts } from '../harness/history-facts.js';
import { startScenario, waitForClosure, type StartedWorkflow } from '../harness/scenario-run.js';
import { startWorkerProcess, type WorkerProcess } from '../harness/worker-process.js';
import { expandScenario, type ScenarioEntry } from '../scenario.js';
import { baselineFromFacts, judgeRestartDrill, type BaselineRecord, type RestartDrillReport, type RestartEvent } from './restart-report.js';
import { cleanupOnExit } from '../exit-cleanup.js';

export interface RestartDrillOptions extends DrillRunOptions {
  scenario: ScenarioEntry[];
  restarts: number;
  seed: number;
  /** A baseline from an earlier run; when absent the drill runs the scenario without restarts first. */
  baseline?: BaselineRecord[];
}

export async function runRestartDrill(options: RestartDrillOptions): Promise<RestartDrillReport> {
  const starts = expandScenario(options.scenario);
  const log = options.log ?? (() => {});
  const { client, connection } = await connectDrill(options);
  const bundleCacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-drill-bundle-'));
  const removeBundleCache = () => fs.rmSync(bundleCacheDir, { recursive: true, force: true });
  const forgetBundleCache = cleanupOnExit(removeBundleCache);
  const startWorker = () =>
    startWorkerProcess(
      { source: options.worker, address: options.address, namespace: options.namespace, taskQueue: options.taskQueue, bundleCacheDir },
      { client, ...(options.env ? { env: options.env } : {}), ...(options.credentials ? { credentials: options.credentials } : {}) },
    );
  const timeoutMs = options.timeoutMs ?? 300_000;
  try {
    let baseline = options.baseline;
    let baselineDurationMs: number | null = null;
    if (!baseline) {
      log(`baseline: ${starts.length} workflow(s) without restarts`);
      const worker = await startWorker();
      try {
        const started = await startScenario(client, starts, { taskQueue: options.taskQueue, idPrefix: `${options.idPrefix}-baseline` });
        const facts = await waitForClosure(client, started, { timeoutMs, pollMs: pollInterval(started.length) });
        baseline = baselineFromFacts(facts);
        baselineDurationMs = spanOf(facts);
      } finally {
        await worker.stop();
      }
    }
    const window = Math.max(500, baselineDurationMs ?? medianDuration(baseline) ?? 2_000);
    log(`drill: ${starts.length} workflow(s), ${options.restarts} SIGKILL restart(s), seed ${options.seed}`);
    const { started, facts, restarts, crashes } = await runWithRestarts(client, starts, options, startWorker, window, timeoutMs, log);
    const judged = judgeRestartDrill(facts, baseline, started);
    const problems = [...crashes, ...judged.problems];
    if (restarts.length < options.restarts) {
      problems.push(`only ${restarts.length} of ${options.restarts} restart(s) happened: every workflow closed first; use longer-running workflows or more of them`);
    }
    return {
      drill: 'restart',
      seed: options.seed,
      taskQueue: options.taskQueue,
      restarts,
      plannedRestarts: options.restarts,
      baseline: { source: options.baseline ? 'file' : 'run', durationMs: baselineDurationMs },
      ...judged,
      problems,
      verdict: problems.length ? 'fail' : 'pass',
    };
  } finally {
    await connection.close();
    removeBundleCache();
    forgetBundleCache();
  }
}

async function runWithRestarts(
  client: Client,
  starts: ReturnType<typeof expandScenario>,
  options: RestartDrillOptions,
  startWorker: () => Promise<WorkerProcess>,
  windowMs: number,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<{ started: StartedWorkflow[]; facts: Map<string, WorkflowFacts>; restarts: RestartEvent[]; crashes: string[] }> {
  const random = seededRandom(options.seed);
  // Each worker lives for a seeded share of the no-restart run time before it is killed.
  const uptimes = Array.from({ length: options.restarts }, () => Math.round(windowMs * (0.2 + 0.6 * random())));
  let worker = await startWorker();
  const crashes: string[] = [];
  const restarts: RestartEvent[] = [];
  try {
    const phaseStart = Date.now();
    // Kills start counting from the first start, while later starts are still going out.
    let open = starts.length;
    const closure = startScenario(client, starts, { taskQueue: options.taskQueue, idPrefix: `${options.idPrefix}-restart` }).then((started) =>
      waitForClosure(client, started, { timeoutMs, pollMs: pollInterval(started.length), onPoll: (n) => (open = n) }).then((facts) => ({ started, facts })),
    );
    for (const uptime of uptimes) {
      const killAt = Date.now() + uptime;
      while (Date.now() < killAt && open > 0) await new Promise((resolve) => setTimeout(resolve, 25));
      if (open === 0) break;
      const crash = worker.crashed();
      if (crash) crashes.push(crash);
      const atMs = Date.now() - phaseStart;
      await worker.kill();
      const restartBegin = Date.now();
      worker = await startWorker();
      restarts.push({ atMs, openWorkflows: open, restartMs: Date.now() - restartBegin });
      log(`restart ${restarts.length}: SIGKILL at ${atMs} ms with ${open} workflow(s) open, polling again after ${Date.now() - restartBegin} ms`);
    }
    const { started, facts } = await closure;
    const crash = worker.crashed();
    if (crash) crashes.push(crash);
    return { started, facts, restarts, crashes };
  } finally {
    await worker.stop();
  }
}

function pollInterval(workflows: number): number {
  return workflows > 20 ? 1_000 : 500;
}

function spanOf(facts: Map<string, WorkflowFacts>): number | null {
  const all = [...facts.values()];
  if (all.length === 0 || all.some((f) => f.closedAtMs === undefined)) return null;
  return Math.max(...all.map((f) => f.closedAtMs!)) - Math.min(...all.map((f) => f.startedAtMs));
}

function medianDuration(baseline: BaselineRecord[]): number | undefined {
  const durations = baseline.map((b) => b.durationMs).filter((d): d is number => d !== null).sort((a, b) => a - b);
  return durations.length ? durations[Math.floor(durations.length / 2)] : undefined;
}
