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
        data: { workflowType: '<img src=x onerror=alert(1)>', averageBytes: 184320, budgetBytes: 51200 },
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
