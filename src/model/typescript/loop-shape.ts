// Loops that await but do not make an activity long-running: a loop over a short literal list
// (`for (const q of ['DROP a', 'DROP b'])`), a counted retry loop that leaves on the first
// success (`for (let i = 1; i <= max; i++) { try { await op(); return; } catch { await wait(i * 50); } }`),
// which in normal operation runs once, and a loop capped at a small number of iterations (a page
// fetched with `limit: 100`, `for (let i = 0; i < 20; i++)`, `if (++pages >= 100) break`).

import ts from 'typescript';
import { declarationOf } from './declarations.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';

/** Up to this many literal elements, iterating over a list is a short sequence, not a long loop. */
const SHORT_LIST = 10;

export function isShortFixedLoop(loop: ts.IterationStatement, ctx: ResolveContext): boolean {
  if (!ts.isForOfStatement(loop)) return false;
  const iterated = skipOuterExpressions(loop.expression);
  const list = ts.isIdentifier(iterated) ? constInitializer(iterated, ctx) : iterated;
  return list !== undefined && ts.isArrayLiteralExpression(list) && list.elements.length <= SHORT_LIST && !list.elements.some(ts.isSpreadElement);
}

/** A `const` array's initializer that nothing can grow in place is still a literal at the loop. */
function constInitializer(identifier: ts.Identifier, ctx: ResolveContext): ts.Node | undefined {
  const declaration = declarationOf(identifier, ctx.index);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
  const text = declaration.getSourceFile().text;
  // `list.push(...)` between declaration and loop would make it grow: then it is not fixed.
  const name = identifier.text.replace(/\$/g, '\\$');
  if (new RegExp(`(^|[^\\w$])${name}\\s*\\.\\s*(push|unshift|splice)\\s*\\(`).test(text)) return undefined;
  return skipOuterExpressions(declaration.initializer);
}

/**
 * A loop bounded by a comparison (`attempt <= maxAttempts`) whose body tries the work and leaves
 * on success: a retry loop. It repeats only while the work fails.
 */
export function isRetryLoop(loop: ts.IterationStatement): boolean {
  const condition = ts.isForStatement(loop) ? loop.condition : ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : undefined;
  if (!condition || !isComparison(skipOuterExpressions(condition))) return false;
  const body = loop.statement;
  const statements = ts.isBlock(body) ? body.statements : [body];
  return statements.some(
    (statement) => ts.isTryStatement(statement) && statement.tryBlock.statements.some((s) => ts.isReturnStatement(s) || ts.isBreakStatement(s)),
  );
}

function isComparison(node: ts.Node): boolean {
  if (!ts.isBinaryExpression(node)) return false;
  const operator = node.operatorToken.kind;
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return isComparison(skipOuterExpressions(node.left)) || isComparison(skipOuterExpressions(node.right));
  return (
    operator === ts.SyntaxKind.LessThanToken ||
    operator === ts.SyntaxKind.LessThanEqualsToken ||
    operator === ts.SyntaxKind.GreaterThanToken ||
    operator === ts.SyntaxKind.GreaterThanEqualsToken
  );
}

/**
 * Up to this many iterations, a loop of single awaits (queries, API calls) ends in seconds: far
 * inside an ordinary startToCloseTimeout, so a heartbeat would buy nothing.
 */
export const CAPPED_ITERATIONS = 100;

/**
 * Options that cap how many rows or items a query or API call returns in all. Not `pageSize` or
 * `perPage`: a helper given a page size may well page through everything.
 */
const PAGE_SIZE_OPTIONS = new Set(['limit', 'take', 'maxResults']);

/**
 * A loop that cannot run more than CAPPED_ITERATIONS times: a counted loop with a small numeric
 * bound, a loop that leaves when a counter it increments reaches a small number, or a for-of over
 * the result of one call made with a small page size (`await listStale({ limit: 100 })`,
 * `db.select().from(t).limit(50)`). Callers still treat a loop that sleeps as a poll.
 */
export function isCappedLoop(loop: ts.IterationStatement, ctx: ResolveContext): boolean {
  // A capped loop around another loop multiplies the caps: judge only innermost loops.
  if (containsLoop(loop.statement)) return false;
  if (ts.isForOfStatement(loop)) return !loop.awaitModifier && (isSmallPage(loop.expression, ctx) || isSmallConstantCollection(loop.expression, ctx));
  const condition = ts.isForStatement(loop) ? loop.condition : ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : undefined;
  const counter = condition ? smallBoundOf(skipOuterExpressions(condition), 'below', ctx) : undefined;
  if (counter && (increments(loop.statement, counter) || (ts.isForStatement(loop) && loop.incrementor !== undefined && increments(loop.incrementor, counter)))) return true;
  return counterExitOf(loop, ctx);
}

/**
 * The counter a comparison holds `below` a small number (a loop condition: `i < 100`) or finds
 * `reached` it (an exit test: `count >= 100`, `++pages > MAX`), when it does.
 */
function smallBoundOf(node: ts.Node, side: 'below' | 'reached', ctx: ResolveContext): ts.Identifier | undefined {
  if (!ts.isBinaryExpression(node)) return undefined;
  const operator = node.operatorToken.kind;
  const below = operator === ts.SyntaxKind.LessThanToken || operator === ts.SyntaxKind.LessThanEqualsToken;
  const reached = operator === ts.SyntaxKind.GreaterThanToken || operator === ts.SyntaxKind.GreaterThanEqualsToken;
  if (side === 'below' ? !below : !reached) return undefined;
  if (!isSmallNumber(node.right, ctx)) return undefined;
  return counterName(skipOuterExpressions(node.left));
}

function counterName(node: ts.Node): ts.Identifier | undefined {
  if (ts.isIdentifier(node)) return node;
  if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && ts.isIdentifier(node.operand)) return node.operand;
  return undefined;
}

function isSmallNumber(node: ts.Expression, ctx: ResolveContext): boolean {
  const value = resolveValue(node, ctx);
  return value.kind === 'number' && value.value >= 0 && value.value <= CAPPED_ITERATIONS;
}

/**
 * `while (true) { ...; count += 1; if (count >= 100) break; }`: a statement of the loop body that
 * leaves the loop once a counter the body increments reaches a small number.
 */
function counterExitOf(loop: ts.IterationStatement, ctx: ResolveContext): boolean {
  const statements = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  return statements.some((statement) => {
    if (!ts.isIfStatement(statement) || !leaves(statement.thenStatement)) return false;
    const counter = smallBoundOf(skipOuterExpressions(statement.expression), 'reached', ctx);
    return counter !== undefined && (increments(statement.expression, counter) || statements.some((s) => increments(s, counter)));
  });
}

function leaves(statement: ts.Statement): boolean {
  const statements = ts.isBlock(statement) ? statement.statements : [statement];
  const last = statements.at(-1);
  return last !== undefined && (ts.isBreakStatement(last) || ts.isReturnStatement(last) || ts.isThrowStatement(last));
}

/** `counter++`, `++counter`, `counter += n` or `counter = counter + n` somewhere in `node`. */
function increments(node: ts.Node, counter: ts.Identifier): boolean {
  let found = false;
  const same = (n: ts.Node) => ts.isIdentifier(n) && n.text === counter.text;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current)) return;
    if ((ts.isPrefixUnaryExpression(current) || ts.isPostfixUnaryExpression(current)) && current.operator === ts.SyntaxKind.PlusPlusToken && same(current.operand)) found = true;
    else if (ts.isBinaryExpression(current) && same(current.left)) {
      const operator = current.operatorToken.kind;
      if (operator === ts.SyntaxKind.PlusEqualsToken) found = true;
      else if (operator === ts.SyntaxKind.EqualsToken && ts.isBinaryExpression(current.right) && current.right.operatorToken.kind === ts.SyntaxKind.PlusToken && same(skipOuterExpressions(current.right.left))) found = true;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/**
 * The iterated value is (a property of) a const set once from one call with a small page size:
 * `const rows = await listStale({ limit: 100 })` then `for (const row of rows)` or `of page.items`.
 */
function isSmallPage(iterated: ts.Expression, ctx: ResolveContext): boolean {
  let root = skipOuterExpressions(iterated);
  while (ts.isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
  if (ts.isAwaitExpression(root) || ts.isCallExpression(root)) return callHasSmallPage(root, ctx);
  if (!ts.isIdentifier(root)) return false;
  const declaration = declarationOf(root, ctx.index);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return false;
  // `const { rows } = await query({ limit: 50 })` destructures the same result.
  return callHasSmallPage(declaration.initializer, ctx);
}

function callHasSmallPage(expression: ts.Expression, ctx: ResolveContext): boolean {
  let current = skipOuterExpressions(expression);
  if (ts.isAwaitExpression(current)) current = skipOuterExpressions(current.expression);
  // Walk a builder chain (`db.select().from(t).where(w).limit(100)`) call by call.
  while (ts.isCallExpression(current)) {
    const callee = skipOuterExpressions(current.expression);
    if (ts.isPropertyAccessExpression(callee) && PAGE_SIZE_OPTIONS.has(callee.name.text) && current.arguments.length === 1 && isSmallNumber(current.arguments[0]!, ctx)) return true;
    for (const argument of current.arguments) {
      const object = skipOuterExpressions(argument);
      if (!ts.isObjectLiteralExpression(object)) continue;
      for (const property of object.properties) {
        if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
        if (!ts.isIdentifier(property.name) || !PAGE_SIZE_OPTIONS.has(property.name.text)) continue;
        const value = ts.isPropertyAssignment(property) ? property.initializer : property.name;
        if (isSmallNumber(value, ctx)) return true;
      }
    }
    if (!ts.isPropertyAccessExpression(callee)) return false;
    current = skipOuterExpressions(callee.expression);
  }
  return false;
}

/** Array methods that return at most the elements they were called on. */
const SUBSET_METHODS = new Set(['filter', 'slice', 'map', 'reverse', 'toReversed', 'toSorted']);

/**
 * A constant collection written in the code with at most CAPPED_ITERATIONS entries: a `const`
 * array literal (`for (const agent of ALL_AGENTS)`, possibly imported), `Object.values / keys /
 * entries` of a `const` object literal, or a subset of either (`ALL_AGENTS.filter(...)`). Its size
 * is fixed when the code is written, not by the data at run time.
 */
function isSmallConstantCollection(iterated: ts.Expression, ctx: ResolveContext): boolean {
  let current = skipOuterExpressions(iterated);
  // `LIST.filter(f)`, `LIST.slice(1)`: never more elements than LIST .
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && SUBSET_METHODS.has(current.expression.name.text)) {
    current = skipOuterExpressions(current.expression.expression);
  }
  if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
    const target = skipOuterExpressions(current.expression.expression);
    const method = current.expression.name.text;
    if (!ts.isIdentifier(target) || target.text !== 'Object' || !['values', 'keys', 'entries'].includes(method) || current.arguments.length !== 1) return false;
    const argument = skipOuterExpressions(current.arguments[0]!);
    const object = ts.isIdentifier(argument) ? constInitializer(argument, ctx) : argument;
    return object !== undefined && ts.isObjectLiteralExpression(object) && object.properties.length <= CAPPED_ITERATIONS && !object.properties.some(ts.isSpreadAssignment);
  }
  const list = ts.isIdentifier(current) ? constInitializer(current, ctx) : current;
  return list !== undefined && ts.isArrayLiteralExpression(list) && list.elements.length <= CAPPED_ITERATIONS && !list.elements.some(ts.isSpreadElement);
}

/** A loop statement inside `node`, outside nested functions. */
function containsLoop(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current)) return;
    if (ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current) || ts.isWhileStatement(current) || ts.isDoStatement(current)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}
