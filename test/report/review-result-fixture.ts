// A hand-built ReviewResult shared by the reporter tests: every severity, a project-level finding,
// related locations, diagnostics, and hostile strings where code or histories supply text.
import type { CheckDefinition } from '../../src/checks/define-check.js';
import type { ReviewResult } from '../../src/engine/types.js';

const noop = () => undefined;

export const fixtureChecks: CheckDefinition[] = [
  { id: 'workflow-throws-plain-error', area: 'determinism', severity: 'error', evidence: 'static', needs: 'code', description: 'A workflow throws something that is not an ApplicationFailure', run: noop },
  { id: 'no-replay-test', area: 'determinism', severity: 'warning', evidence: 'static', needs: 'code', description: 'The project has no test that replays recorded histories', run: noop },
  { id: 'activity-retry-policy-missing', area: 'retries', severity: 'error', evidence: 'static', needs: 'code', description: 'Remote activity without a retry policy: unlimited attempts', run: noop },
  { id: 'activity-schedule-to-start-missing', area: 'timeouts', severity: 'warning', evidence: 'static', needs: 'code', description: 'No scheduleToStartTimeout: a saturated worker pool stays invisible.', run: noop },
  { id: 'history-size-over-budget', area: 'payloads', severity: 'warning', evidence: 'history', needs: 'histories', description: 'History size per workflow type over the budget', run: noop },
  { id: 'worker-concurrency-implicit', area: 'capacity', severity: 'info', evidence: 'static', needs: 'code', description: 'Worker.create with default slot counts and no tuner', run: noop },
];

export function fixtureResult(): ReviewResult {
  return {
    tool: { name: 'temporal-preflight', version: '0.1.0' },
    project: {
      name: '@acme/shop',
      path: 'services/shop',
      git: { commit: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b', dirty: true, remote: 'https://github.com/acme/shop.git' },
      date: '2026-12-03T13:40:05.000Z',
    },
    inventory: { files: 12, workflows: 2, activities: 5, proxies: 3, workers: 1, taskQueues: 2, starts: 2, histories: 198 },
    verdict: 'NO-GO',
    failOn: 'error',
    root: '/home/someone/projects/shop',
    areas: [
      { area: 'determinism', status: 'fail', evidence: ['static'], errors: 1, warnings: 1, infos: 0 },
      { area: 'retries', status: 'fail', evidence: ['static'], errors: 2, warnings: 0, infos: 0 },
      { area: 'timeouts', status: 'warn', evidence: ['static'], errors: 0, warnings: 1, infos: 0 },
      { area: 'payloads', status: 'warn', evidence: ['static', 'history'], errors: 0, warnings: 1, infos: 0 },
      { area: 'capacity', status: 'pass', evidence: ['static'], errors: 0, warnings: 0, infos: 1 },
      { area: 'observability', status: 'not-verified', evidence: [], errors: 0, warnings: 0, infos: 0, note: 'no worker entry point found' },
    ],
    findings: [
      {
        checkId: 'no-replay-test', area: 'determinism', severity: 'warning', evidence: 'static',
        message: 'No test replays recorded histories, so a change that breaks running workflows ships unnoticed',
        fix: 'Add a test that runs Worker.runReplayHistories over exported histories.',
      },
      {
        checkId: 'workflow-throws-plain-error', area: 'determinism', severity: 'error', evidence: 'static',
        file: 'src/workflows/order.ts', line: 12, column: 5,
        message: 'Workflow "placeOrder" throws `new Error("</script><b>x")`: a plain Error fails the workflow task, which retries forever.',
        fix: 'Throw ApplicationFailure.create({ message, nonRetryable: true }) instead.',
        related: [{ file: 'src/worker.ts', line: 4, column: 1, message: 'the worker that runs this workflow' }],
      },
      {
        checkId: 'activity-retry-policy-missing', area: 'retries', severity: 'error', evidence: 'static',
        file: 'src/workflows/order.ts', line: 20, column: 3,
        message: 'proxyActivities for chargeCard has no retry policy: attempts are unlimited during an outage.',
        fix: 'Set retry: { maximumAttempts: 5, backoffCoefficient: 2, maximumInterval: "1m" }.',
      },
      {
        checkId: 'activity-retry-policy-missing', area: 'retries', severity: 'error', evidence: 'static',
        file: 'src/workflows/ship [eu] & co.ts', line: 8, column: 3,
        message: 'proxyActivities for shipParcel has no retry policy: attempts are unlimited during an outage.',
        fix: 'Set retry: { maximumAttempts: 5 }.',
      },
      {
        checkId: 'activity-schedule-to-start-missing', area: 'timeouts', severity: 'warning', evidence: 'static',
        file: 'src/workflows/order.ts', line: 20, column: 3,
        message: 'No scheduleToStartTimeout for chargeCard: a saturated worker pool stays invisible.',
        fix: 'Set scheduleToStartTimeout to the longest queueing the business tolerates.',
      },
      {
        checkId: 'history-size-over-budget', area: 'payloads', severity: 'warning', evidence: 'history',
        message: 'Workflow type <img src=x onerror=alert(1)> averages 180 KB of history per execution, over the 50 KB budget.',
        fix: 'Pass references (ids, URLs) instead of documents; continue-as-new long loops.',
        data: { workflowType: '<img src=x onerror=alert(1)>', executions: 14, affected: 14, thresholdBytes: 51_200, budgetBytes: 51_200 },
      },
      {
        checkId: 'worker-concurrency-implicit', area: 'capacity', severity: 'info', evidence: 'static',
        file: 'src/worker.ts', line: 4, column: 16,
        message: 'Worker.create uses default slot counts | no tuner.',
        fix: 'Set maxConcurrentActivityTaskExecutions from the capacity planner.',
      },
    ],
    diagnostics: [
      { kind: 'parse-error', message: 'cannot parse: unexpected token', file: 'src/broken.ts', line: 3 },
      { kind: 'note', message: 'no histories given' },
    ],
  };
}

/**
 * The fixture plus the evidence sections the HTML report draws: history sizes (one hostile
 * workflow type), retry-storm curves for three policies, and a capacity curve with unstable rows.
 */
export function fixtureResultWithEvidence(): ReviewResult {
  const result = fixtureResult();
  // The shape of HistoryReport (src/model/history/types.ts), trimmed to what the report reads.
  result.histories = {
    files: 198,
    parsed: 198,
    failed: [],
    skippedEvents: 0,
    workflowTypes: [
      { workflowType: 'placeOrder', executions: 120, historyBytes: { mean: 21_000, p50: 19_000, p95: 38_400, max: 61_000 } },
      { workflowType: '<img src=x onerror=alert(1)>', executions: 14, historyBytes: { mean: 150_000, p50: 140_000, p95: 184_320, max: 240_000 } },
      { workflowType: 'shipParcel', executions: 64, historyBytes: { mean: 7_100, p50: 6_900, p95: 9_800, max: 12_500 } },
    ],
    scheduleToStart: [],
  };
  result.extras = {
    simulation: {
      scenarios: [
        { name: 'as written: 1 s, no backoff', series: retryCurve({ initial: 1, coefficient: 1, maxInterval: 1 }) },
        { name: 'server default: 1 s x2, max 100 s', series: retryCurve({ initial: 1, coefficient: 2, maxInterval: 100 }) },
        { name: 'recommended: 1 s x2, max 60 s, 8 attempts', series: retryCurve({ initial: 1, coefficient: 2, maxInterval: 60, maxAttempts: 8 }) },
      ],
    },
    capacity: {
      targetMs: 500,
      slots: 16,
      table: [
        { slots: 11, utilization: 1.09, p99: null },
        { slots: 12, utilization: 1.0, p99: null },
        { slots: 13, utilization: 0.92, p99: 9.2 },
        { slots: 14, utilization: 0.86, p99: 2.1 },
        { slots: 15, utilization: 0.8, p99: 0.9 },
        { slots: 16, utilization: 0.75, p99: 0.45 },
        { slots: 17, utilization: 0.71, p99: 0.22 },
        { slots: 18, utilization: 0.67, p99: 0.1 },
        { slots: 20, utilization: 0.6, p99: 0.02 },
        { slots: 22, utilization: 0.55, p99: 0 },
      ],
    },
  };
  return result;
}

/** Attempts per second from 500 activities retrying against a dependency down for 10 minutes. */
function retryCurve(policy: { initial: number; coefficient: number; maxInterval: number; maxAttempts?: number }): [number, number][] {
  const activities = 500;
  const series: [number, number][] = [];
  for (let t = 0; t <= 600; t += 20) {
    let elapsed = 0;
    let interval = policy.initial;
    let attempt = 1;
    while (elapsed + interval <= t) {
      elapsed += interval;
      interval = Math.min(interval * policy.coefficient, policy.maxInterval);
      attempt++;
    }
    const exhausted = policy.maxAttempts !== undefined && attempt > policy.maxAttempts;
    series.push([t, exhausted ? 0 : Math.round((activities / interval) * 10) / 10]);
  }
  return series;
}
