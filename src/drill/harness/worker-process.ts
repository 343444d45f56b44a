// Runs the user's worker in a child process the drill can SIGKILL and start again.

import { fork, type ChildProcess } from 'node:child_process';
import type { Client } from '@temporalio/client';
import { cleanupOnExit } from '../exit-cleanup.js';
import { startCommandWorker } from './command-worker.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Credentials } from '../connect.js';
import type { InjectedFailure } from '../fault-injector.js';
import { WORKER_HOST_CONFIG_ENV, type WorkerChildMessage, type WorkerHostConfig, type WorkerSettings } from './protocol.js';

export interface WorkerProcess {
  pid: number;
  settings: WorkerSettings;
  /** SIGKILL: no shutdown, no flushing, like a node that lost power. */
  kill(): Promise<void>;
  /** Graceful shutdown (the worker's own shutdownGraceTime applies), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** The process ended on its own (not through kill/stop): the reason. */
  crashed(): string | undefined;
  /** Attempts the fault injector failed so far. */
  injected(): InjectedFailure[];
  /** Sets the fault injector's window (epoch ms) and waits until the worker applied it. */
  setFaultWindow(windowStartMs: number, windowEndMs: number): Promise<void>;
}

export interface StartWorkerOptions {
  /** Extra environment for the worker (the user's service URLs and the like). */
  env?: Record<string, string | undefined>;
  /** TLS files and API key for the worker's connection (the key is kept out of the config and of messages). */
  credentials?: Credentials;
  startupTimeoutMs?: number;
  /** The drill's client: a --worker-command worker is up when the server lists its poller. */
  client?: Client;
}

export async function startWorkerProcess(config: WorkerHostConfig, options: StartWorkerOptions = {}): Promise<WorkerProcess> {
  if (config.source.kind === 'command') {
    if (!options.client) throw new Error('a --worker-command worker needs the drill client');
    return startCommandWorker(config.source.command, config, options.client, options);
  }
  const { apiKey, tlsCert, tlsKey, tlsCa } = options.credentials ?? {};
  const files = { ...(tlsCert ? { tlsCert } : {}), ...(tlsKey ? { tlsKey } : {}), ...(tlsCa ? { tlsCa } : {}) };
  const hostConfig: WorkerHostConfig = apiKey || tlsCert || tlsCa ? { ...config, credentials: { ...files, ...(apiKey ? { useApiKey: true } : {}) } } : config;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: config.address,
    TEMPORAL_NAMESPACE: config.namespace,
    TASK_QUEUE: config.taskQueue,
    ...options.env,
    ...(apiKey ? { TEMPORAL_API_KEY: apiKey } : {}),
    [WORKER_HOST_CONFIG_ENV]: JSON.stringify(hostConfig),
  };
  const scrub = (message: string) => (apiKey ? message.split(apiKey).join('***') : message);
  const child = fork(childScript(), [], { env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: ['--no-warnings'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = scrub(stderr + chunk.toString('utf8')).slice(-8000);
  });
  const injected: InjectedFailure[] = [];
  child.on('message', (message: WorkerChildMessage) => {
    if (message.type === 'injected') injected.push(message.failure);
  });
  const forget = cleanupOnExit(() => child.kill('SIGKILL'));
  let expectedExit = false;
  let crash: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      forget();
      if (!expectedExit) crash = `the worker process exited (${signal ?? `code ${code}`})${lastLine(stderr)}`;
      resolve();
    });
  });
  const settings = await waitUntilRunning(child, exited, () => crash ?? `the worker process exited${lastLine(stderr)}`, options.startupTimeoutMs ?? 120_000, scrub);
  const end = async (signal: NodeJS.Signals | 'shutdown', graceMs = 0) => {
    expectedExit = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (signal === 'shutdown' && child.connected) {
      child.send({ type: 'shutdown' });
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      return;
    }
    child.kill('SIGKILL');
    await exited;
  };
  return {
    pid: child.pid!,
    settings,
    kill: () => end('SIGKILL'),
    stop: (graceMs = 15_000) => end('shutdown', graceMs),
    crashed: () => crash,
    injected: () => injected,
    setFaultWindow: (windowStartMs, windowEndMs) =>
      new Promise<void>((resolve, reject) => {
        const onMessage = (message: WorkerChildMessage) => {
          if (message.type !== 'fault-window-set') return;
          child.off('message', onMessage);
          resolve();
        };
        child.on('message', onMessage);
        child.send({ type: 'fault-window', windowStartMs, windowEndMs }, (error) => error && reject(error));
      }),
  };
}

function waitUntilRunning(child: ChildProcess, exited: Promise<void>, reason: () => string, timeoutMs: number, scrub: (message: string) => string): Promise<WorkerSettings> {
  return new Promise((resolve, reject) => {
    let settings: WorkerSettings | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the worker did not start polling within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (message: WorkerChildMessage) => {
      if (message.type === 'created') settings = message.settings;
      else if (message.type === 'running' && settings) {
        clearTimeout(timer);
        resolve(settings);
      } else if (message.type === 'fatal') {
        clearTimeout(timer);
        reject(new Error(`the worker failed to start: ${scrub(message.message)}`));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(reason()));
    });
  });
}

function lastLine(text: string): string {
  const line = text.trim().split('\n').filter(Boolean).at(-1);
  return line ? `: ${line.trim()}` : '';
}

/** The compiled child script (tests run from src/, so point them at the build in dist/). */
function childScript(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return path.join(path.dirname(here), 'worker-child.js');
  const repo = path.resolve(path.dirname(here), '../../..');
  const built = path.join(repo, 'dist/drill/harness/worker-child.js');
  if (!fs.existsSync(built)) throw new Error(`run "npm run build" first: ${built} is missing`);
  return built;
}
