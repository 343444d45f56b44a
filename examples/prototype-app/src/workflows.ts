// The order workflow as it was written for the demo: it works on the happy path.

import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities.js';
import { orderTotalCents, type Order, type OrderConfirmation } from './shared.js';

const { reserveInventory, chargePayment, shipOrder } = proxyActivities<typeof activities>({
  startToCloseTimeout: '1 minute',
});

export async function processOrder(order: Order): Promise<OrderConfirmation> {
  if (order.lines.length === 0) {
    throw new Error(`Order ${order.orderId} has no lines`);
  }
  const totalCents = orderTotalCents(order.lines);
  const reservationId = await reserveInventory(order.orderId, order.lines);
  const chargeId = await chargePayment(order.orderId, order.customerId, totalCents);
  const shipment = await shipOrder(order.orderId, order.lines);
  return {
    orderId: order.orderId,
    status: 'confirmed',
    reservationId,
    chargeId,
    shipmentId: shipment.shipmentId,
    trackingNumber: shipment.trackingNumber,
    totalCents,
  };
}
