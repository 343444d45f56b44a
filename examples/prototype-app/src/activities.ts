// Calls to the payment and inventory services.

import type { OrderLine } from './shared.js';

export class PaymentDeclined extends Error {}
export class OutOfStock extends Error {}

function serviceUrl(name: 'PAYMENT_URL' | 'INVENTORY_URL'): string {
  return process.env[name] ?? (name === 'PAYMENT_URL' ? 'http://localhost:8089/payment' : 'http://localhost:8089/inventory');
}

async function post<T>(url: string, body: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

export async function reserveInventory(orderId: string, lines: OrderLine[]): Promise<string> {
  const { status, json } = await post<{ reservationId: string; sku?: string }>(`${serviceUrl('INVENTORY_URL')}/reservations`, {
    orderId,
    lines,
  });
  if (status === 409) throw new OutOfStock(`SKU ${json.sku} is out of stock`);
  if (status !== 201) throw new Error(`inventory service answered ${status}`);
  return json.reservationId;
}

export async function chargePayment(orderId: string, customerId: string, amountCents: number): Promise<string> {
  const { status, json } = await post<{ chargeId: string }>(`${serviceUrl('PAYMENT_URL')}/charges`, {
    orderId,
    customerId,
    amountCents,
  });
  if (status === 402) throw new PaymentDeclined(`card of customer ${customerId} was declined`);
  if (status !== 201) throw new Error(`payment service answered ${status}`);
  return json.chargeId;
}

export async function shipOrder(orderId: string, lines: OrderLine[]): Promise<{ shipmentId: string; trackingNumber: string }> {
  const inventoryUrl = serviceUrl('INVENTORY_URL');
  const { json } = await post<{ shipmentId: string }>(`${inventoryUrl}/shipments`, { orderId, lines });
  // Wait for the warehouse to pack the parcel.
  for (;;) {
    const response = await fetch(`${inventoryUrl}/shipments/${json.shipmentId}`);
    const shipment = (await response.json()) as { status: string; trackingNumber?: string };
    if (shipment.status === 'shipped') return { shipmentId: json.shipmentId, trackingNumber: shipment.trackingNumber ?? '' };
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.WAREHOUSE_POLL_INTERVAL_MS ?? 2000)));
  }
}
