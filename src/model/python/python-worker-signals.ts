// Whether anything in a Python worker's process turns SIGTERM into a shutdown of the worker. The
// Python SDK installs no signal handlers (the TypeScript SDK's Runtime does): a worker run by
// `asyncio.run(main())` with `await worker.run()` is shut down gracefully only when its task is
// cancelled (Ctrl-C, SIGINT) or worker.shutdown() is called. SIGTERM, which Kubernetes and
// `docker stop` send, ends such a process at once (or, as PID 1 in a container, is ignored until
// SIGKILL at the orchestrator's deadline), with the activities in flight.
//
// Something may handle it when a file of the worker's process (the files that import the worker's
// module, directly or not, and everything they import) imports the signal module, calls
// add_signal_handler or open_signal_receiver, or calls shutdown() on something named like a worker;
// or when the worker's own file or a file that imports it, directly or not, imports a framework
// that handles the signal and may run the worker in its lifespan (a web server or web framework, a
// task runner). A shared library that imports such a framework for its own helpers does not run
// the worker, so the framework counts only on the way from the worker to its entry files. Any of
// these leaves the worker undecided, and the check keeps its usual message.
//
// A file that imports only other names from the worker's module (a workflow class to start it, an
// activity, a constant) does not run the worker: an API that does `from app.worker import
// MyWorkflow` is another process, and its framework or signal handler says nothing about the
// worker's. Such an importer counts only when it imports the module itself, everything (`*`), or
// the top-level function or class that creates the worker (or one of the module's top-level
// functions that uses it, e.g. `main` calling `run_worker`).

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { moduleStatements } from './python-syntax.js';
import type { PythonWorker } from './python-temporal-calls.js';
import { callAt, importGraph } from './python-worker-runtime.js';

/** The signal module, and libraries that install a handler for SIGTERM wherever they are imported. */
const SIGNAL_MODULES = ['signal', 'aiorun'];

/** Frameworks (modules and their submodules) that handle SIGTERM and may run the worker they import. */
const FRAMEWORKS = [
  'uvicorn',
  'gunicorn',
  'hypercorn',
  'granian',
  'daphne',
  'fastapi',
  'starlette',
  'litestar',
  'quart',
  'sanic',
  'aiohttp.web',
  'django',
  'flask',
  'celery',
  'dramatiq',
  'arq',
  'taskiq',
  'faststream',
  'faust',
  'twisted',
];

const HANDLER_CALLS = /\b(add_signal_handler|open_signal_receiver)\s*\(/;
/** An import of one of the modules anywhere in a file, inside a function too. */
const importOf = (names: string[]) => new RegExp(`^\\s*(?:from|import)\\s+(?:${names.map((name) => name.replace(/\./g, '\\.')).join('|')})\\b`, 'm');
const SIGNAL_IMPORT = importOf(SIGNAL_MODULES);
const FRAMEWORK_IMPORT = importOf(FRAMEWORKS);

export function markSignalHandling(files: string[], modules: PythonModules, workers: PythonWorker[]): void {
  const graph = importGraph(files, modules);
  const memo = new Map<string, boolean>();
  const cached = (key: string, decide: () => boolean) => {
    let known = memo.get(key);
    if (known === undefined) memo.set(key, (known = decide()));
    return known;
  };
  for (const worker of workers) {
    if (worker.ephemeral) continue;
    const file = worker.location.file;
    const importers = runningImporters(files, modules, worker, graph);
    const handled =
      [...graph.processOfAll(importers)].some((f) => cached(`signal:${f}`, () => handlesSignals(f, modules))) ||
      [...importers].some((f) => cached(`framework:${f}`, () => importsAny(f, modules, FRAMEWORKS, FRAMEWORK_IMPORT)));
    if (!handled) worker.sigtermShutdown = 'none';
  }
}

/**
 * The worker's file and the files that may run its worker, directly or not: a direct importer
 * counts when it imports the module, `*`, or a name that leads to the worker's creation; the files
 * importing a counted importer count whatever they import from it.
 */
function runningImporters(files: string[], modules: PythonModules, worker: PythonWorker, graph: ReturnType<typeof importGraph>): Set<string> {
  const file = worker.location.file;
  const runners = runnerNames(modules, worker);
  if (!runners) return graph.importersOf(file);
  const direct = files.filter((importer) => {
    if (importer === file) return false;
    if (modules.starImportsOf(importer).includes(file)) return true;
    return [...modules.importsOf(importer).values()].some((binding) => binding.file === file && (binding.kind === 'module' || runners.has(binding.name)));
  });
  const result = new Set([file]);
  for (const importer of direct) for (const reached of graph.importersOf(importer)) result.add(reached);
  return result;
}

/**
 * The top-level names of the worker's module that lead to its creation: the function or class
 * around the Worker(...) call and the top-level functions and classes that mention one of them.
 * Undefined when the worker is created at module level (importing the module runs it) or the call
 * cannot be found.
 */
function runnerNames(modules: PythonModules, worker: PythonWorker): Set<string> | undefined {
  const call = callAt(modules, worker.location);
  const root = modules.files.get(worker.location.file)?.tree.rootNode;
  if (!call || !root) return undefined;
  const definitions = moduleStatements(root).filter((statement) => statement.type === 'function_definition' || statement.type === 'class_definition');
  const around = definitions.find((definition) => definition.startIndex <= call.startIndex && call.endIndex <= definition.endIndex);
  const name = (definition: PythonNode) => definition.childForFieldName('name')?.text;
  if (!around || !name(around)) return undefined;
  const runners = new Set([name(around)!]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const definition of definitions) {
      const own = name(definition);
      if (!own || runners.has(own)) continue;
      const body = definition.childForFieldName('body')?.text ?? '';
      if ([...runners].some((runner) => new RegExp(`\\b${runner}\\b`).test(body))) (runners.add(own), (grown = true));
    }
  }
  return runners;
}

function importsAny(file: string, modules: PythonModules, names: string[], pattern: RegExp): boolean {
  for (const binding of modules.importsOf(file).values()) {
    const dotted = binding.kind === 'name' ? `${binding.module}.${binding.name}` : binding.module;
    if (names.some((name) => dotted === name || dotted.startsWith(`${name}.`) || binding.module === name)) return true;
  }
  const parsed = modules.files.get(file);
  return !parsed || pattern.test(parsed.tree.rootNode.text);
}

function handlesSignals(file: string, modules: PythonModules): boolean {
  if (importsAny(file, modules, SIGNAL_MODULES, SIGNAL_IMPORT)) return true;
  const root = modules.files.get(file)!.tree.rootNode;
  if (HANDLER_CALLS.test(root.text)) return true;
  for (const call of root.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function');
    if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'shutdown') continue;
    if (/worker/i.test(callee.childForFieldName('object')?.text ?? '')) return true;
  }
  return false;
}
