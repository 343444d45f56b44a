// processOrder: reserve stock, charge the card, wait for the warehouse to ship. The six launch
// decisions are explicit: retry policies with bounded attempts and named business errors, all
// four timeouts, identifiers (not order lines) in the history, ApplicationFailure for failures.

import { ActivityFailure, ApplicationFailure, CancellationScope, proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities.js';
import type { OrderConfirmation, ProcessOrderInput, Reservation, Shipment } from './shared.js';

// Quick HTTP calls to a dependency: each attempt gets 10 s, a saturated worker pool shows up
// within a minute, and the whole call gives up after 5 minutes; retries back off to a minute
// between attempts and stop after 8.
const QUICK_CALL = { startToCloseTimeout: '10s', scheduleToStartTimeout: '1m', scheduleToCloseTimeout: '5m' } as const;
const QUICK_RETRY = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8 } as const;

// Inventory: an order that cannot be filled is an answer, not an outage.
const { reserveInventory, releaseInventory } = proxyActivities<typeof activities>({
  ...QUICK_CALL,
  retry: { ...QUICK_RETRY, nonRetryableErrorTypes: ['OutOfStock', 'InvalidOrder'] },
});

// Payment: idempotent by order id; a declined card is an answer, not an outage.
const { chargePayment } = proxyActivities<typeof activities>({
  ...QUICK_CALL,
  retry: { ...QUICK_RETRY, nonRetryableErrorTypes: ['PaymentDeclined', 'InvalidOrder'] },
});

// Warehouse: minutes of waiting, so it heartbeats and a lost worker is noticed within 30 s.
const { awaitShipment } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '30s',
  scheduleToStartTimeout: '1m',
  scheduleToCloseTimeout: '1h',
  retry: {
    initialInterval: '5s',
    backoffCoefficient: 2,
    maximumInterval: '5m',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['ShipmentRejected'],
  },
});

export async function processOrder(input: ProcessOrderInput): Promise<OrderConfirmation> {
  if (!input.orderId) {
    throw ApplicationFailure.nonRetryable('processOrder needs an orderId', 'InvalidOrder');
  }
  let reservation: Reservation;
  try {
    reservation = await reserveInventory(input.orderId);
  } catch (error) {
    throw orderFailure(input.orderId, error);
  }
  let chargeId: string;
  try {
    chargeId = await chargePayment(input.orderId);
  } catch (error) {
    // Give the stock back before failing the order, whatever stopped the charge. In its own
    // non-cancellable scope: after a cancellation, work started in the cancelled root scope is
    // rejected at once and the stock would stay reserved.
    await CancellationScope.nonCancellable(() => releaseInventory(reservation.reservationId));
    throw orderFailure(input.orderId, error);
  }
  let shipment: Shipment;
  try {
    shipment = await awaitShipment(input.orderId);
  } catch (error) {
    // The card is charged: a failed shipment goes to a person (see docs/runbooks/processOrder.md).
    throw orderFailure(input.orderId, error);
  }
  return {
    orderId: input.orderId,
    status: 'confirmed',
    reservationId: reservation.reservationId,
    chargeId,
    shipmentId: shipment.shipmentId,
    trackingNumber: shipment.trackingNumber,
    totalCents: reservation.totalCents,
  };
}

/** Fails the workflow (not the workflow task) and keeps the business type for dashboards. */
function orderFailure(orderId: string, error: unknown): ApplicationFailure {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  const type = cause instanceof ApplicationFailure && cause.type ? cause.type : 'OrderFailed';
  return ApplicationFailure.create({
    message: `Order ${orderId} failed: ${cause?.message ?? String(error)}`,
    type,
    nonRetryable: true,
    cause: error instanceof Error ? error : undefined,
  });
}
