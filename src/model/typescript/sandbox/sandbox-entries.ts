// Where the workflow bundle starts: each worker's workflowsPath, with the modules that worker's
// bundlerOptions.ignoreModules stubs out. Without a worker whose workflowsPath is known, the
// files that define workflows stand in for the entry points.

import type { TemporalModel } from '../types.js';
import { isIgnoredModule } from './disallowed-modules.js';

export interface SandboxEntry {
  file: string;
  /** Ids of the workers bundling this entry (empty when it stands in for an unknown worker). */
  workerIds: string[];
  /** One ignoreModules list per worker bundling this entry. */
  ignoreLists: string[][];
}

export function sandboxEntries(model: TemporalModel): SandboxEntry[] {
  const byFile = new Map<string, SandboxEntry>();
  for (const worker of model.workers) {
    if (!worker.workflowsPath) continue;
    const entry = byFile.get(worker.workflowsPath) ?? { file: worker.workflowsPath, workerIds: [], ignoreLists: [] };
    entry.workerIds.push(worker.id);
    entry.ignoreLists.push([...worker.ignoreModules]);
    byFile.set(worker.workflowsPath, entry);
  }
  if (byFile.size === 0) {
    for (const workflow of model.workflows) {
      if (!byFile.has(workflow.file)) byFile.set(workflow.file, { file: workflow.file, workerIds: [], ignoreLists: [[]] });
    }
  }
  return [...byFile.values()].sort((a, b) => compareText(a.file, b.file));
}

/** A module is stubbed out only when every worker bundling the entry ignores it. */
export function isIgnoredForEntry(entry: SandboxEntry, request: string): boolean {
  return entry.ignoreLists.length > 0 && entry.ignoreLists.every((list) => isIgnoredModule(request, list));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
