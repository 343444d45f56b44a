// Replays histories against the current workflow code: bundle once, then replay in worker
// processes across the CPU cores (TEMPORAL-FACTS.md section 9). Replay runs the user's workflow
// code by design (in the SDK's sandbox), unlike the static review.

import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../../engine/errors.js';
import { cleanupOnExit } from '../exit-cleanup.js';
import { classifyReplayError, type ReplayDivergence } from './classify.js';
import type { ChildMessage, ReplayInit, ReplayItem, ReplayItemResult } from './protocol.js';
import { replayPoolSize } from './replay-pool-size.js';

/** How long a replay process may take to exit once told to, before it is killed. */
const EXIT_GRACE_MS = 5_000;

export interface ReplayBundle {
  codePath: string;
  payloadCodecModule?: string;
  interceptorModules: string[];
  /** Worker processes started while bundling, already loading the SDK; runReplay takes them first. */
  warm?: ChildProcess[];
  dispose(): void;
}

export interface BundleOptions {
  workflowsPath: string;
  /** A module exporting `payloadConverter` / `failureConverter` and/or `payloadCodecs`. */
  dataConverterModule?: string;
  /** Workflow interceptor modules (as in `interceptors.workflowModules`). */
  interceptorModules?: string[];
  /** Replay processes to start while bundling: at most one per history (see replayPoolSize); 0 for none. */
  prewarm: number;
}

export async function bundleForReplay(options: BundleOptions): Promise<ReplayBundle> {
  const workflowsPath = resolveModule(options.workflowsPath, '--workflows');
  const interceptorModules = (options.interceptorModules ?? []).map((m) => resolveModule(m, '--interceptors'));
  const converter = options.dataConverterModule ? resolveModule(options.dataConverterModule, '--data-converter') : undefined;
  let exported: Record<string, unknown> = {};
  if (converter) exported = (await import(pathToFileURL(converter).href)) as Record<string, unknown>;
  // Child start-up (loading the SDK, about a second) overlaps with webpack instead of following it.
  const warm = Array.from({ length: options.prewarm }, () => forkChild({}));
  // an unused warm child holds no work: stop it at once
  const disposeWarm = () => warm.splice(0).forEach((child) => stopChild(child, 0));
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  let bundle: { code: string };
  try {
    bundle = await bundleWorkflowCode({
      workflowsPath,
      ...(interceptorModules.length ? { workflowInterceptorModules: interceptorModules } : {}),
      ...(converter && 'payloadConverter' in exported ? { payloadConverterPath: converter } : {}),
      ...(converter && 'failureConverter' in exported ? { failureConverterPath: converter } : {}),
      logger: silent,
    });
  } catch (error) {
    disposeWarm();
    throw new UsageError(`${workflowsPath}: cannot bundle the workflows: ${String(error instanceof Error ? error.message : error).split('\n')[0]}`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-replay-'));
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  // the folder goes however the process ends (a signal, an uncaught error), not only on dispose
  const forgetDir = cleanupOnExit(removeDir);
  const codePath = path.join(dir, 'workflow-bundle.js');
  try {
    fs.writeFileSync(codePath, bundle.code);
  } catch (error) {
    disposeWarm();
    forgetDir();
    removeDir();
    throw error;
  }
  const hasCodecs = converter && ('payloadCodecs' in exported || 'payloadCodec' in exported);
  return {
    codePath,
    ...(hasCodecs ? { payloadCodecModule: converter } : {}),
    interceptorModules,
    warm,
    dispose: () => {
      disposeWarm();
      forgetDir();
      removeDir();
    },
  };
}

export interface ReplayRecord extends Omit<ReplayDivergence, 'issuedType' | 'issuedKind'> {
  /** The history file (as given), when replayed from a file. */
  file?: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  issuedType: string | null;
  issuedKind: ReplayDivergence['issuedKind'];
}

export interface ReplayRunOptions {
  /** Worker processes (default: the CPU count, at most one per history). */
  processes?: number;
  /** Extra environment for the worker processes (perturbed replay). */
  env?: Record<string, string>;
  onProgress?(done: number, total: number): void;
}

/** Replays every item; results come back in input order. */
export async function runReplay(bundle: ReplayBundle, items: ReplayItem[], options: ReplayRunOptions = {}): Promise<ReplayRecord[]> {
  const processes = replayPoolSize(items.length, options.processes);
  if (processes === 0) return [];
  const shares: ReplayItem[][] = Array.from({ length: processes }, () => []);
  items.forEach((item, i) => shares[i % processes]!.push(item));
  const results = new Map<number, ReplayRecord>();
  let done = 0;
  await Promise.all(
    shares.map((share) =>
      runChild(bundle, share, options.env ?? {}, (result) => {
        const item = items.find((candidate) => candidate.index === result.index)!;
        results.set(result.index, toRecord(item, result));
        options.onProgress?.(++done, items.length);
      }),
    ),
  );
  return items.map((item) => results.get(item.index)!);
}

export const RUNNING_MESSAGE = 'still running when recorded: replayed without divergence up to its last completed workflow task; what it does next is not verified';

export function toRecord(item: ReplayItem, result: ReplayItemResult): ReplayRecord {
  let divergence = classifyReplayError(result.error, result.events);
  if (divergence.outcome === 'ok' && result.closed === false) divergence = { ...divergence, outcome: 'running', message: RUNNING_MESSAGE };
  return {
    ...(item.file ? { file: item.file } : {}),
    workflowId: result.workflowId,
    runId: result.runId,
    workflowType: result.workflowType,
    ...divergence,
  };
}

function forkChild(env: Record<string, string>): ChildProcess {
  const child = fork(childScript(), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  // a warm child may wait for work unused; it must not keep the coordinator alive
  child.unref();
  (child as { channel?: { unref(): void } }).channel?.unref();
  (child.stderr as { unref?(): void } | null)?.unref?.();
  return child;
}

/**
 * Closes the child's IPC channel (the child exits on 'disconnect') and its stderr pipe, and
 * kills it if it is still there after graceMs: a child must never outlive the run.
 */
function stopChild(child: ChildProcess, graceMs: number): void {
  if (child.connected) child.disconnect();
  const alive = () => child.exitCode === null && child.signalCode === null;
  if (!alive()) return;
  if (graceMs === 0) {
    child.kill('SIGKILL');
    child.stderr?.destroy();
    return;
  }
  const timer = setTimeout(() => {
    if (alive()) child.kill('SIGKILL');
  }, graceMs);
  child.once('exit', () => clearTimeout(timer));
}

/** A warm child for the default environment, or a new one. */
function takeChild(bundle: ReplayBundle, env: Record<string, string>): ChildProcess {
  if (Object.keys(env).length === 0) {
    while (bundle.warm?.length) {
      const child = bundle.warm.shift()!;
      if (child.exitCode === null && child.signalCode === null && child.connected) return child;
    }
  }
  return forkChild(env);
}

function runChild(bundle: ReplayBundle, share: ReplayItem[], env: Record<string, string>, onResult: (r: ReplayItemResult) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = takeChild(bundle, env);
    (child as { channel?: { ref(): void } }).channel?.ref();
    child.ref();
    let stderr = '';
    (child.stderr as { ref?(): void } | null)?.ref?.();
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const seen = new Set<number>();
    let finished = false;
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'result') {
        seen.add(message.index);
        onResult(message);
      } else if (message.type === 'done') {
        finished = true;
        stopChild(child, EXIT_GRACE_MS);
      } else if (message.type === 'fatal') {
        finished = true;
        for (const item of share) if (!seen.has(item.index)) onResult(crashResult(item, message.message));
        stopChild(child, EXIT_GRACE_MS);
      }
    });
    child.on('error', (error) => {
      stopChild(child, 0);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      if (!finished) {
        const reason = `replay worker exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`;
        for (const item of share) if (!seen.has(item.index)) onResult(crashResult(item, reason));
      }
      resolve();
    });
    const init: ReplayInit = {
      type: 'run',
      codePath: bundle.codePath,
      ...(bundle.payloadCodecModule ? { payloadCodecModule: bundle.payloadCodecModule } : {}),
      interceptorModules: bundle.interceptorModules,
      items: share,
    };
    child.send(init);
  });
}

function crashResult(item: ReplayItem, message: string): ReplayItemResult {
  return { type: 'result', index: item.index, workflowId: item.workflowId, runId: '', workflowType: '', error: { name: 'ReplayWorkerError', message }, events: [] };
}

/** The compiled child script (tests run from src/, so point them at the build in dist/). */
function childScript(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return path.join(path.dirname(here), 'replay-child.js');
  const repo = path.resolve(path.dirname(here), '../../..');
  const built = path.join(repo, 'dist/drill/replay/replay-child.js');
  if (!fs.existsSync(built)) throw new Error(`run "npm run build" first: ${built} is missing`);
  return built;
}

function resolveModule(module: string, flag: string): string {
  const absolute = path.resolve(module);
  for (const candidate of [absolute, `${absolute}.ts`, `${absolute}.js`, path.join(absolute, 'index.ts'), path.join(absolute, 'index.js')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new UsageError(`${flag} ${module}: no such module`);
}
