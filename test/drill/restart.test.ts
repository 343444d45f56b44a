// The restart drill on a real dev server: the production example survives SIGKILLed workers, and
// a workflow that is really non-deterministic across restarts on SDK 1.24 is caught. The construct
// (proved here, documented in docs/drills.md): module-level state in a module the worker lists in
// `bundlerOptions.preloadModules`. Preloaded modules are evaluated once per worker and shared by
// every workflow, so a memo one workflow fills changes the commands the next one issues; a
// restarted worker starts with an empty memo and replays the same history into other commands.
// Without the preload, module state is per workflow (reusable-vm's per-workflow module cache) and
// the same code passes.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServices, type FakeServices } from '../../examples/fake-services/server.js';
import { runCli } from '../../src/cli/run.js';
import type { RestartDrillReport } from '../../src/drill/restart/restart-report.js';
import { startDevServer, type DevServer } from '../helpers/dev-server.js';
import { fakeIo } from '../helpers/fake-io.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const productionWorker = path.join(repo, 'examples/production-app/src/worker.ts');
const leak = path.join(repo, 'test/fixtures/drill-restart-leak');

/** Sets environment variables for the worker processes the drill forks; returns the undo. */
function withEnv(values: Record<string, string>): () => void {
  const saved = Object.keys(values).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

describe('drill restart on the production example', () => {
  let server: DevServer;
  let services: FakeServices;
  const storeDir = scratchFolderForSuite('drill-orders');
  let restoreEnv: () => void;

  beforeAll(async () => {
    server = await startDevServer();
    services = await startFakeServices({ pollsBeforeShipped: 2 });
    for (let i = 0; i < 6; i++) {
      const order = { orderId: `drill-${i}`, customerId: `cust-${i}`, lines: [{ sku: 'MUG-01', quantity: i + 1, unitPriceCents: 1250 }] };
      fs.writeFileSync(path.join(storeDir, `drill-${i}.json`), JSON.stringify(order));
    }
    restoreEnv = withEnv({ ORDER_STORE_DIR: storeDir, PAYMENT_URL: services.paymentUrl, INVENTORY_URL: services.inventoryUrl, WAREHOUSE_POLL_INTERVAL_MS: '50' });
  }, 120_000);

  afterAll(async () => {
    restoreEnv?.();
    await services?.close();
    await server?.stop();
  });

  it('completes every order with the same results while the worker is SIGKILLed twice', async () => {
    const io = fakeIo();
    const scenario = path.join(repo, 'test/fixtures/drill-restart-production/scenario.yaml');
    await runCli(['drill', 'restart', '--address', server.address, '--worker', productionWorker, '--scenario', scenario, '--restarts', '2', '--seed', '7', '--format', 'json'], io);
    const report = JSON.parse(io.out) as RestartDrillReport;
    expect(report.problems).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(io.exitCode).toBe(0);
    expect(report.summary).toEqual({ workflows: 6, completed: 6, failed: 0, open: 0, nondeterminism: 0, resultsDiffer: 0 });
    expect(report.restarts).toHaveLength(2);
    // the first kill landed while orders were in flight, so their next tasks replayed on a new worker
    expect(report.restarts[0]!.openWorkflows).toBeGreaterThan(0);
    expect(report.workflows.map((w) => [w.key, w.outcome, w.result])).toEqual([0, 1, 2, 3, 4, 5].map((i) => [`processOrder-0-${i}`, 'completed', 'equal']));
    // each order was charged once: the idempotency key held across the retried attempts
    const charged = new Set(services.callsTo('POST /payment/charges').map((call) => (call.body as { orderId: string }).orderId));
    expect([...charged].sort()).toEqual(['drill-0', 'drill-1', 'drill-2', 'drill-3', 'drill-4', 'drill-5']);
  }, 150_000);
});

describe('drill restart on a workflow that shares state through a preloaded module', () => {
  it('fails with the nondeterminism each restarted worker hits, on a dev server it starts itself', async () => {
    const io = fakeIo();
    const scenario = path.join(leak, 'scenario.json');
    await runCli(['drill', 'restart', '--worker', path.join(leak, 'src/worker.ts'), '--scenario', scenario, '--restarts', '1', '--format', 'json'], io);
    const report = JSON.parse(io.out) as RestartDrillReport;
    expect(report.restarts, io.err).toHaveLength(1);
    expect(io.exitCode).toBe(1);
    expect(report.verdict).toBe('fail');
    // the first quote filled the memo and finished before any restart: it is fine
    const first = report.workflows.find((w) => w.key === 'quoteOrder-0-0')!;
    expect([first.outcome, first.result, first.nondeterminism]).toEqual(['completed', 'equal', []]);
    // the others skipped fetchExchangeRate thanks to the memo; replayed with an empty memo they
    // schedule it where their history has the quote's timer
    const held = report.workflows.filter((w) => w.key.startsWith('quoteOrder-1-'));
    expect(held).toHaveLength(5);
    for (const workflow of held) {
      expect(workflow.nondeterminism.length, JSON.stringify(report.restarts)).toBeGreaterThan(0);
      expect(workflow.nondeterminism[0]!.message).toMatch(/^\[TMPRL1100\] Nondeterminism error: Activity machine does not handle this event: HistoryEvent\(id: 5, TimerStarted\)/);
    }
    expect(report.summary.nondeterminism).toBe(5);
  }, 150_000);

  it('passes the same scenario when the memo module is not preloaded (module state is per workflow)', async () => {
    const restore = withEnv({ QUOTES_PRELOAD_CACHE: 'false' });
    try {
      const io = fakeIo();
      await runCli(['drill', 'restart', '--worker', path.join(leak, 'src/worker.ts'), '--scenario', path.join(leak, 'scenario.json'), '--restarts', '1', '--format', 'json'], io);
      const report = JSON.parse(io.out) as RestartDrillReport;
      expect(report.problems).toEqual([]);
      expect(report.summary).toEqual({ workflows: 6, completed: 6, failed: 0, open: 0, nondeterminism: 0, resultsDiffer: 0 });
      expect(io.exitCode).toBe(0);
    } finally {
      restore();
    }
  }, 150_000);
});
