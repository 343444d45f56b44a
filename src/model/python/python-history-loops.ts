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
import { callArguments, classMembers, descendantsInScope, enclosing, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { resolvePythonValue } from './python-values.js';
import { isContinueAsNew } from './python-path-ends.js';
import { runsDuringLoop } from './python-loop-overlap.js';

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
        // Only untimed workflow.wait_condition: the loop schedules nothing (no command, no event of
        // its own); its rounds follow the signals and updates that change the state.
        if (growth.length === 0 || growth.every((g) => g.kind === 'signal wait')) continue;
        const eventsPerIteration = growth.reduce((sum, g) => sum + EVENTS_PER_WORK[g.kind] + WORKFLOW_TASK_EVENTS, 0);
        const bound = loopBound(loop, workflow, modules);
        if (bound.kind === 'none') {
          const paced = messagePaced(loop, workflow, modules);
          if (paced) {
            found.push({ workflow: workflow.name, location: locateNode(workflow.file, loop), text: firstLine(loop), growth: growth.slice(0, 4), bound: { kind: 'bounded', by: 'the messages that release it', pacedBy: paced }, eventsPerIteration });
            continue;
          }
        }
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
    if (ACTIVITY.test(name)) growth.push({ kind: 'activity', name: activityName(args.positional[0] ?? args.keywords.get('activity')), location });
    else if (CHILD.test(name)) growth.push({ kind: 'child workflow', name: (args.positional[0] ?? args.keywords.get('workflow'))?.text.slice(0, 40) ?? name, location });
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
    // A worklist: every addition is of an item of a collection it walks, at most once per item.
    const guards = new Set<string>();
    const unguarded = growthOf(collection.text, loop, workflow, true, (call) => {
      const guard = addedOncePerItem(call, loop);
      if (guard) guards.add(guard);
      return guard !== undefined;
    });
    if (!unguarded) return { kind: 'bounded', by: `${by} (each item added at most once, ${[...guards].join(' / ')})` };
    return { kind: 'grows', collection: by, at: locateNode(workflow.file, unhandled) };
  }
  const value = collection.type === 'identifier' ? resolvePythonValue(collection, workflow.file, modules) : undefined;
  if (value?.kind === 'array') return { kind: 'bounded', by, limit: value.elements.length };
  return { kind: 'bounded', by };
}

/**
 * Where the collection (`self.pending`, `items`) grows while the loop runs: append/extend/add in
 * the loop, or for `self.` attributes anywhere in the workflow class that can run while the loop
 * does (what the loop calls, handlers between iterations, tasks beside it; not a phase awaited
 * before the loop, which has finished filling the list when the loop starts). With
 * `skipHandlers`, growth inside signal and update handlers does not count.
 */
function growthOf(text: string, loop: Loop, workflow: PythonWorkflow, skipHandlers: boolean, excluded?: (call: PythonNode) => boolean): PythonNode | undefined {
  const attribute = text.startsWith('self.');
  const scope = attribute ? workflow.node : loop;
  const during = attribute ? runsDuringLoop(loop, workflow.node) : () => true;
  for (const call of scope.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function');
    if (!call || callee?.type !== 'attribute') continue;
    if (callee.childForFieldName('object')?.text !== text || !MUTATING.has(callee.childForFieldName('attribute')?.text ?? '')) continue;
    if (!during(call)) continue;
    if (skipHandlers && inMessageHandler(call)) continue;
    if (excluded?.(call)) continue;
    return call;
  }
  return undefined;
}

/**
 * An addition a worklist makes at most once per item: `queue.append(item)` (or of `item.key`)
 * inside a `for item in ...` of the loop, under either `if waiting[key] == 0:` where the loop only
 * ever lowers `waiting[...]` (an in-degree that reaches zero once), or `if key not in seen:` with
 * `seen.add(key)` in the same branch and nothing in the loop taking from `seen` (a visited set).
 * Returns how it is guarded, for the message.
 */
function addedOncePerItem(call: PythonNode, loop: Loop): string | undefined {
  const item = callArguments(call).positional[0];
  if (!item || callArguments(call).positional.length !== 1) return undefined;
  const key = item.text;
  let walked = false;
  let guard: string | undefined;
  for (let current: PythonNode | null = call; current && current.id !== loop.id; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'lambda') return undefined;
    if (current.type === 'for_statement' && current.id !== loop.id) {
      const left = current.childForFieldName('left');
      const names = left ? (left.type === 'identifier' ? [left] : left.descendantsOfType('identifier')).map((n) => n?.text) : [];
      if (names.includes(/^\w+/.exec(key)?.[0] ?? '')) walked = true;
    }
    const owner: PythonNode | null = current.parent;
    if (current.type === 'block' && owner?.type === 'if_statement' && owner.childForFieldName('consequence')?.id === current.id) {
      const condition = unparenthesize(owner.childForFieldName('condition')!);
      guard ??= inDegreeGuard(condition, key, loop) ?? visitedGuard(condition, key, current, loop);
    }
  }
  return walked ? guard : undefined;
}

/** `waiting[key] == 0` where the loop only lowers `waiting[...]` (`-= 1`). */
function inDegreeGuard(condition: PythonNode, key: string, loop: Loop): string | undefined {
  if (condition.type !== 'comparison_operator' || !/==/.test(condition.text)) return undefined;
  const [left, right] = namedChildrenOf(condition);
  if (!left || right?.text !== '0' || left.type !== 'subscript') return undefined;
  const counts = left.childForFieldName('value');
  const index = left.childForFieldName('subscript');
  if (!counts || index?.text !== key) return undefined;
  let lowered = false;
  for (const node of loop.descendantsOfType(['assignment', 'augmented_assignment'])) {
    const target = node?.childForFieldName('left');
    if (!node || target?.type !== 'subscript' || target.childForFieldName('value')?.text !== counts.text) continue;
    if (node.type !== 'augmented_assignment' || node.childForFieldName('operator')?.text !== '-=' || node.childForFieldName('right')?.text !== '1') return undefined;
    lowered = true;
  }
  return lowered ? `when ${counts.text}[...] falls to 0` : undefined;
}

/** `key not in seen` with `seen.add(key)` in the branch, and nothing in the loop taking from `seen`. */
function visitedGuard(condition: PythonNode, key: string, branch: PythonNode, loop: Loop): string | undefined {
  if (condition.type !== 'comparison_operator' || !/\bnot\s+in\b/.test(condition.text)) return undefined;
  const [left, right] = namedChildrenOf(condition);
  if (left?.text !== key || !right || !(right.type === 'identifier' || right.type === 'attribute')) return undefined;
  const seen = right.text;
  const marks = branch.descendantsOfType('call').some((c) => {
    const callee = c?.childForFieldName('function');
    return callee?.type === 'attribute' && callee.childForFieldName('object')?.text === seen && callee.childForFieldName('attribute')?.text === 'add' && callArguments(c!).positional[0]?.text === key;
  });
  if (!marks) return undefined;
  const forgets = loop.descendantsOfType(['call', 'assignment']).some((n) => {
    if (n?.type === 'assignment') return n.childForFieldName('left')?.text === seen;
    const callee = n?.childForFieldName('function');
    return callee?.type === 'attribute' && callee.childForFieldName('object')?.text === seen && (DRAINING.has(callee.childForFieldName('attribute')?.text ?? '') || callee.childForFieldName('attribute')?.text === 'discard');
  });
  return forgets ? undefined : `once per item not yet in ${seen}`;
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
    // `while pending or running:` over collections that only shrink or pass items to one another.
    if (whileTrue && operator === 'or') return drainedSetBound(expression, loop, workflow);
    if ((whileTrue && operator !== 'and') || (!whileTrue && operator !== 'or')) return undefined;
    for (const side of [expression.childForFieldName('left'), expression.childForFieldName('right')]) {
      const found = side ? conditionBound(side, loop, workflow, modules, whileTrue) : undefined;
      if (found) return found;
    }
    return undefined;
  }
  const drained = drainedCollection(expression, whileTrue);
  if (drained && drains(drained.text, loop)) return collectionBound(drained, loop, workflow, modules);
  // `while pending:` drained with `pending.discard(x)` / `del pending[k]` and filled by nothing.
  if (drained && whileTrue) {
    const shrinking = drainedSetBound(expression, loop, workflow);
    if (shrinking) return shrinking;
  }
  if (expression.type === 'comparison_operator') {
    const operands = namedChildrenOf(expression);
    if (operands.length !== 2) return undefined;
    // `if elapsed >= max_wait: raise` with elapsed read from workflow.now(): workflow time bounds it.
    for (const [clock, limit] of [
      [operands[0]!, operands[1]!],
      [operands[1]!, operands[0]!],
    ] as const) {
      if (!readsWorkflowClock(clock, loop, workflow, modules)) continue;
      // `remaining <= 0`: the limit is the number the clock-derived value counts down to.
      const by = limit.type === 'integer' || limit.type === 'float' ? `it takes ${clock.text.slice(0, 30)} to reach ${limit.text}` : limit.text.slice(0, 40);
      return { kind: 'bounded', by: `${by} (a deadline on workflow time)` };
    }
    // An exit `if key in seen: break` where the loop adds each key to seen and never takes one out:
    // it walks a chain of distinct items (reply-to hops, parent links) and stops at a repeat.
    if (!whileTrue) {
      const visited = visitedExit(expression, loop);
      if (visited) return { kind: 'bounded', by: visited };
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

/**
 * `key in seen` (as a way out of the loop) where the loop body adds `key` to `seen` with
 * `seen.add(key)` and nothing in the loop removes from or reassigns `seen`: each round visits a new
 * key, so the loop ends at the first repeat. Returns how it is bounded, for the message.
 */
function visitedExit(comparison: PythonNode, loop: Loop): string | undefined {
  const operands = namedChildrenOf(comparison);
  if (operands.length !== 2) return undefined;
  const between = comparison.text.slice(operands[0]!.endIndex - comparison.startIndex, operands[1]!.startIndex - comparison.startIndex);
  if (!/^\s*in\s*$/.test(between)) return undefined;
  const [key, seen] = operands as [PythonNode, PythonNode];
  if (!(key.type === 'identifier' || key.type === 'attribute') || !(seen.type === 'identifier' || seen.type === 'attribute')) return undefined;
  const body = loop.childForFieldName('body');
  if (!body) return undefined;
  let adds = false;
  for (const node of body.descendantsOfType(['call', 'assignment', 'augmented_assignment'])) {
    if (!node) continue;
    if (node.type !== 'call') {
      if (node.childForFieldName('left')?.text === seen.text) return undefined;
      continue;
    }
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'attribute' || callee.childForFieldName('object')?.text !== seen.text) continue;
    const method = callee.childForFieldName('attribute')?.text ?? '';
    if (DRAINING.has(method) || method === 'discard') return undefined;
    if (method === 'add' && callArguments(node).positional[0]?.text === key.text && !insideNestedFunction(node, loop)) adds = true;
  }
  return adds ? `the distinct values of ${key.text.slice(0, 30)} (it stops at one already in ${seen.text.slice(0, 30)})` : undefined;
}

/** The node sits in a function or lambda defined inside the loop. */
function insideNestedFunction(node: PythonNode, loop: Loop): boolean {
  for (let current = node.parent; current && current.id !== loop.id; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'lambda') return true;
  }
  return false;
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

/** Names a message-gated wait condition may read besides `self.` state. */
const CONDITION_BUILTINS = new Set(['self', 'len', 'any', 'all', 'bool', 'None', 'True', 'False']);

interface PaceWalk {
  file: string;
  modules: PythonModules;
  workflow: PythonWorkflow;
  /** Attributes of `self` that the loop (or a helper it calls) sets outside handlers: the flags it resets before waiting. */
  reset: Set<string>;
  /** Inside a helper the loop awaits: the states at its `return`s (a return ends the helper, not the loop). */
  returns?: boolean[];
  depth: number;
  /** Attributes of `self` that signal or update handlers set, with the handlers. */
  written: Map<string, string[]>;
  /** Attributes nothing can set again once cleared: no handler sets them and every write outside `__init__` clears them. */
  stuck: Set<string>;
  waits: { node: PythonNode; handlers: string[] }[];
  unwaitedRepeat: boolean;
  unwaitedExit: boolean;
}

/**
 * A loop that goes round only after waiting for a message: every path from the top of its body
 * back to the top (falling off the end, `continue`) passes `await workflow.wait_condition(lambda:
 * ...)` with no timeout, on `self.` state that a signal or update handler sets, and some path leaves
 * the loop (return, raise, break, continue-as-new) without waiting. Such a loop repeats once per
 * message (an approval round in an otherwise one-pass run), not by itself.
 */
function messagePaced(loop: Loop, workflow: PythonWorkflow, modules: PythonModules): { wait: HistoryLoopFacts['location']; handlers: string[] } | undefined {
  const body = loop.childForFieldName('body');
  if (!body) return undefined;
  const written = handlerWrites(workflow);
  const walk: PaceWalk = { file: workflow.file, modules, workflow, reset: new Set(), depth: 0, written, stuck: stuckAttributes(workflow, written), waits: [], unwaitedRepeat: false, unwaitedExit: false };
  if (walk.written.size === 0 && walk.stuck.size === 0) return undefined;
  resetAttributes(body, workflow, modules, walk.reset, 0, new Set());
  // `while cond:` leaves whenever cond is false, before any wait.
  if (loop.type === 'for_statement' || loop.childForFieldName('condition')?.text !== 'True') walk.unwaitedExit = true;
  const end = flow(namedChildrenOf(body), false, walk, true);
  if (end === false || walk.unwaitedRepeat || !walk.unwaitedExit || walk.waits.length === 0) return undefined;
  const first = walk.waits[0]!;
  return { wait: locateNode(workflow.file, first.node), handlers: [...new Set(walk.waits.flatMap((w) => w.handlers))].sort() };
}

/** Whether the path has waited when the statements complete normally; null when none completes. */
function flow(statements: PythonNode[], waited: boolean, walk: PaceWalk, ownLoop: boolean): boolean | null {
  let state: boolean | null = waited;
  for (const statement of statements) {
    if (state === null) return null;
    state = step(statement, state, walk, ownLoop);
  }
  return state;
}

function step(statement: PythonNode, waited: boolean, walk: PaceWalk, ownLoop: boolean): boolean | null {
  const exit = (): null => {
    if (!waited) walk.unwaitedExit = true;
    return null;
  };
  switch (statement.type) {
    case 'return_statement':
      if (walk.returns) {
        // In a helper, a return hands back to the loop with what the path did so far.
        walk.returns.push(waited || waitsIn(statement, walk, false));
        return null;
      }
      return exit();
    case 'raise_statement':
      // A raise in a helper may be caught by the loop: it ends the path without counting as a way out.
      return walk.returns ? null : exit();
    case 'break_statement':
      return ownLoop ? exit() : null;
    case 'continue_statement':
      if (ownLoop && !waited) walk.unwaitedRepeat = true;
      return null;
    case 'if_statement': {
      const branches: (PythonNode | null)[] = [statement.childForFieldName('consequence')];
      let hasElse = false;
      for (const clause of namedChildrenOf(statement)) {
        if (clause.type === 'elif_clause') branches.push(clause.childForFieldName('consequence'));
        if (clause.type === 'else_clause') {
          branches.push(clause.childForFieldName('body'));
          hasElse = true;
        }
      }
      const outcomes = branches.map((branch) => (branch ? flow(namedChildrenOf(branch), waited, walk, ownLoop) : waited));
      if (!hasElse) outcomes.push(waited);
      return merge(outcomes);
    }
    case 'try_statement': {
      const body = statement.childForFieldName('body');
      let outcome = body ? flow(namedChildrenOf(body), waited, walk, ownLoop) : waited;
      const outcomes: (boolean | null)[] = [];
      for (const clause of namedChildrenOf(statement)) {
        const block = namedChildrenOf(clause).find((c) => c.type === 'block');
        // A handler may run before the body waited: it starts from the state at the try.
        if ((clause.type === 'except_clause' || clause.type === 'except_group_clause') && block) outcomes.push(flow(namedChildrenOf(block), waited, walk, ownLoop));
        if (clause.type === 'else_clause' && outcome !== null) outcome = flow(namedChildrenOf(clause.childForFieldName('body') ?? clause), outcome, walk, ownLoop);
      }
      let merged = merge([outcome, ...outcomes]);
      const final = namedChildrenOf(statement).find((c) => c.type === 'finally_clause');
      const finalBlock = final ? namedChildrenOf(final).find((c) => c.type === 'block') : undefined;
      if (finalBlock && merged !== null) merged = flow(namedChildrenOf(finalBlock), merged, walk, ownLoop);
      return merged;
    }
    case 'with_statement': {
      const body = statement.childForFieldName('body');
      return body ? flow(namedChildrenOf(body), waited || waitsIn(statement, walk, true), walk, ownLoop) : waited;
    }
    case 'for_statement':
    case 'while_statement': {
      // An inner loop may run no time at all; its break and continue are its own.
      const body = statement.childForFieldName('body');
      if (body) flow(namedChildrenOf(body), waited, walk, false);
      return waited;
    }
    case 'function_definition':
    case 'class_definition':
    case 'decorated_definition':
      return waited;
    default:
      if (statement.type === 'expression_statement' && isContinueAsNew(statement, walk.file, walk.modules)) return walk.returns ? null : exit();
      return waited || waitsIn(statement, walk, false);
  }
}

function merge(outcomes: (boolean | null)[]): boolean | null {
  const completing = outcomes.filter((o): o is boolean => o !== null);
  return completing.length === 0 ? null : completing.every(Boolean);
}

/** The statement awaits a message-gated wait_condition (in a `with`, only in its items). */
function waitsIn(statement: PythonNode, walk: PaceWalk, itemsOnly: boolean): boolean {
  const limit = itemsOnly ? (statement.childForFieldName('body')?.startIndex ?? statement.endIndex) : statement.endIndex;
  for (const call of statement.descendantsOfType('call')) {
    if (!call || call.startIndex >= limit || insideFunction(call, statement)) continue;
    if (sdkName(call, walk.file, walk.modules) !== 'temporalio.workflow.wait_condition') continue;
    const args = callArguments(call);
    if (args.keywords.has('timeout') || args.positional.length !== 1) continue;
    const handlers = neverReleased(args.positional[0]!, walk) ? [] : messageState(args.positional[0]!, walk.written, walk.reset);
    if (!handlers) continue;
    walk.waits.push({ node: call, handlers });
    return true;
  }
  return itemsOnly ? false : awaitsWaitingHelper(statement, walk, limit);
}

/**
 * `await self._wait_for_fix()`: a method of the workflow (or a project function) that, on every
 * path that returns, has waited for a message as above. Followed as deep as helpers are elsewhere.
 */
function awaitsWaitingHelper(statement: PythonNode, walk: PaceWalk, limit: number): boolean {
  if (walk.depth >= HELPER_DEPTH) return false;
  for (const awaited of statement.descendantsOfType('await')) {
    if (!awaited || awaited.startIndex >= limit || insideFunction(awaited, statement)) continue;
    const call = namedChildrenOf(awaited).map(unparenthesize).find((c) => c.type === 'call');
    if (!call) continue;
    const helper = helperOf(call, walk.workflow, walk.modules);
    const body = helper?.node.childForFieldName('body');
    if (!helper || !body) continue;
    const inner: PaceWalk = { ...walk, file: helper.file, returns: [], depth: walk.depth + 1, waits: [], unwaitedRepeat: false, unwaitedExit: false };
    const end = flow(namedChildrenOf(body), false, inner, false);
    const completions = [...(end === null ? [] : [end]), ...inner.returns!];
    if (completions.length === 0 || !completions.every(Boolean) || inner.waits.length === 0) continue;
    walk.waits.push(...inner.waits);
    return true;
  }
  return false;
}

/**
 * `self.X` attributes the loop body, or a helper it calls, assigns or calls a method of outside
 * message handlers (`self.fixed = False`, `self.queue.clear()`, `self.approvals.prepare(...)`):
 * the state it resets before a wait, so that
 * the wait needs a new message each round instead of passing on the one that released it before.
 */
function resetAttributes(node: PythonNode, workflow: PythonWorkflow, modules: PythonModules, reset: Set<string>, depth: number, seen: Set<number>): void {
  for (const found of node.descendantsOfType(['assignment', 'augmented_assignment', 'call'])) {
    if (!found || insideFunction(found, node)) continue;
    if (found.type === 'call') {
      const callee = found.childForFieldName('function');
      const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
      // `self.queue.clear()`, `self.approvals.prepare(...)`: a method of the state object may reset it.
      if (object?.type === 'attribute' && object.childForFieldName('object')?.text === 'self') reset.add(object.childForFieldName('attribute')!.text);
      if (depth < HELPER_DEPTH) {
        const helper = helperOf(found, workflow, modules);
        const body = helper?.node.childForFieldName('body');
        if (helper && body && !seen.has(helper.node.id) && !inMessageHandler(body)) {
          seen.add(helper.node.id);
          resetAttributes(body, { ...workflow, file: helper.file }, modules, reset, depth + 1, seen);
        }
      }
      continue;
    }
    const left = found.childForFieldName('left');
    if (left?.type === 'attribute' && left.childForFieldName('object')?.text === 'self') reset.add(left.childForFieldName('attribute')!.text);
  }
}

function insideFunction(node: PythonNode, stop: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== stop.id; current = current.parent) {
    if (current.type === 'lambda' || current.type === 'function_definition') return true;
  }
  return false;
}

/**
 * The handlers that release the condition: a `lambda:` with no parameters that reads only `self.`
 * state (and len/any/all), at least one attribute of which a signal or update handler sets.
 */
function messageState(condition: PythonNode, written: Map<string, string[]>, reset: Set<string>): string[] | undefined {
  const lambda = unparenthesize(condition);
  if (lambda.type !== 'lambda' || lambda.childForFieldName('parameters')) return undefined;
  const body = lambda.childForFieldName('body');
  if (!body) return undefined;
  const handlers = new Set<string>();
  let renewed = false;
  for (const identifier of [body, ...body.descendantsOfType('identifier')]) {
    if (!identifier || identifier.type !== 'identifier') continue;
    const parent = identifier.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === identifier.id) continue;
    if (!CONDITION_BUILTINS.has(identifier.text)) return undefined;
    if (identifier.text === 'self' && parent?.type === 'attribute') {
      const attribute = parent.childForFieldName('attribute')?.text ?? '';
      for (const handler of written.get(attribute) ?? []) handlers.add(handler);
      if (written.has(attribute) && reset.has(attribute)) renewed = true;
    }
  }
  // A flag nothing resets stays true after the first message: the wait would pass at once on every later round.
  return handlers.size > 0 && renewed ? [...handlers].sort() : undefined;
}

/**
 * `lambda: self.X` on an attribute the round clears and nothing can set again: the wait never
 * returns, so the loop does not go round past it (a retry whose "fixed" signal has no handler).
 */
function neverReleased(condition: PythonNode, walk: PaceWalk): boolean {
  const lambda = unparenthesize(condition);
  if (lambda.type !== 'lambda' || lambda.childForFieldName('parameters')) return false;
  const body = lambda.childForFieldName('body');
  if (body?.type !== 'attribute' || body.childForFieldName('object')?.text !== 'self') return false;
  const attribute = body.childForFieldName('attribute')?.text ?? '';
  return walk.stuck.has(attribute) && walk.reset.has(attribute);
}

const CLEARED = new Set(['False', 'None', '0']);

/**
 * Attributes of a class with no base classes (which could hold handlers) and no handlers set at run
 * time, that no signal or update handler sets and that every assignment outside `__init__` sets to
 * `False`, `None` or `0`.
 */
function stuckAttributes(workflow: PythonWorkflow, written: Map<string, string[]>): Set<string> {
  const stuck = new Set<string>();
  const bases = workflow.node.childForFieldName('superclasses');
  if ((bases && namedChildrenOf(bases).some((b) => b.text !== 'object')) || /\bset_(?:dynamic_)?(?:signal|update)_handler\b/.test(workflow.node.text)) return stuck;
  const other = new Set<string>();
  for (const node of workflow.node.descendantsOfType(['assignment', 'augmented_assignment'])) {
    const left = node?.childForFieldName('left');
    if (!node || left?.type !== 'attribute' || left.childForFieldName('object')?.text !== 'self') continue;
    const attribute = left.childForFieldName('attribute')!.text;
    if (enclosing(node, ['function_definition'])?.childForFieldName('name')?.text === '__init__') continue;
    if (node.type === 'assignment' && CLEARED.has(node.childForFieldName('right')?.text ?? '')) stuck.add(attribute);
    else other.add(attribute);
  }
  for (const attribute of [...stuck]) if (other.has(attribute) || written.has(attribute)) stuck.delete(attribute);
  return stuck;
}

/** `self.X` attributes that the class's signal and update handlers assign or change (`self.X = v`, `self.X.set(...)`, `self.X[k] = v`). */
function handlerWrites(workflow: PythonWorkflow): Map<string, string[]> {
  const written = new Map<string, string[]>();
  for (const member of classMembers(workflow.node)) {
    if (member.type !== 'function_definition' || !inMessageHandler(member.childForFieldName('body') ?? member)) continue;
    const name = member.childForFieldName('name')?.text ?? '';
    for (const node of member.descendantsOfType(['assignment', 'augmented_assignment', 'call'])) {
      if (!node) continue;
      let target = node.type === 'call' ? node.childForFieldName('function') : node.childForFieldName('left');
      // Walk `self.X.y[k]` down to `self.X`.
      while (target && (target.type === 'attribute' || target.type === 'subscript')) {
        const object: PythonNode | null = target.type === 'attribute' ? target.childForFieldName('object') : target.childForFieldName('value');
        if (target.type === 'attribute' && object?.type === 'identifier' && object.text === 'self') {
          const attribute = target.childForFieldName('attribute')?.text;
          // `self.method()` calls a method: it is the attribute's object that changes, not an attribute.
          if (attribute && !(node.type === 'call' && node.childForFieldName('function')?.id === target.id)) written.set(attribute, [...(written.get(attribute) ?? []), name]);
          break;
        }
        target = object;
      }
    }
  }
  return written;
}

/** Calls that only read a collection passed to them. */
const READING_CALLS = new Set(['len', 'sorted', 'list', 'set', 'tuple', 'frozenset', 'dict', 'bool', 'any', 'all', 'enumerate', 'zip', 'iter', 'min', 'max', 'sum', 'reversed', 'str', 'repr', 'isinstance']);
/** Methods that take items out: DRAINING, and `discard` of a set. */
const SHRINKING = new Set([...DRAINING, 'discard']);
/** Methods that add one item, with the position of the argument that is the item (or key). */
const ADDING_ONE = new Map([
  ['append', 0],
  ['appendleft', 0],
  ['add', 0],
  ['setdefault', 0],
  ['insert', 1],
]);

/**
 * A drain over collections: `while pending or running:` (or `while pending:` drained with
 * `discard` / `del`), where each collection the condition tests is made before the loop in the
 * same function (or is an attribute of the workflow), the loop takes items out of each
 * (pop/popleft/remove/discard/clear, `del x[k]`, `x -= done`), and the only things added to one
 * are items just taken from another of them (`pending.discard(sid); running[sid] = start(sid)`),
 * never back the other way. The loop then ends once the items that were there before it have gone
 * through. Anything else that adds to them (new work, a signal or update handler, a helper the
 * collection is passed to, a reassignment) and this gives nothing.
 */
function drainedSetBound(expression: PythonNode, loop: Loop, workflow: PythonWorkflow): Bound | undefined {
  const leaves: PythonNode[] = [];
  const collect = (node: PythonNode): boolean => {
    const inner = unparenthesize(node);
    if (inner.type === 'boolean_operator' && inner.childForFieldName('operator')?.text === 'or') {
      const left = inner.childForFieldName('left');
      const right = inner.childForFieldName('right');
      return !!left && !!right && collect(left) && collect(right);
    }
    const drained = drainedCollection(inner, true);
    if (!drained || !(drained.type === 'identifier' || isSelfAttribute(drained))) return false;
    leaves.push(drained);
    return true;
  };
  if (!collect(expression)) return undefined;
  const names = [...new Set(leaves.map((leaf) => leaf.text))];
  const fn = enclosing(loop, ['function_definition']);
  if (!fn) return undefined;
  const sources = new Map<string, Set<string>>();
  for (const name of names) {
    if (!madeBefore(name, loop, fn, workflow) || !shrinks(name, loop)) return undefined;
    const from = new Set<string>();
    const added = additions(name, loop, fn, workflow);
    if (added === undefined) return undefined;
    for (const addition of added) {
      const source = movedFrom(addition, name, names);
      if (!source) return undefined;
      from.add(source);
    }
    sources.set(name, from);
  }
  // An item that can come back to where it was taken from (a retry) goes round again: not a drain.
  const reaches = (start: string, target: string, seen: Set<string>): boolean => {
    for (const next of sources.get(start) ?? []) {
      if (next === target) return true;
      if (!seen.has(next) && (seen.add(next), reaches(next, target, seen))) return true;
    }
    return false;
  };
  if (names.some((name) => reaches(name, name, new Set()))) return undefined;
  const roots = names.filter((name) => sources.get(name)!.size === 0);
  if (roots.length === 0) return undefined;
  return { kind: 'bounded', by: roots.map((root) => root.slice(0, 30)).join(' and ') };
}

function isSelfAttribute(node: PythonNode): boolean {
  return node.type === 'attribute' && node.childForFieldName('object')?.text === 'self';
}

/**
 * `pending` assigned in the function before the loop (or a parameter of it), not declared global
 * or nonlocal; `self.pending` assigned somewhere in the workflow class.
 */
function madeBefore(name: string, loop: Loop, fn: PythonNode, workflow: PythonWorkflow): boolean {
  if (name.startsWith('self.')) return workflow.node.descendantsOfType('assignment').some((a) => a?.childForFieldName('left')?.text === name);
  let made = false;
  let shared = false;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  descendantsInScope(body, (node) => {
    if ((node.type === 'global_statement' || node.type === 'nonlocal_statement') && namedChildrenOf(node).some((n) => n.text === name)) shared = true;
    if (node.type === 'assignment' && node.startIndex < loop.startIndex && node.childForFieldName('left')?.text === name) made = true;
  });
  const parameters = fn.childForFieldName('parameters');
  const parameter = parameters ? namedChildrenOf(parameters).some((p) => (p.type === 'identifier' ? p : p.childForFieldName('name') ?? namedChildrenOf(p)[0])?.text === name) : false;
  return (made || parameter) && !shared;
}

/** The loop takes items out of the collection: pop/popleft/remove/discard/clear, `del x[k]`, `x -= done`. */
function shrinks(name: string, loop: Loop): boolean {
  for (const node of loop.descendantsOfType(['call', 'delete_statement', 'augmented_assignment'])) {
    if (!node) continue;
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === name && SHRINKING.has(callee.childForFieldName('attribute')?.text ?? '')) return true;
    } else if (node.type === 'delete_statement') {
      if (node.descendantsOfType('subscript').some((s) => s?.childForFieldName('value')?.text === name)) return true;
    } else if (node.childForFieldName('left')?.text === name && node.childForFieldName('operator')?.text === '-=') return true;
  }
  return false;
}

/**
 * Where something may add to the collection while the loop runs: in the loop, in a function or
 * lambda defined in the loop's function, and for `self.` attributes in any other method of the
 * class that can run while the loop does (see runsDuringLoop). Additions of one item (`x.add(k)`, `x[k] = v`) are returned; undefined when anything else
 * may add to it (extend/update, `|=`, a reassignment, a call the collection is passed to).
 */
function additions(name: string, loop: Loop, fn: PythonNode, workflow: PythonWorkflow): PythonNode[] | undefined {
  const attribute = name.startsWith('self.');
  const scope = attribute ? workflow.node : fn;
  const during = attribute ? runsDuringLoop(loop, workflow.node) : undefined;
  const within = (node: PythonNode): boolean => {
    if (node.startIndex >= loop.startIndex && node.endIndex <= loop.endIndex) return true;
    if (node.startIndex >= fn.startIndex && node.endIndex <= fn.endIndex) return insideFunction(node, fn);
    // For `self.` state: another method that can run while the loop does (a handler, a helper the
    // loop calls, a task beside it), not `__init__` or a phase that finished before the loop.
    const method = enclosing(node, ['function_definition']);
    return !!during && method?.id !== fn.id && during(node);
  };
  const found: PythonNode[] = [];
  for (const node of scope.descendantsOfType(['call', 'assignment', 'augmented_assignment'])) {
    if (!node || !within(node)) continue;
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === name) {
        const method = callee.childForFieldName('attribute')?.text ?? '';
        if (ADDING_ONE.has(method)) found.push(node);
        else if (MUTATING.has(method)) return undefined;
        continue;
      }
      // The collection handed to a function that may add to it.
      const args = node.childForFieldName('arguments');
      const passed = args ? namedChildrenOf(args).some((a) => (a.type === 'keyword_argument' ? a.childForFieldName('value') : a)?.text === name) : false;
      if (passed && !READING_CALLS.has(callee?.text ?? '')) return undefined;
      continue;
    }
    const left = node.childForFieldName('left');
    if (!left) continue;
    if (node.type === 'augmented_assignment') {
      if (left.text === name && node.childForFieldName('operator')?.text !== '-=') return undefined;
      continue;
    }
    if (left.type === 'subscript' && left.childForFieldName('value')?.text === name) found.push(node);
    else if (left.text === name || ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && namedChildrenOf(left).some((t) => t.text === name))) return undefined;
  }
  return found;
}

/**
 * The other collection of the set an addition takes its item from: `running[sid] = ...` or
 * `running.add(sid)` right after `pending.discard(sid)` / `pending.remove(sid)` / `del pending[sid]`
 * or `sid = pending.pop()` in the same block, or `running.append(pending.pop())`.
 */
function movedFrom(addition: PythonNode, name: string, names: string[]): string | undefined {
  let key: PythonNode | undefined;
  if (addition.type === 'call') {
    const method = addition.childForFieldName('function')?.childForFieldName('attribute')?.text ?? '';
    key = callArguments(addition).positional[ADDING_ONE.get(method) ?? -1];
  } else key = addition.childForFieldName('left')?.childForFieldName('subscript') ?? undefined;
  if (!key) return undefined;
  const others = names.filter((other) => other !== name);
  /** `other.pop()` / `other.discard(key)`: the collection taken from. */
  const takenBy = (call: PythonNode, keyText: string | undefined): string | undefined => {
    const inner = unparenthesize(call);
    const callee = inner.type === 'call' ? inner.childForFieldName('function') : undefined;
    const object = callee?.type === 'attribute' ? callee.childForFieldName('object')?.text : undefined;
    const method = callee?.childForFieldName('attribute')?.text ?? '';
    if (!object || !others.includes(object) || !SHRINKING.has(method) || method === 'clear') return undefined;
    const first = callArguments(inner).positional[0];
    if (keyText === undefined) return method === 'pop' || method === 'popleft' || method === 'popitem' ? object : undefined;
    return first?.text === keyText ? object : undefined;
  };
  if (key.type === 'call') return takenBy(key, undefined);
  // `running[sid] = pending.pop(sid)`
  const right = addition.type === 'assignment' ? addition.childForFieldName('right') : undefined;
  if (right?.type === 'call') {
    const direct = takenBy(right, key.text);
    if (direct) return direct;
  }
  let statement: PythonNode = addition;
  while (statement.parent && statement.parent.type !== 'block') statement = statement.parent;
  const block = statement.parent;
  if (!block) return undefined;
  for (const earlier of namedChildrenOf(block)) {
    if (earlier.startIndex >= statement.startIndex) break;
    if (earlier.type === 'delete_statement') {
      const target = earlier.descendantsOfType('subscript').find((s) => s?.childForFieldName('subscript')?.text === key!.text && others.includes(s.childForFieldName('value')?.text ?? ''));
      if (target) return target.childForFieldName('value')!.text;
      continue;
    }
    if (earlier.type !== 'expression_statement') continue;
    const inner = namedChildrenOf(earlier)[0];
    if (inner?.type === 'call') {
      const taken = takenBy(inner, key.text);
      if (taken) return taken;
    } else if (inner?.type === 'assignment' && inner.childForFieldName('left')?.text === key.text) {
      const value = inner.childForFieldName('right');
      const taken = value ? takenBy(value, undefined) : undefined;
      if (taken) return taken;
    }
  }
  return undefined;
}
