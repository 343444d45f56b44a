// What in the code says that a loop of awaits runs long (the evidence rule of
// activity-long-loop-without-heartbeat). A loop over a collection whose size the code does not
// state (`for (const role of roles)`) is long only if the collection is huge, which nothing shows;
// these shapes show it:
//
// - it drains a source: its condition, or a `break` / `return` that leaves it, reads a value set
//   from a call awaited in the loop (a cursor, an offset, a page token, `hasMore`,
//   `rows.length < batchSize`, `while (true)` left on an empty page);
// - it polls: it sleeps, it is not a walk over a collection, and the code does not bound it to a
//   short wait (its turns times its pause under POLL_LONG_MS);
// - its size is stated as large: a counted bound above CAPPED_ITERATIONS, a walk in groups
//   (`i += BATCH`), chunks of CAPPED_ITERATIONS or more (`partition(rows, 5000)`), or a written
//   page size of THOUSANDS or more on the call whose result it walks;
// - it streams (`for await`) or waits on a child process in its turns;
// - a loop nested in it (in its turns or the helpers they call) has evidence: recorded by the
//   reader of activity-behaviour.ts.

import ts from 'typescript';
import { CAPPED_ITERATIONS, POLL_LONG_MS, THOUSANDS } from '../loop-caps.js';
import { isChildProcessCall, isSleepCall, isStreamCall, sleepPauseMs } from './long-running-calls.js';
import { iterationBound, lengthBound, walkedCollection, writtenPageSize } from './loop-shape.js';
import { nodeSnippet } from './locate.js';
import { declarationOf } from './declarations.js';
import { formatDuration } from '../../engine/duration.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { LoopEvidence } from '../types.js';

/** What a loop's shape says about its length: evidence that it runs long, or what it walks / how long it waits at most. */
export interface LoopLength {
  evidence?: LoopEvidence;
  /** The collection it walks, when it walks one (for the message: long only if it holds thousands). */
  over?: string;
  /** For a poll with a computable bound: its turns times its pause, in milliseconds (under POLL_LONG_MS). */
  waitMs?: number;
  /** For a counted poll whose bound the code computes (`i < maxScrolls`): the bound's text. */
  turnsBound?: string;
  /** With turnsBound: the constant pause of one turn, in milliseconds, when every sleep in it is a constant. */
  pauseMs?: number;
}

export function loopLength(loop: ts.IterationStatement, sleeps: boolean, ctx: ResolveContext): LoopLength {
  if (ts.isForOfStatement(loop) && loop.awaitModifier) return { evidence: { kind: 'stream', detail: `it reads \`${nodeSnippet(loop.expression, 60)}\` item by item as a stream` } };
  const over = walkedCollection(loop, { forAwait: true });
  const waits = turnWaits(loop, ctx);
  if (waits) return { evidence: waits, ...(over ? { over } : {}) };
  const large = statedLarge(loop, sleeps, ctx);
  if (large) return { evidence: large, ...(over ? { over } : {}) };
  if (over) return { over };
  if (sleeps) {
    // A loop that sleeps between looks is a poll: long unless its turns times its pause is short.
    const bound = pollBoundMs(loop, ctx);
    if (bound !== undefined && bound < POLL_LONG_MS) return { waitMs: bound };
    const turns = pollTurns(loop, ctx);
    // A counted loop states its bound even when the bound is computed (`i < maxScrolls`): it ends
    // after that many turns, long only if the bound is large, which the code does not say.
    const counted = turns === undefined ? countedBound(loop, ctx) : undefined;
    if (counted !== undefined) {
      const pause = turnPause(loop, ctx);
      return { turnsBound: counted, ...(pause !== undefined ? { pauseMs: pause } : {}) };
    }
    // A poll until a deadline on the clock (`while (Date.now() < deadline)`, `Date.now() - start < MAX`)
    // is bounded by time: long only when the deadline is.
    const deadline = turns === undefined ? clockDeadline(loop, ctx) : undefined;
    if (deadline && deadline.ms < POLL_LONG_MS) return { waitMs: deadline.ms };
    if (deadline) return { evidence: { kind: 'polls', detail: `it sleeps between looks until a deadline on the clock, for up to ${formatDuration(deadline.ms)} (bounded by ${deadline.text})` } };
    return {
      evidence: {
        kind: 'polls',
        detail:
          bound !== undefined
            ? `it sleeps between looks for up to ${Math.round(bound / 60_000)} minutes`
            : turns !== undefined
              ? `it sleeps between looks, up to ${turns} times, for a pause the code does not state as a constant`
              : 'it sleeps between looks with no bound on its turns that the code states',
        ...(turns !== undefined ? { capped: true } : {}),
      },
    };
  }
  // A counted loop that does not sleep (`for (let attempt = 0; attempt < maxAttempts; attempt++)`,
  // a counted `while`) states its bound too, even when it leaves early on what a turn fetched (a
  // retry until an answer parses): it turns at most that many times, long only if the bound is
  // large or its turns are slow. It does not drain a source, and it does not turn thousands of times.
  const counted = countedBound(loop, ctx);
  if (counted !== undefined) return { turnsBound: counted };
  const drained = drains(loop);
  return drained ? { evidence: drained } : {};
}

/** A turn that streams or waits on a child process (outside callbacks). */
function turnWaits(loop: ts.IterationStatement, ctx: ResolveContext): LoopEvidence | undefined {
  let found: LoopEvidence | undefined;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node)) {
      if (isStreamCall(node)) found = { kind: 'stream', detail: `each turn streams (${nodeSnippet(node, 60)})` };
      else if (isChildProcessCall(node, ctx)) found = { kind: 'child-process', detail: `each turn waits on a child process (${nodeSnippet(node, 60)})` };
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return found;
}

/** A size the code states as large: a counted bound, a group size, a chunk size or a written page size. */
function statedLarge(loop: ts.IterationStatement, sleeps: boolean, ctx: ResolveContext): LoopEvidence | undefined {
  if (ts.isForOfStatement(loop)) {
    const page = writtenPageSize(loop.expression, ctx);
    if (page !== undefined && page >= THOUSANDS) return { kind: 'large', detail: `\`${nodeSnippet(loop.expression, 60)}\` is read with a page size of ${page}` };
    const chunk = chunkSize(loop.expression, ctx);
    if (chunk !== undefined) return { kind: 'large', detail: `it walks chunks of ${chunk} items` };
    // A collection written in the code (a const array of 228 table names) states its size.
    const listed = iterationBound(loop, ctx, new Map(), Number.POSITIVE_INFINITY);
    if (listed !== undefined && listed > CAPPED_ITERATIONS) return { kind: 'large', detail: `it walks ${listed} items that the code lists` };
    return undefined;
  }
  if (!ts.isForStatement(loop)) return undefined;
  const counter = forCounter(loop);
  if (!counter) return undefined;
  const step = loop.incrementor ? stepOf(loop.incrementor, counter, ctx) : undefined;
  // `i += BATCH` over a collection: the code splits the collection into groups, which it does only
  // when it expects many items.
  if (step !== undefined && step !== 1 && lengthBound(loop.condition!)) {
    const size = typeof step === 'number' ? String(step) : step;
    return { kind: 'large', detail: `it walks \`${nodeSnippet(lengthBound(loop.condition!)!, 60)}\` in groups of ${size}` };
  }
  // A counted poll is weighed by its turns times its pause instead (pollBoundMs).
  if (sleeps) return undefined;
  const limit = numericLimit(loop.condition!, counter, ctx);
  if (limit !== undefined && limit > CAPPED_ITERATIONS) {
    const turns = typeof step === 'number' && step > 0 ? Math.ceil(limit / step) : limit;
    if (turns > CAPPED_ITERATIONS) return { kind: 'large', detail: `it runs up to ${turns} turns` };
  }
  return undefined;
}

/** A bound that is no bound: `i < Infinity`, `i < Number.MAX_SAFE_INTEGER`. */
const UNBOUNDED = /^(?:Infinity|Number\.(?:POSITIVE_INFINITY|MAX_SAFE_INTEGER|MAX_VALUE))$/;

/**
 * The bound of a counted `for` loop (`for (let i = 0; i < maxScrolls; i++)`) that does not resolve
 * to a number: the counter grows by a constant positive step and nothing in the loop writes it, and
 * the bound is a value computed before the loop (names, property reads, arithmetic, `Math.*`) that
 * the loop does not change (no assignment to its names, no `push` onto them). The loop then ends
 * after that many turns. Undefined for a bound that is no bound (Infinity), one that calls or awaits
 * something each turn, or one the loop itself grows.
 */
export function countedBound(loop: ts.IterationStatement, ctx: ResolveContext): string | undefined {
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) return countedWhile(loop, ctx)?.text;
  if (!ts.isForStatement(loop) || !loop.condition || !loop.incrementor) return undefined;
  const counter = forCounter(loop);
  if (!counter) return undefined;
  const step = stepOf(loop.incrementor, counter, ctx);
  if (typeof step !== 'number' || step <= 0) return undefined;
  if (writesAny(loop.statement, new Set([counter]))) return undefined;
  for (const conjunct of conjuncts(loop.condition)) {
    if (!ts.isBinaryExpression(conjunct)) continue;
    const operator = conjunct.operatorToken.kind;
    if (operator !== ts.SyntaxKind.LessThanToken && operator !== ts.SyntaxKind.LessThanEqualsToken) continue;
    const left = skipOuterExpressions(conjunct.left);
    if (!ts.isIdentifier(left) || left.text !== counter) continue;
    const names = boundNames(conjunct.right);
    if (!names || names.has(counter)) continue;
    if (writesAny(loop.statement, names) || (loop.incrementor && writesAny(loop.incrementor, names))) continue;
    return nodeSnippet(conjunct.right, 60);
  }
  return undefined;
}

/**
 * A counted `while` / `do` loop (`let attempt = 0; while (attempt < maxAttempts) { ...; attempt++; }`),
 * held to the rule of a counted `for`: a conjunct of its condition compares a counter with a bound
 * the loop does not change (a literal, or a value computed before it as countedBound reads it), and
 * every turn steps the counter toward the bound by a constant: the step is a statement of the loop's
 * own body (not under an `if`, with no `continue` that could skip it), or the condition steps it
 * (`while (attempt++ < max)`), and nothing else in the loop writes the counter (no reset). Counting
 * down (`while (retries > 0) { ...; retries--; }`) turns at most the counter's start, set before
 * the loop. The text says how many turns: the bound, or for a count down the counter (less the
 * bound when it is not 0). Undefined for any other loop.
 */
function countedWhile(loop: ts.WhileStatement | ts.DoStatement, ctx: ResolveContext): { text: string } | undefined {
  for (const conjunct of conjuncts(loop.expression)) {
    if (!ts.isBinaryExpression(conjunct)) continue;
    const operator = conjunct.operatorToken.kind;
    const up = operator === ts.SyntaxKind.LessThanToken || operator === ts.SyntaxKind.LessThanEqualsToken;
    const down = operator === ts.SyntaxKind.GreaterThanToken || operator === ts.SyntaxKind.GreaterThanEqualsToken;
    if (!up && !down) continue;
    const left = skipOuterExpressions(conjunct.left);
    // `attempt++ < max`: the condition steps the counter once per turn.
    const stepped = (ts.isPostfixUnaryExpression(left) || ts.isPrefixUnaryExpression(left)) && ts.isIdentifier(left.operand) && left.operator === (up ? ts.SyntaxKind.PlusPlusToken : ts.SyntaxKind.MinusMinusToken);
    const counter = ts.isIdentifier(left) ? left.text : stepped ? ((left as ts.PostfixUnaryExpression).operand as ts.Identifier).text : undefined;
    if (counter === undefined) continue;
    if (!stepped && !stepsEveryTurn(loop, counter, up, ctx)) continue;
    if (stepped && writesAny(loop.statement, new Set([counter]))) continue;
    // Nothing else in the condition writes the counter.
    if (writesAny(conjunct.right, new Set([counter])) || conjuncts(loop.expression).some((other) => other !== conjunct && writesAny(other, new Set([counter])))) continue;
    const names = boundNames(conjunct.right);
    if (!names || names.has(counter) || writesAny(loop.statement, names)) continue;
    if (up) return { text: nodeSnippet(conjunct.right, 60) };
    // Counting down to a number: the turns are the counter's start (less the bound), known by its name.
    const value = resolveValue(conjunct.right, ctx);
    const limit = value.kind === 'number' && value.value >= 0 ? value.value : undefined;
    if (limit === undefined) continue;
    return { text: limit === 0 ? counter : `${counter} - ${nodeSnippet(conjunct.right, 40)}` };
  }
  return undefined;
}

/**
 * Whether each turn of the loop steps `counter` by a constant (up: `++`, `+= k`, `= counter + k`;
 * down: `--`, `-= k`) in a statement of the body's own block, no `continue` of the loop could skip
 * it, and the loop writes the counter nowhere else.
 */
function stepsEveryTurn(loop: ts.WhileStatement | ts.DoStatement, counter: string, up: boolean, ctx: ResolveContext): boolean {
  const statements = ts.isBlock(loop.statement) ? loop.statement.statements : ts.factory.createNodeArray([loop.statement]);
  const steps = statements.filter((statement) => ts.isExpressionStatement(statement) && isStep(statement.expression, counter, up, ctx));
  if (steps.length === 0) return false;
  // Any other write (a reset, a step under an `if`, a write in a callback) and the count is not the turns.
  const others = statements.filter((statement) => !steps.includes(statement));
  if (others.some((statement) => writesAny(statement, new Set([counter])))) return false;
  return !continuesOwnLoop(loop);
}

function isStep(expression: ts.Expression, counter: string, up: boolean, ctx: ResolveContext): boolean {
  const node = skipOuterExpressions(expression);
  const same = (n: ts.Node) => ts.isIdentifier(skipOuterExpressions(n as ts.Expression)) && (skipOuterExpressions(n as ts.Expression) as ts.Identifier).text === counter;
  if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) && same(node.operand)) return node.operator === (up ? ts.SyntaxKind.PlusPlusToken : ts.SyntaxKind.MinusMinusToken);
  if (!ts.isBinaryExpression(node) || !same(node.left)) return false;
  let amount: ts.Expression | undefined;
  if (node.operatorToken.kind === (up ? ts.SyntaxKind.PlusEqualsToken : ts.SyntaxKind.MinusEqualsToken)) amount = node.right;
  else if (node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const right = skipOuterExpressions(node.right);
    if (ts.isBinaryExpression(right) && right.operatorToken.kind === (up ? ts.SyntaxKind.PlusToken : ts.SyntaxKind.MinusToken) && same(right.left)) amount = right.right;
  }
  if (!amount) return false;
  const value = resolveValue(amount, ctx);
  return value.kind === 'number' && value.value > 0;
}

/** A `continue` that goes to the next turn of this loop (not of a loop nested in it). */
function continuesOwnLoop(loop: ts.IterationStatement): boolean {
  let found = false;
  const visit = (node: ts.Node, own: boolean): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isContinueStatement(node) && (node.label || own)) found = true;
    const nested = ts.isIterationStatement(node, false);
    ts.forEachChild(node, (child) => visit(child, own && !nested));
  };
  visit(loop.statement, true);
  return found;
}

/** The root names a computed bound reads, or undefined when it is no bound or may change as it is read (a call, an await). */
function boundNames(expression: ts.Expression): Set<string> | undefined {
  const node = skipOuterExpressions(expression);
  if (UNBOUNDED.test(node.getText())) return undefined;
  const names = new Set<string>();
  let fits = true;
  const visit = (current: ts.Node): void => {
    if (!fits) return;
    if (ts.isFunctionLike(current) || ts.isAwaitExpression(current)) {
      fits = false;
      return;
    }
    if (ts.isCallExpression(current)) {
      const callee = skipOuterExpressions(current.expression);
      // `Math.ceil(n / 10)`, `Math.min(n, MAX)` compute; any other call may read something that changes.
      if (!(ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Math')) {
        fits = false;
        return;
      }
      current.arguments.forEach(visit);
      return;
    }
    if (ts.isIdentifier(current)) {
      if (UNBOUNDED.test(current.text)) fits = false;
      else if (!isPropertyName(current)) names.add(current.text);
      return;
    }
    if (ts.isPropertyAccessExpression(current) && UNBOUNDED.test(current.getText())) {
      fits = false;
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return fits ? names : undefined;
}

/** Whether `node` assigns one of `names` (or a property of it), counts it down or up, or grows it in place (`push`, `unshift`, `splice`). */
function writesAny(node: ts.Node, names: Set<string>): boolean {
  let found = false;
  const rootOf = (expression: ts.Expression): string | undefined => {
    let root = skipOuterExpressions(expression);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuterExpressions(root.expression);
    return ts.isIdentifier(root) ? root.text : undefined;
  };
  const visit = (current: ts.Node): void => {
    if (found) return;
    const operator = ts.isBinaryExpression(current) ? current.operatorToken.kind : undefined;
    if (ts.isBinaryExpression(current) && operator! >= ts.SyntaxKind.FirstAssignment && operator! <= ts.SyntaxKind.LastAssignment) {
      if (targetNames(current.left).some((name) => names.has(name))) found = true;
    } else if (
      (ts.isPrefixUnaryExpression(current) || ts.isPostfixUnaryExpression(current)) &&
      (current.operator === ts.SyntaxKind.PlusPlusToken || current.operator === ts.SyntaxKind.MinusMinusToken)
    ) {
      const root = rootOf(current.operand);
      if (root !== undefined && names.has(root)) found = true;
    } else if (ts.isCallExpression(current)) {
      const callee = skipOuterExpressions(current.expression);
      if (ts.isPropertyAccessExpression(callee) && /^(?:push|unshift|splice)$/.test(callee.name.text)) {
        const root = rootOf(callee.expression);
        if (root !== undefined && names.has(root)) found = true;
      }
    }
    if (!found) ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** `partition(rows, 5000)`, `chunk(ids, 500)`, `_.chunk(ids, 500)`: a call named for chunking with a size of CAPPED_ITERATIONS or more. */
function chunkSize(expression: ts.Expression, ctx: ResolveContext): number | undefined {
  const call = skipOuterExpressions(expression);
  if (!ts.isCallExpression(call)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  if (!/chunk|partition|batch/i.test(name)) return undefined;
  for (const argument of call.arguments) {
    const value = resolveValue(argument, ctx);
    if (value.kind === 'number' && value.value >= CAPPED_ITERATIONS) return value.value;
  }
  return undefined;
}

/** The counter a `for` loop's incrementor changes. */
function forCounter(loop: ts.ForStatement): string | undefined {
  if (!loop.condition || !loop.incrementor) return undefined;
  const inc = skipOuterExpressions(loop.incrementor);
  if ((ts.isPrefixUnaryExpression(inc) || ts.isPostfixUnaryExpression(inc)) && ts.isIdentifier(inc.operand)) return inc.operand.text;
  if (ts.isBinaryExpression(inc) && ts.isIdentifier(inc.left)) return inc.left.text;
  return undefined;
}

/** How much `counter` grows per turn: a number, the text of a step that does not resolve, or undefined when not an increment. */
function stepOf(node: ts.Node, counter: string, ctx: ResolveContext): number | string | undefined {
  let step: number | string | undefined;
  const visit = (current: ts.Node): void => {
    if (step !== undefined || ts.isFunctionLike(current)) return;
    if ((ts.isPrefixUnaryExpression(current) || ts.isPostfixUnaryExpression(current)) && current.operator === ts.SyntaxKind.PlusPlusToken && ts.isIdentifier(current.operand) && current.operand.text === counter) step = 1;
    else if (ts.isBinaryExpression(current) && ts.isIdentifier(current.left) && current.left.text === counter) {
      let amount: ts.Expression | undefined;
      if (current.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) amount = current.right;
      else if (current.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const right = skipOuterExpressions(current.right);
        if (ts.isBinaryExpression(right) && right.operatorToken.kind === ts.SyntaxKind.PlusToken && ts.isIdentifier(skipOuterExpressions(right.left)) && (skipOuterExpressions(right.left) as ts.Identifier).text === counter) amount = right.right;
      }
      if (amount) {
        const value = resolveValue(amount, ctx);
        step = value.kind === 'number' ? value.value : nodeSnippet(amount, 40);
      }
    }
    if (step === undefined) ts.forEachChild(current, visit);
  };
  visit(node);
  return step;
}

/** N in `counter < N` / `counter <= N` (a conjunct of the condition), when it resolves to a number. */
function numericLimit(condition: ts.Expression, counter: string, ctx: ResolveContext): number | undefined {
  const node = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(node)) return undefined;
  const operator = node.operatorToken.kind;
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken) {
    const limits = [numericLimit(node.left, counter, ctx), numericLimit(node.right, counter, ctx)].filter((n): n is number => n !== undefined);
    return limits.length > 0 ? Math.min(...limits) : undefined;
  }
  if (operator !== ts.SyntaxKind.LessThanToken && operator !== ts.SyntaxKind.LessThanEqualsToken) return undefined;
  const left = skipOuterExpressions(node.left);
  if (!ts.isIdentifier(left) || left.text !== counter) return undefined;
  const value = resolveValue(node.right, ctx);
  return value.kind === 'number' && value.value >= 0 ? value.value : undefined;
}

/**
 * The most a poll can last: turns times the constant pauses of one turn, when a conjunct of its
 * condition holds a counter the turn increments below a constant (`waited < 5000` with
 * `waited += 100`: 50 turns) or the loop's own `for` counter is capped. Undefined when either the
 * bound or a pause is not a constant.
 */
function pollBoundMs(loop: ts.IterationStatement, ctx: ResolveContext): number | undefined {
  const turns = pollTurns(loop, ctx);
  if (turns === undefined) return undefined;
  const pause = turnPause(loop, ctx);
  return pause === undefined ? undefined : turns * pause;
}

/** The most turns a poll takes, when a conjunct of its condition holds a counter below a constant. */
function pollTurns(loop: ts.IterationStatement, ctx: ResolveContext): number | undefined {
  const condition = ts.isForStatement(loop) ? loop.condition : ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : undefined;
  if (!condition) return undefined;
  let best: number | undefined;
  for (const conjunct of conjuncts(condition)) {
    if (!ts.isBinaryExpression(conjunct)) continue;
    const left = skipOuterExpressions(conjunct.left);
    if (!ts.isIdentifier(left)) continue;
    const limit = numericLimit(conjunct, left.text, ctx);
    const step = stepOf(loop.statement, left.text, ctx) ?? (ts.isForStatement(loop) && loop.incrementor ? stepOf(loop.incrementor, left.text, ctx) : undefined);
    if (limit === undefined || typeof step !== 'number' || step <= 0) continue;
    best = Math.min(best ?? Infinity, Math.ceil(limit / step));
  }
  return best;
}

/**
 * A conjunct of the loop's condition that ends it at a deadline of known length on the clock:
 * `Date.now() < deadline` with `const deadline = Date.now() + LENGTH` before the loop, or
 * `Date.now() - start < LENGTH` with `const start` before the loop. The shortest such length.
 */
function clockDeadline(loop: ts.IterationStatement, ctx: ResolveContext): { ms: number; text: string } | undefined {
  const condition = ts.isForStatement(loop) ? loop.condition : ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : undefined;
  if (!condition) return undefined;
  let best: { ms: number; text: string } | undefined;
  const constBefore = (node: ts.Node): ts.VariableDeclaration | undefined => {
    const declaration = ts.isIdentifier(node) ? declarationOf(node, ctx.index) : undefined;
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    if (!(declaration.parent.flags & ts.NodeFlags.Const) || (declaration.pos >= loop.pos && declaration.end <= loop.end)) return undefined;
    return declaration;
  };
  const millis = (node: ts.Node): number | undefined => {
    const value = resolveValue(skipOuterExpressions(node) as ts.Expression, ctx);
    return value.kind === 'number' && Number.isFinite(value.value) && value.value > 0 ? value.value : undefined;
  };
  for (const conjunct of conjuncts(condition)) {
    if (!ts.isBinaryExpression(conjunct)) continue;
    const kind = conjunct.operatorToken.kind;
    const [now, limit] =
      kind === ts.SyntaxKind.LessThanToken || kind === ts.SyntaxKind.LessThanEqualsToken
        ? [conjunct.left, conjunct.right]
        : kind === ts.SyntaxKind.GreaterThanToken || kind === ts.SyntaxKind.GreaterThanEqualsToken
          ? [conjunct.right, conjunct.left]
          : [undefined, undefined];
    if (!now || !limit) continue;
    const nowSide = skipOuterExpressions(now);
    let ms: number | undefined;
    let text: string | undefined;
    if (isDateNow(nowSide)) {
      const limitSide = skipOuterExpressions(limit);
      const declaration = constBefore(limitSide);
      const initializer = declaration ? skipOuterExpressions(declaration.initializer!) : undefined;
      if (!initializer || !ts.isBinaryExpression(initializer) || initializer.operatorToken.kind !== ts.SyntaxKind.PlusToken || !isDateNow(skipOuterExpressions(initializer.left))) continue;
      ms = millis(initializer.right);
      text = limitSide.getText();
    } else if (ts.isBinaryExpression(nowSide) && nowSide.operatorToken.kind === ts.SyntaxKind.MinusToken && isDateNow(skipOuterExpressions(nowSide.left))) {
      if (!constBefore(skipOuterExpressions(nowSide.right))) continue;
      ms = millis(limit);
      text = nodeSnippet(conjunct, 50);
    }
    if (ms !== undefined && text !== undefined && (best === undefined || ms < best.ms)) best = { ms, text };
  }
  return best;
}

function isDateNow(node: ts.Node): boolean {
  return ts.isCallExpression(node) && node.arguments.length === 0 && node.expression.getText() === 'Date.now';
}

function conjuncts(condition: ts.Expression): ts.Expression[] {
  const node = skipOuterExpressions(condition);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return [...conjuncts(node.left), ...conjuncts(node.right)];
  return [node as ts.Expression];
}

/** The sum of the sleeps one turn can take, when every one has a constant pause; undefined otherwise. */
function turnPause(loop: ts.IterationStatement, ctx: ResolveContext): number | undefined {
  let pause = 0;
  let known = true;
  const visit = (node: ts.Node): void => {
    if (!known) return;
    if (ts.isCallExpression(node) && isSleepCall(node, ctx)) {
      const ms = sleepPauseMs(node, ctx);
      if (ms === undefined) known = false;
      else pause += ms;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return known && pause > 0 ? pause : undefined;
}

/**
 * A loop that runs until the source it reads is exhausted: its condition, or an `if` around a
 * `break` / `return` that leaves it, reads a value set (directly or through other variables) from a
 * call awaited in the loop, or awaits itself (`while (await cursor.hasNext())`).
 */
function drains(loop: ts.IterationStatement): LoopEvidence | undefined {
  const condition = ts.isForStatement(loop) ? loop.condition : ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : undefined;
  const fetched = awaitedNames(loop);
  const reads = (node: ts.Node): string | undefined => {
    let found: string | undefined;
    const visit = (current: ts.Node): void => {
      if (found || ts.isFunctionLike(current)) return;
      if (ts.isAwaitExpression(current)) found = nodeSnippet(current, 40);
      else if (ts.isIdentifier(current) && fetched.has(current.text) && !isPropertyName(current)) found = current.text;
      else ts.forEachChild(current, visit);
    };
    visit(node);
    return found;
  };
  if (condition) {
    const read = reads(condition);
    if (read) return { kind: 'drains', detail: `it runs while \`${nodeSnippet(condition, 60)}\`, ${dependsOn(nodeSnippet(condition, 60), read)}` };
  }
  let exit: LoopEvidence | undefined;
  const visit = (node: ts.Node, ownLevel: boolean): void => {
    if (exit || ts.isFunctionLike(node)) return;
    if ((ownLevel && ts.isBreakStatement(node) && !node.label) || ts.isReturnStatement(node)) {
      for (let current = node.parent; current && current !== loop; current = current.parent) {
        if (ts.isIfStatement(current)) {
          const read = reads(current.expression);
          if (read) {
            exit = { kind: 'drains', detail: `it leaves when \`${nodeSnippet(current.expression, 60)}\`, ${dependsOn(nodeSnippet(current.expression, 60), read)}` };
            return;
          }
        }
      }
    }
    // A `break` inside a nested loop or switch leaves that one, not this loop.
    const nested = ts.isIterationStatement(node, false) || ts.isSwitchStatement(node);
    ts.forEachChild(node, (child) => visit(child, ownLevel && !nested));
  };
  visit(loop.statement, true);
  return exit;
}

function isPropertyName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === identifier) || (ts.isPropertyAssignment(parent) && parent.name === identifier);
}

/**
 * The variables the loop sets from a call it awaits (`const rows = await page(offset)`,
 * `({ items, next } = await list(token))`, `state.cursor = res.next` marks `state`), and those it
 * sets from them (`hasMore = rows.length === size`), followed until nothing changes.
 */
function awaitedNames(loop: ts.IterationStatement): Set<string> {
  const names = new Set<string>();
  // Each assignment with the conditions of the `if`s around it in the loop: `if (rows.length === 0)
  // hasMore = false` sets `hasMore` from the result as surely as `hasMore = rows.length > 0`.
  const assignments: { targets: string[]; value: ts.Node; guards: ts.Node[] }[] = [];
  const guardsOf = (node: ts.Node): ts.Node[] => {
    const guards: ts.Node[] = [];
    for (let current = node.parent; current && current !== loop; current = current.parent) if (ts.isIfStatement(current)) guards.push(current.expression);
    return guards;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isVariableDeclaration(node) && node.initializer) assignments.push({ targets: bindingNames(node.name), value: node.initializer, guards: guardsOf(node) });
    else if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) assignments.push({ targets: targetNames(node.left), value: node.right, guards: guardsOf(node) });
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  if (ts.isForStatement(loop) || ts.isWhileStatement(loop) || ts.isDoStatement(loop)) {
    const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
    if (condition) visit(condition);
    if (ts.isForStatement(loop) && loop.incrementor) visit(loop.incrementor);
  }
  for (let changed = true, round = 0; changed && round < 8; round++) {
    changed = false;
    for (const { targets, value, guards } of assignments) {
      if (targets.every((t) => names.has(t)) || !(fromFetched(value, names) || guards.some((guard) => fromFetched(guard, names)))) continue;
      for (const target of targets) if (!names.has(target)) (names.add(target), (changed = true));
    }
  }
  return names;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsToken || kind === ts.SyntaxKind.PlusEqualsToken || kind === ts.SyntaxKind.MinusEqualsToken || kind === ts.SyntaxKind.BarBarEqualsToken || kind === ts.SyntaxKind.QuestionQuestionEqualsToken;
}

/** A value that awaits a call or reads a variable set from one. */
function fromFetched(value: ts.Node, names: Set<string>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node)) found = true;
    else if (ts.isIdentifier(node) && names.has(node.text) && !isPropertyName(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(value);
  return found;
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

/** The variables an assignment's left side writes: `x`, `{ a, b }`, `[a, b]`, the root of `state.cursor`. */
function targetNames(left: ts.Expression): string[] {
  const node = skipOuterExpressions(left);
  if (ts.isIdentifier(node)) return [node.text];
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    let root: ts.Expression = node;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = root.expression;
    return ts.isIdentifier(root) ? [root.text] : [];
  }
  if (ts.isObjectLiteralExpression(node))
    return node.properties.flatMap((p) => (ts.isShorthandPropertyAssignment(p) ? [p.name.text] : ts.isPropertyAssignment(p) ? targetNames(p.initializer) : []));
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap((e) => (ts.isOmittedExpression(e) || ts.isSpreadElement(e) ? [] : targetNames(e)));
  return [];
}

/** "set from a call awaited in the loop", or which value of the test is. */
function dependsOn(test: string, read: string): string {
  if (read.startsWith('await')) return 'awaited there';
  return test === read ? 'set from a call awaited in the loop' : `which depends on \`${read}\`, set from a call awaited in the loop`;
}
