// Activity calls of a workflow whose failure cannot fail the run: the TypeScript side of the
// reading described at ActivityProxyFacts.failureContained (the Python side is
// python/python-contained-failures.ts, with the same rules). A call's failure is contained when
//
// - the call is awaited (directly, or as an element of an awaited `Promise.all([...])`) in the
//   `try` block of a try/catch written in the workflow function itself, and the catch does not
//   fail: no `throw` in it, nothing awaited in it whose failure is not caught there by a
//   try/catch that does not fail either (a compensation activity in its own try/catch is fine),
//   and no call of a function of the reviewed code that throws or awaits;
// - and, unless the catch ends with `return`, nothing reachable after it throws: no `throw` after
//   the catch in the workflow function, nor anywhere in a loop around the `try`, and no call there
//   of a function of the reviewed code that throws or awaits (a flag set in the catch may be thrown
//   on later).
//
// A catch that fails hands the failure on to an enclosing `try`, which may contain it in turn.
// Calls in helpers, callbacks or handlers count as able to fail the run: when unsure, the failure
// is not contained.

import ts from 'typescript';
import { enclosingFunction } from './call-reach.js';
import { functionOfDeclaration } from './declarations.js';
import { activityOfCall } from './observability/workflow-activity-calls.js';
import { siteKey } from './signal-gated-calls.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { ActivityProxy, TemporalModel, WorkflowDefinition } from './types.js';

const cache = new WeakMap<WorkflowDefinition, Set<string>>();

/** The site keys (siteKey) of the activity calls written in the workflow function whose failure cannot fail the run. */
export function containedActivityCalls(model: TemporalModel, workflow: WorkflowDefinition): Set<string> {
  const cached = cache.get(workflow);
  if (cached) return cached;
  const proxyByNode = new Map<ts.Node, ActivityProxy>(model.activityProxies.map((p) => [p.node, p]));
  const contained = new Set<string>();
  const fn = workflow.node as ts.Node;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && activityOfCall(node, model, proxyByNode) && failureContained(node, fn, model)) contained.add(siteKey(model.locate(node)));
    ts.forEachChild(node, visit);
  };
  if (ts.isFunctionLike(fn)) ts.forEachChild(fn, visit);
  cache.set(workflow, contained);
  return contained;
}

function failureContained(call: ts.CallExpression, fn: ts.Node, model: TemporalModel): boolean {
  const awaited = awaitOf(call);
  if (!awaited) return false;
  let child: ts.Node = awaited;
  for (let node = awaited.parent; node; child = node, node = node.parent) {
    // Reached a function without a try that contains the failure.
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
    if (!ts.isTryStatement(node) || node.tryBlock !== child || !node.catchClause) continue;
    if (enclosingFunction(node) !== fn) return false;
    const block = node.catchClause.block;
    if (blockFails(block, model)) continue;
    if (endsWithReturn(block)) return true;
    return !failsAfter(node, node.catchClause, fn, model);
  }
  return false;
}

/** The `await` that settles the call: `await call`, or `await Promise.all([..., call, ...])`. */
function awaitOf(call: ts.CallExpression): ts.AwaitExpression | undefined {
  let node: ts.Node = call;
  while (node.parent && skipOuterExpressions(node.parent) !== node.parent) node = node.parent;
  let parent = node.parent;
  if (parent && ts.isArrayLiteralExpression(parent)) {
    let list: ts.Node = parent;
    while (list.parent && skipOuterExpressions(list.parent) !== list.parent) list = list.parent;
    const all = list.parent;
    if (!all || !ts.isCallExpression(all) || !all.arguments.includes(list as ts.Expression) || !isPromiseAll(all)) return undefined;
    node = all;
    while (node.parent && skipOuterExpressions(node.parent) !== node.parent) node = node.parent;
    parent = node.parent;
  }
  return parent && ts.isAwaitExpression(parent) ? parent : undefined;
}

function isPromiseAll(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'all' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise';
}

/**
 * True when a catch block may fail the run: a `throw` anywhere in it, an await not caught by a
 * try/catch of its own inside the block, or a call of reviewed code that throws or awaits.
 */
function blockFails(block: ts.Block, model: TemporalModel): boolean {
  let fails = false;
  const visit = (node: ts.Node): void => {
    if (fails) return;
    if (ts.isThrowStatement(node)) fails = true;
    else if (ts.isAwaitExpression(node) && !harmlessAwait(node, model) && !awaitCaught(node, block, model)) fails = true;
    else if (ts.isCallExpression(node) && !ts.isAwaitExpression(skipUp(node)) && callMayThrow(node, model, 0)) fails = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(block, visit);
  return fails;
}

function skipUp(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && skipOuterExpressions(current.parent) !== current.parent) current = current.parent;
  return current.parent ?? current;
}

/** `await sleep(...)` of the SDK ends only by cancellation, which a workflow retry policy does not retry. */
function harmlessAwait(node: ts.AwaitExpression, model: TemporalModel): boolean {
  const awaited = skipOuterExpressions(node.expression);
  if (!ts.isCallExpression(awaited)) return false;
  const callee = skipOuterExpressions(awaited.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (name !== 'sleep') return false;
  const declared = functionOfDeclaration(model.declarationOf(callee));
  return !declared || !model.files.includes(declared.getSourceFile().fileName);
}

/** An await in a catch block is caught when a try/catch between it and the block has a catch that does not fail. */
function awaitCaught(node: ts.AwaitExpression, stop: ts.Block, model: TemporalModel): boolean {
  let child: ts.Node = node;
  for (let current = node.parent; current && current !== stop; child = current, current = current.parent) {
    if (ts.isFunctionLike(current)) return false;
    if (ts.isTryStatement(current) && current.tryBlock === child && current.catchClause && !blockFails(current.catchClause.block, model)) return true;
  }
  return false;
}

/**
 * A call of a function or method of the reviewed code that throws or awaits (one level deep); a
 * `this.` method the reviewer cannot resolve counts too. Library calls (`log.error`, `String`) do
 * not fail the run.
 */
function callMayThrow(call: ts.CallExpression, model: TemporalModel, depth: number): boolean {
  const callee = skipOuterExpressions(call.expression);
  const declared = functionOfDeclaration(model.declarationOf(callee));
  if (!declared) return ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword;
  if (!model.files.includes(declared.getSourceFile().fileName)) return false;
  if (depth > 0 || !declared.body) return true;
  let throws = false;
  const visit = (node: ts.Node): void => {
    if (throws) return;
    if (ts.isThrowStatement(node) || ts.isAwaitExpression(node)) throws = true;
    else if (ts.isCallExpression(node) && callMayThrow(node, model, depth + 1)) throws = true;
    else ts.forEachChild(node, visit);
  };
  visit(declared.body);
  return throws;
}

/**
 * Whether something reachable after the catch ran may throw: a `throw` after the catch in the
 * workflow function, or anywhere in a loop around the `try`; or a call there of reviewed code that
 * throws or awaits.
 */
function failsAfter(tryStatement: ts.TryStatement, clause: ts.CatchClause, fn: ts.Node, model: TemporalModel): boolean {
  const loops: ts.Node[] = [];
  for (let node = tryStatement.parent; node && node !== fn; node = node.parent) if (ts.isIterationStatement(node, false)) loops.push(node);
  const reachable = (node: ts.Node) => node.getStart() >= clause.end || loops.some((loop) => node.pos >= loop.pos && node.end <= loop.end);
  let fails = false;
  const visit = (node: ts.Node): void => {
    if (fails) return;
    if (reachable(node) && ts.isThrowStatement(node)) fails = true;
    else if (reachable(node) && ts.isCallExpression(node) && callMayThrow(node, model, 0)) fails = true;
    else ts.forEachChild(node, visit);
  };
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body) visit(body);
  return fails;
}

function endsWithReturn(block: ts.Block): boolean {
  const last = block.statements[block.statements.length - 1];
  return !!last && ts.isReturnStatement(last);
}


/** An activity call of a workflow function, and whether a try/catch there takes its own failure. */
export interface ActivityCallCatch {
  activity: string;
  site: string;
  /** The call is awaited in the `try` block of a try/catch written in the workflow function whose catch holds no `throw` and is not always followed by one. */
  caught: boolean;
  /** For a caught call: the workflow awaits `condition(...)` after the catch (see waitAfterCatch). */
  waitsAfter?: boolean;
  /**
   * The call sits in a helper of the reviewed code reached from the workflow function by a call
   * whose failure the reviewer does not follow (not awaited where it is made): not caught on that
   * way, and not known to fail the run either.
   */
  unsure?: true;
}

/** How deep the walk follows helpers of the reviewed code from the workflow function. */
const MAX_HELPER_DEPTH = 4;

/**
 * The activity calls the workflow function makes, each with whether the call's own failure is
 * caught: awaited (directly or in an awaited `Promise.all([...])`) in the `try` block of a
 * try/catch whose catch holds no `throw` and is not always followed by one, or whose catch throws to an enclosing try of the same
 * function that catches it that way. Helpers of the reviewed code the workflow function calls
 * (awaited, outside callbacks) are followed, up to four calls deep: a call in a helper is caught
 * when it is caught in the helper, or when the call of the helper is (`try { await
 * provision(id) } catch { return { status: 'failed' } }`); a helper reached by a call that is not
 * awaited gives `unsure` entries. Weaker than containedActivityCalls: a catch that awaits another
 * activity (recording the failure) still takes this call's failure; the awaited call in the catch
 * is judged on its own, as not caught. Calls in callbacks are not listed.
 */
export function activityCallCatches(model: TemporalModel, workflow: WorkflowDefinition): ActivityCallCatch[] {
  const proxyByNode = new Map<ts.Node, ActivityProxy>(model.activityProxies.map((p) => [p.node, p]));
  const found: ActivityCallCatch[] = [];
  const root = workflow.node as ts.Node;
  // Each function is read once per way of reaching it.
  const seen = new Map<ts.Node, Set<string>>();
  const walk = (fn: ts.Node, callerCaught: boolean, unsure: boolean, path: ts.Node[]): void => {
    const mode = `${callerCaught}:${unsure}`;
    const modes = seen.get(fn) ?? new Set<string>();
    if (modes.has(mode)) return;
    seen.set(fn, modes.add(mode));
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && node !== fn) return;
      if (ts.isCallExpression(node)) {
        const activity = activityOfCall(node, model, proxyByNode);
        if (activity) {
          const own = ownFailureCaught(node, fn);
          // Caught in its own function whatever calls it; by the callers only when every call on the way is followed.
          const caught = own || (callerCaught && !unsure);
          found.push({
            activity: activity.name,
            site: siteKey(model.locate(node)),
            caught,
            ...(own && fn === root && waitAfterCatch(node, fn, model) ? { waitsAfter: true } : {}),
            ...(unsure && !caught ? { unsure: true as const } : {}),
          });
        } else if (path.length < MAX_HELPER_DEPTH) {
          const helper = helperOf(node, model);
          if (helper && helper !== root && !path.includes(helper)) {
            walk(helper, callerCaught || ownFailureCaught(node, fn), unsure || !awaitOf(node), [...path, helper]);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    if (ts.isFunctionLike(fn)) ts.forEachChild(fn, visit);
  };
  walk(root, false, false, [root]);
  return found;
}

/** The function of the reviewed code a call calls, when it has a body (not a library function, not an activity). */
function helperOf(call: ts.CallExpression, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  const declared = functionOfDeclaration(model.declarationOf(skipOuterExpressions(call.expression)));
  if (!declared?.body || !model.files.includes(declared.getSourceFile().fileName)) return undefined;
  return declared;
}

/**
 * The call's failure is caught in `fn`: the first try/catch around its await takes it, the catch
 * holds no `throw`, and the code after the try statement does not always throw (see
 * throwsAfterCatch); a catch that throws, or is always followed by a throw, hands the failure to
 * the next try out.
 */
function ownFailureCaught(call: ts.CallExpression, fn: ts.Node): boolean {
  const awaited = awaitOf(call);
  if (!awaited) return false;
  let child: ts.Node = awaited;
  for (let node = awaited.parent; node && node !== fn; child = node, node = node.parent) {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
    if (ts.isTryStatement(node) && node.tryBlock === child && node.catchClause && !throwsIn(node.catchClause.block) && !throwsAfterCatch(node, fn)) return true;
  }
  return false;
}

/**
 * Whether every way on from a try statement whose catch ended normally reaches a `throw` of `fn`:
 * `try { await rollback() } catch (e) { log(e) } throw ApplicationFailure.nonRetryable(...)`. The
 * statements after the try statement in its block (and, when the block ends, after the statement
 * holding it, out through `if` branches, catch blocks and `try` blocks without a catch) are read in
 * order: a `throw` statement there means yes; a statement holding a `return`, `break`, `continue`
 * or a `yield` on the way, the end of the function, a loop, a `switch` case, or a `try` block with
 * a catch of its own (which would take the throw) mean no.
 */
export function throwsAfterCatch(tryStatement: ts.TryStatement, fn?: ts.Node): boolean {
  if (tryStatement.finallyBlock && leavesEarly(tryStatement.finallyBlock)) return false;
  let node: ts.Node = tryStatement;
  for (let parent = node.parent; parent && parent !== fn; node = parent, parent = parent.parent) {
    if (ts.isFunctionLike(parent) || ts.isClassLike(parent)) return false;
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
      const statements = parent.statements;
      for (let i = statements.indexOf(node as ts.Statement) + 1; i < statements.length; i++) {
        const statement = statements[i]!;
        if (ts.isThrowStatement(statement)) return true;
        if (leavesEarly(statement)) return false;
      }
      continue;
    }
    if (ts.isIfStatement(parent) || ts.isLabeledStatement(parent) || ts.isCatchClause(parent)) continue;
    if (ts.isTryStatement(parent)) {
      if (parent.tryBlock === node && parent.catchClause) return false;
      if (parent.finallyBlock === node || (parent.finallyBlock && leavesEarly(parent.finallyBlock))) return false;
      continue;
    }
    return false;
  }
  return false;
}

/** A statement holding a `return`, `break`, `continue` or `yield` outside nested functions. */
function leavesEarly(statement: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) || ts.isBreakStatement(node) || ts.isContinueStatement(node) || ts.isYieldExpression(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

/**
 * Whether the workflow function always awaits `condition(...)` after the catch that takes the
 * call's failure: in the catch, or in a statement after the try statement (or after a statement
 * holding it) in the same block, with no `if`, loop or other branch in between (a `try` block
 * around the wait is fine). A wait at the top of a loop around the try (a pause gate) does not count.
 */
function waitAfterCatch(call: ts.CallExpression, fn: ts.Node, model: TemporalModel): boolean {
  let tryStatement: ts.TryStatement | undefined;
  let child: ts.Node = call;
  for (let node = call.parent; node && node !== fn; child = node, node = node.parent) {
    if (ts.isTryStatement(node) && node.tryBlock === child && node.catchClause) {
      tryStatement = node;
      break;
    }
  }
  if (!tryStatement) return false;
  const catching = tryStatement;
  const encloses = (outer: ts.Node, inner: ts.Node) => inner.getStart() >= outer.getStart() && inner.getEnd() <= outer.getEnd();
  const alwaysAfter = (wait: ts.Node): boolean => {
    let child: ts.Node = wait;
    for (let node = wait.parent; node && node !== fn; child = node, node = node.parent) {
      if (node === catching.catchClause) return true;
      if (ts.isBlock(node) && encloses(node, catching)) {
        const holder = node.statements.find((statement) => encloses(statement, catching));
        return !!holder && child.getStart() >= holder.getEnd();
      }
      const unconditional =
        ts.isAwaitExpression(node) || ts.isExpressionStatement(node) || ts.isParenthesizedExpression(node) || ts.isVariableDeclaration(node) || ts.isVariableDeclarationList(node) ||
        ts.isVariableStatement(node) || ts.isBlock(node) || (ts.isTryStatement(node) && node.tryBlock === child) ||
        (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && node.right === child);
      if (!unconditional) return false;
    }
    return false;
  };
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isCallExpression(node) && model.temporalApiOf(node.expression)?.name === 'condition' && alwaysAfter(node)) found = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return found;
}

function throwsIn(block: ts.Block): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isThrowStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(block, visit);
  return found;
}
