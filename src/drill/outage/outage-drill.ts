// The dependency-outage drill: the user's worker runs with a fault injector that makes a named
// activity type (or every call to a named dependency) fail for a window, while the scenario's
// workflows start. Temporal's real retry machinery does the rest; the histories tell how many
// attempts it made, and simulateOutage, fed the same starts and the policies the server applied,
// says how many it should have made.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDrill, type DrillRunOptions } from '../drill-options.js';
import { PreflightInjectedOutage, type FaultPlan } from '../fault-injector.js';
import { fetchFacts, startScenario, waitForRunningCount } from '../harness/scenario-run.js';
import { startWorkerProcess } from '../harness/worker-process.js';
import type { ScenarioStart } from '../scenario.js';
import { measureAttemptOverhead } from './attempt-overhead.js';
import { simulateDrillOutage } from './outage-comparison.js';
import { activityAttempts, billedActions, workflowCounts, type OutageDrillReport } from './outage-report.js';
import { cleanupOnExit } from '../exit-cleanup.js';

export interface OutageDrillOptions extends DrillRunOptions {
  starts: ScenarioStart[];
  /** Starts per second; all at once when absent. */
  ratePerSecond?: number;
  failActivityTypes: string[];
  failDependencies: string[];
  outageMs: number;
  /** The outage begins this long after the first start (default 0). */
  outageStartMs?: number;
  attemptDurationMs?: number;
}

export async function runOutageDrill(options: OutageDrillOptions): Promise<OutageDrillReport> {
  const log = options.log ?? (() => {});
  const { client, connection } = await connectDrill(options);
  const bundleCacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-drill-bundle-'));
  const removeBundleCache = () => fs.rmSync(bundleCacheDir, { recursive: true, force: true });
  const forgetBundleCache = cleanupOnExit(removeBundleCache);
  const attemptDurationMs = options.attemptDurationMs ?? 0;
  const outageStartMs = options.outageStartMs ?? 0;
  // No window until the worker polls (start-up takes seconds); then the drill sets it.
  const faults: FaultPlan = {
    activityTypes: options.failActivityTypes,
    dependencies: options.failDependencies,
    windowStartMs: Number.MAX_SAFE_INTEGER,
    windowEndMs: Number.MAX_SAFE_INTEGER,
    attemptDurationMs,
  };
  try {
    const worker = await startWorkerProcess(
      { source: options.worker, address: options.address, namespace: options.namespace, taskQueue: options.taskQueue, bundleCacheDir, faults },
      { client, ...(options.env ? { env: options.env } : {}), ...(options.credentials ? { credentials: options.credentials } : {}) },
    );
    try {
      const windowStartMs = Date.now() + outageStartMs;
      const windowEndMs = windowStartMs + options.outageMs;
      await worker.setFaultWindow(windowStartMs, windowEndMs);
      log(`outage of ${options.failActivityTypes.concat(options.failDependencies).join(', ')} for ${options.outageMs} ms; starting ${options.starts.length} workflow(s)`);
      const idPrefix = `${options.idPrefix}-outage`;
      const started = await startScenario(client, options.starts, {
        taskQueue: options.taskQueue,
        idPrefix,
        ...(options.ratePerSecond ? { ratePerSecond: options.ratePerSecond } : {}),
      });
      const timeoutMs = options.timeoutMs ?? Math.max(300_000, options.outageMs * 3);
      await waitForRunningCount(client, idPrefix, { timeoutMs, onPoll: (open) => log(`${open} workflow(s) open`) });
      const facts = [...(await fetchFacts(client, started)).values()];
      const activities = activityAttempts(facts, options.failActivityTypes);
      const affected = new Set(activities.filter((a) => a.affected).map((a) => a.activityType));
      const scheduled = facts.flatMap((f) => f.activities).filter((a) => affected.has(a.activityType));
      const policyOf = (type: string) => scheduled.find((a) => a.activityType === type)?.retryPolicy;
      const overhead = measureAttemptOverhead(worker.injected(), policyOf, attemptDurationMs);
      const scenarios = simulateDrillOutage({
        activities: scheduled.map((a) => ({ scheduledAtMs: a.scheduledAtMs, retryPolicy: a.retryPolicy })),
        windowStartMs,
        windowEndMs,
        attemptDurationMs: attemptDurationMs + overhead.meanMs,
        // an activity type failed by the injector surfaces the injector's error type unchanged
        ...(options.failActivityTypes.length ? { failureType: PreflightInjectedOutage.name } : {}),
      });
      const measuredAttempts = scheduled.reduce((sum, a) => sum + a.attempts, 0);
      const simulatedAttempts = scenarios.find((s) => s.name === 'given')?.totalAttempts ?? 0;
      const workflows = workflowCounts(facts);
      const problems = [
        ...(workflows.failed ? [`${workflows.failed} workflow(s) failed: the retry policy gave up before the dependency came back`] : []),
        ...(workflows.open ? [`${workflows.open} workflow(s) still open when the drill ended`] : []),
        ...(affected.size === 0 ? ['no activity was hit by the outage: check --fail-activity / --fail-dependency and that the scenario reaches it'] : []),
      ];
      return {
        drill: 'outage',
        fault: { activityTypes: options.failActivityTypes, dependencies: options.failDependencies, outageMs: options.outageMs, outageStartMs, attemptDurationMs },
        taskQueue: options.taskQueue,
        workflows,
        activities,
        ...billedActions(facts),
        simulation: {
          attemptOverheadMs: overhead.meanMs,
          overheadSamples: overhead.samples,
          measuredAttempts,
          simulatedAttempts,
          deviation: simulatedAttempts ? Math.round(((measuredAttempts - simulatedAttempts) / simulatedAttempts) * 1000) / 1000 : 0,
          scenarios,
        },
        problems,
        verdict: problems.length ? 'fail' : 'pass',
      };
    } finally {
      await worker.stop();
    }
  } finally {
    await connection.close();
    removeBundleCache();
    forgetBundleCache();
  }
}
