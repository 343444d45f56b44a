// Where the workflow bundle starts: each worker's workflowsPath, with the modules that worker's
// bundlerOptions.ignoreModules stubs out. Without a worker whose workflowsPath is known, the
// files that define workflows stand in for the entry points, with the options of the workers whose
// workflows could not be located (one of them bundles these files).

import type { SourceLocation, TemporalModel, WorkerDefinition } from '../types.js';
import { isIgnoredModule } from './disallowed-modules.js';

export interface SandboxEntry {
  file: string;
  /** Ids of the workers bundling this entry (empty when it stands in for an unknown worker). */
  workerIds: string[];
  /** One ignoreModules list per worker bundling this entry. */
  ignoreLists: string[][];
  /**
   * Per worker bundling this entry, where its webpackConfigHook replaces `externals` (which turns
   * off the SDK's check for disallowed modules), or null.
   */
  externalsReplaced: (SourceLocation | null)[];
}

export function sandboxEntries(model: TemporalModel): SandboxEntry[] {
  const byFile = new Map<string, SandboxEntry>();
  for (const worker of model.workers) {
    if (!worker.workflowsPath) continue;
    const entry = byFile.get(worker.workflowsPath) ?? { file: worker.workflowsPath, workerIds: [], ignoreLists: [], externalsReplaced: [] };
    addWorker(entry, worker);
    byFile.set(worker.workflowsPath, entry);
  }
  if (byFile.size > 0) {
    // A worker whose module did not resolve, next to workers whose modules did (a factory's call
    // that hands its caller's options on): the workflows found for it through its callers, that no
    // resolved worker bundles, start a bundle of their own.
    const resolvedIds = new Set(model.workers.filter((worker) => worker.workflowsPath).map((worker) => worker.id));
    for (const workflow of model.workflows) {
      if (byFile.has(workflow.file) || workflow.workerIds.some((id) => resolvedIds.has(id))) continue;
      const owners = model.workers.filter((worker) => worker.workflowsUnresolved && workflow.workerIds.includes(worker.id));
      if (owners.length === 0) continue;
      const entry: SandboxEntry = { file: workflow.file, workerIds: [], ignoreLists: [], externalsReplaced: [] };
      for (const worker of owners) addWorker(entry, worker);
      byFile.set(workflow.file, entry);
    }
  } else {
    // A worker whose workflows module did not resolve bundles some of these files: its options
    // apply. With none, no option is known and nothing is stubbed out.
    const unresolved = model.workers.filter((worker) => worker.workflowsUnresolved);
    for (const workflow of model.workflows) {
      if (byFile.has(workflow.file)) continue;
      const entry: SandboxEntry = { file: workflow.file, workerIds: [], ignoreLists: [], externalsReplaced: [] };
      for (const worker of unresolved) addWorker(entry, worker);
      if (unresolved.length === 0) {
        entry.ignoreLists.push([]);
        entry.externalsReplaced.push(null);
      }
      byFile.set(workflow.file, entry);
    }
  }
  return [...byFile.values()].sort((a, b) => compareText(a.file, b.file));
}

/** A module is stubbed out only when every worker bundling the entry ignores it. */
export function isIgnoredForEntry(entry: SandboxEntry, request: string): boolean {
  return entry.ignoreLists.length > 0 && entry.ignoreLists.every((list) => isIgnoredModule(request, list));
}

function addWorker(entry: SandboxEntry, worker: WorkerDefinition): void {
  entry.workerIds.push(worker.id);
  entry.ignoreLists.push([...worker.ignoreModules]);
  entry.externalsReplaced.push(worker.externalsReplacedAt);
}

/**
 * Where the workers' webpackConfigHook turns off the SDK's check for disallowed modules, when it
 * does for every worker bundling the entry (one location per worker); empty otherwise.
 */
export function detectionOffFor(entry: SandboxEntry): SourceLocation[] {
  if (entry.externalsReplaced.length === 0 || entry.externalsReplaced.some((at) => at === null)) return [];
  return entry.externalsReplaced as SourceLocation[];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
