// Replay for Python projects: the histories go through the Python SDK's Replayer in the project's
// own interpreter (its .venv, or the one given), run by replay_driver.py. The @workflow.defn
// classes come from the static Python model, so the user writes no registry; the driver imports
// their modules and replays. Results take the same shape as the TypeScript replay's.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../../engine/errors.js';
import type { PythonModel } from '../../../model/python/build-python-model.js';
import { importRoots } from '../../../model/python/python-modules.js';
import { cleanupOnExit } from '../../exit-cleanup.js';
import { summarizeHistory, type HistorySummary } from '../history-summary.js';
import type { ReplayItem, ReplayItemResult } from '../protocol.js';
import { replayPoolSize } from '../replay-pool-size.js';
import { toRecord, type ReplayRecord } from '../run-replay.js';

/** How long one history (or the import of the workflow modules) may take before its process is killed. */
export const REPLAY_DEADLINE_ENV = 'PREFLIGHT_REPLAY_DEADLINE_MS';
const DEFAULT_DEADLINE_MS = 60_000;

export interface PythonReplayTarget {
  /** The project directory: import roots and the default interpreter are found from it. */
  projectDir: string;
  /** --python: an interpreter path or a command on PATH. */
  interpreter?: string;
  /** The static model of projectDir, when the caller built it already. */
  model?: PythonModel;
  /** Replay only the workflows defined in this .py file. */
  onlyFile?: string;
}

export interface PythonWorkflowEntry {
  module: string;
  className: string;
  name: string;
}

export interface PythonReplayOptions {
  processes?: number;
  onProgress?(done: number, total: number): void;
  /** One line per workflow module that failed to import. */
  onWarning?(line: string): void;
}

/**
 * --python as given (a path, or a command looked up on PATH), else the project's .venv or venv
 * interpreter, else python3 on PATH.
 */
export function resolvePythonInterpreter(projectDir: string, given: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (given !== undefined) {
    const found = given.includes('/') || given.includes(path.sep) ? (isFile(path.resolve(given)) ? path.resolve(given) : undefined) : onPath(given, env);
    if (!found) throw new UsageError(`--python ${given}: no such interpreter`);
    return found;
  }
  for (const venv of ['.venv', 'venv']) {
    for (const candidate of [path.join(projectDir, venv, 'bin', 'python'), path.join(projectDir, venv, 'Scripts', 'python.exe')]) {
      if (isFile(candidate)) return candidate;
    }
  }
  const python3 = onPath('python3', env);
  if (!python3) throw new UsageError(`no Python interpreter: ${projectDir} has no .venv or venv and python3 is not on PATH; give --python <interpreter>`);
  return python3;
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (isFile(candidate)) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The modules to import: each workflow file's dotted name under the deepest import root that holds
 * it (`src/app/flows.py` under `src/` is `app.flows`), and the roots for sys.path.
 */
export function pythonWorkflowEntries(model: PythonModel, onlyFile?: string): { roots: string[]; workflows: PythonWorkflowEntry[] } {
  const roots = importRoots(model.root).sort((a, b) => b.length - a.length);
  const workflows: PythonWorkflowEntry[] = [];
  for (const workflow of model.workflows) {
    if (onlyFile && path.resolve(workflow.file) !== path.resolve(onlyFile)) continue;
    const module = moduleName(roots, workflow.file);
    if (module) workflows.push({ module, className: workflow.className, name: workflow.name });
  }
  return { roots, workflows };
}

function moduleName(roots: string[], file: string): string | undefined {
  for (const root of roots) {
    const relative = path.relative(root, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    const parts = relative.replace(/\.py$/, '').split(path.sep);
    if (parts.at(-1) === '__init__') parts.pop();
    if (parts.length && parts.every((part) => /^[A-Za-z_]\w*$/.test(part))) return parts.join('.');
  }
  return undefined;
}

/** The driver script, beside this module in dist/ (copied at build) and in src/. */
function driverScript(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'replay_driver.py');
}

export async function runPythonReplay(target: PythonReplayTarget, items: ReplayItem[], options: PythonReplayOptions = {}): Promise<ReplayRecord[]> {
  const interpreter = resolvePythonInterpreter(target.projectDir, target.interpreter);
  const model = target.model ?? (await buildModel(target.projectDir));
  const { roots, workflows } = pythonWorkflowEntries(model, target.onlyFile);
  if (workflows.length === 0) {
    throw new UsageError(`${target.onlyFile ?? target.projectDir}: no @workflow.defn class found to replay against`);
  }
  const processes = replayPoolSize(items.length, options.processes);
  if (processes === 0) return [];
  const shares: ReplayItem[][] = Array.from({ length: processes }, () => []);
  items.forEach((item, i) => shares[i % processes]!.push(item));
  const results = new Map<number, ReplayRecord>();
  const warned = new Set<string>();
  const run: DriverRun = {
    interpreter,
    cwd: target.projectDir,
    roots,
    workflows,
    deadlineMs: deadline(),
    live: new Set(),
    onResult: (item, result) => {
      results.set(item.index, toRecord(item, result));
      options.onProgress?.(results.size, items.length);
    },
    onImportError: (module, message) => {
      if (warned.has(module)) return;
      warned.add(module);
      options.onWarning?.(`${module}: cannot import the workflow module (${message}); its workflows are not replayed`);
    },
  };
  try {
    await Promise.all(shares.map((share) => runShare(run, share)));
  } finally {
    for (const child of run.live) killTree(child);
  }
  return items.map((item) => results.get(item.index)!);
}

async function buildModel(projectDir: string): Promise<PythonModel> {
  const { buildPythonModel } = await import('../../../model/python/build-python-model.js');
  return (await buildPythonModel({ root: projectDir })).model;
}

function deadline(env: NodeJS.ProcessEnv = process.env): number {
  const value = env[REPLAY_DEADLINE_ENV];
  if (value === undefined || value.trim() === '') return DEFAULT_DEADLINE_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1) throw new UsageError(`${REPLAY_DEADLINE_ENV}=${value}: expected a whole number of milliseconds`);
  return ms;
}

interface DriverRun {
  interpreter: string;
  cwd: string;
  roots: string[];
  workflows: PythonWorkflowEntry[];
  deadlineMs: number;
  live: Set<ChildProcess>;
  onResult(item: ReplayItem, result: ReplayItemResult): void;
  onImportError(module: string, message: string): void;
}

type DriverMessage =
  | { type: 'ready'; python: string; temporalio: string }
  | { type: 'fatal'; reason: 'no-temporalio' | 'replay'; message: string }
  | { type: 'import-error'; module: string; message: string }
  | { type: 'start'; index: number }
  | { type: 'result'; index: number; error?: { name: string; message: string } }
  | { type: 'done' };

/** Replays a share in one driver process; a history that overruns the deadline is reported and the rest go to a new process. */
async function runShare(run: DriverRun, share: ReplayItem[]): Promise<void> {
  let remaining = share;
  while (remaining.length) remaining = await runDriver(run, remaining);
}

/** Runs one driver over items; resolves with the items still to replay (after a deadline kill). */
function runDriver(run: DriverRun, items: ReplayItem[]): Promise<ReplayItem[]> {
  return new Promise((resolve, reject) => {
    // its own process group, so a kill reaches whatever the user's modules started
    const child = spawn(run.interpreter, [driverScript()], {
      cwd: run.cwd,
      detached: process.platform !== 'win32',
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' },
    });
    run.live.add(child);
    const forget = cleanupOnExit(() => killTree(child));
    const byIndex = new Map(items.map((item) => [item.index, item]));
    const reported = new Set<number>();
    let stderr = '';
    let current: ReplayItem | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const report = (item: ReplayItem, error?: { name: string; message: string }) => {
      if (reported.has(item.index)) return;
      reported.add(item.index);
      run.onResult(item, resultFor(item, error));
    };
    const finish = (outcome: { rest: ReplayItem[] } | { error: Error }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killTree(child);
      run.live.delete(child);
      forget();
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.rest);
    };
    const arm = (what: 'import' | ReplayItem) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const seconds = `${Math.round(run.deadlineMs / 100) / 10} s`;
        if (what === 'import') {
          for (const item of items) report(item, { name: 'ReplayTimeout', message: `the workflow modules did not import within ${seconds}: the Python replay process was stopped` });
          finish({ rest: [] });
        } else {
          report(what, { name: 'ReplayTimeout', message: `replay did not finish within ${seconds}: the Python replay process was stopped` });
          finish({ rest: items.filter((item) => !reported.has(item.index)) });
        }
      }, run.deadlineMs);
    };
    arm('import');
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({ error: error.code === 'ENOENT' ? new UsageError(`--python ${run.interpreter}: no such interpreter`) : new UsageError(`${run.interpreter}: cannot start: ${error.message}`) });
    });
    child.stdin.on('error', () => {}); // the driver may exit before reading everything
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        let message: DriverMessage;
        try {
          message = JSON.parse(line) as DriverMessage;
        } catch {
          continue;
        }
        if (message.type === 'fatal' && message.reason === 'no-temporalio') {
          finish({ error: new UsageError(`${run.interpreter}: the Temporal Python SDK is not installed in this environment (${message.message}); install it there: ${run.interpreter} -m pip install temporalio`) });
        } else if (message.type === 'fatal') {
          for (const item of items) report(item, { name: 'ReplayWorkerError', message: message.message });
          finish({ rest: [] });
        } else if (message.type === 'import-error') {
          run.onImportError(message.module, message.message);
        } else if (message.type === 'start') {
          current = byIndex.get(message.index);
          if (current) arm(current);
        } else if (message.type === 'result') {
          const item = byIndex.get(message.index);
          if (item) report(item, message.error);
        } else if (message.type === 'done') {
          finish({ rest: [] });
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      const reason = `the Python replay process exited (${signal ?? `code ${code}`})${lastLine(stderr)}`;
      for (const item of items) report(item, { name: 'ReplayWorkerError', message: reason });
      finish({ rest: [] });
    });
    child.stdin.write(`${JSON.stringify({ roots: run.roots, workflows: run.workflows, items: items.map(({ index, file, json, workflowId }) => ({ index, file, json, workflowId })) })}\n`);
  });
}

/** The result in the TypeScript replay's shape: ids, type and events read from the history itself. */
function resultFor(item: ReplayItem, error: { name: string; message: string } | undefined): ReplayItemResult {
  const summary = summaryOf(item);
  return {
    type: 'result',
    index: item.index,
    workflowId: summary.workflowId || item.workflowId,
    runId: summary.runId,
    workflowType: summary.workflowType,
    ...(error ? { error } : {}),
    closed: summary.closed,
    events: summary.events,
  };
}

function summaryOf(item: ReplayItem): HistorySummary {
  try {
    let raw = JSON.parse(item.json ?? fs.readFileSync(item.file!, 'utf8')) as unknown;
    if (raw !== null && typeof raw === 'object' && !('events' in raw) && 'history' in raw) raw = (raw as { history: unknown }).history;
    return summarizeHistory(raw);
  } catch {
    return { workflowId: '', runId: '', workflowType: '', closed: false, events: [] };
  }
}

/** SIGKILL to the driver's process group (the driver and anything it started). */
function killTree(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
  child.stdin?.destroy();
  child.stdout?.destroy();
  child.stderr?.destroy();
}

function lastLine(text: string): string {
  const line = text.trim().split('\n').filter(Boolean).at(-1);
  return line ? `: ${line.trim()}` : '';
}
