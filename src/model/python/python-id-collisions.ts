// The Python reading of workflow-id-collision (the TypeScript one is typescript/id-collisions.ts).
// temporalio 1.35 fails a child's start with temporalio.exceptions.WorkflowAlreadyStartedError when
// the server answers WORKFLOW_ALREADY_EXISTS (worker/_workflow_instance.py,
// _apply_resolve_child_workflow_execution_start); the client raises the same error. Child starts
// take id_reuse_policy (default ALLOW_DUPLICATE) but no id_conflict_policy.
//
// - A child started on every iteration of a `for` or a comprehension while the children of earlier
//   iterations still run, with an `id=` of constant text and values the iteration does not bind or
//   write (the parent's input, `workflow.info().workflow_id`). They overlap when the coroutines are
//   gathered (`asyncio.gather(*[... for x in xs])`), handed to `asyncio.create_task`, appended to a
//   list the function gathers, or when each is `await workflow.start_child_workflow(...)` (the child
//   keeps running; unless the body awaits a handle). `await workflow.execute_child_workflow(...)` in
//   a `for` waits for the child to close: not reported.
// - A client start (`client.start_workflow` / `execute_workflow`) with a constant `id=` in a function
//   that handles a request or message (python-start-ids.ts's pythonRequestContext), without
//   id_conflict_policy, start_signal or TERMINATE_IF_RUNNING, and with no except clause or look-up
//   that tells "already started" apart.

import type { IdCollisionFacts, WorkflowStartFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { pythonRequestContext } from './python-start-ids.js';
import { callArguments, enclosing, locateNode, moduleStatements, namedChildrenOf, unparenthesize } from './python-syntax.js';

const COMPREHENSIONS = new Set(['list_comprehension', 'generator_expression', 'set_comprehension']);
const SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);
const MAX_DEPTH = 3;
const ALREADY_STARTED = /AlreadyStarted|already[\s_-]*started|ALREADY_EXISTS|already[\s_-]*(running|exists)/i;

interface Loop {
  node: PythonNode;
  kind: 'for' | 'comprehension';
  /** Names and attribute paths the loop binds or writes. */
  written: Set<string>;
  /** `name = value` inside the loop, for names assigned once there. */
  assigned: Map<string, PythonNode[]>;
  /** The loop targets (`for item in ...`): never invariant. */
  targets: Set<string>;
}

export function pythonIdCollision(start: WorkflowStartFacts, call: PythonNode, file: string, modules: PythonModules): IdCollisionFacts | null {
  const args = callArguments(call);
  const id = args.keywords.get('id');
  if (!id || args.spreads.length > 0) return null;
  const reuse = args.keywords.get('id_reuse_policy');
  if (reuse && !/ALLOW_DUPLICATE|REJECT_DUPLICATE/.test(reuse.text)) return null;
  if (reuse && /TERMINATE_IF_RUNNING/.test(reuse.text)) return null;
  if (start.child) return childInLoop(start, call, id, file, modules);
  if (start.method !== 'start' && start.method !== 'execute') return null;
  if (args.keywords.has('id_conflict_policy') || args.keywords.has('start_signal')) return null;
  return clientPerRequest(call, id);
}

function childInLoop(start: WorkflowStartFacts, call: PythonNode, id: PythonNode, file: string, modules: PythonModules): IdCollisionFacts | null {
  const found = enclosingLoop(call);
  if (!found) return null;
  const { loop, conditions } = found;
  if (!invariant(id, loop, file, modules, 0)) return null;
  if (conditions.some((condition) => !invariant(condition, loop, file, modules, 0))) return null;
  if (loop.kind === 'for' && leavesEarly(loop.node.childForFieldName('body'))) return null;
  if (singleElement(loop)) return null;
  const overlap = overlapOf(start, call, loop);
  if (!overlap) return null;
  return { kind: 'child-loop', loop: locateNode(file, loop.node), loopText: loopText(loop), idText: id.text.replace(/\s+/g, ' '), overlap };
}

function loopText(loop: Loop): string {
  if (loop.kind === 'for') {
    const left = loop.node.childForFieldName('left')?.text ?? '';
    const right = loop.node.childForFieldName('right')?.text ?? '';
    return `for ${left} in ${short(right)}`.replace(/\s+/g, ' ');
  }
  const clause = namedChildrenOf(loop.node).find((c) => c.type === 'for_in_clause');
  return `the comprehension [... ${clause ? short(clause.text) : ''}]`.replace(/\s+/g, ' ');
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function enclosingLoop(call: PythonNode): { loop: Loop; conditions: PythonNode[] } | undefined {
  const conditions: PythonNode[] = [];
  for (let node: PythonNode = call; node.parent; node = node.parent) {
    const parent: PythonNode = node.parent;
    if (SCOPES.has(parent.type) || parent.type === 'module') return undefined;
    if (parent.type === 'while_statement' || parent.type === 'except_clause' || parent.type === 'case_clause') return undefined;
    if (parent.type === 'for_statement' && parent.childForFieldName('body')?.id === node.id) return { loop: loopOf(parent, 'for'), conditions };
    if (COMPREHENSIONS.has(parent.type) && parent.childForFieldName('body')?.id === node.id) {
      for (const clause of namedChildrenOf(parent)) if (clause.type === 'if_clause') conditions.push(...namedChildrenOf(clause));
      return { loop: loopOf(parent, 'comprehension'), conditions };
    }
    if (COMPREHENSIONS.has(parent.type)) return undefined;
    if (parent.type === 'if_statement' || parent.type === 'elif_clause') {
      const condition = parent.childForFieldName('condition');
      if (condition && condition.id !== node.id) conditions.push(condition);
    }
    if (parent.type === 'else_clause' || parent.type === 'elif_clause') {
      const condition = parent.parent?.childForFieldName('condition');
      if (condition) conditions.push(condition);
    }
    if (parent.type === 'conditional_expression') {
      const condition = namedChildrenOf(parent)[1];
      if (condition && condition.id !== node.id) conditions.push(condition);
    }
    if (parent.type === 'boolean_operator' && parent.childForFieldName('right')?.id === node.id) {
      const left = parent.childForFieldName('left');
      if (left) conditions.push(left);
    }
  }
  return undefined;
}

function loopOf(node: PythonNode, kind: Loop['kind']): Loop {
  const written = new Set<string>();
  const targets = new Set<string>();
  const assigned = new Map<string, PythonNode[]>();
  const addTargets = (target: PythonNode | null | undefined, into: Set<string>[]) => {
    if (!target) return;
    if (target.type === 'identifier' || target.type === 'attribute' || target.type === 'subscript') into.forEach((set) => set.add(target.text));
    if (target.type !== 'attribute' && target.type !== 'subscript') for (const child of namedChildrenOf(target)) addTargets(child, into);
    else if (target.type === 'subscript') into.forEach((set) => set.add(target.childForFieldName('value')?.text ?? target.text));
  };
  if (kind === 'for') addTargets(node.childForFieldName('left'), [written, targets]);
  const visit = (current: PythonNode): void => {
    if (current.type === 'for_in_clause' || current.type === 'for_statement') addTargets(current.childForFieldName('left'), [written, targets]);
    if (current.type === 'assignment' || current.type === 'augmented_assignment') {
      const left = current.childForFieldName('left');
      addTargets(left, [written]);
      const right = current.childForFieldName('right');
      if (left?.type === 'identifier') {
        const list = assigned.get(left.text) ?? [];
        if (current.type === 'assignment' && right) list.push(right);
        else list.push(current, current);
        assigned.set(left.text, list);
      }
    }
    if (current.type === 'named_expression') addTargets(current.childForFieldName('name'), [written]);
    if (current.type === 'as_pattern') for (const child of namedChildrenOf(current)) if (child.type === 'as_pattern_target') addTargets(namedChildrenOf(child)[0], [written]);
    for (const child of namedChildrenOf(current)) visit(child);
  };
  for (const child of namedChildrenOf(node)) {
    if (kind === 'for' && child.id === node.childForFieldName('right')?.id) continue;
    visit(child);
  }
  return { node, kind, written, assigned, targets };
}

/** True when the value is the same on every iteration: constant text, names the loop does not bind or write, `workflow.info()`. */
function invariant(expression: PythonNode, loop: Loop, file: string, modules: PythonModules, depth: number): boolean {
  const node = unparenthesize(expression);
  switch (node.type) {
    case 'string':
      return node.descendantsOfType('interpolation').every((field) => {
        const inner = field ? namedChildrenOf(field)[0] : undefined;
        return inner !== undefined && invariant(inner, loop, file, modules, depth);
      });
    case 'concatenated_string':
      return namedChildrenOf(node).every((part) => invariant(part, loop, file, modules, depth));
    case 'integer': case 'float': case 'true': case 'false': case 'none':
      return true;
    case 'binary_operator': case 'comparison_operator': case 'boolean_operator':
      return namedChildrenOf(node).filter((c) => c.type !== 'comment').every((part) => invariant(part, loop, file, modules, depth));
    case 'not_operator': case 'unary_operator':
      return namedChildrenOf(node).every((part) => invariant(part, loop, file, modules, depth));
    case 'identifier': {
      if (!loop.written.has(node.text)) return true;
      if (loop.targets.has(node.text) || depth >= MAX_DEPTH) return false;
      const values = loop.assigned.get(node.text);
      return values?.length === 1 && invariant(values[0]!, loop, file, modules, depth + 1);
    }
    case 'attribute': {
      const object = node.childForFieldName('object');
      if (!object || written(node.text, loop)) return false;
      return invariant(object, loop, file, modules, depth);
    }
    case 'subscript': {
      const value = node.childForFieldName('value');
      const index = node.childForFieldName('subscript');
      // Only a fixed key (`config["prefix"]`): an index into a list the loop may pop is not read.
      return value !== null && index?.type === 'string' && index.descendantsOfType('interpolation').length === 0 && !written(node.text, loop) && invariant(value, loop, file, modules, depth);
    }
    case 'call': {
      const callee = node.childForFieldName('function');
      if (!callee) return false;
      const args = callArguments(node);
      if ((modules.qualifiedName(file, callee) === 'temporalio.workflow.info' || callee.text === 'workflow.info') && args.positional.length === 0) return true;
      if (callee.type === 'identifier' && callee.text === 'str' && args.positional.length === 1 && args.keywords.size === 0) return invariant(args.positional[0]!, loop, file, modules, depth);
      return false;
    }
    default:
      return false;
  }
}

/** The path or a prefix of it is written in the loop (`self.batch = ...` writes `self.batch.id`). */
function written(text: string, loop: Loop): boolean {
  for (const target of loop.written) if (text === target || text.startsWith(`${target}.`) || text.startsWith(`${target}[`)) return true;
  return false;
}

/** A `break` or `return` in the loop body, outside nested loops (for break) and functions. */
function leavesEarly(body: PythonNode | null): boolean {
  if (!body) return true;
  let leaves = false;
  const visit = (node: PythonNode, inner: boolean): void => {
    if (leaves || SCOPES.has(node.type)) return;
    if (node.type === 'return_statement' || (node.type === 'break_statement' && !inner)) { leaves = true; return; }
    const nested = inner || node.type === 'for_statement' || node.type === 'while_statement';
    for (const child of namedChildrenOf(node)) visit(child, nested);
  };
  visit(body, false);
  return leaves;
}

/** `for x in [one]`: runs once. */
function singleElement(loop: Loop): boolean {
  const iterated = loop.kind === 'for' ? loop.node.childForFieldName('right') : namedChildrenOf(loop.node).find((c) => c.type === 'for_in_clause')?.childForFieldName('right');
  const list = iterated ? unparenthesize(iterated) : undefined;
  return list !== undefined && (list.type === 'list' || list.type === 'tuple') && namedChildrenOf(list).length <= 1;
}

function overlapOf(start: WorkflowStartFacts, call: PythonNode, loop: Loop): string | undefined {
  let node = call;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  const awaited = node.parent?.type === 'await';
  const body = loop.kind === 'for' ? loop.node.childForFieldName('body') : loop.node;
  if (awaited) {
    if (start.method !== 'startChild') return undefined;
    // `handle = await workflow.start_child_workflow(...)` then `await handle` / `handle.result()`: waits for the child.
    if (body && awaitsAHandle(body)) return undefined;
    return 'each await of start_child_workflow returns once the child has started, and the child keeps running while the loop starts the next one';
  }
  const fn = enclosing(call, ['function_definition']);
  const gathers = fn !== undefined && /\b(gather|wait)\s*\(/.test(fn.text);
  const holder = node.parent?.type === 'argument_list' ? node.parent.parent : undefined;
  const callee = holder?.type === 'call' ? holder.childForFieldName('function')?.text : undefined;
  if (callee && /(^|\.)(create_task|ensure_future)$/.test(callee)) return `each child's coroutine is handed to ${callee}, so the children run side by side`;
  if (loop.kind === 'comprehension') {
    let outer: PythonNode = loop.node;
    while (outer.parent?.type === 'parenthesized_expression') outer = outer.parent;
    const list = outer.parent?.type === 'list_splat' ? outer.parent.parent : outer.parent;
    const receiver = list?.type === 'argument_list' ? list.parent : undefined;
    const gatherer = receiver?.type === 'call' ? receiver.childForFieldName('function')?.text : undefined;
    if (gatherer && /(^|\.)(gather|wait)$/.test(gatherer)) return `the comprehension's coroutines go to ${gatherer}, which runs them side by side`;
    return undefined;
  }
  if (callee && /\.append$/.test(callee) && gathers) return 'each child\'s coroutine is appended to a list that the function gathers, so the children run side by side';
  return undefined;
}

function awaitsAHandle(body: PythonNode): boolean {
  let found = false;
  const visit = (node: PythonNode): void => {
    if (found || SCOPES.has(node.type)) return;
    if (node.type === 'await') {
      const operand = namedChildrenOf(node)[0];
      if (operand && (unparenthesize(operand).type === 'identifier' || /\.result\s*\(/.test(operand.text))) { found = true; return; }
    }
    namedChildrenOf(node).forEach(visit);
  };
  visit(body);
  return found;
}

function clientPerRequest(call: PythonNode, id: PythonNode): IdCollisionFacts | null {
  if (!constantText(id, call)) return null;
  const context = pythonRequestContext(call);
  if (!context) return null;
  for (let node: PythonNode | undefined = enclosing(call, ['try_statement']); node; node = enclosing(node, ['try_statement'])) {
    if (namedChildrenOf(node).some((c) => c.type === 'except_clause' && ALREADY_STARTED.test(c.text))) return null;
  }
  const fn = enclosing(call, ['function_definition']);
  if (fn && (ALREADY_STARTED.test(fn.text) || /\bdescribe\s*\(|get_workflow_handle/.test(fn.text))) return null;
  return { kind: 'client-request', idText: id.text.replace(/\s+/g, ' '), context };
}

/** A string without fields, or a name its function or module assigns once to one. */
function constantText(expression: PythonNode, at: PythonNode): boolean {
  const node = unparenthesize(expression);
  if (node.type === 'string') return node.descendantsOfType('interpolation').length === 0 && node.descendantsOfType('string_content').some((part) => (part?.text ?? '') !== '');
  if (node.type !== 'identifier') return false;
  const fn = enclosing(at, ['function_definition']);
  const values: PythonNode[] = [];
  for (const assignment of fn?.descendantsOfType(['assignment', 'augmented_assignment']) ?? []) {
    if (assignment?.childForFieldName('left')?.text === node.text) values.push(assignment);
  }
  if (values.length === 0) {
    let root: PythonNode = at;
    while (root.parent) root = root.parent;
    for (const statement of moduleStatements(root)) {
      const assignment = statement.type === 'expression_statement' ? namedChildrenOf(statement)[0] : undefined;
      if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === node.text) values.push(assignment);
    }
  }
  if (values.length !== 1 || values[0]!.type !== 'assignment') return false;
  const right = values[0]!.childForFieldName('right');
  return right !== null && unparenthesize(right).type === 'string' && constantText(right, at);
}
