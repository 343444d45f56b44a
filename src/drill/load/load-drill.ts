// The load drill: drive workflow starts at a rate (twice the declared peak by default) for a
// duration against a real server with the user's worker, then read schedule-to-start latency,
// slots in use and backlog per task queue from the histories and the worker's metrics, and set
// them beside the capacity planner's prediction for the same slots.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDrill, type DrillRunOptions } from '../drill-options.js';
import { planSlots } from '../../simulate/slot-planner.js';
import { freeLoopbackPort } from '../dev-server.js';
import { fetchFacts, startScenario, waitForRunningCount } from '../harness/scenario-run.js';
import { startWorkerProcess } from '../harness/worker-process.js';
import { expandScenario, type ScenarioEntry } from '../scenario.js';
import { measureQueues } from './load-measure.js';
import { judgeQueue, type LoadDrillReport, type QueueVerdict } from './load-report.js';
import { activityScheduleToStart, activitySlotsUsed, scrape } from './worker-metrics.js';
import { cleanupOnExit } from '../exit-cleanup.js';

export interface LoadDrillOptions extends DrillRunOptions {
  entries: ScenarioEntry[];
  /** Starts per second for each workflow type of the scenario. */
  rates: Map<string, number>;
  durationMs: number;
  targetP99Ms: number;
}

export async function runLoadDrill(options: LoadDrillOptions): Promise<LoadDrillReport> {
  const log = options.log ?? (() => {});
  const entries = options.entries.map((entry) => {
    const rate = options.rates.get(entry.workflowType)!;
    return { ...entry, count: Math.max(1, Math.floor((rate * options.durationMs) / 1000)), interval: 1000 / rate };
  });
  const starts = expandScenario(entries);
  const { client, connection } = await connectDrill(options);
  const bundleCacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-drill-bundle-'));
  const removeBundleCache = () => fs.rmSync(bundleCacheDir, { recursive: true, force: true });
  const forgetBundleCache = cleanupOnExit(removeBundleCache);
  const metricsAddress = `127.0.0.1:${await freeLoopbackPort()}`;
  try {
    const worker = await startWorkerProcess(
      { source: options.worker, address: options.address, namespace: options.namespace, taskQueue: options.taskQueue, bundleCacheDir, metricsBindAddress: metricsAddress },
      { client, ...(options.env ? { env: options.env } : {}), ...(options.credentials ? { credentials: options.credentials } : {}) },
    );
    let maxSlotsUsed: number | undefined;
    let scraping = true;
    const sampler = (async () => {
      while (scraping) {
        const used = await scrape(metricsAddress).then((s) => activitySlotsUsed(s, options.taskQueue), () => undefined);
        if (used !== undefined) maxSlotsUsed = Math.max(maxSlotsUsed ?? 0, used);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    try {
      log(`load: ${starts.length} workflow(s) over ${options.durationMs} ms (${[...options.rates].map(([t, r]) => `${t} ${r}/s`).join(', ')})`);
      const idPrefix = `${options.idPrefix}-load`;
      const started = await startScenario(client, starts, { taskQueue: options.taskQueue, idPrefix });
      await waitForRunningCount(client, idPrefix, { timeoutMs: options.timeoutMs ?? 300_000, onPoll: (open) => log(`${open} workflow(s) open`) });
      const facts = [...(await fetchFacts(client, started)).values()];
      scraping = false;
      await sampler;
      const samples = await scrape(metricsAddress).catch(() => undefined);
      const queues = measureQueues(facts).map((measured) => {
        const own = measured.taskQueue === options.taskQueue;
        const metrics = own && samples ? { scheduleToStart: activityScheduleToStart(samples, measured.taskQueue) ?? null, maxSlotsUsed: maxSlotsUsed ?? null } : null;
        return judgeQueue(measured, own ? worker.settings.maxConcurrentActivityTaskExecutions : undefined, !own || worker.settings.usesTuner || Boolean(worker.settings.slotsUnknown), options.targetP99Ms, metrics);
      });
      const workflows = {
        started: facts.length,
        completed: facts.filter((f) => f.outcome === 'completed').length,
        failed: facts.filter((f) => f.outcome !== 'completed' && f.outcome !== 'running').length,
        open: facts.filter((f) => f.outcome === 'running').length,
      };
      const problems = [
        ...queues.filter((q) => !q.pass && q.activities.count > 0).map((q) => overTarget(q, options.targetP99Ms)),
        ...(workflows.failed ? [`${workflows.failed} workflow(s) failed under load`] : []),
        ...(workflows.open ? [`${workflows.open} workflow(s) still open when the drill ended`] : []),
      ];
      return {
        drill: 'load',
        taskQueue: options.taskQueue,
        targetP99Ms: options.targetP99Ms,
        durationMs: options.durationMs,
        rates: [...options.rates].map(([workflowType, ratePerSecond]) => ({ workflowType, ratePerSecond })).sort((a, b) => a.workflowType.localeCompare(b.workflowType, 'en')),
        workflows,
        queues,
        problems,
        verdict: problems.length ? 'fail' : 'pass',
      };
    } finally {
      scraping = false;
      await sampler;
      await worker.stop();
    }
  } finally {
    await connection.close();
    removeBundleCache();
    forgetBundleCache();
  }
}

function overTarget(queue: QueueVerdict, targetP99Ms: number): string {
  const climbing = queue.climbing ? ', and it climbed through the run: the backlog grows faster than the worker drains it' : '';
  let advice = '';
  if (queue.activityRatePerSecond > 0 && queue.meanActivityDurationMs > 0) {
    const plan = planSlots({ ratePerSecond: queue.activityRatePerSecond, meanDurationMs: queue.meanActivityDurationMs, targetMs: targetP99Ms, headroom: 1 });
    advice = `; the planner says ${plan.slots} activity slots meet it at this rate (${queue.slots ?? 'unknown'} now)`;
  }
  return `${queue.taskQueue}: activity schedule-to-start p99 ${queue.activities.p99} ms is over the ${targetP99Ms} ms target${climbing}${advice}`;
}
