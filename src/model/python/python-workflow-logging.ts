// Logging from Python workflow code through a logger that knows nothing of replay, instead of
// `workflow.logger`: loguru's logger, a standard-library logger of the project's own
// (`logging.getLogger(__name__)`, or the logging module's functions, `logging.info(...)`), and
// `print`. The SDK's workflow.logger is a LoggerAdapter whose isEnabledFor() returns False while the
// workflow replays history (log_during_replay defaults to False: temporalio/workflow/_sandbox.py), so
// each line is written once. The others write the lines of the replayed steps again on every replay
// (a worker restart, a cache eviction, a query to a workflow no longer cached): checked on a real
// worker with temporalio 1.35.0 (test/model/python/python-sdk-determinism-facts.test.ts).
//
// Read from the run method, signal and update handlers, `@workflow.init` and the interceptor methods
// (`execute_workflow`, `handle_signal`, `handle_update_handler` of WorkflowInboundInterceptor
// subclasses) through the project functions they call; a call under `if not
// workflow.unsafe.is_replaying():` is left alone. loguru's logger is recognised by its import, also
// when the project re-exports it (`logger = base_logger` after `from loguru import logger as
// base_logger`); a standard logger by the `logging.getLogger(...)` call its module-level name is
// bound to (also through the project's re-export). One group per workflow module, so one change is
// one finding.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import { functionTarget, type PythonActivity } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import { descendantsInScope, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { inboundInterceptors, workflowEntryPoints } from './python-workflow-conversions.js';

/** What writes the line: loguru's logger, a standard-library logger that is not workflow.logger, or print. */
export type ReplayUnawareLogger = 'loguru' | 'logging' | 'print';

export interface ReplayUnawareLog {
  location: SourceLocation;
  text: string;
  via: SourceLocation[];
  logger: ReplayUnawareLogger;
}

/** The calls the workflow types (or interceptors) of one module make, so one change is one finding. */
export interface WorkflowLogging {
  owners: string[];
  interceptor: boolean;
  /** The file that defines the workflow types (or interceptors). */
  module: string;
  calls: ReplayUnawareLog[];
}

const LEVELS = new Set(['trace', 'debug', 'info', 'success', 'warning', 'error', 'critical', 'exception', 'log']);
/** The methods of a standard `logging.Logger` (and the logging module's functions) that write a record. */
const LOGGING_LEVELS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'critical', 'fatal', 'exception', 'log']);
/** loguru methods that return a logger (`logger.bind(run=...)`). */
const DERIVED = new Set(['bind', 'opt', 'patch', 'contextualize']);
const ENTRIES = new Set(['temporalio.workflow.run', 'temporalio.workflow.signal', 'temporalio.workflow.update', 'temporalio.workflow.init']);
const INTERCEPTOR_ENTRIES = new Set(['execute_workflow', 'handle_signal', 'handle_update_handler']);

export function extractWorkflowLogging(modules: PythonModules, workflows: PythonWorkflow[], activities: PythonActivity[]): WorkflowLogging[] {
  const activityNodes = new Set(activities.map((a) => a.node.id));
  const calls = new Map<string, ReplayUnawareLog & { owners: Set<string> }>();
  const seen = new Set<string>();

  const visit = (fn: PythonNode, file: string, owner: string, via: SourceLocation[]) => {
    const key = `${fn.id}:${owner}`;
    if (seen.has(key) || via.length > 5) return;
    seen.add(key);
    const body = fn.childForFieldName('body');
    if (!body) return;
    descendantsInScope(body, (node) => {
      if (node.type !== 'call') return;
      const callee = node.childForFieldName('function');
      if (!callee) return;
      const note = (logger: ReplayUnawareLogger) => {
        if (replayGuarded(node, body)) return;
        const location = locateNode(file, node);
        const id = `${file}:${location.line}:${location.column}`;
        const existing = calls.get(id);
        if (existing) existing.owners.add(owner);
        else calls.set(id, { location, text: oneLine(node), via, logger, owners: new Set([owner]) });
      };
      if (callee.type === 'attribute') {
        const method = callee.childForFieldName('attribute')?.text ?? '';
        const object = callee.childForFieldName('object');
        if (object && LEVELS.has(method) && isLoguruLogger(object, file, modules, 0)) return note('loguru');
        if (object && LOGGING_LEVELS.has(method) && isStandardLogger(object, file, modules, 0)) return note('logging');
        if (LEVELS.has(method) || LOGGING_LEVELS.has(method)) return;
      }
      // print(...), the builtin: not a function of the project's, nor a local or parameter of that name.
      if (callee.type === 'identifier' && callee.text === 'print' && modules.qualifiedName(file, callee) === 'print' && !isLocal(callee)) return note('print');
      const target = functionTarget(callee, fn, file, modules);
      if (target && !activityNodes.has(target.node.id)) visit(target.node, target.file, owner, [...via, locateNode(file, node)]);
    });
  };

  const interceptors = inboundInterceptors(modules);
  for (const entry of workflowEntryPoints(modules, workflows, interceptors, ENTRIES, INTERCEPTOR_ENTRIES)) visit(entry.node, entry.file, entry.owner, []);

  const groups = new Map<string, WorkflowLogging>();
  const ordered = [...calls.values()].sort((a, b) => Number(a.via.length > 0) - Number(b.via.length > 0) || a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  const interceptorFiles = new Map(interceptors.map((i) => [i.name, i.file]));
  const workflowFiles = new Map(workflows.map((w) => [w.name, w.file]));
  for (const { owners, ...call } of ordered) {
    // A helper that workflows and an interceptor both reach belongs with the workflows; a helper
    // that workflows of several modules reach, with the first module's.
    const workflowOwners = [...owners].filter((o) => !interceptorFiles.has(o));
    const interceptor = workflowOwners.length === 0;
    const names = (interceptor ? [...owners] : workflowOwners).sort();
    const fileOf = (name: string) => (interceptor ? interceptorFiles.get(name) : workflowFiles.get(name)) ?? '';
    const module = names.map(fileOf).sort()[0] ?? '';
    const key = `${interceptor}:${module}`;
    const group = groups.get(key) ?? { owners: [], interceptor, module, calls: [] };
    for (const name of names) if (fileOf(name) === module && !group.owners.includes(name)) group.owners.push(name);
    group.owners.sort();
    group.calls.push(call);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => a.calls[0]!.location.file.localeCompare(b.calls[0]!.location.file) || a.calls[0]!.location.line - b.calls[0]!.location.line);
}

/** `logger` bound to loguru's logger: imported from loguru, re-exported by the project, or `logger.bind(...)` of it. */
function isLoguruLogger(node: PythonNode, file: string, modules: PythonModules, depth: number): boolean {
  if (depth > 4) return false;
  const target = unparenthesize(node);
  if (target.type === 'call') {
    const callee = target.childForFieldName('function');
    const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
    return object !== undefined && object !== null && DERIVED.has(callee?.childForFieldName('attribute')?.text ?? '') && isLoguruLogger(object, file, modules, depth + 1);
  }
  if (target.type !== 'identifier' && target.type !== 'attribute') return false;
  // A parameter or local of the same name hides the module's binding (`logger = workflow.logger`).
  if (target.type === 'identifier' && isLocal(target)) return false;
  if (modules.qualifiedName(file, target) === 'loguru.logger') return true;
  if (target.type !== 'identifier') return false;
  const definition = modules.lookup(file, target.text);
  return definition?.kind === 'assignment' && definition.value !== undefined && isLoguruLogger(definition.value, definition.file, modules, depth + 1);
}

/**
 * A standard-library logger that is not workflow.logger: the logging module itself
 * (`logging.info(...)` writes through the root logger), `logging.getLogger(...)`, or a module-level
 * name bound to one (also through the project's re-export). A parameter or local of the name is
 * left alone (`logger = workflow.logger`).
 */
function isStandardLogger(node: PythonNode, file: string, modules: PythonModules, depth: number): boolean {
  if (depth > 4) return false;
  const target = unparenthesize(node);
  if (target.type === 'call') {
    const callee = target.childForFieldName('function');
    if (!callee) return false;
    if (modules.qualifiedName(file, callee) === 'logging.getLogger') return true;
    // The project's own factory (`get_logger(__name__)` in app/utils/logging.py) that returns one.
    const factory = callee.type === 'identifier' || callee.type === 'attribute' ? functionTarget(callee, target, file, modules) : undefined;
    return factory !== undefined && returnsStandardLogger(factory.node, factory.file, modules, depth + 1);
  }
  if (target.type !== 'identifier' && target.type !== 'attribute') return false;
  if (target.type === 'identifier' && isLocal(target)) return false;
  const qualified = modules.qualifiedName(file, target);
  if (qualified === 'logging' || qualified === 'logging.root') return target.type === 'attribute' || modules.importsOf(file).get(target.text)?.kind === 'module';
  if (target.type !== 'identifier') return false;
  const definition = modules.lookup(file, target.text);
  return definition?.kind === 'assignment' && definition.value !== undefined && isStandardLogger(definition.value, definition.file, modules, depth + 1);
}

/**
 * A project function every `return` of which gives a standard-library logger: `logging.getLogger(...)`,
 * another such factory, or a local name the function binds only to one (`logger =
 * logging.getLogger(name)`; handlers and levels set on it after). A function with no return, or one
 * return of anything else (a structlog or loguru wrapper, a LoggerAdapter), is not one.
 */
function returnsStandardLogger(fn: PythonNode, file: string, modules: PythonModules, depth: number): boolean {
  if (depth > 4 || fn.type !== 'function_definition') return false;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  const returns: PythonNode[] = [];
  const assignments = new Map<string, PythonNode[]>();
  descendantsInScope(body, (node) => {
    if (node.type === 'return_statement') returns.push(node);
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type === 'identifier') assignments.set(left.text, [...(assignments.get(left.text) ?? []), ...(right && node.type === 'assignment' ? [right] : [fn])]);
    }
  });
  if (returns.length === 0) return false;
  return returns.every((statement) => {
    const value = namedChildrenOf(statement)[0];
    if (!value) return false;
    const returned = unparenthesize(value);
    if (returned.type === 'call') return isStandardLogger(returned, file, modules, depth + 1);
    if (returned.type !== 'identifier') return false;
    const bound = assignments.get(returned.text);
    return bound !== undefined && bound.length === 1 && bound[0]!.type === 'call' && isStandardLogger(bound[0]!, file, modules, depth + 1);
  });
}

function isLocal(name: PythonNode): boolean {
  for (let current = name.parent; current; current = current.parent) {
    if (current.type !== 'function_definition') continue;
    const parameters = current.childForFieldName('parameters');
    if (parameters?.descendantsOfType('identifier').some((p) => p?.text === name.text)) return true;
    const assigned = current.childForFieldName('body')?.descendantsOfType('assignment').some((a) => a?.childForFieldName('left')?.text === name.text);
    if (assigned) return true;
  }
  return false;
}

/** Under a condition that asks whether the workflow is replaying. */
function replayGuarded(node: PythonNode, stop: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== stop.id; current = current.parent) {
    if (current.type === 'if_statement' && /is_replaying/.test(current.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}

function oneLine(node: PythonNode): string {
  const [first, ...rest] = node.text.split('\n');
  const line = first!.length > 80 ? `${first!.slice(0, 80)}...` : first!;
  return rest.length ? `${line.trimEnd()} ...)` : line;
}
