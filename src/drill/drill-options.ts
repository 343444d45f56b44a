// What every drill (restart, outage, load) is given: the server and credentials, the worker it
// runs, and how the run is named, timed and logged.

import { connectClient, type Connected, type Credentials } from './connect.js';
import type { WorkerSource } from './harness/protocol.js';

export interface DrillRunOptions {
  address: string;
  namespace: string;
  /** mTLS files and API key for --address (none for a dev server). */
  credentials?: Credentials;
  worker: WorkerSource;
  taskQueue: string;
  /** Environment for the worker process (service URLs and the like). */
  env?: Record<string, string | undefined>;
  /** How long the workflows may take to finish (default 5 minutes). */
  timeoutMs?: number;
  /** Prefix for workflow ids; make it unique per run in a shared namespace. */
  idPrefix: string;
  log?(line: string): void;
}

/**
 * The drill's client, with the drill's credentials only: TEMPORAL_API_KEY is not read here (the
 * CLI already resolved it for --address, and a dev server takes plain connections).
 */
export function connectDrill(options: DrillRunOptions): Promise<Connected> {
  return connectClient({ address: options.address, namespace: options.namespace, ...options.credentials }, {});
}
