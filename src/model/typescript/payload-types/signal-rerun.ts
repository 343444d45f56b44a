// A loop that goes round again only when a message arrived while the previous pass ran: a "dirty"
// flag (or a counter, or a collection) that the loop resets at the start of every pass, before it
// waits, and that only signal or update handlers set again. The loop tests it to go on
// (`do { dirty = false; await reindex(id) } while (dirty)`, or `while (true) { ...; if (!dirty) break }`),
// so it stops on the first pass during which no message arrived: it runs once per burst of
// messages, as long as the senders keep sending during every pass, not for as long as the code says.
// A loop that waits for the next message (`condition(...)`) is an entity loop and is not this.

import ts from 'typescript';
import { containsContinue } from './turn-wait.js';
import { locate, nodeSnippet } from '../locate.js';
import { activityTypeCalled } from '../activity-calls.js';
import { skipOuterExpressions as skipOuter } from '../temporal-api.js';
import type { SourceLocation, TemporalModel } from '../types.js';
import type { Loop } from './loop-bounds.js';
import type { HistoryGrowth } from './unbounded-loops.js';
import { messageHandlerCallAround } from './message-handlers.js';

export interface SignalRerun {
  /** The variable the loop tests to go on. */
  flag: string;
  /** Where the loop resets it on every pass. */
  reset: SourceLocation;
  /** The first arguments of the setHandler calls whose handlers set it (`reindexSignal`). */
  messages: string[];
}

/**
 * What a reset must set the variable to for the test to stop the loop: any falsy value (`while
 * (dirty)`), `false` (`if (dirty === false) break`), `0` (`count > 0`), or empty (`list.length > 0`).
 */
type ResetKind = 'falsy' | 'false' | 'zero' | 'empty';

interface FlagTest {
  name: ts.Identifier;
  reset: ResetKind;
}

/**
 * The flag a loop reruns on, when the loop is of that shape: its only way to go round again is a
 * test of the flag (the loop condition, or for `while (true)` an `if (...) break` every pass goes
 * through, with no `continue`); a top-level statement of the body resets the flag before anything
 * in the pass waits; every other write of the flag outside signal or update handlers is a reset
 * too; at least one handler sets it; and the loop waits for no message itself (`historyGrowth`
 * holds no `condition`).
 */
export function signalRerun(loop: Loop, growth: HistoryGrowth[], model: TemporalModel): SignalRerun | undefined {
  if (growth.some((g) => g.kind !== 'activity' && g.name === 'condition')) return undefined;
  if (!ts.isBlock(loop.statement)) return undefined;
  const statements = [...loop.statement.statements];
  let test: FlagTest | undefined;
  let order: ts.Statement[];
  const condition = ts.isForStatement(loop) ? (loop.incrementor ? undefined : (loop.condition ?? ts.factory.createTrue())) : ts.isForOfStatement(loop) || ts.isForInStatement(loop) ? undefined : loop.expression;
  if (!condition || waits(condition)) return undefined;
  if (isTrue(condition)) {
    // `while (true)`: one `if (<flag is clear>) break` at the top level of the body, and no `continue`.
    if (containsContinue(loop.statement)) return undefined;
    const index = statements.findIndex((statement) => ts.isIfStatement(statement) && !statement.elseStatement && leaves(statement.thenStatement) && !waits(statement.expression) && flagTest(statement.expression, false));
    if (index < 0) return undefined;
    test = flagTest((statements[index] as ts.IfStatement).expression, false);
    order = [...statements.slice(index + 1), ...statements.slice(0, index)];
  } else {
    test = flagTest(condition, true);
    order = statements;
  }
  if (!test) return undefined;
  const target = model.declarationOf(test.name);
  if (!target || !ts.isVariableDeclaration(target) || !ts.isIdentifier(target.name)) return undefined;
  // A `const` can only be a collection the loop empties.
  if (!ts.isVariableDeclarationList(target.parent) || ((target.parent.flags & ts.NodeFlags.Const) !== 0 && test.reset !== 'empty')) return undefined;
  const scope = enclosingFunction(target);
  if (!scope) return undefined;
  // The reset, in the order a pass runs from the test back to it, before anything that waits.
  let reset: ts.Statement | undefined;
  for (const statement of order) {
    if (isReset(statement, target, test.reset, model)) {
      reset = statement;
      break;
    }
    if (waits(statement) || containsContinue(statement)) return undefined;
  }
  if (!reset) return undefined;
  const messages = handlersThatSet(target, scope, test.reset, model);
  if (!messages?.length) return undefined;
  return { flag: test.name.text, reset: locate(reset), messages };
}

/**
 * `dirty`, `dirty === true`, `count > 0`, `list.length > 0` (true while the flag is set), or for an
 * exit (`whileSet` false) `!dirty`, `dirty === false`, `count === 0`, `list.length === 0`. `a && b`
 * goes on only while both hold, so a flag on either side is enough; an exit `a || b` leaves when
 * either holds.
 */
function flagTest(expression: ts.Expression, whileSet: boolean): FlagTest | undefined {
  const inner = skipOuterExpressions(expression);
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === (whileSet ? ts.SyntaxKind.AmpersandAmpersandToken : ts.SyntaxKind.BarBarToken)) {
    return flagTest(inner.left, whileSet) ?? flagTest(inner.right, whileSet);
  }
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken) return flagTest(inner.operand, !whileSet);
  const length = lengthOf(inner);
  if (length) return whileSet ? { name: length, reset: 'empty' } : undefined;
  if (ts.isIdentifier(inner)) return whileSet ? { name: inner, reset: 'falsy' } : undefined;
  if (!ts.isBinaryExpression(inner)) return undefined;
  const left = skipOuterExpressions(inner.left);
  const right = skipOuterExpressions(inner.right);
  const op = inner.operatorToken.kind;
  const equal = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
  const unequal = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  const named = ts.isIdentifier(left) ? left : undefined;
  const counted = lengthOf(left);
  if (named && equal && right.kind === ts.SyntaxKind.TrueKeyword && whileSet) return { name: named, reset: 'falsy' };
  if (named && equal && right.kind === ts.SyntaxKind.FalseKeyword && !whileSet) return { name: named, reset: 'false' };
  const subject: FlagTest | undefined = named ? { name: named, reset: 'zero' } : counted ? { name: counted, reset: 'empty' } : undefined;
  if (!subject || !ts.isNumericLiteral(right)) return undefined;
  const value = Number(right.text);
  if (whileSet) {
    if ((op === ts.SyntaxKind.GreaterThanToken && value === 0) || (unequal && value === 0) || (op === ts.SyntaxKind.GreaterThanEqualsToken && value === 1)) return subject;
    return undefined;
  }
  if ((equal && value === 0) || (op === ts.SyntaxKind.LessThanEqualsToken && value === 0) || (op === ts.SyntaxKind.LessThanToken && value === 1)) return subject;
  return undefined;
}

/** `list.length` or `set.size` gives `list` (an identifier only). */
function lengthOf(expression: ts.Expression): ts.Identifier | undefined {
  const inner = skipOuterExpressions(expression);
  if (!ts.isPropertyAccessExpression(inner) || (inner.name.text !== 'length' && inner.name.text !== 'size')) return undefined;
  const subject = skipOuterExpressions(inner.expression);
  return ts.isIdentifier(subject) ? subject : undefined;
}

/**
 * A top-level statement that clears the flag: `dirty = false`, `count = 0`, `list = []`,
 * `list.length = 0`, `list.clear()`, `list.splice(0)` (also as `const batch = list.splice(0)`).
 */
function isReset(statement: ts.Statement, target: ts.Declaration, kind: ResetKind, model: TemporalModel): boolean {
  if (ts.isVariableStatement(statement)) {
    return kind === 'empty' && statement.declarationList.declarations.some((declaration) => declaration.initializer !== undefined && takesAll(declaration.initializer, target, model));
  }
  if (!ts.isExpressionStatement(statement)) return false;
  const expression = skipOuterExpressions(statement.expression);
  if (kind === 'empty' && takesAll(expression, target, model)) return true;
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const left = skipOuterExpressions(expression.left);
  if (kind === 'empty' && ts.isPropertyAccessExpression(left) && left.name.text === 'length' && refersTo(left.expression, target, model)) return isZero(expression.right);
  return refersTo(left, target, model) && clears(expression.right, kind);
}

/** `list.clear()`, `list.splice(0)`, `list.splice(0, list.length)`: every item taken out. */
function takesAll(expression: ts.Expression, target: ts.Declaration, model: TemporalModel): boolean {
  const call = skipOuterExpressions(expression);
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || !refersTo(call.expression.expression, target, model)) return false;
  const method = call.expression.name.text;
  if (method === 'clear') return call.arguments.length === 0;
  if (method !== 'splice' || !call.arguments[0] || !isZero(call.arguments[0])) return false;
  if (call.arguments.length === 1) return true;
  const count = call.arguments.length === 2 ? lengthOf(call.arguments[1]!) : undefined;
  return count !== undefined && refersTo(count, target, model);
}

/** A value that makes the test stop the loop. */
function clears(value: ts.Expression, kind: ResetKind): boolean {
  const inner = skipOuterExpressions(value);
  switch (kind) {
    case 'false':
      return inner.kind === ts.SyntaxKind.FalseKeyword;
    case 'zero':
      return isZero(inner);
    case 'empty':
      return (ts.isArrayLiteralExpression(inner) && inner.elements.length === 0) || (ts.isNewExpression(inner) && ['Set', 'Map', 'Array'].includes(inner.expression.getText()) && !inner.arguments?.length);
    case 'falsy':
      return (
        inner.kind === ts.SyntaxKind.FalseKeyword ||
        inner.kind === ts.SyntaxKind.NullKeyword ||
        isZero(inner) ||
        (ts.isStringLiteral(inner) && inner.text === '') ||
        (ts.isIdentifier(inner) && inner.text === 'undefined') ||
        (ts.isVoidExpression(inner) && ts.isNumericLiteral(skipOuterExpressions(inner.expression)))
      );
  }
}

/**
 * The messages whose handlers set the flag, when every write of it outside a handler clears it
 * (its declaration aside). For a collection, every use outside a handler must also be one that
 * cannot add to it: reading its length, taking items out, iterating or copying it, or passing it
 * to an activity (which gets a copy); handing it to anything else could let that code add to it.
 */
function handlersThatSet(target: ts.VariableDeclaration, scope: ts.Node, kind: ResetKind, model: TemporalModel): string[] | undefined {
  const messages = new Set<string>();
  let sound = true;
  const visit = (node: ts.Node): void => {
    if (!sound) return;
    if (ts.isIdentifier(node) && node !== target.name && model.declarationOf(node) === target) {
      const handler = messageHandlerCallAround(node, model);
      const write = writeOf(node);
      if (handler) {
        if (write === 'sets' || write === 'adds') messages.add(handler.arguments[0] ? nodeSnippet(handler.arguments[0], 40) : 'a message');
      } else if (write === 'sets' || write === 'adds' || write === 'unknown') {
        if (!(write === 'sets' && clearingWrite(node, kind))) sound = false;
      } else if (kind === 'empty' && write === 'read' && !harmlessUse(node, model)) {
        sound = false;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return sound ? [...messages] : undefined;
}

/**
 * What a use of the variable does to it: `sets` (assigned, `++`), `adds` (push, add, set, unshift,
 * a splice that inserts), `takes` (shift, pop, clear, a splice that only removes, `length = 0`),
 * `unknown` (a destructuring assignment), or `read`.
 */
function writeOf(identifier: ts.Identifier): 'sets' | 'adds' | 'takes' | 'unknown' | 'read' {
  let node: ts.Node = identifier;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isAsExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent) return 'read';
  if (ts.isBinaryExpression(parent) && parent.left === node && isAssignment(parent.operatorToken.kind)) return 'sets';
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return 'sets';
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
    const method = parent.name.text;
    const call = parent.parent;
    if (call && ts.isCallExpression(call) && call.expression === parent) {
      if (ADDING.has(method) || (method === 'splice' && call.arguments.length > 2)) return 'adds';
      if (TAKING.has(method)) return 'takes';
      return 'read';
    }
    if (method === 'length' && call && ts.isBinaryExpression(call) && call.left === parent && isAssignment(call.operatorToken.kind)) {
      return call.operatorToken.kind === ts.SyntaxKind.EqualsToken && isZero(call.right) ? 'takes' : 'adds';
    }
    return 'read';
  }
  // `[a, dirty] = pair`, `({ dirty } = state)`: a write preflight does not follow.
  for (let current: ts.Node = parent; current.parent; current = current.parent) {
    if (ts.isStatement(current) || ts.isFunctionLike(current)) break;
    if (ts.isBinaryExpression(current.parent) && current.parent.left === current && isAssignment(current.parent.operatorToken.kind)) return 'unknown';
  }
  return 'read';
}

/** `dirty = false` (with the value that clears the flag), outside a handler. */
function clearingWrite(identifier: ts.Identifier, kind: ResetKind): boolean {
  let node: ts.Node = identifier;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  return parent !== undefined && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && clears(parent.right, kind);
}

/**
 * A use of a collection that cannot add to it: a method call that does not add (already sorted
 * out), `list.length`, `[...list]`, `for (const x of list)`, or an argument of an activity call.
 */
function harmlessUse(identifier: ts.Identifier, model: TemporalModel): boolean {
  let node: ts.Node = identifier;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isAsExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) return !(parent.parent && ts.isCallExpression(parent.parent) && parent.parent.expression === parent && !READING.has(parent.name.text) && !TAKING.has(parent.name.text));
  if (ts.isSpreadElement(parent) && parent.parent && ts.isArrayLiteralExpression(parent.parent)) return true;
  if (ts.isForOfStatement(parent) && parent.expression === node) return true;
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) return activityTypeCalled(parent.expression, model) !== undefined;
  return false;
}

const ADDING = new Set(['push', 'unshift', 'add', 'set']);
const TAKING = new Set(['shift', 'pop', 'clear', 'splice', 'delete']);
/** Methods that leave a collection as it is. */
const READING = new Set(['slice', 'map', 'filter', 'forEach', 'some', 'every', 'find', 'findIndex', 'includes', 'indexOf', 'join', 'has', 'get', 'keys', 'values', 'entries', 'reduce', 'at', 'concat', 'flatMap']);

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** An `await` (or `for await`, `yield`) outside nested functions: the pass waits there. */
function waits(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current)) return;
    if (ts.isAwaitExpression(current) || ts.isYieldExpression(current) || (ts.isForOfStatement(current) && current.awaitModifier)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}


/** `break` (not to a label), `return` or `throw`, alone or ending a block. */
function leaves(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  if (!last) return false;
  return ts.isReturnStatement(last) || ts.isThrowStatement(last) || (ts.isBreakStatement(last) && last.label === undefined);
}

function isTrue(expression: ts.Expression): boolean {
  return skipOuterExpressions(expression).kind === ts.SyntaxKind.TrueKeyword;
}

function isZero(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  return ts.isNumericLiteral(inner) && Number(inner.text) === 0;
}

function refersTo(expression: ts.Expression, target: ts.Declaration, model: TemporalModel): boolean {
  const inner = skipOuterExpressions(expression);
  return ts.isIdentifier(inner) && model.declarationOf(inner) === target;
}

function skipOuterExpressions(expression: ts.Expression): ts.Expression {
  return skipOuter(expression) as ts.Expression;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current as ts.FunctionLikeDeclaration;
  return undefined;
}
