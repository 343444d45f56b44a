// Runs the order workflow and its activities with explicit capacity, graceful shutdown and
// Prometheus metrics. `npm run worker` starts it; tests call installRuntime and createWorker.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import * as activities from './activities.js';
import { TASK_QUEUE } from './shared.js';

export interface RuntimeSettings {
  /** Where Prometheus scrapes /metrics; in a container set METRICS_BIND_ADDRESS=0.0.0.0:9464. */
  metricsBindAddress?: string;
  logLevel?: LogLevel;
}

/** Must run once, before any connection or worker is created: metrics are off otherwise. */
export function installRuntime(settings: RuntimeSettings = {}): Runtime {
  return Runtime.install({
    logger: new DefaultLogger(settings.logLevel ?? 'INFO'),
    telemetryOptions: {
      metrics: {
        prometheus: {
          bindAddress: settings.metricsBindAddress ?? process.env.METRICS_BIND_ADDRESS ?? '127.0.0.1:9464',
        },
      },
    },
  });
}

export interface WorkerOverrides {
  connection?: NativeConnection;
  namespace?: string;
  taskQueue?: string;
}

/**
 * The image runs the bundle `npm run build:workflows` wrote (WORKFLOW_BUNDLE_PATH), so a start does
 * not run webpack; local development and tests bundle the sources.
 */
function workflowSource(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const codePath = process.env.WORKFLOW_BUNDLE_PATH;
  return codePath ? { workflowBundle: { codePath } } : { workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)) };
}

export async function createWorker(overrides: WorkerOverrides = {}): Promise<Worker> {
  const connection =
    overrides.connection ??
    (await NativeConnection.connect({
      address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233',
      // TLS and an API key come from the environment: a secured server or Temporal Cloud is a
      // configuration change, not a code change.
      tls: process.env.TEMPORAL_TLS === 'true' ? {} : undefined,
      apiKey: process.env.TEMPORAL_API_KEY,
    }));
  return Worker.create({
    connection,
    namespace: overrides.namespace ?? process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: overrides.taskQueue ?? process.env.TASK_QUEUE ?? TASK_QUEUE,
    ...workflowSource(),
    activities,
    // Sized from preflight.config.json: 1 order/s at peak, awaitShipment ~30 s each, 2 x headroom.
    maxConcurrentActivityTaskExecutions: 120,
    maxConcurrentWorkflowTaskExecutions: 20,
    maxConcurrentLocalActivityExecutions: 20,
    // A deploy lets in-flight charges and shipment polls finish instead of cancelling them.
    shutdownGraceTime: '30s',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  installRuntime();
  const worker = await createWorker();
  await worker.run();
}
