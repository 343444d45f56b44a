// The files that start a Python worker's process, as runtime-reach.ts finds them for TypeScript:
// the files that import the worker's module, directly or not, that no reviewed file imports,
// preferring those that run something when started (an `if __name__ == "__main__":` block or a
// top-level call such as `asyncio.run(main())`) over library modules nobody imports. The worker's
// own file is left out: it is the worker's file whatever starts it.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { moduleStatements, namedChildrenOf } from './python-syntax.js';
import type { PythonWorker } from './python-temporal-calls.js';
import { importGraph } from './python-worker-runtime.js';

export function markWorkerEntries(files: string[], modules: PythonModules, workers: PythonWorker[]): void {
  const graph = importGraph(files, modules);
  for (const worker of workers) {
    const roots = [...graph.importersOf(worker.location.file)].filter((file) => file !== worker.location.file && !graph.imported(file)).sort();
    const running = roots.filter((file) => runsWhenStarted(modules, file));
    worker.entryFiles = running.length ? running : roots;
  }
}

function runsWhenStarted(modules: PythonModules, file: string): boolean {
  const root = modules.files.get(file)?.tree.rootNode;
  if (!root) return false;
  return moduleStatements(root).some((statement) => {
    if (statement.type === 'if_statement') return /^__name__\s*==\s*["']__main__["']$|^["']__main__["']\s*==\s*__name__$/.test(statement.childForFieldName('condition')?.text ?? '');
    return statement.type === 'expression_statement' && namedChildrenOf(statement).some((child: PythonNode) => child.type === 'call' || child.type === 'await');
  });
}
