// examples/python-production-app as a user meets it: `check` (built CLI, child process) passes the
// six areas (GO) with no warning or error, and the app really runs: its worker
// and starter complete an order against a real dev server, its replay test replays the recorded
// history with the real SDK, and its worker serves the metrics its alert rules read.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_SEARCH_ATTRIBUTES, findTemporalCli, freeLoopbackPort, startDevServer, type DevServer } from '../helpers/dev-server.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const app = path.join(repoRoot, 'examples/python-production-app');

function check() {
  const run = spawnSync(process.execPath, ['dist/cli/main.js', 'check', 'examples/python-production-app', '--format', 'json'], { cwd: repoRoot, encoding: 'utf8', timeout: 170_000 });
  expect(run.error).toBeUndefined();
  expect(run.stderr).toBe('');
  return { run, report: JSON.parse(run.stdout) };
}

describe('check on examples/python-production-app (built CLI, child process)', () => {
  it('is GO: every area reviewed and passed, no warning or error anywhere, and the inventory counts the Python code', { timeout: 180_000 }, () => {
    const { run, report } = check();
    expect(report.verdict).toBe('GO');
    expect(run.status).toBe(0);
    expect(Object.fromEntries(report.areas.map((a: { area: string; status: string }) => [a.area, a.status]))).toEqual({
      determinism: 'pass',
      retries: 'pass',
      timeouts: 'pass',
      payloads: 'pass',
      capacity: 'pass',
      observability: 'pass',
    });
    expect(report.findings.filter((f: { severity: string }) => f.severity !== 'info').map((f: { checkId: string; file: string; line: number }) => `${f.checkId} ${f.file}:${f.line}`)).toEqual([]);
    // task_queue=TASK_QUEUE is os.environ.get("TASK_QUEUE", "orders"): counted under its default, as TypeScript's process.env.X ?? 'orders' is.
    expect(report.inventory).toEqual({ files: 5, workflows: 1, activities: 3, proxies: 3, workers: 1, taskQueues: 1, starts: 1, histories: 0 });
  });
});

const python = process.env.PREFLIGHT_PYTHON;
const canRun = (() => {
  if (!python || !fs.existsSync(python)) return false;
  try {
    findTemporalCli();
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!canRun)('examples/python-production-app runs (real dev server, real temporalio worker)', () => {
  let server: DevServer | undefined;
  let worker: ChildProcess | undefined;
  let workerLog = '';
  let metricsPort = 0;
  const env = () => ({ ...process.env, TEMPORAL_ADDRESS: server!.address, TEMPORAL_NAMESPACE: server!.namespace, TASK_QUEUE: `orders-${process.pid}`, METRICS_BIND_ADDRESS: `127.0.0.1:${metricsPort}`, PYTHONDONTWRITEBYTECODE: '1' });

  beforeAll(async () => {
    server = await startDevServer({ searchAttributes: EXAMPLE_SEARCH_ATTRIBUTES });
    metricsPort = await freeLoopbackPort();
    worker = spawn(python!, ['worker.py'], { cwd: app, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    worker.stdout!.on('data', (chunk) => (workerLog += chunk));
    worker.stderr!.on('data', (chunk) => (workerLog += chunk));
    const started = Date.now();
    while (!workerLog.includes('worker started') && worker.exitCode === null && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 200));
    if (!workerLog.includes('worker started')) throw new Error(`the worker did not start: ${workerLog}`);
  }, 120_000);

  afterAll(async () => {
    // Every path ends here: stop the worker (SIGTERM, then SIGKILL), then the server.
    if (worker && worker.exitCode === null && worker.signalCode === null) {
      const exited = new Promise((resolve) => worker!.once('exit', resolve));
      worker.kill('SIGTERM');
      const timer = setTimeout(() => worker!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await server?.stop();
  }, 60_000);

  it('completes an order placed by the starter, with search attributes and metrics', { timeout: 120_000 }, async () => {
    const start = spawnSync(python!, ['starter.py', 'o-1001', 'c-42'], { cwd: app, env: env(), encoding: 'utf8', timeout: 90_000 });
    expect(start.stderr).toBe('');
    expect(start.status).toBe(0);
    expect(start.stdout.trim()).toBe('charge-o-1001-2500');
    // asked of the server with the TypeScript client (the same answer `temporal workflow describe` gives)
    const connection = await Connection.connect({ address: server!.address });
    try {
      const described = await new Client({ connection, namespace: server!.namespace }).workflow.getHandle('order-o-1001').describe();
      expect(described.status.name).toBe('COMPLETED');
      expect(Object.keys(described.searchAttributes)).toContain('OrderId');
    } finally {
      await connection.close();
    }
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/temporal_workflow_completed\{[^}]*workflow_type="process-order"[^}]*\} 1/);
  });

  it('replays its recorded history with temporalio.worker.Replayer', { timeout: 60_000 }, () => {
    const replay = spawnSync(python!, ['tests/test_replay.py'], { cwd: app, env: env(), encoding: 'utf8', timeout: 50_000 });
    expect(replay.stderr).toBe('');
    expect(replay.stdout.trim()).toBe('replayed 1 histories');
    expect(replay.status).toBe(0);
  });
});
