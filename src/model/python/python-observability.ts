// The observability facts of a Python project, in the language-neutral model the observability
// checks read: the runtime of each worker's client (metrics), the search attribute keys, what each
// start sets and whom it serves, and workflows that upsert their own attributes. Per-run workers
// are marked by python-worker-options.ts.

import type { RuntimeInstallFacts, SearchAttributeKeyFacts, WorkflowStartFacts } from '../types.js';
import type { PythonModules } from './python-modules.js';
import { describeStarts, markUpserts, searchAttributeKeys } from './python-search-attributes.js';
import type { PythonWorker, PythonWorkflow } from './python-temporal-calls.js';
import { pythonWorkerRuntimes } from './python-worker-runtime.js';

export interface PythonObservability {
  runtimeInstalls: RuntimeInstallFacts[];
  searchAttributeKeys: SearchAttributeKeyFacts[];
}

/** Adds the observability facts to the workers, workflows and starts, and returns the project-wide ones. */
export function addObservabilityFacts(files: string[], modules: PythonModules, workers: PythonWorker[], workflows: PythonWorkflow[], starts: WorkflowStartFacts[]): PythonObservability {
  const runtimes = pythonWorkerRuntimes(files, modules, workers);
  for (const worker of workers) {
    const reach = runtimes.byWorker.get(worker.id);
    if (reach) worker.runtime = reach;
  }
  const upserts = markUpserts(workflows, modules);
  for (const workflow of workflows) Object.assign(workflow, { upsertsSearchAttributes: upserts.get(workflow.name) ?? false });
  describeStarts(starts, modules);
  return { runtimeInstalls: runtimes.installs, searchAttributeKeys: searchAttributeKeys(files, modules) };
}
