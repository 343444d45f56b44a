// Places an order: starts processOrder. `npm run order` places a sample order.

import { pathToFileURL } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { TASK_QUEUE, type Order } from './shared.js';
import { processOrder } from './workflows.js';

export async function placeOrder(
  client: Client,
  order: Order,
  options: { taskQueue?: string } = {},
): Promise<WorkflowHandle<typeof processOrder>> {
  return client.workflow.start(processOrder, {
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    workflowId: `order-${order.orderId}`,
    args: [order],
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' });
  const client = new Client({ connection });
  const handle = await placeOrder(client, {
    orderId: `A-${Date.now()}`,
    customerId: 'cust-1',
    lines: [{ sku: 'MUG-01', quantity: 2, unitPriceCents: 1250 }],
  });
  console.log(`started ${handle.workflowId}`);
  console.log(await handle.result());
  await connection.close();
}
