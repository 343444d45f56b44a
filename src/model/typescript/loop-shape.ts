// Loops that await but do not make an activity long-running: a loop over a short literal list
// (`for (const q of ['DROP a', 'DROP b'])`), a counted retry loop that leaves on the first
// success (`for (let i = 1; i <= max; i++) { try { await op(); return; } catch { await wait(i * 50); } }`),
// which in normal operation runs once, and a loop capped at a small number of iterations (a page
// fetched with `limit: 100`, `for (let i = 0; i < 20; i++)`, `if (++pages >= 100) break`).

import ts from 'typescript';
import { CAPPED_ITERATIONS } from '../loop-caps.js';
import { declarationOf } from './declarations.js';
import { nodeSnippet } from './locate.js';
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

/**
 * The counter of a counted loop: the variable its condition compares (`attempt <= maxAttempts`,
 * `i < n`) and that the loop increments. Undefined for any other loop.
 */
export function loopCounter(loop: ts.IterationStatement): ts.Identifier | undefined {
  const condition = ts.isForStatement(loop) ? loop.condition : ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : undefined;
  const compared = condition ? skipOuterExpressions(condition) : undefined;
  if (!compared || !ts.isBinaryExpression(compared) || !isComparison(compared)) return undefined;
  for (const side of [compared.left, compared.right]) {
    const counter = counterName(skipOuterExpressions(side));
    if (!counter) continue;
    if (increments(loop.statement, counter) || (ts.isForStatement(loop) && loop.incrementor !== undefined && increments(loop.incrementor, counter))) return counter;
    if (increments(compared, counter)) return counter;
  }
  return undefined;
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

export { CAPPED_ITERATIONS };

/**
 * Options that cap how many rows or items a query or API call returns in all. Not `pageSize` or
 * `perPage`: a helper given a page size may well page through everything.
 */
const PAGE_SIZE_OPTIONS = new Set(['limit', 'take', 'maxResults']);

/**
 * Lengths a helper's rest parameter takes at the calls that reach it (`asyncPipe(x, f, g, h)`
 * gives `...fns` three entries): what bounds a loop over the functions a helper is handed.
 */
export type RestParameterCounts = ReadonlyMap<ts.ParameterDeclaration, number>;

/**
 * A loop that, with every loop of awaits nested in it, cannot run more than CAPPED_ITERATIONS
 * times in all: a counted loop with a small numeric bound, a loop that leaves when a counter it
 * increments reaches a small number, a for-of over the result of one call made with a small page
 * size (`await listStale({ limit: 100 })`, `db.select().from(t).limit(50)`), or over a constant
 * collection written in the code (nested ones too: `for (const d of DELIVERABLES) for (const p of
 * d.paths)`). Nested bounds multiply. Callers still treat a loop that sleeps as a poll.
 */
export function isCappedLoop(loop: ts.IterationStatement, ctx: ResolveContext, rest: RestParameterCounts = new Map()): boolean {
  let total = iterationBound(loop, ctx, rest);
  for (const inner of awaitingLoopsInside(loop.statement)) {
    if (total === undefined) return false;
    const bound = iterationBound(inner, ctx, rest);
    total = bound === undefined ? undefined : total * bound;
  }
  return total !== undefined && total <= CAPPED_ITERATIONS;
}

/**
 * How many times this loop alone can run, when something written in the code caps it at `max` or
 * less (CAPPED_ITERATIONS unless a caller allows more: a bounded wait weighs its turns by their pause).
 */
export function iterationBound(loop: ts.IterationStatement, ctx: ResolveContext, rest: RestParameterCounts = new Map(), max = CAPPED_ITERATIONS): number | undefined {
  if (ts.isForOfStatement(loop)) {
    if (loop.awaitModifier) return undefined;
    return smallPageOf(loop.expression, ctx, max) ?? constantCollectionSize(loop.expression, ctx, rest, max);
  }
  const condition = ts.isForStatement(loop) ? loop.condition : ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : undefined;
  const bound = condition ? smallBoundOf(skipOuterExpressions(condition), 'below', ctx, max) : undefined;
  if (bound && (increments(loop.statement, bound.counter) || (ts.isForStatement(loop) && loop.incrementor !== undefined && increments(loop.incrementor, bound.counter)))) return bound.limit;
  return counterExitOf(loop, ctx, max);
}

/**
 * The counter a comparison holds `below` a small number (a loop condition: `i < 100`) or finds
 * `reached` it (an exit test: `count >= 100`, `++pages > MAX`), and that number, when it does.
 */
function smallBoundOf(node: ts.Node, side: 'below' | 'reached', ctx: ResolveContext, max = CAPPED_ITERATIONS): { counter: ts.Identifier; limit: number } | undefined {
  if (!ts.isBinaryExpression(node)) return undefined;
  const operator = node.operatorToken.kind;
  const below = operator === ts.SyntaxKind.LessThanToken || operator === ts.SyntaxKind.LessThanEqualsToken;
  const reached = operator === ts.SyntaxKind.GreaterThanToken || operator === ts.SyntaxKind.GreaterThanEqualsToken;
  if (side === 'below' ? !below : !reached) return undefined;
  const limit = smallNumber(node.right, ctx, max);
  const counter = counterName(skipOuterExpressions(node.left));
  // `i <= n` from 1 and `i < n` from 0 both run n times: the start is not read, n is the bound.
  return limit !== undefined && counter ? { counter, limit } : undefined;
}

function counterName(node: ts.Node): ts.Identifier | undefined {
  if (ts.isIdentifier(node)) return node;
  if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && ts.isIdentifier(node.operand)) return node.operand;
  return undefined;
}

function smallNumber(node: ts.Expression, ctx: ResolveContext, max = CAPPED_ITERATIONS): number | undefined {
  const value = resolveValue(node, ctx);
  return value.kind === 'number' && value.value >= 0 && value.value <= max ? value.value : undefined;
}

/**
 * `while (true) { ...; count += 1; if (count >= 100) break; }`: a statement of the loop body that
 * leaves the loop once a counter the body increments reaches a small number.
 */
function counterExitOf(loop: ts.IterationStatement, ctx: ResolveContext, max = CAPPED_ITERATIONS): number | undefined {
  const statements = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  for (const statement of statements) {
    if (!ts.isIfStatement(statement) || !leaves(statement.thenStatement)) continue;
    const bound = smallBoundOf(skipOuterExpressions(statement.expression), 'reached', ctx, max);
    if (bound && (increments(statement.expression, bound.counter) || statements.some((s) => increments(s, bound.counter)))) return bound.limit;
  }
  return undefined;
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

/** The cap written on the call a `for...of` walks the result of (`listStale({ limit: 5000 })`), whatever its size. */
export function writtenPageSize(iterated: ts.Expression, ctx: ResolveContext): number | undefined {
  return smallPageOf(iterated, ctx, Number.POSITIVE_INFINITY);
}

/**
 * The iterated value is (a property of) a const set once from one call with a small page size:
 * `const rows = await listStale({ limit: 100 })` then `for (const row of rows)` or `of page.items`.
 * Returns that page size.
 */
function smallPageOf(iterated: ts.Expression, ctx: ResolveContext, max = CAPPED_ITERATIONS): number | undefined {
  let root = skipOuterExpressions(iterated);
  while (ts.isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
  if (ts.isAwaitExpression(root) || ts.isCallExpression(root)) return callSmallPage(root, ctx, max);
  if (!ts.isIdentifier(root)) return undefined;
  const declaration = declarationOf(root, ctx.index);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
  // `const { rows } = await query({ limit: 50 })` destructures the same result.
  return callSmallPage(declaration.initializer, ctx, max);
}

function callSmallPage(expression: ts.Expression, ctx: ResolveContext, max: number): number | undefined {
  let current = skipOuterExpressions(expression);
  if (ts.isAwaitExpression(current)) current = skipOuterExpressions(current.expression);
  // Walk a builder chain (`db.select().from(t).where(w).limit(100)`) call by call.
  while (ts.isCallExpression(current)) {
    const callee = skipOuterExpressions(current.expression);
    if (ts.isPropertyAccessExpression(callee) && PAGE_SIZE_OPTIONS.has(callee.name.text) && current.arguments.length === 1) {
      const size = smallNumber(current.arguments[0]!, ctx, max);
      if (size !== undefined) return size;
    }
    for (const argument of current.arguments) {
      const object = skipOuterExpressions(argument);
      if (!ts.isObjectLiteralExpression(object)) continue;
      for (const property of object.properties) {
        if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
        if (!ts.isIdentifier(property.name) || !PAGE_SIZE_OPTIONS.has(property.name.text)) continue;
        const size = smallNumber(ts.isPropertyAssignment(property) ? property.initializer : property.name, ctx, max);
        if (size !== undefined) return size;
      }
    }
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    current = skipOuterExpressions(callee.expression);
  }
  return undefined;
}

/** Array methods that return at most the elements they were called on. */
const SUBSET_METHODS = new Set(['filter', 'slice', 'map', 'reverse', 'toReversed', 'toSorted']);

/** How deep a value is followed through consts, loop variables and properties to its literal. */
const MAX_VALUE_DEPTH = 6;

/**
 * The size of a constant collection written in the code, when it has at most CAPPED_ITERATIONS
 * entries: a `const` array literal (`for (const agent of ALL_AGENTS)`, possibly imported),
 * `Object.values / keys / entries` of a `const` object literal, a subset of either
 * (`ALL_AGENTS.filter(...)`), a property of an entry of one (`for (const p of deliverable.paths)`
 * inside `for (const deliverable of DELIVERABLES)`: the longest such list), or a helper's rest
 * parameter at calls that pass a fixed number of arguments. Its size is fixed when the code is
 * written, not by the data at run time.
 */
function constantCollectionSize(iterated: ts.Expression, ctx: ResolveContext, rest: RestParameterCounts, max = CAPPED_ITERATIONS): number | undefined {
  let current = skipOuterExpressions(iterated);
  // `LIST.filter(f)`, `LIST.slice(1)`: never more elements than LIST .
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && SUBSET_METHODS.has(current.expression.name.text)) {
    current = skipOuterExpressions(current.expression.expression);
  }
  if (ts.isIdentifier(current)) {
    const declaration = declarationOf(current, ctx.index);
    if (declaration && ts.isParameter(declaration) && rest.has(declaration)) {
      const count = rest.get(declaration)!;
      return count <= max ? count : undefined;
    }
  }
  const entries = entriesOf(current, ctx, 0);
  if (!entries) return undefined;
  const size = Math.max(0, ...entries.map((list) => list.length));
  return size <= max ? size : undefined;
}

/**
 * The entries of every literal collection an expression can be (one list per possible value):
 * array elements, or the property values of `Object.values / keys / entries(object)`.
 */
function entriesOf(expression: ts.Node, ctx: ResolveContext, depth: number): ts.Node[][] | undefined {
  const current = skipOuterExpressions(expression);
  let objectCall = false;
  let target: ts.Node = current;
  if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
    const receiver = skipOuterExpressions(current.expression.expression);
    const method = current.expression.name.text;
    if (!ts.isIdentifier(receiver) || receiver.text !== 'Object' || !['values', 'keys', 'entries'].includes(method) || current.arguments.length !== 1) return undefined;
    objectCall = true;
    target = current.arguments[0]!;
  }
  const values = literalValuesOf(target, ctx, depth);
  if (!values) return undefined;
  const lists: ts.Node[][] = [];
  for (const value of values) {
    if (objectCall) {
      if (!ts.isObjectLiteralExpression(value) || value.properties.some(ts.isSpreadAssignment)) return undefined;
      lists.push(value.properties.map((property) => (ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : property)));
    } else {
      if (!ts.isArrayLiteralExpression(value) || value.elements.some(ts.isSpreadElement)) return undefined;
      lists.push([...value.elements]);
    }
  }
  return lists;
}

/**
 * The literals (array or object literals) an expression can evaluate to, followed through `const`
 * declarations that nothing grows, the variable of a for-of over a constant collection (any of its
 * entries), and property reads on object literals. Undefined when any path leaves the code.
 */
function literalValuesOf(expression: ts.Node, ctx: ResolveContext, depth: number): ts.Node[] | undefined {
  if (depth > MAX_VALUE_DEPTH) return undefined;
  const current = skipOuterExpressions(expression);
  if (ts.isArrayLiteralExpression(current) || ts.isObjectLiteralExpression(current)) return [current];
  if (ts.isPropertyAccessExpression(current)) {
    const owners = literalValuesOf(current.expression, ctx, depth + 1);
    if (!owners) return undefined;
    return flatten(owners.map((owner) => (ts.isObjectLiteralExpression(owner) ? propertyValues(owner, current.name.text, ctx, depth + 1) : undefined)));
  }
  if (!ts.isIdentifier(current)) return undefined;
  const initializer = constInitializer(current, ctx);
  if (initializer) return literalValuesOf(initializer, ctx, depth + 1);
  const declaration = declarationOf(current, ctx.index);
  if (!declaration) return undefined;
  // `for (const file of FILES)`: `file` is one of FILES' entries.
  if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name)) {
    if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
    const loop = declaration.parent.parent;
    if (!ts.isForOfStatement(loop) || loop.awaitModifier) return undefined;
    return flatten((entriesOf(loop.expression, ctx, depth + 1) ?? [undefined]).map((list) => (list ? flatten(list.map((entry) => literalValuesOf(entry, ctx, depth + 1))) : undefined)));
  }
  // `for (const { paths } of FILES)`: the `paths` of one of FILES' entries.
  if (ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent) && !declaration.dotDotDotToken) {
    const key = declaration.propertyName ?? declaration.name;
    const owner = declaration.parent.parent;
    if (!ts.isIdentifier(key) || !ts.isVariableDeclaration(owner) || !ts.isForOfStatement(owner.parent.parent)) return undefined;
    const entries = entriesOf(owner.parent.parent.expression, ctx, depth + 1);
    if (!entries) return undefined;
    const owners = flatten(entries.flat().map((entry) => literalValuesOf(entry, ctx, depth + 1)));
    return owners && flatten(owners.map((o) => (ts.isObjectLiteralExpression(o) ? propertyValues(o, key.text, ctx, depth + 1) : undefined)));
  }
  return undefined;
}

function propertyValues(object: ts.ObjectLiteralExpression, name: string, ctx: ResolveContext, depth: number): ts.Node[] | undefined {
  if (object.properties.some(ts.isSpreadAssignment)) return undefined;
  const property = object.properties.find((p) => p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
  if (property && ts.isPropertyAssignment(property)) return literalValuesOf(property.initializer, ctx, depth);
  if (property && ts.isShorthandPropertyAssignment(property)) return literalValuesOf(property.name, ctx, depth);
  return undefined;
}

function flatten(parts: (ts.Node[] | undefined)[]): ts.Node[] | undefined {
  return parts.some((part) => part === undefined) ? undefined : parts.flat() as ts.Node[];
}

/** The loops inside `node` (outside nested functions) whose bodies await: those that take time. */
function awaitingLoopsInside(node: ts.Node): ts.IterationStatement[] {
  const loops: ts.IterationStatement[] = [];
  const visit = (current: ts.Node): void => {
    if (ts.isFunctionLike(current)) return;
    if (isLoopStatement(current) && containsAwait(current)) loops.push(current);
    ts.forEachChild(current, visit);
  };
  visit(node);
  return loops;
}

export function isLoopStatement(node: ts.Node): node is ts.IterationStatement {
  return ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

/** An await (or `for await`) in the node, outside nested functions. */
export function containsAwait(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current)) return;
    if (ts.isAwaitExpression(current) || (ts.isForOfStatement(current) && current.awaitModifier)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/**
 * `rows` in `i < rows.length`, also when the condition adds a way out
 * (`i < items.length && !failed`): the loop still ends by the collection's end.
 */
export function lengthBound(condition: ts.Expression): ts.Expression | undefined {
  const node = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(node)) return undefined;
  const { operatorToken, left, right } = node;
  if (operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return lengthBound(left) ?? lengthBound(right);
  const below = operatorToken.kind === ts.SyntaxKind.LessThanToken || operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken;
  const target = skipOuterExpressions(right);
  return below && ts.isPropertyAccessExpression(target) && target.name.text === 'length' ? target.expression : undefined;
}

/** The walked collection's text, for `for...of` (`for await` too when asked), `for...in` and a counted loop up to `x.length`. */
export function walkedCollection(loop: ts.IterationStatement, options: { forAwait: boolean }): string | undefined {
  if (ts.isForOfStatement(loop)) return loop.awaitModifier && !options.forAwait ? undefined : nodeSnippet(loop.expression, 60);
  if (ts.isForInStatement(loop)) return nodeSnippet(loop.expression, 60);
  if (!ts.isForStatement(loop) || !loop.condition) return undefined;
  const length = lengthBound(loop.condition);
  return length ? nodeSnippet(length, 60) : undefined;
}
