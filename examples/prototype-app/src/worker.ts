// Runs the order workflow and its activities. `npm run worker` starts it; tests call createWorker.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from './activities.js';
import { TASK_QUEUE } from './shared.js';

export interface WorkerOverrides {
  connection?: NativeConnection;
  namespace?: string;
  taskQueue?: string;
}

export async function createWorker(overrides: WorkerOverrides = {}): Promise<Worker> {
  const connection =
    overrides.connection ?? (await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' }));
  return Worker.create({
    connection,
    namespace: overrides.namespace ?? 'default',
    taskQueue: overrides.taskQueue ?? TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
    activities,
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const worker = await createWorker();
  await worker.run();
}
