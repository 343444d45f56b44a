// Hooks into the user's Worker class in a drill worker process: adds the drill's activity
// interceptors, reports the capacity settings the user's code chose, and reuses one workflow
// bundle across restarts (webpack takes seconds; a restart drill restarts several times).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { WorkerSettings } from './protocol.js';

export interface WorkerLike {
  run(): Promise<void>;
  shutdown(): void;
  getState(): string;
}

export interface WorkerClassLike {
  create(options: Record<string, unknown>): Promise<WorkerLike>;
  getOrCreateBundle?(compiledOptions: Record<string, unknown>, logger: unknown): Promise<{ code: string }>;
}

export interface PatchOptions {
  bundleCacheDir?: string;
  activityInterceptors: unknown[];
  onCreated(worker: WorkerLike, settings: WorkerSettings): void;
}

export function patchWorkerClass(Worker: WorkerClassLike, options: PatchOptions): void {
  const create = Worker.create.bind(Worker);
  Worker.create = async (workerOptions: Record<string, unknown>) => {
    const interceptors = (workerOptions['interceptors'] ?? {}) as { activity?: unknown[] };
    const patched = options.activityInterceptors.length
      ? { ...workerOptions, interceptors: { ...interceptors, activity: [...(interceptors.activity ?? []), ...options.activityInterceptors] } }
      : workerOptions;
    const worker = await create(patched);
    options.onCreated(worker, settingsOf(workerOptions));
    return worker;
  };
  if (options.bundleCacheDir && Worker.getOrCreateBundle) cacheBundles(Worker, options.bundleCacheDir);
}

function settingsOf(options: Record<string, unknown>): WorkerSettings {
  const number = (key: string) => (typeof options[key] === 'number' ? { [key]: options[key] as number } : {});
  return {
    taskQueue: String(options['taskQueue'] ?? ''),
    ...number('maxConcurrentActivityTaskExecutions'),
    ...number('maxConcurrentWorkflowTaskExecutions'),
    usesTuner: options['tuner'] !== undefined,
  };
}

/** Worker.getOrCreateBundle is the SDK's single place where workflowsPath becomes a bundle. */
function cacheBundles(Worker: WorkerClassLike, dir: string): void {
  const original = Worker.getOrCreateBundle!.bind(Worker);
  Worker.getOrCreateBundle = async (compiled: Record<string, unknown>, logger: unknown) => {
    const key = bundleKey(compiled);
    if (!key) return original(compiled, logger);
    const file = path.join(dir, `${key}.js`);
    if (fs.existsSync(file)) {
      const interceptors = compiled['interceptors'] as Record<string, unknown>;
      return original(
        { ...compiled, workflowsPath: undefined, bundlerOptions: undefined, workflowBundle: { codePath: file }, interceptors: { ...interceptors, workflowModules: [] } },
        logger,
      );
    }
    const bundle = await original(compiled, logger);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${file}.tmp`, bundle.code);
    fs.renameSync(`${file}.tmp`, file);
    return bundle;
  };
}

/** Everything the bundler reads; undefined when the options carry code (a webpack hook) we cannot key. */
function bundleKey(compiled: Record<string, unknown>): string | undefined {
  if (!compiled['workflowsPath'] || compiled['workflowBundle']) return undefined;
  const bundler = (compiled['bundlerOptions'] ?? {}) as Record<string, unknown>;
  if (bundler['webpackConfigHook'] || (Array.isArray(compiled['plugins']) && compiled['plugins'].length)) return undefined;
  const converter = (compiled['dataConverter'] ?? {}) as Record<string, unknown>;
  const interceptors = (compiled['interceptors'] ?? {}) as Record<string, unknown>;
  const material = JSON.stringify([
    compiled['workflowsPath'],
    interceptors['workflowModules'],
    converter['payloadConverterPath'],
    converter['failureConverterPath'],
    bundler['ignoreModules'],
    bundler['preloadModules'],
  ]);
  return crypto.createHash('sha256').update(material).digest('hex').slice(0, 16);
}
