// Workflow loops that grow the history: a loop whose body schedules activities, timers, child
// workflows or waits for signals, directly or through helper functions, and that neither checks
// workflowInfo().continueAsNewSuggested / historyLength / historySize nor calls continueAsNew. Each
// comes with what bounds it (loop-bounds.ts) and about how many events one iteration adds, so the
// check can tell a loop nothing bounds from one as long as its input.

import ts from 'typescript';
import { locate, nodeSnippet } from '../locate.js';
import { activityTypeCalled } from '../activity-calls.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { SourceLocation, TemporalModel, WorkflowDefinition } from '../types.js';
import { exitConditions, fanOutBound, isLoop, loopBound, type LoopBound } from './loop-bounds.js';
import { isGlobalSetTimeout, turnWait, type TurnWait } from './turn-wait.js';
import { signalRerun, type SignalRerun } from './signal-rerun.js';
import { messagePaced, type MessagePaced } from './message-paced.js';

export type ScheduledWork = 'activity' | 'timer' | 'child workflow' | 'signal wait';

export interface HistoryGrowth {
  kind: ScheduledWork;
  /** Activity type, child workflow, or the API called (`sleep`, `condition`). */
  name: string;
  location: SourceLocation;
  /** Scheduled only on some paths through one iteration: in a branch, a catch clause, after `&&`. */
  conditional?: boolean;
}

export interface UnboundedLoop {
  location: SourceLocation;
  /** The loop's first line, e.g. `while (true) {`. */
  text: string;
  /** What each iteration adds to the history (first few, in source order). */
  growth: HistoryGrowth[];
  /**
   * `none`: nothing bounds it; `grows`: the collection it walks grows while it runs; `bounded`: a
   * counter or a collection of the input bounds it, to a size the reviewer may not know.
   */
  bound: LoopBound;
  /**
   * About how many history events one iteration adds on the path every iteration takes (scheduling,
   * completion, workflow tasks): branches are left out, since only some iterations take them.
   */
  eventsPerIteration: number;
  /** The events of one iteration that takes every branch, when more than eventsPerIteration. */
  eventsUpTo?: number;
  /**
   * The loop sits in a function of the workflow that is only called from a loop that continues as
   * new, and it has a way out: the outer loop's continue-as-new bounds the history as long as this
   * loop ends. The location is the outer loop; the helper's name comes with it. Without a helper,
   * the loop is nested in that outer loop in the same function.
   */
  outerGuard?: { location: SourceLocation; helper?: string };
  /** The durable sleep every turn waits on, and its least duration when preflight can read one. */
  turnWait?: TurnWait;
  /**
   * A wait for a status: the loop does nothing but sleep and read a status through activities
   * (`count = await countRunning()`), its condition tests what it read, and the function continues
   * as new after it (`rollover`). It adds a few events per wait and stops when the status changes.
   */
  statusWait?: { reads: string[]; rollover: SourceLocation };
  /**
   * Not a loop statement: `items.map(...)` (or forEach, flatMap) whose callback starts a child
   * workflow for every item, all in the same run. `direct`: the callback starts it itself, so all
   * the children are pending at once (not through a limiter such as `limit(() => startChild(...))`).
   */
  fanOut?: { direct: boolean };
  /**
   * The loop goes round again only when a signal or update handler set a flag while the pass ran:
   * it resets the flag before it waits and stops on the first pass during which no message came
   * (`do { dirty = false; await reindex(id) } while (dirty)`). Its length follows the senders.
   */
  signalRerun?: SignalRerun;
  /**
   * The loop goes round only after `await condition(() => flag)` that a signal or update handler
   * releases (the round resets the flag first), and some path leaves it without waiting: a retry
   * that waits for an operator's message after each failure. It repeats once per message.
   */
  messagePaced?: MessagePaced;
}

/** Events per scheduled item: scheduled/started/completed (timer: started/fired, and the task). */
const EVENTS_PER_WORK: Record<ScheduledWork, number> = { activity: 3, timer: 3, 'child workflow': 3, 'signal wait': 1 };
/** Each await that waits on the server ends a workflow task: scheduled, started, completed. */
const WORKFLOW_TASK_EVENTS = 3;
/** The history length where the server starts warning (TEMPORAL-FACTS.md, limit.historyCount). */
export const HISTORY_WARNING_EVENTS = 10_240;
/** Where the server terminates the workflow (TEMPORAL-FACTS §5). */
export const HISTORY_LIMIT_EVENTS = 51_200;
const HELPER_DEPTH = 3;
const TIMER_APIS = new Set(['sleep']);
const CHILD_APIS = new Set(['executeChild', 'startChild']);
const GUARD_PROPERTIES = new Set(['continueAsNewSuggested', 'historyLength', 'historySize']);
const CONTINUE_AS_NEW_APIS = new Set(['continueAsNew', 'makeContinueAsNewFunc']);

/**
 * The workflow's loops that add to its history and are not guarded by continue-as-new, with what
 * bounds them. A loop bounded by a small constant (its whole run stays under the warning) is left out.
 */
export function unboundedLoops(model: TemporalModel, workflow: WorkflowDefinition): UnboundedLoop[] {
  const loops: UnboundedLoop[] = [];
  const fanned: ts.Node[] = [];
  const workflowBody = workflow.node.body;
  if (!workflowBody) return loops;
  let body: ts.Node = workflowBody;
  // Helpers the workflow calls outside any loop (`await startEligibleItemWorkflows(items)`): their
  // loops run in this workflow's history as if written in its body. A helper called from a loop is
  // that loop's work, judged with it.
  const helpers: ts.FunctionLikeDeclaration[] = [];
  const seenHelpers = new Set<ts.Node>([workflow.node]);
  const noteHelper = (call: ts.CallExpression, depth: number): void => {
    if (depth >= HELPER_DEPTH || inLoop(call, body) || fanned.some((outer) => isWithin(call, outer))) return;
    const declaration = model.declarationOf(call.expression);
    const fn = declaration && functionOf(declaration);
    if (!fn?.body || seenHelpers.has(fn) || isWithin(fn, workflowBody) || fn.getSourceFile().isDeclarationFile || !model.files.includes(fn.getSourceFile().fileName)) return;
    if (model.workflows.some((other) => other.node === fn)) return;
    seenHelpers.add(fn);
    helperDepth.set(fn, depth + 1);
    helpers.push(fn);
  };
  const helperDepth = new Map<ts.Node, number>();
  const reportedLoops: { loop: ts.Node; by: string | undefined }[] = [];
  let depth = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) noteHelper(node, depth);
    if (isLoop(node) && !hasContinueAsNewGuard(node, model)) {
      // Work behind a once-only flag (`if (!warned) { warned = true; await notify() }`) runs in one turn at most: not per turn.
      const growth = historyGrowth(node.statement, model, 0, new Set(), false, node);
      // A loop that only waits on condition() without a timeout schedules nothing: no command, no
      // event of its own. Its rounds follow the signals and updates that change the state, whose
      // events are there whether or not the loop is.
      if (growth.length > 0 && !growth.every((g) => g.kind === 'signal wait')) {
        const { eventsPerIteration, eventsUpTo } = iterationEvents(growth);
        const bound = loopBound(node, model);
        // In a helper, a count the caller passes (`attempt <= options.maxAttempts`) is a retry budget or
        // a page size: without the caller's value it says nothing, unlike a collection it walks.
        const small =
          (bound.kind === 'bounded' && bound.limit !== undefined && bound.limit * eventsUpTo < HISTORY_WARNING_EVENTS) ||
          (body !== workflowBody && bound.kind === 'bounded' && bound.limit === undefined && bound.collection === undefined);
        const outerGuard = bound.kind === 'bounded' ? undefined : (nestedInGuardedLoop(node, bound, body, model) ?? guardedCallers(node, bound, workflow, model));
        const wait = small ? undefined : turnWait(node, model);
        const status = bound.kind === 'none' && wait?.ms ? statusWaitOf(node, growth, model) : undefined;
        const rerun = bound.kind === 'none' && !outerGuard ? signalRerun(node, growth, model) : undefined;
        const paced = bound.kind === 'none' && !outerGuard && !rerun ? messagePaced(node, model) : undefined;
        // In a helper, a loop inside another it reports with the same bound (the inner `while` of a
        // pool that starts children up to a limit) is that loop's work, not a second finding.
        const repeated = body !== workflowBody && bound.kind === 'bounded' && reportedLoops.some(({ loop, by }) => by === bound.by && isWithin(node, loop));
        if (!small && !repeated) reportedLoops.push({ loop: node, by: bound.kind === 'bounded' ? bound.by : undefined });
        if (!small && !repeated) loops.push({ ...(paced ? { messagePaced: paced } : {}), location: locate(node), text: nodeSnippet(node, 60), growth: growth.slice(0, 4), bound, eventsPerIteration, ...(eventsUpTo > eventsPerIteration ? { eventsUpTo } : {}), ...(outerGuard ? { outerGuard } : {}), ...(wait ? { turnWait: wait } : {}), ...(status ? { statusWait: status } : {}), ...(rerun ? { signalRerun: rerun } : {}) });
      }
    }
    // A fan-out inside a loop (a batch per turn: `for (const chunk of chunks) await Promise.all(chunk.map(...))`)
    // is the loop's work; the loop is judged with it.
    const fan = ts.isCallExpression(node) && !fanned.some((outer) => isWithin(node, outer)) && !inLoop(node, body) ? fanOutOf(node, model) : undefined;
    if (fan) {
      const { eventsPerIteration, eventsUpTo } = iterationEvents(fan.growth);
      const small = fan.bound.kind === 'bounded' && fan.bound.limit !== undefined && fan.bound.limit * eventsUpTo < HISTORY_WARNING_EVENTS;
      // The outer fan-out counts the children of the ones nested in it.
      fanned.push(fan.callback);
      if (!small) loops.push({ location: locate(node), text: nodeSnippet(node, 60), growth: fan.growth.slice(0, 4), bound: fan.bound, eventsPerIteration, ...(eventsUpTo > eventsPerIteration ? { eventsUpTo } : {}), fanOut: { direct: fan.direct } });
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  for (let i = 0; i < helpers.length; i++) {
    const helper = helpers[i]!;
    body = helper.body!;
    depth = helperDepth.get(helper) ?? HELPER_DEPTH;
    visit(body);
  }
  return loops;
}

/**
 * The loop checks continueAsNewSuggested / history length or size, or continues-as-new: itself,
 * or in a helper it calls (`await continueIfNeeded(state)` in another module) by calling
 * continueAsNew, a function made by makeContinueAsNewFunc, or throwing ContinueAsNew.
 */
function hasContinueAsNewGuard(loop: ts.Node, model: TemporalModel, depth = 0, seen = new Set<ts.Node>()): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    // In a helper, reading historyLength may only report it (a metric): there, only continuing as new counts.
    if (depth === 0 && ts.isPropertyAccessExpression(node) && GUARD_PROPERTIES.has(node.name.text)) found = true;
    else if (ts.isCallExpression(node) && CONTINUE_AS_NEW_APIS.has(model.temporalApiOf(node.expression)?.name ?? '')) found = true;
    else if (ts.isNewExpression(node) && model.temporalApiOf(node.expression)?.name === 'ContinueAsNew') found = true;
    else if (ts.isCallExpression(node) && ts.isIdentifier(skipOuterExpressions(node.expression)) && isContinueAsNewFunction(node.expression, model)) found = true;
    else if (ts.isCallExpression(node) && depth < HELPER_DEPTH && helperContinuesAsNew(node, model, depth, seen)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(loop);
  return found;
}

/** The function a call reaches, in the reviewed code, continues as new (itself or through its own helpers). */
export function helperContinuesAsNew(call: ts.CallExpression, model: TemporalModel, depth = 0, seen = new Set<ts.Node>()): boolean {
  const declaration = model.declarationOf(call.expression);
  const fn = declaration && functionOf(declaration);
  if (!fn?.body || seen.has(fn) || fn.getSourceFile().isDeclarationFile || !model.files.includes(fn.getSourceFile().fileName)) return false;
  seen.add(fn);
  return hasContinueAsNewGuard(fn.body, model, depth + 1, seen);
}

/**
 * A loop with an exit inside a function nested in the workflow (`async function flush()`), where
 * every call of that function sits in a loop of the workflow that continues as new: the outer loop,
 * which the caller wrote to roll the history over. Not for a loop nothing ends (`while (true)`
 * with no break), which would never return to the outer loop.
 */
function guardedCallers(loop: ts.IterationStatement, bound: LoopBound, workflow: WorkflowDefinition, model: TemporalModel): UnboundedLoop['outerGuard'] {
  if (bound.kind === 'none' && !exitConditions(loop as never).length) return undefined;
  let fn: ts.Node | undefined = loop.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn || fn === workflow.node || !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  const declaration: ts.Node = ts.isFunctionDeclaration(fn) ? fn : fn.parent;
  if (!ts.isFunctionDeclaration(declaration) && !ts.isVariableDeclaration(declaration)) return undefined;
  const name = declaration.name && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  const body = workflow.node.body;
  if (!name || !body || !isWithin(declaration, body)) return undefined;
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name && model.declarationOf(node.expression) === declaration) calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(body);
  if (!calls.length) return undefined;
  let guard: ts.Node | undefined;
  for (const call of calls) {
    const outer = enclosingGuardedLoop(call, body, model);
    if (!outer) return undefined;
    guard ??= outer;
  }
  return guard ? { location: locate(guard), helper: name } : undefined;
}

const FAN_OUT_METHODS = new Set(['map', 'forEach', 'flatMap']);

function inLoop(node: ts.Node, body: ts.Node): boolean {
  for (let current = node.parent; current && current !== body; current = current.parent) if (isLoop(current)) return true;
  return false;
}

/**
 * `items.map((item) => executeChild(...))`: one child workflow per item of a collection, started in
 * the same run. The callback's history work (followed into helpers) must include a child workflow;
 * the collection is bounded like one a loop walks (a constant limit passed to the query that
 * fetched it, a literal list).
 */
function fanOutOf(call: ts.CallExpression, model: TemporalModel): { growth: HistoryGrowth[]; bound: LoopBound; callback: ts.Node; direct: boolean } | undefined {
  if (!ts.isPropertyAccessExpression(call.expression) || !FAN_OUT_METHODS.has(call.expression.name.text)) return undefined;
  const callback = call.arguments[0] ? skipOuterExpressions(call.arguments[0]) : undefined;
  if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return undefined;
  const growth = historyGrowth(callback.body, model, 0, new Set());
  if (!growth.some((g) => g.kind === 'child workflow')) return undefined;
  let direct = false;
  const visit = (node: ts.Node): void => {
    if (direct || (ts.isFunctionLike(node) && node !== callback)) return;
    if (ts.isCallExpression(node) && CHILD_APIS.has(model.temporalApiOf(node.expression)?.name ?? '')) direct = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(callback, visit);
  return { growth, bound: fanOutBound(call.expression.expression, model), callback, direct };
}

/**
 * A `while` or `do` loop whose body only sleeps and reads a status: every activity it calls, it
 * calls directly as `name = await readStatus(...)` into a variable the loop condition tests, every
 * timer is a direct call, nothing else is scheduled (no child, no signal wait, no helper that
 * schedules), and the function that holds it continues as new after it. The back-pressure wait
 * before a batch (`while (running > LIMIT) { await sleep('5 minutes'); running = await countRunning() }`).
 */
function statusWaitOf(loop: ts.IterationStatement, growth: HistoryGrowth[], model: TemporalModel): UnboundedLoop['statusWait'] {
  if (!ts.isWhileStatement(loop) && !ts.isDoStatement(loop)) return undefined;
  if (!growth.every((g) => (g.kind === 'timer' || g.kind === 'activity') && !g.conditional)) return undefined;
  if (!growth.some((g) => g.kind === 'activity') || !growth.some((g) => g.kind === 'timer')) return undefined;
  const tested = new Set<ts.Declaration>();
  const collect = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isIdentifier(node)) {
      const declaration = model.declarationOf(node);
      if (declaration) tested.add(declaration);
    }
    ts.forEachChild(node, collect);
  };
  collect(loop.expression);
  const reads: string[] = [];
  let direct = 0;
  let sound = true;
  const visit = (node: ts.Node): void => {
    if (!sound) return;
    if (ts.isCallExpression(node)) {
      const scheduled = scheduledBy(node, model);
      if (scheduled?.kind === 'timer') direct++;
      else if (scheduled?.kind === 'activity') {
        direct++;
        if (!assignsTested(node, tested, model)) sound = false;
        else reads.push(scheduled.name);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  // Everything the loop schedules is one of the direct calls above (no helper adds more).
  if (!sound || direct !== growth.length || reads.length === 0) return undefined;
  const rollover = continuesAsNewAfter(loop, model);
  return rollover ? { reads: [...new Set(reads)], rollover: locate(rollover) } : undefined;
}

/** `count = await readStatus(...)` where `count` is one of the variables the loop condition tests. */
function assignsTested(call: ts.CallExpression, tested: Set<ts.Declaration>, model: TemporalModel): boolean {
  let node: ts.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent || !ts.isBinaryExpression(parent) || parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken || parent.right !== node) return false;
  const left = skipOuterExpressions(parent.left);
  const declaration = ts.isIdentifier(left) ? model.declarationOf(left) : undefined;
  return declaration !== undefined && tested.has(declaration);
}

/** A continueAsNew in the loop's own function, after the loop (not in a nested function). */
function continuesAsNewAfter(loop: ts.Node, model: TemporalModel): ts.Node | undefined {
  let fn: ts.Node | undefined = loop.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  const body = fn && (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ts.isMethodDeclaration(fn)) ? fn.body : undefined;
  if (!body) return undefined;
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (node.pos >= loop.end && ((ts.isCallExpression(node) || ts.isNewExpression(node)) && hasContinueAsNewGuard(node, model, 1))) found = node;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/**
 * A loop with a way out nested, in the same function, in a loop that checks the history length or
 * continues as new (`while (workflowInfo().historyLength < 2000) { ... while (!released) {...} }`):
 * the outer loop rolls the history over each time this one ends.
 */
function nestedInGuardedLoop(loop: ts.IterationStatement, bound: LoopBound, body: ts.Node, model: TemporalModel): UnboundedLoop['outerGuard'] {
  if (bound.kind === 'none' && !exitConditions(loop as never).length) return undefined;
  const outer = enclosingGuardedLoop(loop, body, model);
  return outer ? { location: locate(outer) } : undefined;
}

function enclosingGuardedLoop(call: ts.Node, body: ts.Node, model: TemporalModel): ts.Node | undefined {
  for (let current = call.parent; current && current !== body; current = current.parent) {
    if (ts.isFunctionLike(current)) return undefined;
    if (isLoop(current) && hasContinueAsNewGuard(current, model)) return current;
  }
  return undefined;
}

function isWithin(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end && node.getSourceFile() === container.getSourceFile();
}

/** A local `const next = makeContinueAsNewFunc(...)` called inside the loop. */
function isContinueAsNewFunction(callee: ts.Expression, model: TemporalModel): boolean {
  const declaration = model.declarationOf(callee);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const initializer = skipOuterExpressions(declaration.initializer);
  return ts.isCallExpression(initializer) && model.temporalApiOf(initializer.expression)?.name === 'makeContinueAsNewFunc';
}

/**
 * The events of one iteration: on the path every iteration takes (the unconditional work; when all
 * of it sits in branches, the cheapest branch), and with every branch taken.
 */
function iterationEvents(growth: HistoryGrowth[]): { eventsPerIteration: number; eventsUpTo: number } {
  const cost = (g: HistoryGrowth) => EVENTS_PER_WORK[g.kind] + WORKFLOW_TASK_EVENTS;
  const eventsUpTo = growth.reduce((sum, g) => sum + cost(g), 0);
  const always = growth.filter((g) => !g.conditional).reduce((sum, g) => sum + cost(g), 0);
  return { eventsPerIteration: always > 0 ? always : Math.min(...growth.map(cost)), eventsUpTo };
}

/** What a loop body schedules, following calls into helper functions of the project. */
export function historyGrowthOf(node: ts.Node, model: TemporalModel): HistoryGrowth[] {
  return historyGrowth(node, model, 0, new Set());
}

/**
 * What a piece of workflow code schedules, following calls into helper functions of the project;
 * `conditional` marks what only some paths reach (relative to `node`).
 */
function historyGrowth(node: ts.Node, model: TemporalModel, depth: number, seen: Set<ts.Node>, conditional = false, onceIn?: ts.Node): HistoryGrowth[] {
  const growth: HistoryGrowth[] = [];
  const visit = (current: ts.Node, branch: boolean): void => {
    if (ts.isCallExpression(current)) {
      const scheduled = scheduledBy(current, model);
      if (scheduled) growth.push(branch ? { ...scheduled, conditional: true } : scheduled);
      else if (depth < HELPER_DEPTH) growth.push(...throughHelper(current, model, depth, seen, branch));
    }
    ts.forEachChild(current, (child) => {
      if (onceIn && ts.isIfStatement(current) && child === current.thenStatement && onceOnlyGuard(current, onceIn, model)) return;
      visit(child, branch || onlySometimes(current, child));
    });
  };
  visit(node, conditional);
  return growth;
}

/** True when `child` runs on only some paths through `parent`: a branch, a catch clause, the right of `&&`. */
function onlySometimes(parent: ts.Node, child: ts.Node): boolean {
  if (ts.isIfStatement(parent)) return child !== parent.expression;
  if (ts.isConditionalExpression(parent)) return child !== parent.condition;
  if (ts.isCaseClause(parent) || ts.isDefaultClause(parent)) return true;
  if (ts.isCatchClause(parent)) return true;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    return child === parent.right && (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken);
  }
  return false;
}

/**
 * `if (!flag) { flag = true; ... }` (also `!flag && other`, `flag === false`) in a loop, where `flag`
 * is a `let` declared outside the loop as `false`, set to `true` in the block before anything there
 * waits or jumps, and never written anything but `true` anywhere: the block runs in one turn at most.
 */
function onceOnlyGuard(statement: ts.IfStatement, loop: ts.Node, model: TemporalModel): boolean {
  if (statement.elseStatement || !ts.isBlock(statement.thenStatement)) return false;
  const conjuncts: ts.Expression[] = [];
  const split = (e: ts.Expression): void => {
    const inner = skipOuterExpressions(e) as ts.Expression;
    if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
      split(inner.left);
      split(inner.right);
    } else conjuncts.push(inner);
  };
  split(statement.expression);
  const flags = conjuncts.flatMap((c) => {
    if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken && ts.isIdentifier(skipOuterExpressions(c.operand))) return [skipOuterExpressions(c.operand) as ts.Identifier];
    if (ts.isBinaryExpression(c) && (c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken)) {
      if (ts.isIdentifier(c.left) && c.right.kind === ts.SyntaxKind.FalseKeyword) return [c.left];
      if (ts.isIdentifier(c.right) && c.left.kind === ts.SyntaxKind.FalseKeyword) return [c.right];
    }
    return [];
  });
  return flags.some((flag) => isOnceFlag(flag, statement.thenStatement as ts.Block, loop, model));
}

function isOnceFlag(flag: ts.Identifier, block: ts.Block, loop: ts.Node, model: TemporalModel): boolean {
  const declaration = model.declarationOf(flag);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isVariableDeclarationList(declaration.parent)) return false;
  if (declaration.parent.flags & (ts.NodeFlags.Const | ts.NodeFlags.Using)) return false;
  if (declaration.initializer?.kind !== ts.SyntaxKind.FalseKeyword || isWithin(declaration, loop)) return false;
  // Set before anything in the block waits, jumps or can throw into a catch inside the loop.
  const setsTrue = (s: ts.Statement) =>
    ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(s.expression.left) && s.expression.left.text === flag.text && s.expression.right.kind === ts.SyntaxKind.TrueKeyword;
  const index = block.statements.findIndex(setsTrue);
  if (index < 0 || block.statements.slice(0, index).some((s) => !ts.isVariableStatement(s) && !ts.isExpressionStatement(s))) return false;
  if (block.statements.slice(0, index).some((s) => containsAwaitOrCall(s))) return false;
  // Every write of the flag anywhere in its file sets it to true.
  let onlyTrue = true;
  const visit = (node: ts.Node): void => {
    if (!onlyTrue) return;
    if (ts.isIdentifier(node) && node.text === flag.text && node !== declaration.name && model.declarationOf(node) === declaration) {
      const parent = node.parent;
      if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        if (parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken || parent.right.kind !== ts.SyntaxKind.TrueKeyword) onlyTrue = false;
      } else if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && parent.operator !== ts.SyntaxKind.ExclamationToken) onlyTrue = false;
      else if (ts.isArrayLiteralExpression(parent) || ts.isShorthandPropertyAssignment(parent) || ts.isForInStatement(parent) || ts.isForOfStatement(parent)) onlyTrue = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(declaration.getSourceFile());
  return onlyTrue;
}

/** An await or a call (which may throw before the flag is set) anywhere in the statement. */
function containsAwaitOrCall(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node) || ts.isCallExpression(node) || ts.isNewExpression(node)) return true;
  return ts.forEachChild(node, containsAwaitOrCall) ?? false;
}

function scheduledBy(call: ts.CallExpression, model: TemporalModel): HistoryGrowth | undefined {
  const api = model.temporalApiOf(call.expression)?.name;
  const location = locate(call);
  if (api && TIMER_APIS.has(api)) return { kind: 'timer', name: api, location };
  // In a workflow, setTimeout is a durable timer (`new Promise((r) => setTimeout(r, ms))`).
  if (isGlobalSetTimeout(call, model)) return { kind: 'timer', name: 'setTimeout', location };
  if (api === 'condition') return { kind: call.arguments.length > 1 ? 'timer' : 'signal wait', name: api, location };
  if (api && CHILD_APIS.has(api)) {
    const target = call.arguments[0];
    return { kind: 'child workflow', name: target ? nodeSnippet(target, 40) : api, location };
  }
  const activity = activityTypeCalled(call.expression, model);
  return activity ? { kind: 'activity', name: activity, location } : undefined;
}

function throughHelper(call: ts.CallExpression, model: TemporalModel, depth: number, seen: Set<ts.Node>, conditional: boolean): HistoryGrowth[] {
  const declaration = model.declarationOf(call.expression);
  const fn = declaration && functionOf(declaration);
  if (!fn?.body || seen.has(fn) || fn.getSourceFile().isDeclarationFile || !model.files.includes(fn.getSourceFile().fileName)) return [];
  seen.add(fn);
  return historyGrowth(fn.body, model, depth + 1, seen, conditional);
}

function functionOf(declaration: ts.Declaration): ts.FunctionLikeDeclaration | undefined {
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) return declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}
