// Where the order API keeps orders; the workflow carries only the order id. A folder of JSON files
// stands in for the orders database so the example runs without one.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Order } from './shared.js';

function storeDir(): string {
  return process.env.ORDER_STORE_DIR ?? path.join(os.tmpdir(), 'preflight-example-orders');
}

function orderFile(orderId: string): string {
  if (!/^[\w.-]+$/.test(orderId)) throw new Error(`invalid order id: ${JSON.stringify(orderId)}`);
  return path.join(storeDir(), `${orderId}.json`);
}

export async function saveOrder(order: Order): Promise<void> {
  await fs.mkdir(storeDir(), { recursive: true });
  await fs.writeFile(orderFile(order.orderId), JSON.stringify(order));
}

export async function loadOrder(orderId: string): Promise<Order | undefined> {
  try {
    return JSON.parse(await fs.readFile(orderFile(orderId), 'utf8')) as Order;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
