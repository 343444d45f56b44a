// The prototype example really runs, and its launch hazards are real: an invalid order wedges the
// workflow in a workflow-task retry loop, and a declined card is charged again and again.

import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { placeOrder } from '../../examples/prototype-app/src/client.js';
import { createWorker } from '../../examples/prototype-app/src/worker.js';
import { EventType, fetchAndAnalyze, historyEventTypes, startExampleHarness, useFakeServices, waitFor, type ExampleHarness } from './example-harness.js';

let harness: ExampleHarness;
let services: Awaited<ReturnType<typeof useFakeServices>>;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  harness = await startExampleHarness(createWorker, 'prototype-orders');
});
afterAll(async () => harness?.stop());
beforeEach(async () => {
  services = await useFakeServices();
});
afterEach(async () => services.restore());

describe('examples/prototype-app', () => {
  it('confirms an order after reserving stock, charging the card and shipping', async () => {
    const order = {
      orderId: 'P-1001',
      customerId: 'cust-1',
      lines: [
        { sku: 'MUG-01', quantity: 2, unitPriceCents: 1250 },
        { sku: 'TEE-M', quantity: 1, unitPriceCents: 1999 },
      ],
    };
    const handle = await placeOrder(harness.client, order, { taskQueue: harness.taskQueue });
    expect(handle.workflowId).toBe('order-P-1001');
    expect(await handle.result()).toEqual({
      orderId: 'P-1001',
      status: 'confirmed',
      reservationId: 'res_1',
      chargeId: 'ch_2',
      shipmentId: 'shp_3',
      trackingNumber: 'TRK-P-1001',
      totalCents: 4499,
    });
    expect(services.callsTo('POST /inventory/reservations')[0]!.body).toEqual({ orderId: 'P-1001', lines: order.lines });
    expect(services.callsTo('POST /payment/charges')[0]!.body).toEqual({ orderId: 'P-1001', customerId: 'cust-1', amountCents: 4499 });
    expect(services.callsTo('GET /inventory/shipments/shp_3')).toHaveLength(3);

    // fetched and analyzed like a production namespace: the order lines travel through history
    const { report } = await fetchAndAnalyze(harness, ['order-P-1001']);
    const origins = report.workflowTypes.find((t) => t.workflowType === 'processOrder')!.payloadOrigins;
    const lines = JSON.stringify(order.lines).length;
    expect(origins.find((o) => o.label === 'workflow input')!.maxBytes).toBeGreaterThan(lines);
    expect(origins.find((o) => o.label === 'activity reserveInventory input')!.maxBytes).toBeGreaterThan(lines);
  });

  it('retries the workflow task forever when the workflow throws a plain Error for an order without lines', async () => {
    const handle = await placeOrder(harness.client, { orderId: 'P-1002', customerId: 'cust-1', lines: [] }, { taskQueue: harness.taskQueue });
    try {
      const attempt = await waitFor('a second workflow task attempt', async () => {
        const { raw } = await handle.describe();
        const current = raw.pendingWorkflowTask?.attempt ?? 0;
        return current >= 2 ? current : undefined;
      });
      expect(attempt).toBeGreaterThanOrEqual(2);
      const description = await handle.describe();
      expect(description.status.name).toBe('RUNNING');
      const history = await handle.fetchHistory();
      const failed = history.events!.find((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
      expect(failed?.workflowTaskFailedEventAttributes?.failure?.message).toBe('Order P-1002 has no lines');
      expect(await historyEventTypes(handle)).not.toContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
      expect(services.calls).toEqual([]);
    } finally {
      await handle.terminate('test cleanup');
    }
  });

  it('charges a declined card again and again because PaymentDeclined is retryable', async () => {
    const order = { orderId: 'P-1003', customerId: 'declined-7', lines: [{ sku: 'MUG-01', quantity: 1, unitPriceCents: 1250 }] };
    const handle = await placeOrder(harness.client, order, { taskQueue: harness.taskQueue });
    try {
      await waitFor('a third charge attempt', async () => (services.callsTo('POST /payment/charges').length >= 3 ? true : undefined));
      const { raw, status } = await handle.describe();
      expect(status.name).toBe('RUNNING');
      const pending = raw.pendingActivities?.[0];
      expect(pending?.activityType?.name).toBe('chargePayment');
      expect(pending?.attempt).toBeGreaterThanOrEqual(3);
      expect(pending?.lastFailure?.applicationFailureInfo?.type).toBe('PaymentDeclined');
      expect(pending?.lastFailure?.applicationFailureInfo?.nonRetryable).toBeFalsy();
      expect(services.callsTo('POST /payment/charges').every((call) => call.status === 402)).toBe(true);
    } finally {
      await handle.terminate('test cleanup');
    }
  });
});
