// Python workflows that can complete while an async signal or update handler is still running (see
// ../unfinished-handlers.ts). A handler counts when it is an `async def` method of the workflow class
// decorated `@workflow.signal` / `@workflow.update` with no `unfinished_policy=` (an explicit policy
// is a decision), and it awaits durable work: `workflow.execute_activity*` / `start_activity*`,
// `workflow.execute_child_workflow` / `start_child_workflow`, `workflow.sleep` / `asyncio.sleep`,
// `workflow.wait_condition`, directly or through a method of the class (`self.helper()`) or a function
// of the same module it awaits. The workflow counts when the class never reads
// `workflow.all_handlers_finished` and its `@workflow.run` method can end: it continues as new, or it
// returns (a run method whose body holds a `while True:` with no break and no return, and no
// continue-as-new, never completes while handlers run, and is left alone).

import type { DurableWorkKind, UnfinishedHandler, WorkflowHandlersUnfinished } from '../unfinished-handlers.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, isAsyncFunction, locateNode, moduleStatements, namedChildrenOf, stringLiteral } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';

const HANDLER_KINDS: Record<string, 'signal' | 'update'> = { 'temporalio.workflow.signal': 'signal', 'temporalio.workflow.update': 'update' };
const ACTIVITY = /^temporalio\.workflow\.(?:execute|start)_(?:local_)?activity(?:_method|_class)?$/;
const CHILD = /^temporalio\.workflow\.(?:execute|start)_child_workflow$/;
const TIMERS = new Set(['temporalio.workflow.sleep', 'asyncio.sleep']);
const CONDITION = 'temporalio.workflow.wait_condition';
const CONTINUE_AS_NEW = 'temporalio.workflow.continue_as_new';
const HELPER_DEPTH = 3;

export function pythonUnfinishedHandlers(workflows: PythonWorkflow[], modules: PythonModules): WorkflowHandlersUnfinished[] {
  const found: WorkflowHandlersUnfinished[] = [];
  const seen = new Set<number>();
  for (const workflow of workflows) {
    if (seen.has(workflow.node.id)) continue;
    seen.add(workflow.node.id);
    if (!workflow.handlers.some((h) => h.kind === 'signal' || h.kind === 'update')) continue;
    if (workflow.node.text.includes('all_handlers_finished')) continue;
    const members = classMembers(workflow.node).filter((member) => member.type === 'function_definition');
    const run = members.find((member) => decoratorsOf(member).some((d) => modules.qualifiedName(workflow.file, d.expression) === 'temporalio.workflow.run'));
    if (!run) continue;
    const exit = exitOf(run, workflow.file, modules);
    if (!exit) continue;
    const handlers: UnfinishedHandler[] = [];
    for (const member of members) {
      const handler = durableHandler(member, members, workflow.file, modules);
      if (handler) handlers.push(handler);
    }
    if (handlers.length === 0) continue;
    found.push({ workflow: workflow.name, location: locateNode(workflow.file, run.childForFieldName('name') ?? run), handlers, exit });
  }
  return found;
}

function exitOf(run: PythonNode, file: string, modules: PythonModules): WorkflowHandlersUnfinished['exit'] | undefined {
  const continueAsNew = run.descendantsOfType('call').find((call) => {
    const callee = call?.childForFieldName('function');
    return !!callee && modules.qualifiedName(file, callee) === CONTINUE_AS_NEW;
  });
  if (continueAsNew) return { kind: 'continue-as-new', location: locateNode(file, continueAsNew) };
  const body = run.childForFieldName('body');
  if (!body) return undefined;
  const statements = namedChildrenOf(body);
  const returns = ownDescendants(body).filter((node) => node.type === 'return_statement');
  if (returns.length === 0 && statements.some((statement) => isEndlessLoop(statement))) return undefined;
  // The run method's last line.
  return { kind: 'return', location: { file, line: run.endPosition.row + 1, column: 1 } };
}

/** Descendants not inside a nested function, lambda or class. */
function ownDescendants(node: PythonNode): PythonNode[] {
  const found: PythonNode[] = [];
  const visit = (current: PythonNode): void => {
    for (const child of namedChildrenOf(current)) {
      found.push(child);
      if (child.type === 'function_definition' || child.type === 'lambda' || child.type === 'class_definition') continue;
      visit(child);
    }
  };
  visit(node);
  return found;
}

/** `while True:` with no `break` that leaves it. */
function isEndlessLoop(statement: PythonNode): boolean {
  if (statement.type !== 'while_statement') return false;
  const condition = statement.childForFieldName('condition');
  if (!condition || (condition.text !== 'True' && condition.text !== '1')) return false;
  const body = statement.childForFieldName('body');
  if (!body) return false;
  let breaks = false;
  const visit = (node: PythonNode): void => {
    for (const child of namedChildrenOf(node)) {
      if (breaks) return;
      if (child.type === 'break_statement') breaks = true;
      else if (!['function_definition', 'lambda', 'class_definition', 'while_statement', 'for_statement'].includes(child.type)) visit(child);
    }
  };
  visit(body);
  return !breaks;
}

function durableHandler(member: PythonNode, members: PythonNode[], file: string, modules: PythonModules): UnfinishedHandler | undefined {
  for (const decorator of decoratorsOf(member)) {
    const qualified = modules.qualifiedName(file, decorator.expression);
    const kind = qualified ? HANDLER_KINDS[qualified] : undefined;
    if (!kind) continue;
    const args = decorator.call ? callArguments(decorator.call) : undefined;
    // An explicit policy (ABANDON, or WARN_AND_ABANDON spelled out) is a decision about this very case.
    if (args && (args.keywords.has('unfinished_policy') || args.spreads.length > 0)) return undefined;
    if (!isAsyncFunction(member)) return undefined;
    const work = durableWork(member, members, file, modules, HELPER_DEPTH, new Set());
    if (!work) return undefined;
    const given = args?.keywords.get('name');
    const name = (given && stringLiteral(given)) ?? member.childForFieldName('name')?.text ?? '?';
    return { kind, name, location: locateNode(file, member.childForFieldName('name') ?? member), work };
  }
  return undefined;
}

/** The first durable call the function awaits, directly or through a helper of the class or module it awaits. */
function durableWork(fn: PythonNode, members: PythonNode[], file: string, modules: PythonModules, depth: number, seen: Set<number>): UnfinishedHandler['work'] | undefined {
  seen.add(fn.id);
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  for (const awaited of body.descendantsOfType('await')) {
    if (!awaited) continue;
    const calls = [awaited, ...awaited.descendantsOfType('call')].filter((node): node is PythonNode => node?.type === 'call');
    for (const call of calls) {
      const callee = call.childForFieldName('function');
      if (!callee) continue;
      const qualified = modules.qualifiedName(file, callee);
      const kind = qualified ? durableKind(qualified) : undefined;
      if (kind) return { kind, text: `${snippet(callee)}(…)`, location: locateNode(file, call) };
      if (depth <= 0 || (qualified && /^(?:temporalio|asyncio)\./.test(qualified))) continue;
      const helper = helperOf(callee, members, fn);
      if (helper && !seen.has(helper.id) && isAsyncFunction(helper)) {
        const inner = durableWork(helper, members, file, modules, depth - 1, seen);
        if (inner) return { ...inner, via: inner.via ?? callee.text };
      }
    }
  }
  return undefined;
}

function durableKind(qualified: string): DurableWorkKind | undefined {
  if (ACTIVITY.test(qualified)) return 'activity';
  if (CHILD.test(qualified)) return 'child';
  if (TIMERS.has(qualified)) return 'timer';
  if (qualified === CONDITION) return 'condition';
  return undefined;
}

/** `self.helper` -> the class's method; `helper` -> a function of the same module. */
function helperOf(callee: PythonNode, members: PythonNode[], from: PythonNode): PythonNode | undefined {
  if (callee.type === 'attribute' && callee.childForFieldName('object')?.text === 'self') {
    const name = callee.childForFieldName('attribute')?.text;
    return members.find((member) => member.childForFieldName('name')?.text === name);
  }
  if (callee.type === 'identifier') {
    let root: PythonNode = from;
    while (root.parent) root = root.parent;
    return moduleStatements(root).find((statement) => statement.type === 'function_definition' && statement.childForFieldName('name')?.text === callee.text);
  }
  return undefined;
}

function snippet(node: PythonNode): string {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
