// `check --compact` as a user runs it: the built CLI in a child process, on the prototype example.
// One line per finding, errors first, then the summary; nothing else on stdout.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');

describe('check --compact (built CLI, child process)', () => {
  it('prints one line per finding, errors first, and the summary', { timeout: 180_000 }, () => {
    const run = spawnSync(process.execPath, ['dist/cli/main.js', 'check', 'examples/prototype-app', '--compact'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 170_000,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    });
    expect(run.error).toBeUndefined();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      "src/workflows.ts:7:56  error  activity-non-retryable-errors-uncovered  chargePayment and reserveInventory throw OutOfStock and PaymentDeclined, which are not non-retryable for proxyActivities for chargePayment, reserveInventory and shipOrder: each one is retried without end (24 attempts in the first 30 minutes).",
      "(project)  warning  no-replay-test  No test replays recorded workflow histories (Worker.runReplayHistory / runReplayHistories, or `temporal-preflight replay` in a package script or CI job).",
      "src/activities.ts:13:26  warning  activity-call-without-timeout  Each of activities chargePayment, reserveInventory and shipOrder calls `fetch` (src/activities.ts:13, reached from reserveInventory at src/activities.ts:22) with no `signal`, so nothing the activity does can stop the request: Node's fetch gives up by itself only after 5 minutes without response headers or without body data (undici's headersTimeout and bodyTimeout), and a response that keeps trickling never.",
      "src/activities.ts:47:28  warning  activity-call-without-timeout  Activity shipOrder calls `fetch` (src/activities.ts:47) with no `signal`, so nothing the activity does can stop the request: Node's fetch gives up by itself only after 5 minutes without response headers or without body data (undici's headersTimeout and bodyTimeout), and a response that keeps trickling never.",
      "src/worker.ts:17:10  warning  worker-concurrency-implicit  The worker for task queue 'orders' runs with the SDK's default slot counts (maxConcurrentActivityTaskExecutions 100, maxConcurrentWorkflowTaskExecutions 40), which were not sized for this application.",
      "src/worker.ts:17:10  warning  worker-metrics-not-exported  The worker for task queue 'orders' runs without Runtime.install exporting metrics: the SDK emits no metrics.",
      "src/workflows.ts:7:56  warning  activity-retry-policy-missing  No retry policy on proxyActivities for chargePayment, reserveInventory and shipOrder: the server retries failures with the default policy (initial interval 1s, backoff 2, maximum interval 1m 40s, unlimited attempts, no scheduleToCloseTimeout), for as long as the workflow runs.",
      "src/workflows.ts:7:56  warning  activity-schedule-to-start-missing  The project has no alert on temporal_activity_schedule_to_start_latency, and proxyActivities for chargePayment, reserveInventory and shipOrder leaves scheduleToStartTimeout unset: when the workers are saturated, crashed or polling the wrong task queue, tasks wait in the queue forever, since there is no scheduleToCloseTimeout either, with no error and nothing to notice.",
      "src/workflows.ts:11:23  warning  workflow-failure-alert-missing  No alert fires when processOrder workflows fail: no rule file matches alerts.ruleFiles (**/*.rules.{yml,yaml}, **/prometheus*/**/*.{yml,yaml}) and no YAML file in the project holds Prometheus alerting rules.",
      "NO-GO: 1 error, 8 warnings, 11 info in 4 files (11 info hidden; --verbose shows them)",
      "",
    ]);
  });

  it('refuses --compact with another format', { timeout: 60_000 }, () => {
    const run = spawnSync(process.execPath, ['dist/cli/main.js', 'check', 'examples/prototype-app', '--format', 'json', '--compact'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 50_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('temporal-preflight: --compact applies to --format pretty (the json report always has every finding)\n');
    expect(run.stdout).toBe('');
  });
});
