// A worker in any language, started from a command line (`--worker-command "python -m app.worker"`):
// run through `sh -c` in its own process group, with the server, namespace and task queue in its
// environment. The drill kills the whole group, so a shell wrapper never leaves the real worker
// orphaned. The worker says nothing to the drill: it is up when the server sees a new poller on
// the drill's task queue. For the outage drill, a Python worker gets the fault injector through
// sitecustomize.py; other languages cannot be given the outage.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { UsageError } from '../../engine/errors.js';
import { cleanupOnExit } from '../exit-cleanup.js';
import type { FaultPlan, InjectedFailure } from '../fault-injector.js';
import type { WorkerHostConfig } from './protocol.js';
import type { StartWorkerOptions, WorkerProcess } from './worker-process.js';

/** The environment a command worker reads: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE (and TLS / API key for --address). */
export function commandWorkerEnv(config: Pick<WorkerHostConfig, 'address' | 'namespace' | 'taskQueue'>, options: StartWorkerOptions): NodeJS.ProcessEnv {
  const { apiKey, tlsCert, tlsKey, tlsCa } = options.credentials ?? {};
  return {
    ...process.env,
    TEMPORAL_ADDRESS: config.address,
    TEMPORAL_NAMESPACE: config.namespace,
    TEMPORAL_TASK_QUEUE: config.taskQueue,
    TASK_QUEUE: config.taskQueue,
    ...options.env,
    // the names of Temporal's environment configuration (TEMPORAL_TLS_*, TEMPORAL_API_KEY)
    ...(tlsCert ? { TEMPORAL_TLS_CLIENT_CERT_PATH: tlsCert } : {}),
    ...(tlsKey ? { TEMPORAL_TLS_CLIENT_KEY_PATH: tlsKey } : {}),
    ...(tlsCa ? { TEMPORAL_TLS_SERVER_CA_CERT_PATH: tlsCa } : {}),
    ...(apiKey ? { TEMPORAL_API_KEY: apiKey } : {}),
  };
}

export async function startCommandWorker(command: string, config: WorkerHostConfig, client: Client, options: StartWorkerOptions = {}): Promise<WorkerProcess> {
  const apiKey = options.credentials?.apiKey;
  const scrub = (message: string) => (apiKey ? message.split(apiKey).join('***') : message);
  // pollers already there (a worker the drill just killed) do not prove this one is up
  const before = await pollerIdentities(client, config.namespace, config.taskQueue).catch(() => new Set<string>());
  const faults = config.faults ? pythonFaultFiles(config) : undefined;
  if (faults) faults.writePlan(config.faults!);
  const child = spawn('sh', ['-c', command], {
    env: { ...commandWorkerEnv(config, options), ...faults?.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = scrub(stderr + chunk.toString('utf8')).slice(-8000);
  });
  const forget = cleanupOnExit(() => signalGroup(child, 'SIGKILL'));
  let expectedExit = false;
  let crash: string | undefined;
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const exited = new Promise<void>((resolve) => {
    child.once('close', (code, signal) => {
      forget();
      if (!expectedExit) crash = `the worker command exited (${signal ?? `code ${code}`})${lastLine(stderr)}`;
      resolve();
    });
  });
  let gone = false;
  void exited.then(() => (gone = true));
  const startupMs = options.startupTimeoutMs ?? 120_000;
  const deadline = Date.now() + startupMs;
  for (;;) {
    if (gone || spawnError) {
      signalGroup(child, 'SIGKILL');
      // the command the user gave cannot run a worker: a one-line usage error, exit 2
      throw new UsageError(`--worker-command: ${spawnError ? `cannot start: ${spawnError.message}` : (crash ?? 'the worker command exited')}`);
    }
    if (Date.now() > deadline) {
      signalGroup(child, 'SIGKILL');
      throw new UsageError(`--worker-command: the worker did not start polling task queue ${config.taskQueue} within ${startupMs} ms${lastLine(stderr)}`);
    }
    const now = await pollerIdentities(client, config.namespace, config.taskQueue).catch(() => new Set<string>());
    if ([...now].some((identity) => !before.has(identity))) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const end = async (graceMs: number) => {
    expectedExit = true;
    if (gone) {
      // the shell is gone; anything it started in the background is not
      signalGroup(child, 'SIGKILL');
      return;
    }
    if (graceMs > 0) {
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // whatever the shell started and left behind goes too
      signalGroup(child, 'SIGKILL');
      return;
    }
    signalGroup(child, 'SIGKILL');
    await exited;
  };
  return {
    pid: child.pid!,
    // what the command configures is not visible from outside: the slots are unknown
    settings: { taskQueue: config.taskQueue, usesTuner: false, slotsUnknown: true },
    kill: () => end(0),
    stop: (graceMs = 15_000) => end(graceMs),
    crashed: () => crash,
    injected: () => faults?.injected() ?? [],
    setFaultWindow: async (windowStartMs, windowEndMs) => {
      if (!faults) throw new Error('this worker runs without a fault plan');
      // the injector reads the plan on every attempt: written is applied
      faults.writePlan({ ...config.faults!, windowStartMs, windowEndMs });
    },
  };
}

/**
 * The outage drill's injector for a Python worker: sitecustomize.py (first on PYTHONPATH) adds an
 * activity interceptor to every temporalio Worker; the plan and the failed attempts travel in
 * files of the drill's temporary folder.
 */
function pythonFaultFiles(config: WorkerHostConfig) {
  const dir = config.bundleCacheDir;
  if (!dir) throw new Error('the fault plan needs the drill folder');
  const planFile = path.join(dir, 'fault-plan.json');
  const injectedFile = path.join(dir, 'injected.jsonl');
  const injectorDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'python');
  return {
    env: {
      PYTHONPATH: [injectorDir, process.env['PYTHONPATH']].filter(Boolean).join(path.delimiter),
      PREFLIGHT_DRILL_FAULTS_FILE: planFile,
      PREFLIGHT_DRILL_INJECTED_FILE: injectedFile,
    },
    writePlan(plan: FaultPlan) {
      fs.writeFileSync(`${planFile}.tmp`, JSON.stringify(plan));
      fs.renameSync(`${planFile}.tmp`, planFile);
    },
    injected(): InjectedFailure[] {
      let text = '';
      try {
        text = fs.readFileSync(injectedFile, 'utf8');
      } catch {
        return [];
      }
      return text.split('\n').flatMap((line) => {
        try {
          return line ? [JSON.parse(line) as InjectedFailure] : [];
        } catch {
          return []; // a line cut by a kill
        }
      });
    },
  };
}

/** The identities polling the task queue for workflow tasks, as the server lists them. */
async function pollerIdentities(client: Client, namespace: string, taskQueue: string): Promise<Set<string>> {
  const response = await client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 /* TASK_QUEUE_TYPE_WORKFLOW */ });
  return new Set((response.pollers ?? []).map((poller) => poller.identity ?? '').filter(Boolean));
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}

function lastLine(text: string): string {
  const line = text.trim().split('\n').filter(Boolean).at(-1);
  return line ? `: ${line.trim()}` : '';
}
