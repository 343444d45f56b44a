// The production example really runs and its launch decisions hold: identifiers in the history,
// search attributes at start, business errors fail fast, heartbeats, metrics, and replay.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { placeOrder } from '../../examples/production-app/src/client.js';
import { CUSTOMER_ID, ORDER_ID } from '../../examples/production-app/src/search-attributes.js';
import { createWorker, installRuntime } from '../../examples/production-app/src/worker.js';
import { freeLoopbackPort } from '../helpers/dev-server.js';
import { EventType, fetchAndAnalyze, historyEventTypes, startExampleHarness, useFakeServices, waitFor, type ExampleHarness } from './example-harness.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const appDir = fileURLToPath(new URL('../../examples/production-app/', import.meta.url));
const workflowsPath = path.join(appDir, 'src', 'workflows.ts');

let harness: ExampleHarness;
let services: Awaited<ReturnType<typeof useFakeServices>>;
let metricsAddress: string;
const storeDir = scratchFolderForSuite('production-app-orders');
const savedStoreDir = process.env['ORDER_STORE_DIR'];

beforeAll(async () => {
  metricsAddress = `127.0.0.1:${await freeLoopbackPort()}`;
  installRuntime({ metricsBindAddress: metricsAddress, logLevel: 'ERROR' });
  process.env['ORDER_STORE_DIR'] = storeDir;
  harness = await startExampleHarness(createWorker, 'production-orders');
});
afterAll(async () => {
  await harness?.stop();
  if (savedStoreDir === undefined) delete process.env['ORDER_STORE_DIR'];
  else process.env['ORDER_STORE_DIR'] = savedStoreDir;
});
beforeEach(async () => {
  services = await useFakeServices();
});
afterEach(async () => services.restore());

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => expect.fail('the workflow completed'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

describe('examples/production-app', () => {
  it('confirms an order, carrying only identifiers and indexing them as search attributes', async () => {
    const order = {
      orderId: 'A-1001',
      customerId: 'cust-1',
      lines: [
        { sku: 'MUG-01', quantity: 2, unitPriceCents: 1250 },
        { sku: 'TEE-M', quantity: 1, unitPriceCents: 1999 },
      ],
    };
    const handle = await placeOrder(harness.client, order, { taskQueue: harness.taskQueue });
    expect(await handle.result()).toEqual({
      orderId: 'A-1001',
      status: 'confirmed',
      reservationId: 'res_1',
      chargeId: 'ch_2',
      shipmentId: 'shp_3',
      trackingNumber: 'TRK-A-1001',
      totalCents: 4499,
    });
    // The lines travel from the store to the services, never through the history.
    expect(services.callsTo('POST /inventory/reservations')[0]!.body).toEqual({
      orderId: 'A-1001',
      lines: [
        { sku: 'MUG-01', quantity: 2 },
        { sku: 'TEE-M', quantity: 1 },
      ],
    });
    const history = await handle.fetchHistory();
    expect(JSON.stringify(history.events)).not.toContain('MUG-01');
    const scheduled = history.events!.filter((event) => event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    expect(scheduled.map((event) => event.activityTaskScheduledEventAttributes?.activityType?.name)).toEqual([
      'reserveInventory',
      'chargePayment',
      'awaitShipment',
    ]);
    const shipment = scheduled[2]!.activityTaskScheduledEventAttributes!;
    expect(Number(shipment.heartbeatTimeout?.seconds)).toBe(30);
    expect(Number(shipment.scheduleToStartTimeout?.seconds)).toBe(60);
    expect(Number(shipment.scheduleToCloseTimeout?.seconds)).toBe(3600);
    expect(shipment.retryPolicy?.nonRetryableErrorTypes).toEqual(['ShipmentRejected']);
    expect(services.callsTo('GET /inventory/shipments/shp_3')).toHaveLength(3);

    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(ORDER_ID)).toBe('A-1001');
    expect(description.typedSearchAttributes.get(CUSTOMER_ID)).toBe('cust-1');

    // fetched and analyzed like a production namespace: identifiers only, far inside the budget
    const { report, result } = await fetchAndAnalyze(harness, ['order-A-1001']);
    const type = report.workflowTypes.find((t) => t.workflowType === 'processOrder')!;
    const lines = JSON.stringify(order.lines).length;
    expect(type.payloadOrigins.find((o) => o.label === 'activity reserveInventory input')!.maxBytes).toBeLessThan(lines);
    expect(type.historyBytes.max).toBeLessThan(50_000);
    expect(result.findings.filter((f) => f.area === 'payloads')).toEqual([]);
  });

  it('fails the order at the first declined charge and releases the reservation', async () => {
    const order = { orderId: 'A-1002', customerId: 'declined-7', lines: [{ sku: 'MUG-01', quantity: 1, unitPriceCents: 1250 }] };
    const handle = await placeOrder(harness.client, order, { taskQueue: harness.taskQueue });
    const failure = await failureOf(handle.result());
    expect(failure.type).toBe('PaymentDeclined');
    expect(failure.message).toBe('Order A-1002 failed: The card of customer declined-7 was declined');
    expect(failure.cause).toBeInstanceOf(ActivityFailure);
    expect(services.callsTo('POST /payment/charges')).toHaveLength(1);
    expect(services.callsTo('DELETE /inventory/reservations/res_1')).toHaveLength(1);
    expect(services.callsTo('POST /inventory/shipments')).toHaveLength(0);
  });

  it('fails an order without lines as a workflow failure, not a stuck workflow task', async () => {
    const handle = await placeOrder(harness.client, { orderId: 'A-1003', customerId: 'cust-1', lines: [] }, { taskQueue: harness.taskQueue });
    const failure = await failureOf(handle.result());
    expect(failure.type).toBe('InvalidOrder');
    expect(failure.message).toBe('Order A-1003 failed: Order A-1003 has no lines');
    const events = await historyEventTypes(handle);
    expect(events).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    expect(events.filter((type) => type === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)).toHaveLength(1);
    expect(services.calls).toEqual([]);
  });

  it('exports the SDK metrics on the Prometheus endpoint with the workflow type', async () => {
    const lines = [{ sku: 'MUG-01', quantity: 1, unitPriceCents: 1250 }];
    const completed = await placeOrder(harness.client, { orderId: 'A-1005', customerId: 'cust-5', lines }, { taskQueue: harness.taskQueue });
    const failed = await placeOrder(harness.client, { orderId: 'A-1006', customerId: 'declined-6', lines }, { taskQueue: harness.taskQueue });
    await completed.result();
    await expect(failed.result()).rejects.toThrow(WorkflowFailedError);
    const text = await waitFor('processOrder metrics', async () => {
      const body = await (await fetch(`http://${metricsAddress}/metrics`)).text();
      return body.includes('temporal_workflow_completed') && body.includes('temporal_workflow_failed') ? body : undefined;
    });
    const sample = (name: string) =>
      text.split('\n').find((line) => line.startsWith(`${name}{`) && line.includes('workflow_type="processOrder"'));
    expect(sample('temporal_workflow_completed')).toMatch(/task_queue="production-orders"/);
    expect(sample('temporal_workflow_failed')).toMatch(/namespace="default"/);
    expect(text).toMatch(/^temporal_activity_execution_latency_bucket\{/m);
    expect(text).toMatch(/^temporal_worker_task_slots_available\{/m);
  });

  it('replays the recorded histories and a fresh one against the current workflow code', async () => {
    const recordedDir = path.join(appDir, 'test', 'histories');
    const recorded = fs.readdirSync(recordedDir).filter((name) => name.endsWith('.json')).sort();
    expect(recorded.length).toBeGreaterThan(0);
    const order = { orderId: 'A-1004', customerId: 'cust-4', lines: [{ sku: 'MUG-01', quantity: 1, unitPriceCents: 1250 }] };
    const handle = await placeOrder(harness.client, order, { taskQueue: harness.taskQueue });
    await handle.result();
    const fresh = await handle.fetchHistory();
    const histories = [
      ...recorded.map((name) => ({
        workflowId: name,
        history: JSON.parse(fs.readFileSync(path.join(recordedDir, name), 'utf8')) as unknown,
      })),
      { workflowId: 'order-A-1004', history: fresh },
    ];
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath }, histories)) {
      results.push({ workflowId: result.workflowId, error: result.error?.message });
    }
    expect(results).toEqual(histories.map(({ workflowId }) => ({ workflowId, error: undefined })));
  });
});
