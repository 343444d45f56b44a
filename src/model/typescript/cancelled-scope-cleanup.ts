// Cleanup that a cancelled workflow never runs. The TypeScript SDK cancels a workflow by
// cancelling its root CancellationScope (@temporalio/workflow internals.ts: cancelWorkflow calls
// rootScope.cancel()). From then on, every activity, timer or child workflow started in that scope
// rejects at once with a CancelledFailure, without a command being sent (workflow.ts: each start
// checks `scope.consideredCancelled` first). A new cancellable scope created inside it inherits the
// cancellation (cancellation-scope.ts constructor); only a non-cancellable scope shields its work.
// So a catch that handles the cancellation, or a finally, that awaits cleanup work in the root
// scope gets a CancelledFailure instead of running it.
//
// Read narrowly: the try block must itself wait on something a cancellation interrupts (an
// activity, a timer, a child, a condition, directly or in a helper of workflow code), and inside
// the catch only the statements that run when the error is a cancellation count: the branch of
// `if (isCancellation(err))`, or statements before any test of the error. A branch on another
// property of the error (`err instanceof ApplicationFailure`) is not followed, nor is what comes
// after a branch that leaves the catch.

import ts from 'typescript';
import { activityTypeCalled } from './activity-calls.js';
import { functionOfDeclaration } from './declarations.js';
import { addBindingNames, mentionsAnyName } from './name-sets.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { SourceLocation, TemporalModel } from './types.js';

export interface CancelledScopeCleanup {
  /** The first call on the cancellation path of the handler that starts work in the cancelled scope. */
  location: SourceLocation;
  /** The call as written. */
  text: string;
  /** What it starts: `activity releaseLock`, `a timer`, `child workflow x`; through a helper when `via` is set. */
  what: string;
  /** The helper function's call, when the work is started inside a helper the handler calls. */
  via?: string;
  /** `cancellation`: the branch of an explicit cancellation test; `catch`: a catch that handles any error; `finally`. */
  handler: 'cancellation' | 'catch' | 'finally';
  /** The catch clause or finally block. */
  handlerLocation: SourceLocation;
  /** Workflows whose code reaches the handler, sorted. */
  workflows: string[];
  /** The rejection is handled (`.catch(...)` on the call, or a try/catch around it in the handler): the handler goes on. */
  caught: boolean;
}

/** SDK calls whose work a cancelled scope rejects at once (workflow.ts: each checks consideredCancelled). */
const SCOPED_WORK: Record<string, string> = {
  sleep: 'a timer (sleep)',
  executeChild: 'a child workflow',
  startChild: 'a child workflow',
};
/** Waits that a cancellation interrupts, so that it reaches the catch. */
const INTERRUPTED_WAITS = new Set([...Object.keys(SCOPED_WORK), 'condition']);
const CANCELLATION_CLASSES = new Set(['CancelledFailure']);
const MAX_DEPTH = 3;

type FunctionNode = ts.FunctionLikeDeclaration;

/**
 * What `visit` finds in the code each workflow runs (its function and the helpers it reaches), one
 * entry per place however many workflows reach it, with those workflows named, in source order.
 */
export function acrossWorkflows<T extends { location: SourceLocation; workflows: string[] }>(
  model: TemporalModel,
  visit: (fn: FunctionNode, add: (found: Omit<T, 'workflows'>) => void) => void,
): T[] {
  const byLocation = new Map<string, T>();
  for (const workflow of model.workflows) {
    for (const fn of workflowCodeReached(model, workflow.node)) {
      visit(fn, (found) => {
        const key = `${found.location.file}:${found.location.line}:${found.location.column}`;
        const existing = byLocation.get(key);
        if (existing) {
          if (!existing.workflows.includes(workflow.name)) existing.workflows.push(workflow.name);
        } else byLocation.set(key, { ...found, workflows: [workflow.name] } as T);
      });
    }
  }
  const result = [...byLocation.values()];
  for (const found of result) found.workflows.sort();
  return result.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
}

export function cancelledScopeCleanups(model: TemporalModel): CancelledScopeCleanup[] {
  return acrossWorkflows<CancelledScopeCleanup>(model, (fn, add) => forEachTry(fn, (statement) => cleanupsOf(statement, model).forEach(add)));
}

/** The workflow function and the workflow-code functions it calls outside non-cancellable scopes (depth-limited). */
export function workflowCodeReached(model: TemporalModel, root: FunctionNode): FunctionNode[] {
  const reached = new Set<FunctionNode>([root]);
  let frontier: FunctionNode[] = [root];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const next: FunctionNode[] = [];
    for (const fn of frontier) {
      const visit = (node: ts.Node): void => {
        if (isShieldingCall(node)) return;
        if (ts.isCallExpression(node)) {
          const callee = helperOf(node, model);
          if (callee && !reached.has(callee)) {
            reached.add(callee);
            next.push(callee);
          }
        }
        ts.forEachChild(node, visit);
      };
      if (fn.body) visit(fn.body);
    }
    frontier = next;
  }
  return [...reached];
}

/** A function of workflow code that a call runs (not an SDK call, not an activity). */
function helperOf(call: ts.CallExpression, model: TemporalModel): FunctionNode | undefined {
  if (model.temporalApiOf(call.expression) || activityTypeCalled(call.expression, model)) return undefined;
  const fn = functionOfDeclaration(model.declarationOf(skipOuterExpressions(call.expression)));
  if (!fn || !fn.body || !model.workflowFiles.has(fn.getSourceFile().fileName)) return undefined;
  return fn;
}

/** Every try statement of a function body, callbacks included, outside non-cancellable scopes and nested declarations. */
function forEachTry(fn: FunctionNode, onTry: (statement: ts.TryStatement) => void): void {
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) || ts.isClassLike(node)) return;
    if (ts.isTryStatement(node)) onTry(node);
    if (isShieldingCall(node)) return;
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
}

function cleanupsOf(statement: ts.TryStatement, model: TemporalModel): Omit<CancelledScopeCleanup, 'workflows'>[] {
  if (!firstScopedWork(statement.tryBlock, model, INTERRUPTED_WAITS, 0)) return [];
  const result: Omit<CancelledScopeCleanup, 'workflows'>[] = [];
  const clause = statement.catchClause;
  if (clause) {
    const binding = clause.variableDeclaration?.name;
    const tainted = new Set<string>(binding && ts.isIdentifier(binding) ? [binding.text] : []);
    // A catch without a binding, or binding a pattern, handles every error alike.
    if (!binding || ts.isIdentifier(binding)) {
      const found = onCancellationPath(clause.block.statements, tainted, model, 'catch');
      if (found) result.push({ ...found.work, handler: found.handler, handlerLocation: model.locate(clause) });
    }
  }
  if (statement.finallyBlock) {
    const found = onCancellationPath(statement.finallyBlock.statements, new Set(), model, 'finally');
    if (found) result.push({ ...found.work, handler: 'finally', handlerLocation: model.locate(statement.finallyBlock) });
  }
  return result;
}

interface Work {
  location: SourceLocation;
  text: string;
  what: string;
  via?: string;
  caught: boolean;
}

type PathResult = { work: Work; handler: CancelledScopeCleanup['handler'] } | 'stop' | undefined;

/**
 * The first scoped work the statements start when the caught error is a cancellation; 'stop'
 * when the path leaves (or may leave) the handler first.
 */
function onCancellationPath(
  statements: readonly ts.Statement[],
  tainted: Set<string>,
  model: TemporalModel,
  handler: CancelledScopeCleanup['handler'],
): { work: Work; handler: CancelledScopeCleanup['handler'] } | undefined {
  const result = walkStatements(statements, tainted, model, handler);
  return result && result !== 'stop' ? result : undefined;
}

function walkStatements(statements: readonly ts.Statement[], tainted: Set<string>, model: TemporalModel, handler: CancelledScopeCleanup['handler']): PathResult {
  for (const statement of statements) {
    const result = walkStatement(statement, tainted, model, handler);
    if (result) return result;
  }
  return undefined;
}

function walkStatement(statement: ts.Statement, tainted: Set<string>, model: TemporalModel, handler: CancelledScopeCleanup['handler']): PathResult {
  const mentionsError = (node: ts.Node) => mentionsAnyName(node, tainted);
  const found = (node: ts.Node): PathResult => {
    // A helper handed the caught error decides by it what to do: follow the cancellation path
    // through its body rather than taking its first work (`handleError(err)` that starts an
    // activity only when `err.cause` is an ApplicationFailure of some type does not on a cancellation).
    const given = helperGivenError(node, tainted, model);
    if (given) {
      walkingHelpers.add(given.helper);
      let inner: PathResult;
      try {
        const body = given.helper.body;
        inner = body && ts.isBlock(body) ? walkStatements(body.statements, given.tainted, model, handler) : body ? walkStatement(ts.factory.createExpressionStatement(body), given.tainted, model, handler) : 'stop';
      } finally {
        walkingHelpers.delete(given.helper);
      }
      const call = given.call;
      if (inner && inner !== 'stop') {
        return { work: { location: model.locate(call), text: callText(call), what: inner.work.what, via: inner.work.via ?? inner.work.text, caught: rejectionHandled(call) }, handler: inner.handler };
      }
      // The helper starts nothing on the cancellation path (its `return` goes back to the handler):
      // the rest of the statement still runs (`saveStatus({ error: describe(err) })`).
      const rest = firstScopedWork(node, model, undefined, 0, call);
      return rest ? { work: rest, handler } : undefined;
    }
    const work = firstScopedWork(node, model, undefined, 0);
    return work ? { work, handler } : undefined;
  };
  if (ts.isBlock(statement)) return walkStatements(statement.statements, tainted, model, handler);
  if (ts.isIfStatement(statement)) {
    const condition = statement.expression;
    const branches = [statement.thenStatement, statement.elseStatement].filter((s): s is ts.Statement => s !== undefined);
    if (isCancellationTest(condition, model, mentionsError)) {
      const taken = walkStatement(statement.thenStatement, tainted, model, 'cancellation');
      if (taken) return taken;
      return leaves(statement.thenStatement) ? 'stop' : undefined;
    }
    if (isNegatedCancellationTest(condition, model, mentionsError)) {
      const taken = statement.elseStatement ? walkStatement(statement.elseStatement, tainted, model, 'cancellation') : undefined;
      if (taken) return taken;
      return statement.elseStatement && leaves(statement.elseStatement) ? 'stop' : undefined;
    }
    // A test of something else about the error: which way a cancellation goes is not known.
    if (mentionsError(condition)) return branches.some(leaves) ? 'stop' : undefined;
    const fromCondition = found(condition);
    if (fromCondition) return fromCondition;
    for (const branch of branches) {
      const taken = walkStatement(branch, new Set(tainted), model, handler);
      if (taken && taken !== 'stop') return taken;
    }
    return branches.length === 2 && branches.every(leaves) ? 'stop' : undefined;
  }
  if (ts.isVariableStatement(statement)) {
    const fromInitializers = found(statement);
    if (fromInitializers) return fromInitializers;
    for (const declaration of statement.declarationList.declarations) {
      if (declaration.initializer && mentionsError(declaration.initializer)) addBindingNames(declaration.name, tainted);
    }
    return undefined;
  }
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return found(statement) ?? 'stop';
  if (ts.isBreakStatement(statement) || ts.isContinueStatement(statement)) return 'stop';
  if (ts.isSwitchStatement(statement)) return mentionsError(statement.expression) ? 'stop' : found(statement);
  if (ts.isTryStatement(statement)) {
    // The cleanup's own try/catch does not help: the work is rejected before it starts. Its catch
    // does take the CancelledFailure, so the handler goes on.
    const inTry = walkStatements(statement.tryBlock.statements, tainted, model, handler);
    if (inTry && inTry !== 'stop' && statement.catchClause) return { ...inTry, work: { ...inTry.work, caught: true } };
    return inTry ?? (statement.finallyBlock ? walkStatements(statement.finallyBlock.statements, tainted, model, handler) : undefined);
  }
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) return undefined;
  return found(statement);
}

/**
 * The first call under `node` that starts scoped work in the current scope: an activity, a
 * timer, a child workflow (or, with `waits`, any of those SDK calls), or a call into a helper of
 * workflow code that starts one. Callbacks passed to CancellationScope.nonCancellable are skipped,
 * and so is the body of the helper `notInto` calls (already read along the cancellation path).
 */
function firstScopedWork(node: ts.Node, model: TemporalModel, waits: Set<string> | undefined, depth: number, notInto?: ts.CallExpression): Work | undefined {
  let result: Work | undefined;
  const visit = (current: ts.Node): void => {
    if (result) return;
    if (ts.isFunctionDeclaration(current) || ts.isClassLike(current)) return;
    if (isShieldingCall(current)) return;
    if (current === notInto) {
      // Its callbacks run inside the helper, whose cancellation path was already read.
      for (const argument of notInto.arguments) if (!ts.isFunctionLike(skipOuterExpressions(argument))) visit(argument);
      return;
    }
    if (ts.isCallExpression(current)) {
      const work = scopedWorkOf(current, model, waits);
      if (work) {
        result = { location: model.locate(current), text: callText(current), what: work, caught: rejectionHandled(current) };
        return;
      }
      // The arguments first: a helper given a callback (`retry(() => release(id))`) usually runs it
      // before anything of its own (a backoff sleep after a failure).
      ts.forEachChild(current, visit);
      if (result) {
        const inner: Work = result;
        if (helperOf(current, model) && isInsideArgumentCallback(current, inner, model)) {
          result = { location: model.locate(current), text: callText(current), what: inner.what, via: inner.text, caught: rejectionHandled(current) };
        }
        return;
      }
      if (depth < MAX_DEPTH && current !== notInto) {
        const helper = helperOf(current, model);
        const inner = helper?.body ? firstScopedWork(helper.body, model, waits, depth + 1) : undefined;
        if (inner) {
          result = { location: model.locate(current), text: callText(current), what: inner.what, via: inner.via ?? inner.text, caught: rejectionHandled(current) };
        }
      }
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return result;
}

/**
 * The first wait under `node` that a cancellation of the scope interrupts (an activity, a timer, a
 * child workflow, a condition), directly or through at most `helperDepth` helpers of workflow code.
 * Waits inside CancellationScope.nonCancellable callbacks do not count.
 */
export function firstInterruptedWait(node: ts.Node, model: TemporalModel, helperDepth = MAX_DEPTH): { location: SourceLocation; text: string; what: string; via?: string } | undefined {
  const work = firstScopedWork(node, model, INTERRUPTED_WAITS, MAX_DEPTH - helperDepth);
  return work ? { location: work.location, text: work.text, what: work.what, ...(work.via ? { via: work.via } : {}) } : undefined;
}

function scopedWorkOf(call: ts.CallExpression, model: TemporalModel, waits: Set<string> | undefined): string | undefined {
  const activity = activityTypeCalled(call.expression, model);
  if (activity) return `activity ${activity}`;
  if (!waits && isExternalSignal(call, model)) return 'a signal to another workflow';
  const api = model.temporalApiOf(call.expression);
  if (api?.module !== '@temporalio/workflow') return undefined;
  if (waits) return waits.has(api.name) ? api.name : undefined;
  return SCOPED_WORK[api.name];
}

/**
 * `handle.signal(...)` on a handle from getExternalWorkflowHandle: the SDK's signal start checks
 * `scope.consideredCancelled` like the others (workflow.ts signalWorkflowNextHandler).
 */
function isExternalSignal(call: ts.CallExpression, model: TemporalModel): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'signal') return false;
  const receiver = skipOuterExpressions(callee.expression);
  const declaration = ts.isIdentifier(receiver) ? model.declarationOf(receiver) : undefined;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const initializer = skipOuterExpressions(declaration.initializer);
  return ts.isCallExpression(initializer) && model.temporalApiOf(initializer.expression)?.name === 'getExternalWorkflowHandle';
}

/** True when the work found under a call sits in one of its arguments (a callback), not in the call itself. */
function isInsideArgumentCallback(call: ts.CallExpression, work: Work, model: TemporalModel): boolean {
  return call.arguments.some((argument) => {
    const start = model.locate(argument);
    const end = argument.getSourceFile().getLineAndCharacterOfPosition(argument.getEnd());
    const afterStart = work.location.line > start.line || (work.location.line === start.line && work.location.column >= start.column);
    const beforeEnd = work.location.line < end.line + 1 || (work.location.line === end.line + 1 && work.location.column <= end.character + 1);
    return work.location.file === start.file && afterStart && beforeEnd && (ts.isArrowFunction(skipOuterExpressions(argument)) || ts.isFunctionExpression(skipOuterExpressions(argument)));
  });
}

/** `CancellationScope.nonCancellable(fn)` or `new CancellationScope({ cancellable: false }).run(fn)`: work inside is shielded. */
export function isShieldingCall(node: ts.Node): boolean {
  return ts.isCallExpression(node) && isShieldingCallee(node);
}

function isShieldingCallee(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  if (callee.name.text === 'nonCancellable') return /CancellationScope$/.test(skipOuterExpressions(callee.expression).getText());
  if (callee.name.text !== 'run') return false;
  const target = skipOuterExpressions(callee.expression);
  return ts.isNewExpression(target) && /CancellationScope$/.test(target.expression.getText()) && /cancellable\s*:\s*false/.test(target.arguments?.[0]?.getText() ?? '');
}

/** Helpers whose body is being walked for the caught error: recursion stops at them. */
const walkingHelpers = new Set<ts.Node>();

/**
 * The first call under `node` (outside callbacks) of a helper of workflow code that takes the
 * caught error (or a value derived from it) as an argument, with the helper's parameters that
 * receive it; undefined when there is none, the helper is already being walked, or an argument is
 * spread.
 */
function helperGivenError(node: ts.Node, tainted: Set<string>, model: TemporalModel): { call: ts.CallExpression; helper: FunctionNode; tainted: Set<string> } | undefined {
  if (tainted.size === 0) return undefined;
  let result: { call: ts.CallExpression; helper: FunctionNode; tainted: Set<string> } | undefined;
  const visit = (current: ts.Node): void => {
    if (result || ts.isFunctionLike(current) || ts.isClassLike(current) || isShieldingCall(current)) return;
    if (ts.isCallExpression(current) && !current.arguments.some(ts.isSpreadElement)) {
      const helper = helperOf(current, model);
      const params = new Set<string>();
      if (helper && !walkingHelpers.has(helper)) {
        current.arguments.forEach((argument, i) => {
          const parameter = helper.parameters[i];
          if (parameter && !parameter.dotDotDotToken && mentionsAnyName(argument, tainted)) addBindingNames(parameter.name, params);
        });
      }
      if (helper && params.size > 0) {
        result = { call: current, helper, tainted: params };
        return;
      }
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return result;
}

/** `isCancellation(err)` or `err instanceof CancelledFailure`, about the caught error. */
function isCancellationTest(condition: ts.Expression, model: TemporalModel, aboutError: (node: ts.Node) => boolean): boolean {
  const expression = skipOuterExpressions(condition);
  if (ts.isCallExpression(expression)) {
    const api = model.temporalApiOf(expression.expression);
    return api?.name === 'isCancellation' && expression.arguments[0] !== undefined && aboutError(expression.arguments[0]);
  }
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) {
    const right = skipOuterExpressions(expression.right);
    const api = model.temporalApiOf(right);
    return api !== undefined && CANCELLATION_CLASSES.has(api.name) && aboutError(expression.left);
  }
  return false;
}

function isNegatedCancellationTest(condition: ts.Expression, model: TemporalModel, aboutError: (node: ts.Node) => boolean): boolean {
  const expression = skipOuterExpressions(condition);
  return ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken && isCancellationTest(expression.operand, model, aboutError);
}

/** A statement after which control never reaches the next one: return, throw, break, continue (or a block ending in one). */
function leaves(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement) || ts.isBreakStatement(statement) || ts.isContinueStatement(statement)) return true;
  if (ts.isBlock(statement)) return statement.statements.some(leaves);
  if (ts.isIfStatement(statement)) return statement.elseStatement !== undefined && leaves(statement.thenStatement) && leaves(statement.elseStatement);
  return false;
}

/** `work().catch(...)`, `work().then(ok, onError)`, also further down a `.then()`/`.finally()` chain. */
function rejectionHandled(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  for (;;) {
    let parent = node.parent;
    while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent))) parent = parent.parent;
    if (!parent || !ts.isPropertyAccessExpression(parent) || !parent.parent || !ts.isCallExpression(parent.parent) || parent.parent.expression !== parent) return false;
    const method = parent.name.text;
    if (method === 'catch' || (method === 'then' && parent.parent.arguments.length > 1)) return true;
    if (method !== 'then' && method !== 'finally') return false;
    node = parent.parent;
  }
}

function callText(call: ts.CallExpression): string {
  const text = call.getText().replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
