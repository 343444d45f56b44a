// A drill worker process: builds the user's worker from its own module (so the drill runs the code
// that will ship), with the drill's connection, namespace and task queue, and runs it until the
// drill asks it to stop or kills it. The restart drill SIGKILLs this process on purpose.

import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { faultInjectorInterceptor, installDependencyFaults } from '../fault-injector.js';
import { tlsOption } from '../tls-options.js';
import { patchWorkerClass, type WorkerClassLike, type WorkerLike } from './patch-worker.js';
import { WORKER_HOST_CONFIG_ENV, type WorkerChildMessage, type WorkerHostConfig, type WorkerParentMessage } from './protocol.js';

register(new URL('./ts-loader-hooks.js', import.meta.url));

function send(message: WorkerChildMessage): void {
  process.send?.(message);
}

interface WorkerPackage {
  Worker: WorkerClassLike;
  NativeConnection: { connect(options: { address: string; tls?: object | boolean; apiKey?: string }): Promise<unknown> };
  Runtime: { install(options: object): unknown };
  DefaultLogger: new (level: string) => unknown;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env[WORKER_HOST_CONFIG_ENV] ?? '{}') as WorkerHostConfig;
  const source = config.source;
  // a --worker-command worker runs on its own, never in this host
  if (source.kind === 'command') throw new Error('a --worker-command worker is not run through the TypeScript worker host');
  const anchor = source.kind === 'module' ? source.module : source.workflows;
  const sdk = await importWorkerPackage(anchor);
  if (config.metricsBindAddress) {
    sdk.Runtime.install({
      logger: new sdk.DefaultLogger('WARN'),
      telemetryOptions: { metrics: { prometheus: { bindAddress: config.metricsBindAddress } } },
    });
  }
  if (config.faults) installDependencyFaults(config.faults);
  let created: WorkerLike | undefined;
  patchWorkerClass(sdk.Worker, {
    ...(config.bundleCacheDir ? { bundleCacheDir: config.bundleCacheDir } : {}),
    activityInterceptors: config.faults ? [faultInjectorInterceptor(config.faults, (failure) => send({ type: 'injected', failure }))] : [],
    onCreated(worker, settings) {
      created = worker;
      send({ type: 'created', settings });
      void announceRunning(worker);
    },
  });
  process.on('message', (message: WorkerParentMessage) => {
    if (message.type === 'fault-window' && config.faults) {
      config.faults.windowStartMs = message.windowStartMs;
      config.faults.windowEndMs = message.windowEndMs;
      send({ type: 'fault-window-set' });
    } else if (message.type === 'shutdown') {
      if (created) created.shutdown();
      else process.exit(0);
    }
  });
  const connection = await sdk.NativeConnection.connect({ address: config.address, ...connectionCredentials(config) });
  const overrides = { connection, address: config.address, namespace: config.namespace, taskQueue: config.taskQueue };
  if (source.kind === 'parts') {
    const activities = source.activities ? await import(pathToFileURL(source.activities).href) : {};
    const worker = await sdk.Worker.create({ ...overrides, address: undefined, workflowsPath: source.workflows, activities: { ...activities } });
    await worker.run();
    return;
  }
  const factory = await loadFactory(source.module, source.exportName);
  const result = await factory(overrides);
  if (isWorker(result)) await result.run();
  else if (created) await waitUntilStopped(created);
  else throw new Error(`${source.module}: the worker function returned without creating a Worker`);
}

/** TLS and API key for the worker's connection, as the drill was given them (--tls-*, --api-key). */
function connectionCredentials(config: WorkerHostConfig): { tls?: object | boolean; apiKey?: string } {
  const credentials = config.credentials ?? {};
  const apiKey = credentials.useApiKey ? process.env['TEMPORAL_API_KEY'] : undefined;
  const tls = tlsOption(credentials, Boolean(apiKey), (file) => fs.readFileSync(file));
  return { ...(tls ? { tls } : {}), ...(apiKey ? { apiKey } : {}) };
}

/** The user's own copy of @temporalio/worker, so our patch reaches the class their code calls. */
async function importWorkerPackage(anchor: string): Promise<WorkerPackage> {
  let resolved: string;
  try {
    resolved = createRequire(anchor).resolve('@temporalio/worker');
  } catch {
    resolved = createRequire(import.meta.url).resolve('@temporalio/worker');
  }
  const loaded = (await import(pathToFileURL(resolved).href)) as WorkerPackage & { default?: WorkerPackage };
  return loaded.Worker ? loaded : loaded.default!;
}

type Factory = (overrides: object) => unknown;

const FACTORY_NAMES = ['createWorker', 'runWorker', 'startWorker', 'default'];

async function loadFactory(module: string, exportName: string | undefined): Promise<Factory> {
  const exports = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  if (exportName) {
    if (typeof exports[exportName] !== 'function') throw new Error(`${module}: no exported function named ${exportName}`);
    return exports[exportName] as Factory;
  }
  const name = FACTORY_NAMES.find((candidate) => typeof exports[candidate] === 'function');
  if (name) return exports[name] as Factory;
  const functions = Object.keys(exports).filter((key) => typeof exports[key] === 'function');
  if (functions.length === 1) return exports[functions[0]!] as Factory;
  throw new Error(`${module}: export createWorker(overrides), or name the function with ${path.basename(module)}#name (exported functions: ${functions.join(', ') || 'none'})`);
}

function isWorker(value: unknown): value is WorkerLike {
  return typeof value === 'object' && value !== null && typeof (value as WorkerLike).run === 'function' && typeof (value as WorkerLike).getState === 'function';
}

async function announceRunning(worker: WorkerLike): Promise<void> {
  while (worker.getState() !== 'RUNNING') {
    if (['STOPPING', 'DRAINING', 'DRAINED', 'STOPPED', 'FAILED'].includes(worker.getState())) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  send({ type: 'running' });
}

async function waitUntilStopped(worker: WorkerLike): Promise<void> {
  while (!['STOPPED', 'FAILED'].includes(worker.getState())) await new Promise((resolve) => setTimeout(resolve, 100));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    send({ type: 'fatal', message });
    process.stderr.write(`${error instanceof Error ? (error.stack ?? message) : message}\n`);
    // let the IPC message flush before the process ends
    setTimeout(() => process.exit(1), 50);
  },
);

