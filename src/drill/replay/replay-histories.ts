// The replay run as a library call: inputs (files or a live namespace), bundle, replay, the
// source locations of divergences, and the optional perturbed passes. Progress goes to a
// callback; nothing here prints.

import { connectClient, type ConnectOptions } from '../connect.js';
import { UsageError } from '../../engine/errors.js';
import { collectHistoryFiles, historyLabel } from '../../model/history/collect-history-files.js';
import { readHistoryFile } from '../../model/history/read-history-file.js';
import { buildTemporalModel } from '../../model/typescript/build-model.js';
import { PERTURBATIONS } from './perturb.js';
import type { ReplayItem } from './protocol.js';
import { buildReplayReport, locatorFor, perturbedChanges, projectDirOf, type ReplayReport } from './replay-report.js';
import { itemsFromFiles, itemsFromNamespace } from './replay-items.js';
import { bundleForReplay, runReplay, type ReplayBundle, type ReplayRecord } from './run-replay.js';
import { replayPoolSize } from './replay-pool-size.js';
import { buildPythonModel } from '../../model/python/build-python-model.js';
import { exitOnSignals } from '../exit-cleanup.js';
import { resolvePythonInterpreter, runPythonReplay, type PythonReplayTarget } from './python/python-replay.js';

export interface ReplayHistoriesOptions {
  /** The workflows module (as in workflowsPath), for TypeScript. */
  workflows?: string;
  /** A Python project: replay through the Python SDK in its interpreter instead. */
  python?: PythonReplayTarget;
  /** One line per problem that does not stop the run (a Python workflow module that fails to import). */
  onWarning?(line: string): void;
  /** History files, folders or globs. */
  paths?: string[];
  /** Stream histories from a namespace instead. */
  namespace?: ConnectOptions & { query?: string; limit?: number };
  dataConverter?: string;
  interceptors?: string[];
  processes?: number;
  perturb?: boolean;
  /** History paths are resolved and reported relative to this directory (default: the current directory). */
  cwd?: string;
  /** Code locations are reported relative to this directory (default: cwd). */
  locationRoot?: string;
  onProgress?(label: string, done: number, total: number): void;
}

export async function replayHistories(options: ReplayHistoriesOptions): Promise<ReplayReport> {
  const cwd = options.cwd ?? process.cwd();
  if (options.processes !== undefined && (!Number.isInteger(options.processes) || options.processes < 1)) {
    throw new UsageError(`--processes ${options.processes}: expected a positive whole number`);
  }
  if (options.python) return replayPython(options, options.python, cwd);
  if (!options.workflows) throw new UsageError('replay needs --workflows <module>');
  const { items, unreadable } = await replayItems(options);
  // files the history reader refuses are reported with its reason, as `histories` reports them
  const replayable = items.filter((item) => !unreadable.has(item.index));
  // Ctrl-C or SIGTERM: exit through the cleanups, which remove the bundle's temporary folder (the
  // replay processes stop when their channel to this process closes)
  const releaseSignals = exitOnSignals((line) => process.stderr.write(`${line}\n`), 'the replay processes and temporary files are removed');
  let bundle: ReplayBundle;
  try {
    bundle = await bundleForReplay({
      workflowsPath: options.workflows,
      prewarm: replayPoolSize(items.length, options.processes),
      ...(options.dataConverter ? { dataConverterModule: options.dataConverter } : {}),
      ...(options.interceptors ? { interceptorModules: options.interceptors } : {}),
    });
  } catch (error) {
    releaseSignals();
    throw error;
  }
  try {
    const run = (label: string, env?: Record<string, string>) =>
      runReplay(bundle, replayable, {
        ...(options.processes ? { processes: options.processes } : {}),
        ...(env ? { env } : {}),
        onProgress: (done, total) => options.onProgress?.(label, done, total),
      }).then((records) => withUnreadable(items, replayable, records, unreadable));
    const records = await run('replayed');
    const projectDir = projectDirOf(options.workflows!);
    const model = records.some((r) => r.issuedType) ? modelOrUndefined(projectDir) : undefined;
    const report = buildReplayReport(records, locatorFor(model, options.locationRoot ?? cwd), cwd);
    if (options.perturb) {
      const changed = [];
      for (const perturbation of PERTURBATIONS) {
        const perturbed = await run(`replayed (${perturbation.name})`, perturbation.env);
        changed.push(...perturbedChanges(perturbation.name, records, perturbed, cwd));
      }
      report.perturbed = { perturbations: PERTURBATIONS.map((p) => p.name), changed };
    }
    return report;
  } finally {
    bundle.dispose();
    releaseSignals();
  }
}

async function replayPython(options: ReplayHistoriesOptions, target: PythonReplayTarget, cwd: string): Promise<ReplayReport> {
  const unsupported = [options.perturb && '--perturb', options.dataConverter && '--data-converter', options.interceptors?.length && '--interceptors'].filter(Boolean);
  if (unsupported.length) throw new UsageError(`${unsupported.join(', ')}: not available for Python replay yet`);
  // a missing interpreter fails before any work
  const interpreter = resolvePythonInterpreter(target.projectDir, target.interpreter);
  const { items, unreadable } = await replayItems(options);
  const replayable = items.filter((item) => !unreadable.has(item.index));
  const model = target.model ?? (await buildPythonModel({ root: target.projectDir })).model;
  // Ctrl-C or SIGTERM: exit through the cleanups, which kill the Python replay processes
  const releaseSignals = exitOnSignals((line) => process.stderr.write(`${line}\n`), 'the Python replay processes are stopped');
  try {
    const records = await runPythonReplay({ ...target, interpreter, model }, replayable, {
      ...(options.processes ? { processes: options.processes } : {}),
      onProgress: (done, total) => options.onProgress?.('replayed', done, total),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
    const all = withUnreadable(items, replayable, records, unreadable);
    return buildReplayReport(all, locatorFor(model, options.locationRoot ?? cwd), cwd);
  } finally {
    releaseSignals();
  }
}

async function replayItems(options: ReplayHistoriesOptions): Promise<{ items: ReplayItem[]; unreadable: Map<number, string> }> {
  const unreadable = new Map<number, string>();
  if (!options.namespace) {
    const cwd = options.cwd ?? process.cwd();
    const { files, missing } = collectHistoryFiles(options.paths ?? [], cwd, cwd);
    // a path that matches nothing is a typo in the command, not a history to report on
    if (missing[0]) throw new UsageError(`${missing[0].file}: ${missing[0].reason}`);
    const items = itemsFromFiles(files);
    // the reader `histories` uses decides which files are histories, so the two commands agree
    for (const item of items) {
      const read = readHistoryFile(item.file!, historyLabel(cwd, item.file!));
      if (!read.ok) unreadable.set(item.index, read.reason);
    }
    return { items, unreadable };
  }
  const { query, limit, ...connect } = options.namespace;
  const connected = await connectClient(connect);
  try {
    return { items: await itemsFromNamespace(connected.client, query, limit), unreadable };
  } finally {
    await connected.close();
  }
}

/** The records of every item in order: replayed ones, and an error for each unreadable file. */
function withUnreadable(items: ReplayItem[], replayed: ReplayItem[], records: ReplayRecord[], unreadable: Map<number, string>): ReplayRecord[] {
  const byIndex = new Map(replayed.map((item, i) => [item.index, records[i]!]));
  return items.map(
    (item) =>
      byIndex.get(item.index) ?? {
        ...(item.file ? { file: item.file } : {}),
        workflowId: item.workflowId,
        runId: '',
        workflowType: '',
        outcome: 'error',
        message: unreadable.get(item.index) ?? 'not replayed',
        eventId: null,
        expected: null,
        issued: null,
        issuedType: null,
        issuedKind: null,
      },
  );
}

function modelOrUndefined(dir: string) {
  try {
    return buildTemporalModel({ root: dir }).model;
  } catch {
    return undefined; // the location is a courtesy; replay verdicts stand without it
  }
}
