// Types shared by the workflow, the activities and the starter. Workflow code imports this file,
// so it must stay free of Node APIs.

export const TASK_QUEUE = 'orders';

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

/** What the order API stores before it starts the workflow. */
export interface Order {
  orderId: string;
  customerId: string;
  lines: OrderLine[];
}

/** The workflow input: identifiers only; activities load the order from the store. */
export interface ProcessOrderInput {
  orderId: string;
  customerId: string;
}

export interface Reservation {
  reservationId: string;
  totalCents: number;
}

export interface Shipment {
  shipmentId: string;
  trackingNumber: string;
}

export interface OrderConfirmation {
  orderId: string;
  status: 'confirmed';
  reservationId: string;
  chargeId: string;
  shipmentId: string;
  trackingNumber: string;
  totalCents: number;
}

export function orderTotalCents(lines: OrderLine[]): number {
  return lines.reduce((total, line) => total + line.quantity * line.unitPriceCents, 0);
}
