// Runs one example app for real: a dev server, the fake payment/inventory services, the app's own
// worker (in this process) and a client. Each test file gets its own server and worker.

import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { startFakeServices, type FakeServices } from '../../examples/fake-services/server.js';
import { EXAMPLE_SEARCH_ATTRIBUTES, startDevServer, type DevServer } from '../helpers/dev-server.js';
import { withScratchFolder } from '../helpers/scratch-folder.js';

export const EventType = temporal.api.enums.v1.EventType;

export interface ExampleHarness {
  server: DevServer;
  client: Client;
  taskQueue: string;
  stop(): Promise<void>;
}

type CreateWorker = (overrides: { connection: NativeConnection; namespace: string; taskQueue: string }) => Promise<Worker>;

const SERVICE_ENV = ['PAYMENT_URL', 'INVENTORY_URL', 'WAREHOUSE_POLL_INTERVAL_MS'] as const;

export async function startExampleHarness(createWorker: CreateWorker, taskQueue: string): Promise<ExampleHarness> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    const server = await startDevServer({ searchAttributes: EXAMPLE_SEARCH_ATTRIBUTES });
    stops.push(() => server.stop());
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    stops.push(() => nativeConnection.close());
    const worker = await createWorker({ connection: nativeConnection, namespace: server.namespace, taskQueue });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
    });
    const connection = await Connection.connect({ address: server.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: server.namespace });
    return { server, client, taskQueue, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Fresh fake services for one test, wired to the activities through their environment. */
export async function useFakeServices(pollsBeforeShipped = 2): Promise<FakeServices & { restore(): Promise<void> }> {
  const saved = SERVICE_ENV.map((name) => [name, process.env[name]] as const);
  const services = await startFakeServices({ pollsBeforeShipped });
  process.env['PAYMENT_URL'] = services.paymentUrl;
  process.env['INVENTORY_URL'] = services.inventoryUrl;
  process.env['WAREHOUSE_POLL_INTERVAL_MS'] = '50';
  return {
    ...services,
    restore: async () => {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await services.close();
    },
  };
}

export async function historyEventTypes(handle: WorkflowHandle): Promise<temporal.api.enums.v1.EventType[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).map((event) => event.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED);
}

/** Polls `probe` until it returns a value other than undefined, or fails after timeoutMs. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Exports the histories of the given workflow ids with `fetch` and analyzes them the way
 * `temporal-preflight histories` does: the end-to-end path a team runs against its namespace.
 */
export async function fetchAndAnalyze(harness: ExampleHarness, workflowIds: string[]) {
  const { fetchHistories } = await import('../../src/drill/fetch-histories.js');
  const { review } = await import('../../src/review.js');
  return withScratchFolder('example-histories', async (out) => {
    const query = workflowIds.map((id) => `WorkflowId = '${id}'`).join(' OR ');
    const summary = await waitFor('the workflows to be listed', async () => {
      const s = await fetchHistories({ client: harness.client, outDir: out, query });
      return s.written + s.skipped >= workflowIds.length ? s : undefined;
    });
    const result = await review({ dir: out, skipCode: true, histories: [out] });
    return { summary, result, report: result.histories as import('../../src/model/history/types.js').HistoryReport };
  });
}
