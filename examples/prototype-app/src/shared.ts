// Types shared by the workflow, the activities and the starter.

export const TASK_QUEUE = 'orders';

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  orderId: string;
  customerId: string;
  lines: OrderLine[];
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
