// Places an order: stores it, then starts processOrder with the order's identifiers as search
// attributes. `npm run order` places a sample order.

import { pathToFileURL } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { saveOrder } from './order-store.js';
import { CUSTOMER_ID, ORDER_ID } from './search-attributes.js';
import { TASK_QUEUE, type Order } from './shared.js';
import { processOrder } from './workflows.js';

export async function placeOrder(
  client: Client,
  order: Order,
  options: { taskQueue?: string } = {},
): Promise<WorkflowHandle<typeof processOrder>> {
  await saveOrder(order);
  return client.workflow.start(processOrder, {
    taskQueue: options.taskQueue ?? process.env.TASK_QUEUE ?? TASK_QUEUE,
    workflowId: `order-${order.orderId}`,
    args: [{ orderId: order.orderId, customerId: order.customerId }],
    typedSearchAttributes: [
      { key: ORDER_ID, value: order.orderId },
      { key: CUSTOMER_ID, value: order.customerId },
    ],
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const connection = await Connection.connect({
    address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233',
    tls: process.env.TEMPORAL_TLS === 'true' ? {} : undefined,
    apiKey: process.env.TEMPORAL_API_KEY,
  });
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const handle = await placeOrder(client, {
    orderId: `A-${Date.now()}`,
    customerId: 'cust-1',
    lines: [{ sku: 'MUG-01', quantity: 2, unitPriceCents: 1250 }],
  });
  console.log(`started ${handle.workflowId}`);
  console.log(await handle.result());
  await connection.close();
}
