// Messages between a drill and the worker process it runs (and kills).

import type { FaultPlan, InjectedFailure } from '../fault-injector.js';

/** How the child builds the user's worker. */
export type WorkerSource =
  /** A module exporting a function that creates (and maybe runs) the worker from overrides. */
  | { kind: 'module'; module: string; exportName?: string }
  /** A workflows module and an activities module, as in `Worker.create({ workflowsPath, activities })`. */
  | { kind: 'parts'; workflows: string; activities?: string }
  /** A worker in any language, started with `sh -c` (--worker-command). */
  | { kind: 'command'; command: string };

export interface WorkerHostConfig {
  source: WorkerSource;
  address: string;
  namespace: string;
  taskQueue: string;
  /** A folder where the first process writes the workflow bundle and later ones reuse it. */
  bundleCacheDir?: string;
  faults?: FaultPlan;
  /** Install the SDK runtime with Prometheus metrics on this address. */
  metricsBindAddress?: string;
  /**
   * TLS files for the worker's connection, and whether to use the API key, which travels in the
   * child's TEMPORAL_API_KEY environment variable rather than in this config.
   */
  credentials?: { tlsCert?: string; tlsKey?: string; tlsCa?: string; useApiKey?: boolean };
}

/** The capacity settings of the worker the user's code created. */
export interface WorkerSettings {
  taskQueue: string;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  usesTuner: boolean;
  /** A --worker-command worker: its slot settings cannot be read from outside. */
  slotsUnknown?: boolean;
}

export type WorkerChildMessage =
  | { type: 'created'; settings: WorkerSettings }
  | { type: 'running' }
  | { type: 'fault-window-set' }
  | { type: 'injected'; failure: InjectedFailure }
  | { type: 'fatal'; message: string };

export type WorkerParentMessage =
  | { type: 'shutdown' }
  /** Moves the fault window once the worker is up (start-up takes seconds). */
  | { type: 'fault-window'; windowStartMs: number; windowEndMs: number };

export const WORKER_HOST_CONFIG_ENV = 'PREFLIGHT_DRILL_WORKER';
