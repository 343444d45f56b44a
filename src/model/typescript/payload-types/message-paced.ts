// A loop that goes round only after waiting for a message: every path from the top of its body
// back to the top (falling off the end, `continue`) passes `await condition(() => flag)` with no
// timeout, on a variable that a signal or update handler sets and that the loop (or a helper it
// awaits) resets before waiting, and some path leaves the loop (return, throw, break) without
// waiting. A retry that waits for an operator's "fixed" signal after each failure and returns on
// success is such a loop: it repeats once per message, at the pace of people or other systems, not
// by itself. An entity loop (every path waits and nothing leaves) is not one, nor is a wait with a
// timeout (a timer), nor a flag nothing resets (after the first message the wait passes at once).
// The Python reading is in src/model/python/python-history-loops.ts (messagePaced).

import ts from 'typescript';
import { locate, nodeSnippet } from '../locate.js';
import { skipOuterExpressions as skipOuter } from '../temporal-api.js';
import type { SourceLocation, TemporalModel } from '../types.js';
import type { Loop } from './loop-bounds.js';
import { messageHandlerCallAround } from './message-handlers.js';
import { enclosingFunction } from '../call-reach.js';

export interface MessagePaced {
  /** The first wait a round passes. */
  wait: SourceLocation;
  /** The first arguments of the setHandler calls whose handlers release it (`repairedSignal`). */
  messages: string[];
}

const HELPER_DEPTH = 3;

interface Walk {
  model: TemporalModel;
  loop: Loop;
  waits: { node: ts.Node; messages: string[] }[];
  unwaitedRepeat: boolean;
  unwaitedExit: boolean;
  /** A shape this reading does not follow (a label, a switch that leaves or waits): no verdict. */
  unsupported: boolean;
  /** Inside a helper the loop awaits: the states at its `return`s. */
  returns?: boolean[];
  depth: number;
  /** Functions whose bodies run as part of a round (the loop body, helpers it awaits): where resets count. */
  round: ts.Node[];
}

export function messagePaced(loop: Loop, model: TemporalModel): MessagePaced | undefined {
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return undefined;
  const walk: Walk = { model, loop, waits: [], unwaitedRepeat: false, unwaitedExit: false, unsupported: false, depth: 0, round: [loop.statement] };
  // `while (cond)` leaves whenever cond is false, before any wait.
  const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
  if (condition && skipOuter(condition).kind !== ts.SyntaxKind.TrueKeyword) walk.unwaitedExit = true;
  const end = flow([loop.statement], false, walk, true);
  if (walk.unsupported || end === false || walk.unwaitedRepeat || !walk.unwaitedExit || walk.waits.length === 0) return undefined;
  return { wait: locate(walk.waits[0]!.node), messages: [...new Set(walk.waits.flatMap((w) => w.messages))].sort() };
}

/** Whether the path has waited when the statements complete normally; null when none completes. */
function flow(statements: readonly ts.Statement[], waited: boolean, walk: Walk, ownLoop: boolean): boolean | null {
  let state: boolean | null = waited;
  for (const statement of statements) {
    if (state === null) return null;
    state = step(statement, state, walk, ownLoop);
  }
  return state;
}

function step(statement: ts.Statement, waited: boolean, walk: Walk, ownLoop: boolean): boolean | null {
  const exit = (): null => {
    if (!waited) walk.unwaitedExit = true;
    return null;
  };
  if (ts.isReturnStatement(statement)) {
    if (walk.returns) {
      walk.returns.push(waited || waitsIn(statement, walk));
      return null;
    }
    return exit();
  }
  // A throw in a helper may be caught by the loop: it ends the path without counting as a way out.
  if (ts.isThrowStatement(statement)) return walk.returns ? null : exit();
  if (ts.isBreakStatement(statement) || ts.isContinueStatement(statement)) {
    if (statement.label) {
      walk.unsupported = true;
      return null;
    }
    if (ts.isBreakStatement(statement)) return ownLoop ? exit() : null;
    if (ownLoop && !waited) walk.unwaitedRepeat = true;
    return null;
  }
  if (ts.isBlock(statement)) return flow(statement.statements, waited, walk, ownLoop);
  if (ts.isIfStatement(statement)) {
    const before = waited || waitsIn(statement.expression, walk);
    return merge([flow([statement.thenStatement], before, walk, ownLoop), statement.elseStatement ? flow([statement.elseStatement], before, walk, ownLoop) : before]);
  }
  if (ts.isTryStatement(statement)) {
    const outcome = flow(statement.tryBlock.statements, waited, walk, ownLoop);
    // A catch may run before the try block waited: it starts from the state at the try.
    const caught = statement.catchClause ? flow(statement.catchClause.block.statements, waited, walk, ownLoop) : null;
    let merged = statement.catchClause ? merge([outcome, caught]) : outcome;
    if (statement.finallyBlock && merged !== null) merged = flow(statement.finallyBlock.statements, merged, walk, ownLoop);
    return merged;
  }
  if (ts.isIterationStatement(statement, false)) {
    // An inner loop may run no time at all; its break and continue are its own.
    flow([statement.statement], waited, walk, false);
    return waited;
  }
  if (ts.isSwitchStatement(statement) || ts.isLabeledStatement(statement)) {
    if (ts.isLabeledStatement(statement) || leavesOrWaits(statement, walk)) walk.unsupported = true;
    return waited;
  }
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) return waited;
  return waited || waitsIn(statement, walk);
}

function merge(outcomes: (boolean | null)[]): boolean | null {
  const completing = outcomes.filter((o): o is boolean => o !== null);
  return completing.length === 0 ? null : completing.every(Boolean);
}

/** A switch whose clauses return, throw, continue or wait: not followed. */
function leavesOrWaits(node: ts.Node, walk: Walk): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found || ts.isFunctionLike(child)) return;
    if (ts.isReturnStatement(child) || ts.isThrowStatement(child) || ts.isContinueStatement(child) || ts.isAwaitExpression(child)) found = true;
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return found || walk.unsupported;
}

/**
 * The code awaits a message-gated `condition(() => ...)` (no timeout), or a helper function that on
 * every path that returns has awaited one.
 */
function waitsIn(node: ts.Node, walk: Walk): boolean {
  let waited = false;
  const visit = (child: ts.Node): void => {
    if (waited || ts.isFunctionLike(child)) return;
    if (ts.isAwaitExpression(child)) {
      const call = skipOuter(child.expression);
      if (ts.isCallExpression(call) && (gatedCondition(call, walk) || waitingHelper(call, walk))) {
        waited = true;
        return;
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return waited;
}

function gatedCondition(call: ts.CallExpression, walk: Walk): boolean {
  if (walk.model.temporalApiOf(call.expression)?.name !== 'condition' || call.arguments.length !== 1) return false;
  const messages = messageState(call.arguments[0]!, walk);
  if (!messages) return false;
  walk.waits.push({ node: call, messages });
  return true;
}

function waitingHelper(call: ts.CallExpression, walk: Walk): boolean {
  if (walk.depth >= HELPER_DEPTH) return false;
  const declaration = walk.model.declarationOf(call.expression);
  const fn = declaration && functionOf(declaration);
  if (!fn?.body || fn.getSourceFile().isDeclarationFile || !walk.model.files.includes(fn.getSourceFile().fileName)) return false;
  const inner: Walk = { ...walk, returns: [], depth: walk.depth + 1, waits: [], unwaitedRepeat: false, unwaitedExit: false, unsupported: false, round: [...walk.round, fn.body] };
  const end = ts.isBlock(fn.body) ? flow(fn.body.statements, false, inner, false) : waitsIn(fn.body, inner);
  const completions = [...(end === null ? [] : [end]), ...inner.returns!];
  if (inner.unsupported || completions.length === 0 || !completions.every(Boolean) || inner.waits.length === 0) return false;
  walk.waits.push(...inner.waits);
  return true;
}

function functionOf(declaration: ts.Declaration): ts.FunctionLikeDeclaration | undefined {
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) return declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const initializer = skipOuter(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}

/**
 * The messages that release the condition: an arrow function with no parameters whose body reads
 * only variables (and `undefined`) that signal or update handlers set, at least one of which the
 * round resets outside handlers (`repaired = false`), so each round needs a new message.
 */
function messageState(argument: ts.Expression, walk: Walk): string[] | undefined {
  const fn = skipOuter(argument);
  if (!ts.isArrowFunction(fn) || fn.parameters.length > 0 || ts.isBlock(fn.body)) return undefined;
  const messages = new Set<string>();
  let sound = true;
  let renewed = false;
  const visit = (node: ts.Node): void => {
    if (!sound) return;
    if (ts.isPropertyAccessExpression(node)) return visit(node.expression);
    if (ts.isIdentifier(node)) {
      if (node.text === 'undefined') return;
      const target = walk.model.declarationOf(node);
      const set = target && ts.isVariableDeclaration(target) ? handlersThatSet(target, walk.model) : [];
      if (set.length === 0) {
        sound = false;
        return;
      }
      for (const message of set) messages.add(message);
      if (walk.round.some((scope) => resetsIn(scope, target!, walk.model))) renewed = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return sound && renewed && messages.size > 0 ? [...messages].sort() : undefined;
}

/** The setHandler calls (their first argument) whose handlers assign or add to the variable. */
function handlersThatSet(target: ts.VariableDeclaration, model: TemporalModel): string[] {
  const scope = enclosingFunction(target) ?? target.getSourceFile();
  const messages = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node !== target.name && model.declarationOf(node) === target && writes(node)) {
      const handler = messageHandlerCallAround(node, model);
      if (handler) messages.add(handler.arguments[0] ? nodeSnippet(handler.arguments[0], 40) : 'a message');
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return [...messages];
}

/** `x = v`, `x += v`, `x++`, `x.push(...)` / `add` / `set` / `unshift`. */
function writes(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isBinaryExpression(parent) && parent.left === identifier && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  return ts.isPropertyAccessExpression(parent) && parent.expression === identifier && ['push', 'add', 'set', 'unshift'].includes(parent.name.text) && ts.isCallExpression(parent.parent);
}

/** The code (outside handlers and nested functions) assigns the variable or empties it (`x = false`, `x.length = 0`, `x.clear()`, `x.splice(0)`). */
function resetsIn(scope: ts.Node, target: ts.Declaration, model: TemporalModel): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node) && node !== scope)) return;
    if (ts.isIdentifier(node) && model.declarationOf(node) === target) {
      const parent = node.parent;
      if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) found = true;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
        const use = parent.parent;
        if (parent.name.text === 'length' && ts.isBinaryExpression(use) && use.left === parent && use.operatorToken.kind === ts.SyntaxKind.EqualsToken) found = true;
        if (['clear', 'splice'].includes(parent.name.text) && ts.isCallExpression(use)) found = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(scope, visit);
  return found;
}

