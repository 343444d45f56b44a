// The observability facts of a Python project, in the language-neutral model the observability
// checks read: the runtime of each worker's client (metrics), the search attribute keys, what each
// start sets and whom it serves, workflows that upsert their own attributes, and per-run workers
// (`async with Worker(...)` around a workflow run the same code starts and awaits).

import type { RuntimeInstallFacts, SearchAttributeKeyFacts, StaticValue, WorkflowStartFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { describeStarts, markUpserts, searchAttributeKeys } from './python-search-attributes.js';
import { enclosing, locateNode, namedChildrenOf } from './python-syntax.js';
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
  markPerRunWorkers(workers, starts, modules);
  return { runtimeInstalls: runtimes.installs, searchAttributeKeys: searchAttributeKeys(files, modules) };
}

/**
 * `async with Worker(client, task_queue=q, ...): await client.execute_workflow(..., task_queue=q)`:
 * the worker stops when the block ends, after the run it serves has finished (a script, a CLI).
 */
function markPerRunWorkers(workers: PythonWorker[], starts: WorkflowStartFacts[], modules: PythonModules): void {
  for (const worker of workers) {
    const root = modules.files.get(worker.location.file)?.tree.rootNode;
    const call = root?.descendantForPosition({ row: worker.location.line - 1, column: worker.location.column - 1 });
    const withStatement = call ? enclosing(call, ['with_statement']) : undefined;
    const body = withStatement?.childForFieldName('body');
    const item = withStatement ? namedChildrenOf(withStatement).find((c) => c.type === 'with_clause') : undefined;
    if (!withStatement || !body || !item || !contains(item, worker.location.line, worker.location.column)) continue;
    const awaitedHere = starts.find(
      (start) =>
        !start.child &&
        start.location.file === worker.location.file &&
        contains(body, start.location.line, start.location.column) &&
        sameValue(worker.taskQueue, taskQueueOf(start)) &&
        (start.method === 'execute' ? awaited(body, start) : body.text.includes('.result()')),
    );
    if (awaitedHere) worker.ephemeral = { how: 'shutdown-after-result', location: locateNode(worker.location.file, withStatement) };
  }
}

function contains(node: PythonNode, line: number, column: number): boolean {
  const row = line - 1;
  const col = column - 1;
  const after = row > node.startPosition.row || (row === node.startPosition.row && col >= node.startPosition.column);
  const before = row < node.endPosition.row || (row === node.endPosition.row && col <= node.endPosition.column);
  return after && before;
}

function awaited(body: PythonNode, start: WorkflowStartFacts): boolean {
  return body.descendantsOfType('await').some((node) => node !== null && node.startPosition.row + 1 <= start.location.line && node.endPosition.row + 1 >= start.location.line);
}

function taskQueueOf(start: WorkflowStartFacts): StaticValue | undefined {
  return start.options?.kind === 'object' ? start.options.properties.get('taskQueue') : undefined;
}

/** The same literal, or the same expression text (`TASK_QUEUE` in both places). */
function sameValue(a: StaticValue | undefined, b: StaticValue | undefined): boolean {
  if (!a || !b) return false;
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  if (a.kind === 'unknown' && b.kind === 'unknown') return a.text === b.text;
  return false;
}
