// Workflow loops that grow the history, in Python: a `while` / `for` in workflow code whose body
// schedules activities, timers (`asyncio.sleep`, `workflow.sleep`), child workflows or waits for
// signals (`workflow.wait_condition`), directly or through helpers (methods of the workflow,
// project functions), and that neither reads `workflow.info().is_continue_as_new_suggested()` /
// the history length or size nor calls `workflow.continue_as_new`. The rules are those of the
// TypeScript reading (src/model/typescript/payload-types/unbounded-loops.ts): what bounds the loop
// (a counter, a finite collection, nothing) decides between a warning and a note.

import type { HistoryGrowthKind, HistoryLoopFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, enclosing, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { resolvePythonValue } from './python-values.js';

/** Events per scheduled item and per workflow task, and the warning threshold: as in TypeScript. */
const EVENTS_PER_WORK: Record<HistoryGrowthKind, number> = { activity: 3, timer: 3, 'child workflow': 3, 'signal wait': 1 };
const WORKFLOW_TASK_EVENTS = 3;
const HISTORY_WARNING_EVENTS = 10_240;
const HELPER_DEPTH = 3;

const ACTIVITY = /^temporalio\.workflow\.(?:execute|start)_(?:local_)?activity(?:_method|_class)?$/;
const CHILD = /^temporalio\.workflow\.(?:execute|start)_child_workflow$/;
const TIMERS = new Set(['asyncio.sleep', 'temporalio.workflow.sleep']);
const CONTINUE_AS_NEW = new Set(['temporalio.workflow.continue_as_new']);
/** Reading these in the loop is how a workflow decides to continue as new (only counted in the loop itself). */
const GUARDS = new Set(['is_continue_as_new_suggested', 'get_current_history_length', 'get_current_history_size']);
const MUTATING = new Set(['append', 'extend', 'insert', 'add', 'update', 'appendleft', 'extendleft', 'setdefault']);
const DRAINING = new Set(['pop', 'popleft', 'popitem', 'remove', 'clear']);

type Loop = PythonNode;
type Bound = HistoryLoopFacts['bound'];

export function pythonHistoryLoops(workflows: PythonWorkflow[], modules: PythonModules): HistoryLoopFacts[] {
  const found: HistoryLoopFacts[] = [];
  for (const workflow of workflows) {
    const seen = new Set<number>();
    for (const member of classMembers(workflow.node)) {
      if (member.type !== 'function_definition') continue;
      for (const loop of member.descendantsOfType(['while_statement', 'for_statement'])) {
        if (!loop || seen.has(loop.id)) continue;
        seen.add(loop.id);
        if (guarded(loop, workflow, modules, 0, new Set())) continue;
        const body = loop.childForFieldName('body');
        const growth = body ? historyGrowth(body, workflow, modules, 0, new Set()) : [];
        if (growth.length === 0) continue;
        const eventsPerIteration = growth.reduce((sum, g) => sum + EVENTS_PER_WORK[g.kind] + WORKFLOW_TASK_EVENTS, 0);
        const bound = loopBound(loop, workflow, modules);
        if (bound.kind === 'bounded' && bound.limit !== undefined && bound.limit * eventsPerIteration < HISTORY_WARNING_EVENTS) continue;
        found.push({ workflow: workflow.name, location: locateNode(workflow.file, loop), text: firstLine(loop), growth: growth.slice(0, 4), bound, eventsPerIteration });
      }
    }
  }
  return found;
}

function firstLine(loop: Loop): string {
  const line = loop.text.split('\n')[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/** The call's SDK name (`temporalio.workflow.execute_activity`), or undefined. */
function sdkName(call: PythonNode, file: string, modules: PythonModules): string | undefined {
  const callee = call.childForFieldName('function');
  return callee ? modules.qualifiedName(file, callee) : undefined;
}

/** The loop (or a helper it calls) continues as new, or the loop reads the history length / suggestion. */
function guarded(node: PythonNode, workflow: PythonWorkflow, modules: PythonModules, depth: number, seen: Set<number>): boolean {
  for (const call of node.descendantsOfType('call')) {
    if (!call) continue;
    const name = sdkName(call, workflow.file, modules) ?? '';
    if (CONTINUE_AS_NEW.has(name)) return true;
    const callee = call.childForFieldName('function');
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
    // In a helper, reading the history length may only report it: there, only continuing as new counts.
    if (depth === 0 && method && GUARDS.has(method)) return true;
    if (depth < HELPER_DEPTH) {
      const helper = helperOf(call, workflow, modules);
      if (helper && !seen.has(helper.node.id)) {
        seen.add(helper.node.id);
        const body = helper.node.childForFieldName('body');
        if (body && guarded(body, { ...workflow, file: helper.file }, modules, depth + 1, seen)) return true;
      }
    }
  }
  return false;
}

/** A method of the workflow class (`self.step()`) or a project function the call reaches. */
function helperOf(call: PythonNode, workflow: PythonWorkflow, modules: PythonModules): { node: PythonNode; file: string } | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  if (callee.type === 'attribute' && callee.childForFieldName('object')?.text === 'self') {
    const name = callee.childForFieldName('attribute')?.text;
    const method = classMembers(workflow.node).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === name);
    return method ? { node: method, file: workflow.file } : undefined;
  }
  if (callee.type === 'identifier') {
    const definition = modules.lookup(workflow.file, callee.text);
    return definition?.kind === 'function' ? { node: definition.node, file: definition.file } : undefined;
  }
  return undefined;
}

function historyGrowth(node: PythonNode, workflow: PythonWorkflow, modules: PythonModules, depth: number, seen: Set<number>): HistoryLoopFacts['growth'] {
  const growth: HistoryLoopFacts['growth'] = [];
  for (const call of node.descendantsOfType('call')) {
    if (!call) continue;
    const name = sdkName(call, workflow.file, modules) ?? '';
    const location = locateNode(workflow.file, call);
    const args = callArguments(call);
    if (ACTIVITY.test(name)) growth.push({ kind: 'activity', name: activityName(args.positional[0]), location });
    else if (CHILD.test(name)) growth.push({ kind: 'child workflow', name: args.positional[0]?.text.slice(0, 40) ?? name, location });
    else if (TIMERS.has(name)) growth.push({ kind: 'timer', name: name.replace(/^temporalio\./, ''), location });
    else if (name === 'temporalio.workflow.wait_condition') growth.push({ kind: args.keywords.has('timeout') || args.positional.length > 1 ? 'timer' : 'signal wait', name: 'workflow.wait_condition', location });
    else if (depth < HELPER_DEPTH) {
      const helper = helperOf(call, workflow, modules);
      if (helper && !seen.has(helper.node.id)) {
        seen.add(helper.node.id);
        const body = helper.node.childForFieldName('body');
        if (body) growth.push(...historyGrowth(body, { ...workflow, file: helper.file }, modules, depth + 1, seen));
      }
    }
  }
  return growth;
}

function activityName(node: PythonNode | undefined): string {
  if (!node) return 'activity';
  const literal = stringLiteral(node);
  if (literal !== undefined) return literal;
  const target = unparenthesize(node);
  return target.type === 'attribute' ? (target.childForFieldName('attribute')?.text ?? target.text) : target.text;
}

/** What bounds the loop: a counter, a finite collection it walks or drains, or nothing. */
function loopBound(loop: Loop, workflow: PythonWorkflow, modules: PythonModules): Bound {
  if (loop.type === 'for_statement') {
    const right = loop.childForFieldName('right');
    return right ? iterableBound(right, loop, workflow, modules) : { kind: 'none' };
  }
  const condition = loop.childForFieldName('condition');
  const fromCondition = condition ? conditionBound(condition, loop, workflow, modules, true) : undefined;
  if (fromCondition) return fromCondition;
  for (const exit of exitConditions(loop)) {
    const fromExit = conditionBound(exit, loop, workflow, modules, false);
    if (fromExit) return fromExit;
  }
  return { kind: 'none' };
}

/** `range(n)`, `enumerate(items)`, a list literal, a collection: bounded unless the loop feeds it. */
function iterableBound(iterable: PythonNode, loop: Loop, workflow: PythonWorkflow, modules: PythonModules): Bound {
  const target = unparenthesize(iterable);
  if (target.type === 'call') {
    const callee = target.childForFieldName('function')?.text;
    const args = callArguments(target);
    if (callee === 'range') {
      const limitNode = args.positional.length === 1 ? args.positional[0] : args.positional[1];
      const value = limitNode ? resolvePythonValue(limitNode, workflow.file, modules) : undefined;
      return { kind: 'bounded', by: target.text.slice(0, 40), ...(value?.kind === 'number' ? { limit: value.value } : {}) };
    }
    if ((callee === 'enumerate' || callee === 'list' || callee === 'sorted' || callee === 'reversed' || callee === 'zip') && args.positional[0]) return iterableBound(args.positional[0], loop, workflow, modules);
    return { kind: 'bounded', by: target.text.slice(0, 40) };
  }
  return collectionBound(target, loop, workflow, modules);
}

function collectionBound(collection: PythonNode, loop: Loop, workflow: PythonWorkflow, modules: PythonModules): Bound {
  const by = collection.text.slice(0, 40);
  if (collection.type === 'list' || collection.type === 'tuple' || collection.type === 'set') return { kind: 'bounded', by, limit: namedChildrenOf(collection).length };
  const growth = growthOf(collection.text, loop, workflow, false);
  if (growth) {
    // Fed only by signal or update handlers: one iteration per message received.
    const unhandled = growthOf(collection.text, loop, workflow, true);
    if (!unhandled) return { kind: 'bounded', by: `${by} (fed by a signal or update handler)` };
    return { kind: 'grows', collection: by, at: locateNode(workflow.file, unhandled) };
  }
  const value = collection.type === 'identifier' ? resolvePythonValue(collection, workflow.file, modules) : undefined;
  if (value?.kind === 'array') return { kind: 'bounded', by, limit: value.elements.length };
  return { kind: 'bounded', by };
}

/**
 * Where the collection (`self.pending`, `items`) grows while the loop runs: append/extend/add in
 * the loop, or anywhere in the workflow class for `self.` attributes (handlers run between
 * iterations). With `skipHandlers`, growth inside signal and update handlers does not count.
 */
function growthOf(text: string, loop: Loop, workflow: PythonWorkflow, skipHandlers: boolean): PythonNode | undefined {
  const scope = text.startsWith('self.') ? workflow.node : loop;
  for (const call of scope.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function');
    if (!call || callee?.type !== 'attribute') continue;
    if (callee.childForFieldName('object')?.text !== text || !MUTATING.has(callee.childForFieldName('attribute')?.text ?? '')) continue;
    if (skipHandlers && inMessageHandler(call)) continue;
    return call;
  }
  return undefined;
}

function inMessageHandler(node: PythonNode): boolean {
  const fn = enclosing(node, ['function_definition']);
  const decorated = fn?.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  return !!decorated && namedChildrenOf(decorated).some((d) => d.type === 'decorator' && /\bworkflow\.(?:signal|update)\b|^@(?:signal|update)\b/.test(d.text));
}

/** `i < n` with i counted in the loop, `items` / `len(items) > 0` drained by it, or for an exit the opposite. */
function conditionBound(condition: PythonNode, loop: Loop, workflow: PythonWorkflow, modules: PythonModules, whileTrue: boolean): Bound | undefined {
  const expression = unparenthesize(condition);
  if (expression.type === 'boolean_operator') {
    // `while a and i < n` ends at the counter at the latest; for an exit, `or` does.
    const operator = expression.childForFieldName('operator')?.text;
    if ((whileTrue && operator !== 'and') || (!whileTrue && operator !== 'or')) return undefined;
    for (const side of [expression.childForFieldName('left'), expression.childForFieldName('right')]) {
      const found = side ? conditionBound(side, loop, workflow, modules, whileTrue) : undefined;
      if (found) return found;
    }
    return undefined;
  }
  const drained = drainedCollection(expression, whileTrue);
  if (drained && drains(drained.text, loop)) return collectionBound(drained, loop, workflow, modules);
  if (expression.type === 'comparison_operator') {
    const operands = namedChildrenOf(expression);
    if (operands.length !== 2) return undefined;
    // `if elapsed >= max_wait: raise` with elapsed read from workflow.now(): workflow time bounds it.
    for (const [clock, limit] of [
      [operands[0]!, operands[1]!],
      [operands[1]!, operands[0]!],
    ] as const) {
      if (readsWorkflowClock(clock, loop, workflow, modules)) return { kind: 'bounded', by: `${limit.text.slice(0, 40)} (a deadline on workflow time)` };
    }
    for (const [counter, limit] of [
      [operands[0]!, operands[1]!],
      [operands[1]!, operands[0]!],
    ] as const) {
      if (!(counter.type === 'identifier' || counter.type === 'attribute') || !counts(counter.text, loop)) continue;
      const value = resolvePythonValue(limit, workflow.file, modules);
      if (value.kind === 'number') return { kind: 'bounded', by: limit.text.slice(0, 40), limit: value.value };
      const length = lenOf(limit);
      if (length) return collectionBound(length, loop, workflow, modules);
      return { kind: 'bounded', by: limit.text.slice(0, 40) };
    }
  }
  return undefined;
}

const CLOCKS = new Set(['temporalio.workflow.now', 'temporalio.workflow.time', 'temporalio.workflow.time_ns']);

/** The expression reads workflow.now() / workflow.time(), itself or through a variable the loop assigns from it. */
function readsWorkflowClock(node: PythonNode, loop: Loop, workflow: PythonWorkflow, modules: PythonModules): boolean {
  const reads = (expression: PythonNode) => [expression, ...expression.descendantsOfType('call').filter((c): c is PythonNode => c !== null)].some((call) => call.type === 'call' && CLOCKS.has(sdkName(call, workflow.file, modules) ?? ''));
  if (reads(node)) return true;
  if (node.type !== 'identifier') return false;
  const body = loop.childForFieldName('body');
  return (body?.descendantsOfType('assignment') ?? []).some((assignment) => {
    const right = assignment?.childForFieldName('right');
    return assignment?.childForFieldName('left')?.text === node.text && right !== null && right !== undefined && reads(right);
  });
}

/** `items`, `len(items)`, `len(items) > 0` (loop while non-empty); for an exit `not items`, `len(items) == 0`. */
function drainedCollection(expression: PythonNode, whileNonEmpty: boolean): PythonNode | undefined {
  if (whileNonEmpty) {
    if (expression.type === 'identifier' || expression.type === 'attribute') return expression;
    if (lenOf(expression)) return lenOf(expression);
    if (expression.type === 'comparison_operator') {
      const [left, right] = namedChildrenOf(expression);
      if (left && right?.text === '0' && /[>!]/.test(expression.text.slice(left.endIndex - expression.startIndex, right.startIndex - expression.startIndex))) return lenOf(left);
    }
    return undefined;
  }
  if (expression.type === 'not_operator') {
    const operand = expression.childForFieldName('argument');
    return operand && (operand.type === 'identifier' || operand.type === 'attribute') ? operand : operand ? lenOf(operand) : undefined;
  }
  return undefined;
}

function lenOf(node: PythonNode): PythonNode | undefined {
  const target = unparenthesize(node);
  if (target.type !== 'call' || target.childForFieldName('function')?.text !== 'len') return undefined;
  return callArguments(target).positional[0];
}

/** The loop takes items out of the collection: `items.pop()`, `queue.popleft()`. */
function drains(text: string, loop: Loop): boolean {
  return loop.descendantsOfType('call').some((call) => {
    const callee = call?.childForFieldName('function');
    return callee?.type === 'attribute' && callee.childForFieldName('object')?.text === text && DRAINING.has(callee.childForFieldName('attribute')?.text ?? '');
  });
}

/** The loop changes the counter by steps: `i += 1`, `i -= 1`, `i = i + 1`. */
function counts(name: string, loop: Loop): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return false;
  for (const node of body.descendantsOfType(['augmented_assignment', 'assignment'])) {
    if (!node || node.childForFieldName('left')?.text !== name) continue;
    if (node.type === 'augmented_assignment' && /^[+-]=$/.test(node.childForFieldName('operator')?.text ?? '')) return true;
    const right = node.childForFieldName('right');
    if (right?.type === 'binary_operator' && right.childForFieldName('left')?.text === name && /^[+-]$/.test(right.childForFieldName('operator')?.text ?? '')) return true;
  }
  return false;
}

/** `if ...: break` / `return` directly in the loop body (not in an inner loop or function). */
function exitConditions(loop: Loop): PythonNode[] {
  const exits: PythonNode[] = [];
  const visit = (node: PythonNode) => {
    for (const child of namedChildrenOf(node)) {
      if (['function_definition', 'class_definition', 'lambda', 'while_statement', 'for_statement'].includes(child.type)) continue;
      if (child.type === 'if_statement') {
        const consequence = child.childForFieldName('consequence');
        const last = consequence ? namedChildrenOf(consequence).at(-1) : undefined;
        const condition = child.childForFieldName('condition');
        if (condition && last && ['break_statement', 'return_statement', 'raise_statement'].includes(last.type)) exits.push(condition);
      }
      visit(child);
    }
  };
  const body = loop.childForFieldName('body');
  if (body) visit(body);
  return exits;
}
