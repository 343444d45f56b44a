// Python workflows whose signal- or update-set state is read only before the first wait (see
// ../signal-state-read-early.ts):
//
//   @workflow.signal
//   def pause(self) -> None:
//       self._paused = True
//
//   @workflow.run
//   async def run(self, query_id: str) -> None:
//       if self._paused:               # reported: the only read, before the first await
//           return
//       await workflow.execute_activity(create_run, query_id, ...)
//
// Only what can be followed whole is judged. The state is `self.X` that a @workflow.signal or
// @workflow.update method assigns. Every other mention of it must be in __init__, in a query
// handler or validator, in a signal or update handler that only assigns it and logs, or a read by
// the run method's own code textually before its first `await` / `async for` / `async with` and not
// in a loop that waits. A mention in any other method (a helper, a property) or in a lambda or
// nested function of the run method (a wait_condition predicate) may run after a wait, and the
// state is left alone. So is a class that passes `self` whole anywhere, that has a base class the
// review cannot read or whose text mentions the attribute, or that another class extends; and a
// workflow the reviewed code starts with a start_signal (or any update-with-start, for update
// state), where the early read may be the point.

import { sendToRunningWorkflow, type EarlySignalStateRead } from '../signal-state-read-early.js';
import type { MessageFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { classMembers, decoratorsOf, locateNode, namedChildrenOf, stringLiteral, callArguments } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { classDefinition } from './python-type-graph.js';

type Kind = 'signal' | 'update' | 'query' | 'validator' | 'init' | 'run' | 'other';

interface Method {
  node: PythonNode;
  kind: Kind;
  /** The message name, for a signal or update handler with a literal (or the method's) name. */
  name?: string;
}

const DECORATOR_KINDS: Record<string, Kind> = {
  'temporalio.workflow.signal': 'signal',
  'temporalio.workflow.update': 'update',
  'temporalio.workflow.query': 'query',
  'temporalio.workflow.run': 'run',
  'temporalio.workflow.init': 'init',
};

/** A test module by its name (test_x.py, x_test.py, conftest.py). */
const TEST_FILE = /(?:^|[\\/])(?:test_[^\\/]*|[^\\/]*_test|conftest)\.py$/;
const HARMLESS_BASES = /^(?:object|ABC|abc\.ABC|Generic(?:\[.*\])?|typing\.Generic(?:\[.*\])?)$/s;
const LOGGING = /^(?:workflow\.logger|logger|log|logging|self\.logger|self\._logger|self\.log)\.(?:debug|info|warning|warn|error|exception|critical)$|^print$/;

export function pythonEarlySignalStateReads(workflows: PythonWorkflow[], modules: PythonModules, facts: MessageFacts | undefined): EarlySignalStateRead[] {
  const found: EarlySignalStateRead[] = [];
  const seen = new Set<number>();
  const texts = [...modules.files.values()].map((f) => f.text);
  // The project's code other than its tests (a test may assert a handler's effect on the attribute).
  const codeTexts = [...modules.files.entries()].filter(([name]) => !TEST_FILE.test(name)).map(([, f]) => f.text);
  // Calls that pass a start_signal, as written (the workflow's resolution may have failed).
  const signalStarts = [...modules.files.values()]
    .filter((f) => /\bstart_signal\s*=/.test(f.text))
    .flatMap((f) => f.tree.rootNode.descendantsOfType('call').flatMap((call) => (call && callArguments(call).keywords.has('start_signal') ? [call.text] : [])));
  const updateWithStart = texts.some((text) => /with_start_workflow|WithStartWorkflowOperation/.test(text));
  for (const workflow of workflows) {
    if (seen.has(workflow.node.id)) continue;
    seen.add(workflow.node.id);
    const file = workflow.file;
    const methods = methodsOf(workflow.node, file, modules);
    const run = methods.find((m) => m.kind === 'run');
    const body = run?.node.childForFieldName('body');
    if (!run || !body) continue;
    if (!methods.some((m) => m.kind === 'signal' || m.kind === 'update')) continue;
    // Started with a start_signal: the first task carries the signal, and an early read sees it.
    if (facts?.sends.some((s) => s.targetBy === 'with-start' && s.targets.includes(workflow.name))) continue;
    if (signalStarts.some((call) => new RegExp(`\\b${escape(workflow.className)}\\b`).test(call))) continue;
    if (extendedElsewhere(workflow.className, texts)) continue;
    if (methods.some((m) => !['signal', 'update', 'query', 'validator'].includes(m.kind) && usesSelfWhole(m.node))) continue;
    const wait = firstWait(body);
    if (!wait) continue;
    const written = handlerWrites(methods);
    // Per attribute: its early reads, none, or undefined when something may read it later.
    const status = new Map<string, PythonNode[] | undefined>();
    for (const attribute of written.keys()) status.set(attribute, basesReadable(workflow.node, file, modules, attribute) ? earlyReads(methods, attribute, run.node, wait) : undefined);
    for (const [attribute, writes] of written) {
      if (updateWithStart && writes.some((w) => w.method.kind === 'update')) continue;
      const reads = status.get(attribute);
      if (!reads) continue;
      const unread = reads.length === 0;
      if (unread && !neverRead(methods, attribute, workflow.node, codeTexts)) continue;
      // A handler that does anything else (a call, a wait, state read later) gives the message an effect.
      if (!writes.every((w) => quietHandler(w.method.node, status))) continue;
      const sent = sendToRunningWorkflow(facts, workflow.name, writes.map((w) => ({ kind: w.method.kind as 'signal' | 'update', ...(w.method.name ? { name: w.method.name } : {}) })));
      const perMethod = new Set<Method>();
      found.push({
        workflow: workflow.name,
        name: `self.${attribute}`,
        writes: writes
          .filter((w) => !perMethod.has(w.method) && perMethod.add(w.method))
          .map((w) => ({ kind: w.method.kind as 'signal' | 'update', ...(w.method.name ? { name: w.method.name } : {}), location: locateNode(file, w.node), text: firstLine(w.node.text, 48) })),
        reads: reads.map((read) => ({ location: locateNode(file, read), text: statementText(read) })),
        wait: { location: locateNode(file, wait), text: firstLine(wait.text, 60) },
        ...(unread ? { unread: true as const } : {}),
        ...(sent ? { sent: { location: sent.location, call: sent.call, name: sent.name } } : {}),
      });
    }
  }
  return found;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function methodsOf(classNode: PythonNode, file: string, modules: PythonModules): Method[] {
  const methods: Method[] = [];
  for (const member of classMembers(classNode)) {
    if (member.type !== 'function_definition') continue;
    const methodName = member.childForFieldName('name')?.text ?? '';
    let kind: Kind = methodName === '__init__' ? 'init' : 'other';
    let name: string | undefined;
    for (const decorator of decoratorsOf(member)) {
      const decorated = DECORATOR_KINDS[modules.qualifiedName(file, decorator.expression) ?? ''];
      if (decorated) {
        kind = decorated;
        if (kind === 'signal' || kind === 'update') {
          const args = decorator.call ? callArguments(decorator.call) : undefined;
          const given = args?.keywords.get('name') ?? args?.positional[0];
          const dynamic = args?.keywords.get('dynamic')?.text === 'True';
          name = dynamic ? undefined : given ? stringLiteral(given) : methodName;
        }
      } else if (decorator.expression.type === 'attribute' && decorator.expression.childForFieldName('attribute')?.text === 'validator') {
        kind = 'validator';
      }
    }
    methods.push({ node: member, kind, ...(name ? { name } : {}) });
  }
  return methods;
}

/** `self.X`: the attribute name X. */
function selfAttribute(node: PythonNode | null | undefined): string | undefined {
  if (node?.type !== 'attribute') return undefined;
  const object = node.childForFieldName('object');
  return object?.type === 'identifier' && object.text === 'self' ? node.childForFieldName('attribute')?.text : undefined;
}

interface Write {
  node: PythonNode;
  method: Method;
}

/** The attributes signal and update handlers assign (`self.X = ...`, `self.X += ...`), with the writes. */
function handlerWrites(methods: Method[]): Map<string, Write[]> {
  const writes = new Map<string, Write[]>();
  for (const method of methods) {
    if (method.kind !== 'signal' && method.kind !== 'update') continue;
    for (const assignment of method.node.descendantsOfType(['assignment', 'augmented_assignment'])) {
      if (!assignment) continue;
      const left = assignment.childForFieldName('left');
      const targets = left && (left.type === 'pattern_list' || left.type === 'tuple_pattern') ? namedChildrenOf(left) : left ? [left] : [];
      for (const target of targets) {
        const attribute = selfAttribute(target);
        if (attribute) writes.set(attribute, [...(writes.get(attribute) ?? []), { node: assignment, method }]);
      }
    }
  }
  return writes;
}

/** `self.X = ...` or `self.X, y = ...`: the mention only writes the attribute. */
function assignedOnly(node: PythonNode): boolean {
  const parent = node.parent;
  if (parent?.type === 'assignment') return parent.childForFieldName('left')?.id === node.id;
  const tuple = parent?.type === 'pattern_list' || parent?.type === 'tuple_pattern';
  return tuple && parent.parent?.type === 'assignment' && parent.parent.childForFieldName('left')?.id === parent.id;
}

/**
 * The run method's reads of `self.X`, when every mention of it elsewhere is harmless and every read
 * runs before the first wait; undefined otherwise.
 */
function earlyReads(methods: Method[], attribute: string, run: PythonNode, wait: PythonNode): PythonNode[] | undefined {
  const reads: PythonNode[] = [];
  for (const method of methods) {
    for (const node of method.node.descendantsOfType('attribute')) {
      if (!node || selfAttribute(node) !== attribute) continue;
      if (assignedOnly(node)) continue;
      switch (method.kind) {
        case 'init':
        case 'query':
        case 'validator':
          continue;
        case 'signal':
        case 'update':
          if (onlyToggles(method.node, attribute)) continue;
          return undefined;
        case 'run':
          if (nestedFunction(node, run)) return undefined;
          if (!beforeWait(node, wait)) return undefined;
          if (inWaitingLoop(node, run)) return undefined;
          reads.push(node);
          continue;
        default:
          return undefined;
      }
    }
  }
  return reads;
}

/**
 * Nothing reads `self.X`: every mention is a plain assignment (in __init__ or a handler) or sits in
 * a signal or update handler that only toggles it; no query or validator returns it; the class never
 * reaches its attributes by name (getattr, setattr, __dict__, vars, __getattr__), and no other code
 * of the project mentions `.X` or the string 'X' (an interceptor, a mixin reading it; tests are not counted).
 */
function neverRead(methods: Method[], attribute: string, classNode: PythonNode, texts: string[]): boolean {
  if (/\b(?:getattr|setattr|hasattr|vars|__dict__|__getattr__|__getattribute__|asdict|dataclass)\b/.test(classNode.text)) return false;
  for (const method of methods) {
    for (const node of method.node.descendantsOfType('attribute')) {
      if (!node || selfAttribute(node) !== attribute) continue;
      if (assignedOnly(node)) continue;
      if ((method.kind === 'signal' || method.kind === 'update') && onlyToggles(method.node, attribute)) continue;
      return false;
    }
  }
  // `self.X` in another class is that class's own attribute (a base class that reads it is caught by
  // basesReadable, a subclass by extendedElsewhere); any other `.X` (`wf.X`, `instance.X`) may be a read.
  const foreign = new RegExp(`(?<!\\bself)\\.${escape(attribute)}\\b`);
  const quoted = new RegExp(`['"]${escape(attribute)}['"]`);
  return !texts.some((text) => foreign.test(text) || quoted.test(text));
}

/** A handler that assigns only this attribute, waits for nothing and calls nothing but a logger. */
function onlyToggles(method: PythonNode, attribute: string): boolean {
  const body = method.childForFieldName('body');
  if (!body) return false;
  for (const node of body.descendantsOfType(['await', 'call', 'assignment', 'augmented_assignment', 'function_definition', 'lambda'])) {
    if (!node) continue;
    if (node.type === 'await' || node.type === 'function_definition' || node.type === 'lambda') return false;
    if (node.type === 'call') {
      if (!LOGGING.test(node.childForFieldName('function')?.text ?? '')) return false;
      continue;
    }
    if (selfAttribute(node.childForFieldName('left')) !== attribute) return false;
  }
  return true;
}

/**
 * A handler that waits for nothing, calls nothing but a logger, and assigns only locals and
 * attributes that nothing reads after the first wait.
 */
function quietHandler(method: PythonNode, status: Map<string, PythonNode[] | undefined>): boolean {
  const body = method.childForFieldName('body');
  if (!body) return false;
  for (const node of body.descendantsOfType(['await', 'call', 'assignment', 'augmented_assignment', 'function_definition', 'lambda', 'delete_statement', 'global_statement', 'nonlocal_statement'])) {
    if (!node) continue;
    if (node.type === 'call') {
      if (!LOGGING.test(node.childForFieldName('function')?.text ?? '')) return false;
      continue;
    }
    if (node.type !== 'assignment' && node.type !== 'augmented_assignment') return false;
    const left = node.childForFieldName('left');
    const targets = left && (left.type === 'pattern_list' || left.type === 'tuple_pattern') ? namedChildrenOf(left) : left ? [left] : [];
    for (const target of targets) {
      if (target.type === 'identifier') continue;
      const attribute = selfAttribute(target);
      if (!attribute || status.get(attribute) === undefined) return false;
    }
  }
  return true;
}

/** A lambda or nested def between the node and the run method. */
function nestedFunction(node: PythonNode, run: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== run.id; current = current.parent) {
    if (current.type === 'lambda' || current.type === 'function_definition' || current.type === 'class_definition') return true;
  }
  return false;
}

function inWaitingLoop(node: PythonNode, run: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== run.id; current = current.parent) {
    if ((current.type === 'for_statement' || current.type === 'while_statement') && firstWait(current, true)) return true;
  }
  return false;
}

/** Runs before the wait suspends: ends before it starts, or is part of what it awaits. */
function beforeWait(node: PythonNode, wait: PythonNode): boolean {
  if (node.endIndex <= wait.startIndex) return true;
  if (wait.type === 'await') return node.startIndex >= wait.startIndex && node.endIndex <= wait.endIndex;
  // `async for x in <iterable>` / `async with <item>`: only the iterable or items run first.
  if (wait.type === 'for_statement') {
    const right = wait.childForFieldName('right');
    return !!right && node.startIndex >= right.startIndex && node.endIndex <= right.endIndex;
  }
  return false;
}

/**
 * The first `await`, `async for` or `async with` of the code, by position, not in nested
 * functions or lambdas (`whole`: the node itself may be the loop).
 */
function firstWait(node: PythonNode, whole = false): PythonNode | undefined {
  let first: PythonNode | undefined;
  const visit = (current: PythonNode): void => {
    if (first && current.startIndex > first.startIndex) return;
    if (current.type === 'function_definition' || current.type === 'lambda' || current.type === 'class_definition') return;
    const isAsync = (current.type === 'for_statement' || current.type === 'with_statement') && current.children.some((c) => c?.type === 'async');
    if (current.type === 'await' || isAsync) {
      if (!first || current.startIndex < first.startIndex) first = current;
      return;
    }
    for (const child of namedChildrenOf(current)) visit(child);
  };
  if (whole) {
    const isAsync = (node.type === 'for_statement' || node.type === 'with_statement') && node.children.some((c) => c?.type === 'async');
    if (isAsync) return node;
  }
  for (const child of namedChildrenOf(node)) visit(child);
  return first;
}

/** `self` used other than as `self.x`: passed whole, getattr(self, ...), vars(self). */
export function usesSelfWhole(method: PythonNode): boolean {
  const body = method.childForFieldName('body');
  if (!body) return false;
  for (const identifier of body.descendantsOfType('identifier')) {
    if (!identifier || identifier.text !== 'self') continue;
    const parent = identifier.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === identifier.id) continue;
    return true;
  }
  return false;
}

/** Another class of the project names this one as a base. */
export function extendedElsewhere(className: string, texts: string[]): boolean {
  const pattern = new RegExp(`^[ \\t]*class[ \\t]+\\w+[ \\t]*\\([^)]*\\b${escape(className)}\\b`, 'm');
  return texts.some((text) => pattern.test(text));
}

/** Every base class is harmless, or a project class whose text does not mention the attribute (checked a few levels up). */
export function basesReadable(classNode: PythonNode, file: string, modules: PythonModules, attribute: string, depth = 0): boolean {
  if (depth > 4) return false;
  const list = classNode.childForFieldName('superclasses');
  for (const base of list ? namedChildrenOf(list) : []) {
    if (HARMLESS_BASES.test(base.text)) continue;
    if (base.type === 'keyword_argument') continue; // metaclass=...: no methods of its own here
    if (base.type !== 'identifier' && base.type !== 'attribute') return false;
    const definition = classDefinition(base, file, modules);
    if (definition?.kind !== 'class') return false;
    if (new RegExp(`\\.${escape(attribute)}\\b`).test(definition.node.text)) return false;
    if (!basesReadable(definition.node, definition.file, modules, attribute, depth + 1)) return false;
  }
  return true;
}

function firstLine(text: string, max: number): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

const STATEMENT = /_statement$|^function_definition$|^class_definition$|^block$/;

function statementText(node: PythonNode): string {
  let statement = node;
  while (statement.parent && !STATEMENT.test(statement.type) && statement.type !== 'expression_statement' && statement.type !== 'elif_clause') statement = statement.parent;
  let text = firstLine(statement.text, 60);
  if (/^(if|elif|while)\b/.test(text)) text = text.replace(/:\s*$/, '');
  return text;
}
