// Calls to the payment and inventory/warehouse services. Business outcomes (declined card, out of
// stock, invalid order, rejected shipment) are thrown as non-retryable ApplicationFailures with a
// type the workflow's retry policies also name; anything else (network errors, 5xx) is retried.

import { activityInfo, ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import { loadOrder } from './order-store.js';
import { orderTotalCents, type Order, type Reservation, type Shipment } from './shared.js';

function paymentUrl(): string {
  return process.env.PAYMENT_URL ?? 'http://localhost:8089/payment';
}

function inventoryUrl(): string {
  return process.env.INVENTORY_URL ?? 'http://localhost:8089/inventory';
}

async function callService<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await response.text();
  if (response.status >= 500) throw new Error(`${method} ${url} answered ${response.status}`);
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as T };
}

async function requireOrder(orderId: string): Promise<Order> {
  const order = await loadOrder(orderId);
  if (!order) throw ApplicationFailure.nonRetryable(`Order ${orderId} is not in the order store`, 'InvalidOrder');
  if (order.lines.length === 0) throw ApplicationFailure.nonRetryable(`Order ${orderId} has no lines`, 'InvalidOrder');
  return order;
}

export async function reserveInventory(orderId: string): Promise<Reservation> {
  const order = await requireOrder(orderId);
  const lines = order.lines.map(({ sku, quantity }) => ({ sku, quantity }));
  const { status, json } = await callService<{ reservationId: string; sku?: string }>('POST', `${inventoryUrl()}/reservations`, {
    orderId,
    lines,
  });
  if (status === 409) throw ApplicationFailure.nonRetryable(`SKU ${json.sku} is out of stock`, 'OutOfStock');
  if (status !== 201) throw new Error(`inventory service answered ${status} to a reservation`);
  return { reservationId: json.reservationId, totalCents: orderTotalCents(order.lines) };
}

export async function releaseInventory(reservationId: string): Promise<void> {
  const { status } = await callService('DELETE', `${inventoryUrl()}/reservations/${encodeURIComponent(reservationId)}`);
  if (status !== 204 && status !== 404) throw new Error(`inventory service answered ${status} to a release`);
}

export async function chargePayment(orderId: string): Promise<string> {
  const order = await requireOrder(orderId);
  // The order id is the idempotency key: a retried attempt never charges the card twice.
  const { status, json } = await callService<{ chargeId: string }>(
    'POST',
    `${paymentUrl()}/charges`,
    { orderId, customerId: order.customerId, amountCents: orderTotalCents(order.lines) },
    { 'idempotency-key': `order-${orderId}` },
  );
  if (status === 402) throw ApplicationFailure.nonRetryable(`The card of customer ${order.customerId} was declined`, 'PaymentDeclined');
  if (status !== 201) throw new Error(`payment service answered ${status} to a charge`);
  return json.chargeId;
}

/** Books the shipment, then waits for the warehouse to ship it, heartbeating while it waits. */
export async function awaitShipment(orderId: string): Promise<Shipment> {
  const pollIntervalMs = Number(process.env.WAREHOUSE_POLL_INTERVAL_MS ?? 5_000);
  // A retried attempt resumes with the shipment the previous attempt booked.
  let shipmentId = activityInfo().heartbeatDetails as string | undefined;
  if (!shipmentId) {
    const { json } = await callService<{ shipmentId: string }>('POST', `${inventoryUrl()}/shipments`, { orderId });
    shipmentId = json.shipmentId;
  }
  for (;;) {
    heartbeat(shipmentId);
    const { json } = await callService<{ status: string; trackingNumber?: string }>(
      'GET',
      `${inventoryUrl()}/shipments/${encodeURIComponent(shipmentId)}`,
    );
    if (json.status === 'shipped') return { shipmentId, trackingNumber: json.trackingNumber ?? '' };
    if (json.status === 'rejected') throw ApplicationFailure.nonRetryable(`Warehouse rejected shipment ${shipmentId}`, 'ShipmentRejected');
    // Context.sleep ends early when the activity is cancelled (learned through the heartbeat).
    await Context.current().sleep(pollIntervalMs);
  }
}
