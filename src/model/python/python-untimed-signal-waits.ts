// Python workflow waits that only another party can end (workflow-wait-without-timeout), the rule
// ../typescript/untimed-signal-waits.ts applies to TypeScript:
//
//   @workflow.signal
//   def approve(self) -> None:
//       self._approved = True
//
//   async def _await_reply(self) -> None:
//       await workflow.wait_condition(lambda: self._approved)   # no timeout=
//
// `await workflow.wait_condition(pred)` with no timeout, where every `self.X` the predicate reads
// is assigned only in __init__ and in @workflow.signal or @workflow.update methods of the class:
// only a message from outside can make it true. An update validator (`@approve.validator`) is not a
// handler: it must not change state, and one that does leaves the wait alone. A predicate that
// reads anything else (a local, a parameter, `self.x.y`, a call) is left alone, and so is state the
// workflow assigns itself (unless it only clears it: `self._reply = None` before waiting on
// `self._reply is not None`), state a nested function of a handler assigns, a class that reaches
// its attributes by name (getattr, setattr, __dict__) or passes `self` whole, one with a base class
// the review cannot read or that mentions the attribute, or one another class extends. Waits that
// are the workflow's purpose are left out, as on the TypeScript side: a wait in a loop (or in a
// helper called in a loop), in a method or a run method that continues as new, and a wait written
// in the run method itself (the signal or update is the workflow's own API, such as an approval),
// unless the workflow runs as a child another workflow awaits (`await
// workflow.execute_child_workflow(...)`): then the wait is a step in the middle of that workflow,
// and it waits too. A predicate that is already true with the values __init__ sets (`lambda: not
// self._paused` with `self._paused = False`) is a pause gate: it waits only after a message closed
// it, and waiting for the message that opens it is its purpose (when the workflow closes it itself
// before waiting, it is reported). In a project that starts workflows with an update-with-start,
// state update handlers set is left alone: the update may come with the start.
// Whether a start bounds the run is the check's to decide (the starts are in the model).

import type { PythonStartCall } from './python-forwarded-calls.js';
import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { basesReadable, extendedElsewhere, usesSelfWhole } from './python-signal-state-read-early.js';
import { callArguments, classMembers, decoratorsOf, descendantsInScope, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';

export interface PythonUntimedSignalWait {
  /** The workflow type whose class holds the wait. */
  workflow: string;
  location: SourceLocation;
  /** The attributes the predicate reads, as written (`self._approved`). */
  variables: string[];
  /** The signal and update handlers that set them: the kind, the message name and the handler method's location. */
  handlers: { kind: MessageKind; name: string; location: SourceLocation }[];
  /** The wait is in a method the run method calls, not in the run method itself. */
  inHelper: boolean;
  /** Every handler has a fixed name (not `@workflow.signal(dynamic=True)` or `@workflow.update(dynamic=True)`). */
  fixedName: boolean;
  /** Workflows that start this one as a child and await its result (`await workflow.execute_child_workflow(...)`). */
  awaitedBy: { workflow: string; location: SourceLocation }[];
}

/** How deep `self.method()` calls are followed from the run method to the wait (as in TypeScript). */
const MAX_CALL_DEPTH = 4;
const WAIT_CONDITION = 'temporalio.workflow.wait_condition';
const CONTINUE_AS_NEW = 'temporalio.workflow.continue_as_new';
const EXECUTE_CHILD = 'temporalio.workflow.execute_child_workflow';
const BY_NAME = /\b(?:getattr|setattr|delattr|vars|__dict__|__getattr__|__setattr__|__getattribute__)\b/;
const LOOPS = new Set(['for_statement', 'while_statement']);

export type MessageKind = 'signal' | 'update';
/** 'handler': a @workflow.signal or @workflow.update method (`message` says which). */
type Kind = 'handler' | 'init' | 'run' | 'other';

interface Method {
  node: PythonNode;
  kind: Kind;
  message?: MessageKind;
  /** The message's name (the decorator's `name=` or the method name); undefined for a dynamic handler. */
  signal?: string;
  dynamic?: boolean;
}

const HANDLER_DECORATORS = new Map<string, MessageKind>([
  ['temporalio.workflow.signal', 'signal'],
  ['temporalio.workflow.update', 'update'],
]);

export function pythonUntimedSignalWaits(
  workflows: PythonWorkflow[],
  modules: PythonModules,
  starts: { location: SourceLocation; workflowType: string | null; method: string }[],
  startCalls: PythonStartCall[],
): PythonUntimedSignalWait[] {
  const found: PythonUntimedSignalWait[] = [];
  const seen = new Set<number>();
  const texts = [...modules.files.values()].map((f) => f.text);
  const awaitedBy = awaitedChildStarts(workflows, modules, starts, startCalls);
  // An update-with-start delivers the update with the start: the state it sets may be there before the wait.
  const updateWithStart = texts.some((text) => /update_with_start_workflow|WithStartWorkflowOperation/.test(text));
  for (const workflow of workflows) {
    if (seen.has(workflow.node.id)) continue;
    seen.add(workflow.node.id);
    const file = workflow.file;
    const methods = methodsOf(workflow.node, file, modules);
    const run = methods.find((m) => m.kind === 'run');
    if (!run || !methods.some((m) => m.kind === 'handler')) continue;
    if (BY_NAME.test(workflow.node.text)) continue;
    if (extendedElsewhere(workflow.className, texts)) continue;
    if (methods.some((m) => m.kind !== 'handler' && usesSelfWhole(m.node))) continue;
    const runContinues = continuesAsNew(run.node, file, modules);
    for (const { method: fn, calledInLoop } of reachedMethods(run, methods)) {
      // A helper called in a loop (`while True: try ... except: await self._wait_for_fix()`) waits once per turn, by design.
      if (calledInLoop || runContinues || continuesAsNew(fn.node, file, modules)) continue;
      const body = fn.node.childForFieldName('body');
      if (!body) continue;
      descendantsInScope(body, (node) => {
        if (node.type !== 'call') return;
        const callee = node.childForFieldName('function');
        if (!callee || modules.qualifiedName(file, callee) !== WAIT_CONDITION) return;
        // Raced or wrapped (`asyncio.wait_for(workflow.wait_condition(...), 60)`, gather, wait): not a bare wait.
        const parent = awaitedParent(node);
        if (parent?.type !== 'await') return;
        if (inLoop(node, fn.node)) return;
        const args = callArguments(node);
        if ((args.keywords.has('timeout') && args.keywords.get('timeout')!.text !== 'None') || args.positional.length !== 1 || args.spreads.length > 0 || args.starred) return;
        const predicate = predicateExpression(args.positional[0]!, methods);
        if (!predicate) return;
        const attributes = attributesRead(predicate);
        if (!attributes || attributes.size === 0) return;
        const terms = orTerms(predicate);
        const setters: Method[] = [];
        let cleared = false;
        for (const attribute of attributes) {
          if (!basesReadable(workflow.node, file, modules, attribute)) return;
          const writers = handlerOnlyWriters(methods, attribute, terms);
          if (!writers) return;
          cleared ||= writers.cleared;
          for (const handler of writers.handlers) if (!setters.includes(handler)) setters.push(handler);
        }
        if (updateWithStart && setters.some((m) => m.message === 'update')) return;
        // A pause gate: already true with the values __init__ sets, and only a message closes it.
        if (!cleared && evaluate(predicate, initialValues(workflow.node, methods)) === true) return;
        found.push({
          workflow: workflow.name,
          location: locateNode(file, node),
          variables: [...attributes].map((a) => `self.${a}`),
          handlers: setters.map((m) => ({ kind: m.message!, name: m.signal ?? methodName(m.node), location: locateNode(file, m.node.childForFieldName('name') ?? m.node) })),
          inHelper: fn !== run,
          fixedName: setters.every((m) => !m.dynamic),
          awaitedBy: awaitedBy.get(workflow.name) ?? [],
        });
      });
    }
  }
  return found.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line);
}

function methodName(node: PythonNode): string {
  return node.childForFieldName('name')?.text ?? '';
}

function methodsOf(classNode: PythonNode, file: string, modules: PythonModules): Method[] {
  const methods: Method[] = [];
  for (const member of classMembers(classNode)) {
    if (member.type !== 'function_definition') continue;
    const name = methodName(member);
    let method: Method = { node: member, kind: name === '__init__' ? 'init' : 'other' };
    for (const decorator of decoratorsOf(member)) {
      const qualified = modules.qualifiedName(file, decorator.expression);
      if (qualified === 'temporalio.workflow.run') method = { node: member, kind: 'run' };
      else if (qualified === 'temporalio.workflow.init') method = { node: member, kind: 'init' };
      else if (qualified && HANDLER_DECORATORS.has(qualified)) {
        const args = decorator.call ? callArguments(decorator.call) : undefined;
        const given = args?.keywords.get('name') ?? args?.positional[0];
        const dynamic = args?.keywords.get('dynamic')?.text === 'True';
        method = { node: member, kind: 'handler', message: HANDLER_DECORATORS.get(qualified)!, ...(dynamic ? { dynamic } : { signal: given ? given.text.replace(/^(['"])(.*)\1$/s, '$2') : name }) };
      } else if (qualified?.startsWith('temporalio.workflow.') || decorator.expression.type === 'attribute') {
        // a query, an update validator (`@approve.validator`), a property: not a message handler
        if (method.kind === 'init') continue;
        method = { node: member, kind: 'other' };
      }
    }
    methods.push(method);
  }
  return methods;
}

/**
 * The run method and the methods of the class it reaches through `self.name(...)`, up to
 * MAX_CALL_DEPTH calls deep, each marked when some path to it calls it from inside a loop.
 */
function reachedMethods(run: Method, methods: Method[]): { method: Method; calledInLoop: boolean }[] {
  const reached = new Map<Method, boolean>([[run, false]]);
  let frontier = [run];
  for (let depth = 0; depth < MAX_CALL_DEPTH && frontier.length > 0; depth++) {
    const next: Method[] = [];
    for (const fn of frontier) {
      for (const call of fn.node.descendantsOfType('call')) {
        const callee = call?.childForFieldName('function');
        if (!call || callee?.type !== 'attribute' || callee.childForFieldName('object')?.text !== 'self') continue;
        const name = callee.childForFieldName('attribute')?.text;
        const target = methods.find((m) => m.kind === 'other' && methodName(m.node) === name);
        if (!target || target === run) continue;
        const looped = reached.get(fn)! || inLoop(call, fn.node);
        const known = reached.get(target);
        if (known === undefined || (looped && !known)) {
          reached.set(target, looped || (known ?? false));
          next.push(target);
        }
      }
    }
    frontier = next;
  }
  return [...reached].map(([method, calledInLoop]) => ({ method, calledInLoop }));
}

function continuesAsNew(fn: PythonNode, file: string, modules: PythonModules): boolean {
  return fn.descendantsOfType('call').some((call) => {
    const callee = call?.childForFieldName('function');
    return !!callee && modules.qualifiedName(file, callee) === CONTINUE_AS_NEW;
  });
}

/** The node the call's value goes to, past parentheses. */
function awaitedParent(node: PythonNode): PythonNode | null {
  let parent = node.parent;
  while (parent?.type === 'parenthesized_expression') parent = parent.parent;
  return parent;
}

/** A `for` or `while` between the node and its method. */
function inLoop(node: PythonNode, fn: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== fn.id; current = current.parent) if (LOOPS.has(current.type)) return true;
  return false;
}

/** The predicate's expression: a lambda's body, or the single `return` of a method passed as `self.name`. */
function predicateExpression(argument: PythonNode, methods: Method[]): PythonNode | undefined {
  const value = unparenthesize(argument);
  if (value.type === 'lambda') {
    if (value.childForFieldName('parameters')) return undefined;
    return value.childForFieldName('body') ?? undefined;
  }
  if (value.type === 'attribute' && value.childForFieldName('object')?.text === 'self') {
    const method = methods.find((m) => m.kind === 'other' && methodName(m.node) === value.childForFieldName('attribute')?.text);
    const statements = method ? namedChildrenOf(method.node.childForFieldName('body')!) : [];
    const parameters = method ? namedChildrenOf(method.node.childForFieldName('parameters')!) : [];
    if (statements.length !== 1 || statements[0]!.type !== 'return_statement' || parameters.length !== 1) return undefined;
    return namedChildrenOf(statements[0]!)[0];
  }
  return undefined;
}

/** `self.X` as X. */
function selfAttribute(node: PythonNode | null | undefined): string | undefined {
  if (node?.type !== 'attribute') return undefined;
  const object = node.childForFieldName('object');
  return object?.type === 'identifier' && object.text === 'self' ? node.childForFieldName('attribute')?.text : undefined;
}

const LITERALS = new Set(['true', 'false', 'none', 'integer', 'float', 'string']);
const OPERATORS = new Set(['boolean_operator', 'not_operator', 'comparison_operator', 'parenthesized_expression']);

/** The attributes a predicate reads, when it reads only `self.X`, literals and boolean or comparison operators. */
function attributesRead(expression: PythonNode): Set<string> | undefined {
  const attributes = new Set<string>();
  let other = false;
  const visit = (node: PythonNode): void => {
    if (other) return;
    const attribute = selfAttribute(node);
    if (attribute) attributes.add(attribute);
    else if (OPERATORS.has(node.type)) namedChildrenOf(node).forEach(visit);
    else if (!LITERALS.has(node.type) || (node.type === 'string' && node.descendantsOfType('interpolation').length > 0)) other = true;
  };
  visit(expression);
  return other ? undefined : attributes;
}

/**
 * The signal and update handlers that assign `self.X`, when every assignment of it outside __init__
 * sits directly in a @workflow.signal or @workflow.update method (not in a nested function, not in
 * an update's validator) or only clears it: the workflow
 * assigns a literal under which every term of the predicate that tests X is false (`self._reply =
 * None` before waiting on `self._reply is not None`), so that the assignment cannot end the wait.
 * Undefined when another assignment is elsewhere or none is in a handler.
 */
function handlerOnlyWriters(methods: Method[], attribute: string, terms: PythonNode[] | undefined): { handlers: Method[]; cleared: boolean } | undefined {
  const handlers: Method[] = [];
  let cleared = false;
  for (const method of methods) {
    for (const node of method.node.descendantsOfType('attribute')) {
      if (!node || selfAttribute(node) !== attribute || !isWriteTarget(node)) continue;
      if (method.kind === 'init') continue;
      if (method.kind === 'handler' && !nestedFunction(node, method.node)) {
        if (!handlers.includes(method)) handlers.push(method);
        continue;
      }
      if (!clears(node, attribute, terms)) return undefined;
      cleared = true;
    }
  }
  return handlers.length > 0 ? { handlers, cleared } : undefined;
}

/** `self.X = <literal>` where every term that tests X is false with X at that literal. */
function clears(target: PythonNode, attribute: string, terms: PythonNode[] | undefined): boolean {
  const assignment = target.parent;
  if (!terms || assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.id !== target.id) return false;
  const right = assignment.childForFieldName('right');
  const value = right ? literal(unparenthesize(right)) : undefined;
  if (value === undefined) return false;
  const testing = terms.filter((term) => mentions(term, attribute));
  return testing.length > 0 && testing.every((term) => evaluate(term, new Map([[attribute, value]])) === false);
}

/** The operands of a predicate's top-level `or`s, when each tests a single attribute; undefined otherwise. */
function orTerms(predicate: PythonNode): PythonNode[] | undefined {
  const terms: PythonNode[] = [];
  const split = (node: PythonNode): void => {
    const inner = unparenthesize(node);
    if (inner.type === 'boolean_operator' && inner.childForFieldName('operator')?.text === 'or') {
      for (const side of [inner.childForFieldName('left'), inner.childForFieldName('right')]) if (side) split(side);
    } else terms.push(inner);
  };
  split(predicate);
  return terms.every((term) => new Set([term, ...term.descendantsOfType('attribute')].flatMap((a) => (a && selfAttribute(a) ? [selfAttribute(a)] : []))).size === 1) ? terms : undefined;
}

function mentions(term: PythonNode, attribute: string): boolean {
  return selfAttribute(term) === attribute || term.descendantsOfType('attribute').some((a) => selfAttribute(a) === attribute);
}

/** `self.X = ...`, `self.X += ...`, `a, self.X = ...`, `for self.X in ...`, `del self.X`, `with ... as self.X`. */
function isWriteTarget(node: PythonNode): boolean {
  let target = node;
  while (target.parent && ['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression'].includes(target.parent.type)) target = target.parent;
  const parent = target.parent;
  if (!parent) return false;
  if (parent.type === 'assignment' || parent.type === 'augmented_assignment') return parent.childForFieldName('left')?.id === target.id;
  if (parent.type === 'for_statement' || parent.type === 'for_in_clause') return parent.childForFieldName('left')?.id === target.id;
  return parent.type === 'delete_statement' || parent.type === 'as_pattern_target' || parent.type === 'as_pattern';
}

function nestedFunction(node: PythonNode, method: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== method.id; current = current.parent) {
    if (current.type === 'lambda' || current.type === 'function_definition' || current.type === 'class_definition') return true;
  }
  return false;
}

type Initial = boolean | number | string | null;

/**
 * `self.X = <literal>` in __init__, for attributes every assignment there sets, at its top level, to
 * the same literal; else the class body's `X = <literal>` / `X: bool = <literal>`.
 */
function initialValues(classNode: PythonNode, methods: Method[]): Map<string, Initial> {
  const values = new Map<string, Initial>();
  const unknown = new Set<string>();
  for (const statement of classMembers(classNode)) {
    const assignment = statement.type === 'expression_statement' ? namedChildrenOf(statement)[0] : undefined;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
    const right = assignment?.childForFieldName('right');
    const value = right ? literal(unparenthesize(right)) : undefined;
    if (left?.type === 'identifier' && value !== undefined) values.set(left.text, value);
  }
  const fromInit = new Map<string, Initial>();
  for (const method of methods.filter((m) => m.kind === 'init')) {
    const body = method.node.childForFieldName('body');
    const topLevel = new Set<number>();
    for (const statement of body ? namedChildrenOf(body) : []) {
      const assignment = statement.type === 'expression_statement' ? namedChildrenOf(statement)[0] : undefined;
      if (assignment?.type !== 'assignment') continue;
      const left = assignment.childForFieldName('left');
      const attribute = selfAttribute(left);
      const right = assignment.childForFieldName('right');
      const value = right ? literal(unparenthesize(right)) : undefined;
      if (!attribute || value === undefined) continue;
      topLevel.add(left!.id);
      if (fromInit.has(attribute) && fromInit.get(attribute) !== value) unknown.add(attribute);
      fromInit.set(attribute, value);
      values.set(attribute, value);
    }
    for (const node of method.node.descendantsOfType('attribute')) {
      const attribute = selfAttribute(node);
      if (attribute && node && isWriteTarget(node) && !topLevel.has(node.id)) unknown.add(attribute);
    }
  }
  for (const attribute of unknown) values.delete(attribute);
  return values;
}

function literal(node: PythonNode): Initial | undefined {
  switch (node.type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'integer':
    case 'float': {
      const value = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(value) ? value : undefined;
    }
    case 'string':
      return node.descendantsOfType('interpolation').length === 0 && /^(['"])(.*)\1$/s.test(node.text) ? node.text.slice(1, -1) : undefined;
    default:
      return undefined;
  }
}

/** The predicate's value with the initial attribute values, when every part is known. */
function evaluate(node: PythonNode, values: Map<string, Initial>): Initial | undefined {
  const attribute = selfAttribute(node);
  if (attribute) return values.has(attribute) ? values.get(attribute) : undefined;
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = namedChildrenOf(node)[0];
      return inner ? evaluate(inner, values) : undefined;
    }
    case 'not_operator': {
      const operand = node.childForFieldName('argument');
      const value = operand ? evaluate(operand, values) : undefined;
      return value === undefined ? undefined : !truthy(value);
    }
    case 'boolean_operator': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const operator = node.childForFieldName('operator')?.text;
      const a = left ? evaluate(left, values) : undefined;
      if (a === undefined) return undefined;
      if (operator === 'and' && !truthy(a)) return a;
      if (operator === 'or' && truthy(a)) return a;
      return right ? evaluate(right, values) : undefined;
    }
    case 'comparison_operator': {
      const operands = namedChildrenOf(node);
      const operators = node.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
      if (operands.length !== 2) return undefined;
      const a = evaluate(operands[0]!, values);
      const b = evaluate(operands[1]!, values);
      if (a === undefined || b === undefined) return undefined;
      const operator = operators.join(' ');
      if (operator === 'is' || operator === '==') return a === b;
      if (operator === 'is not' || operator === '!=') return a !== b;
      return undefined;
    }
    default:
      return literal(node);
  }
}

function truthy(value: Initial): boolean {
  return value !== null && value !== false && value !== 0 && value !== '';
}

/**
 * Per started workflow type, the workflows whose code starts it with `await
 * workflow.execute_child_workflow(...)`: they wait for its result.
 */
function awaitedChildStarts(
  workflows: PythonWorkflow[],
  modules: PythonModules,
  starts: { location: SourceLocation; workflowType: string | null; method: string }[],
  startCalls: PythonStartCall[],
): Map<string, { workflow: string; location: SourceLocation }[]> {
  const result = new Map<string, { workflow: string; location: SourceLocation }[]>();
  for (const { call, file, child } of startCalls) {
    if (!child) continue;
    const callee = call.childForFieldName('function');
    if (!callee || modules.qualifiedName(file, callee) !== EXECUTE_CHILD || awaitedParent(call)?.type !== 'await') continue;
    const location = locateNode(file, call);
    const start = starts.find((s) => s.method === 'executeChild' && s.location.file === file && s.location.line === location.line && s.location.column === location.column);
    if (!start?.workflowType) continue;
    const parent = workflows.find((w) => w.file === file && call.startIndex >= w.node.startIndex && call.endIndex <= w.node.endIndex);
    if (!parent) continue;
    const list = result.get(start.workflowType) ?? [];
    if (!list.some((p) => p.workflow === parent.name)) list.push({ workflow: parent.name, location });
    result.set(start.workflowType, list);
  }
  return result;
}
