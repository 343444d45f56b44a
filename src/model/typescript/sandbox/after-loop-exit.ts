// A throw placed right after a loop that the loop never leaves normally: `while (true)` with no
// `break`, or a counted loop whose every pass returns (or throws) on its last turn
// (`for (let attempt = 0; attempt <= max; attempt++) { ...; if (attempt === max) return park(); continue; }`).
// Such a throw is a defensive line for the case the code rules out. Only shapes whose exits can be
// read exactly are judged; anything else (a switch, a labelled jump, a finally, a counter written
// in the body) leaves the throw as it is.

import ts from 'typescript';

export interface AfterLoopExit {
  /**
   * `unreachable`: no path leaves the loop normally (an endless loop with no break, or a counted
   * loop between two integer literals whose last turn returns or throws on every path).
   * `off-bound`: a counted loop whose last turn returns or throws on every path: the throw runs
   * only when the loop does not reach that turn (the bound below the start, or not an integer).
   */
  kind: 'unreachable' | 'off-bound';
  /** The loop's header as written (`for (let attempt = 0; attempt <= maxFixAttempts; attempt++)`). */
  loop: string;
  /** For `off-bound`: the counter and its bound. */
  counter?: string;
  bound?: string;
}

/** What the throw's position after a loop says about whether it can run; undefined when it directly follows no loop or the reading is unclear. */
export function afterLoopExit(statement: ts.ThrowStatement): AfterLoopExit | undefined {
  const parent = statement.parent;
  if (!ts.isBlock(parent)) return undefined;
  const index = parent.statements.indexOf(statement);
  const loop = index > 0 ? parent.statements[index - 1] : undefined;
  if (!loop || !ts.isIterationStatement(loop, false)) return undefined;
  const sourceFile = statement.getSourceFile();
  const header = loopHeader(loop, sourceFile);
  if (hasLabelledJump(loop.statement) || breaksOut(loop.statement)) return undefined;

  // An endless loop: only a break leaves it.
  if (isEndless(loop)) {
    const exits = exitsOf(loop.statement, () => false);
    return exits && !exits.breaks ? { kind: 'unreachable', loop: header } : undefined;
  }

  // A counted loop: `for (let i = A; i <= B; i++)` (or `i < B`), the counter written only by its update.
  if (!ts.isForStatement(loop)) return undefined;
  const counted = countedLoop(loop, sourceFile);
  if (!counted) return undefined;
  const { counter, bound, last } = counted;
  const isLastTurnGuard = (test: ts.Expression) => lastTurnTest(test, counter, last, sourceFile);
  const exits = exitsOf(loop.statement, isLastTurnGuard);
  if (!exits || exits.breaks || exits.continues || exits.fallsThrough) return undefined;
  if (writes(loop.statement, counter) || writes(loop.statement, bound)) return undefined;
  const start = integerLiteral(counted.start);
  const end = integerLiteral(bound);
  if (start !== undefined && end !== undefined && start <= (counted.inclusive ? end : end - 1)) return { kind: 'unreachable', loop: header };
  return { kind: 'off-bound', loop: header, counter, bound };
}

function loopHeader(loop: ts.IterationStatement, sourceFile: ts.SourceFile): string {
  const text = loop.getText(sourceFile);
  const bodyStart = loop.statement.getStart(sourceFile) - loop.getStart(sourceFile);
  return text.slice(0, bodyStart).trim().replace(/\s+/g, ' ');
}

function isEndless(loop: ts.IterationStatement): boolean {
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) return loop.expression.kind === ts.SyntaxKind.TrueKeyword;
  if (ts.isForStatement(loop)) return !loop.condition || loop.condition.kind === ts.SyntaxKind.TrueKeyword;
  return false;
}

interface Exits {
  /** Some path reaches the end of the statements without returning or throwing. */
  fallsThrough: boolean;
  /** Some path reaches a `continue` of the loop. */
  continues: boolean;
  /** Some path reaches a `break` of the loop. */
  breaks: boolean;
}

/**
 * How a loop body can end a pass, with `guard` marking an `if (test) { ...return }` after which the
 * path is known not to be the last turn (so it ends no pass that matters). Undefined for what is
 * not read exactly: a switch, a try with finally, a labelled statement.
 */
function exitsOf(body: ts.Statement, guard: (test: ts.Expression) => boolean): Exits | undefined {
  const result: Exits = { fallsThrough: false, continues: false, breaks: false };
  let unclear = false;
  /** Whether control can reach the end of this statement (normally). */
  const visit = (statement: ts.Statement): boolean => {
    if (unclear) return false;
    if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return false;
    if (ts.isContinueStatement(statement)) {
      result.continues = true;
      return false;
    }
    if (ts.isBreakStatement(statement)) {
      result.breaks = true;
      return false;
    }
    if (ts.isBlock(statement)) return visitList(statement.statements);
    if (ts.isIfStatement(statement)) {
      const thenEnds = visit(statement.thenStatement);
      // `if (attempt === max) return ...`: past it, this is not the last turn.
      if (!statement.elseStatement && !thenEnds && guard(statement.expression)) return false;
      const elseEnds = statement.elseStatement ? visit(statement.elseStatement) : true;
      return thenEnds || elseEnds;
    }
    if (ts.isTryStatement(statement)) {
      if (statement.finallyBlock) {
        unclear = true;
        return false;
      }
      // Anything in the try may throw into the catch: both are read as reachable.
      const tryEnds = visit(statement.tryBlock);
      const catchEnds = statement.catchClause ? visit(statement.catchClause.block) : false;
      return tryEnds || catchEnds;
    }
    if (ts.isSwitchStatement(statement) || ts.isLabeledStatement(statement)) {
      unclear = true;
      return false;
    }
    // A nested loop: its own break and continue are its own; it may end normally.
    if (ts.isIterationStatement(statement, false)) return true;
    return true;
  };
  const visitList = (statements: readonly ts.Statement[]): boolean => {
    for (const statement of statements) if (!visit(statement)) return false;
    return true;
  };
  result.fallsThrough = visit(body);
  return unclear ? undefined : result;
}

/**
 * An unlabelled `break` of this loop anywhere in its body, on any path: after a last-turn guard a
 * break still leaves the loop on an earlier turn. Breaks of nested loops and switches are theirs.
 */
function breaksOut(body: ts.Node): boolean {
  let found = false;
  const walk = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBreakStatement(node) && !node.label) {
      found = true;
      return;
    }
    if (ts.isFunctionLike(node) || ts.isIterationStatement(node, false) || ts.isSwitchStatement(node)) return;
    ts.forEachChild(node, walk);
  };
  walk(body);
  return found;
}

/** A labelled break or continue anywhere in the body: it may leave the loop from a nested one. */
function hasLabelledJump(body: ts.Node): boolean {
  let found = false;
  const walk = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isBreakStatement(node) || ts.isContinueStatement(node)) && node.label) {
      found = true;
      return;
    }
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, walk);
  };
  walk(body);
  return found;
}

interface Counted {
  counter: string;
  start: ts.Expression;
  bound: string;
  inclusive: boolean;
  /** The counter's value on the last turn, as text forms it may be compared with. */
  last: { bound: string; inclusive: boolean };
}

/** `for (let i = A; i <= B; i++)`, `i < B`, `i += 1`, `++i`, with B a name, a property chain or a literal. */
function countedLoop(loop: ts.ForStatement, sourceFile: ts.SourceFile): Counted | undefined {
  const init = loop.initializer;
  if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return undefined;
  const declaration = init.declarations[0]!;
  if (!ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  const counter = declaration.name.text;
  const condition = loop.condition;
  if (!condition || !ts.isBinaryExpression(condition) || !isName(condition.left, counter)) return undefined;
  const op = condition.operatorToken.kind;
  if (op !== ts.SyntaxKind.LessThanEqualsToken && op !== ts.SyntaxKind.LessThanToken) return undefined;
  if (!isStableOperand(condition.right)) return undefined;
  const update = loop.incrementor;
  const increments =
    update &&
    (((ts.isPostfixUnaryExpression(update) || ts.isPrefixUnaryExpression(update)) && update.operator === ts.SyntaxKind.PlusPlusToken && isName(update.operand, counter)) ||
      (ts.isBinaryExpression(update) && update.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && isName(update.left, counter) && update.right.getText(sourceFile) === '1'));
  if (!increments) return undefined;
  const bound = condition.right.getText(sourceFile);
  const inclusive = op === ts.SyntaxKind.LessThanEqualsToken;
  return { counter, start: declaration.initializer, bound, inclusive, last: { bound, inclusive } };
}

/**
 * A test that holds on the last turn: for `i <= B`, `i === B` / `i == B` / `i >= B` (either side);
 * for `i < B`, `i === B - 1`, `i >= B - 1`, `i + 1 === B`, `i + 1 >= B`.
 */
function lastTurnTest(test: ts.Expression, counter: string, last: { bound: string; inclusive: boolean }, sourceFile: ts.SourceFile): boolean {
  const inner = skipParens(test);
  if (!ts.isBinaryExpression(inner)) return false;
  const op = inner.operatorToken.kind;
  const equal = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
  const text = (e: ts.Expression) => skipParens(e).getText(sourceFile).replace(/\s+/g, '');
  const counterSide = last.inclusive ? counter : `${counter}+1`;
  const boundSide = last.bound.replace(/\s+/g, '');
  const boundMinusOne = `${boundSide}-1`;
  const matches = (left: ts.Expression, right: ts.Expression) => {
    const l = text(left);
    const r = text(right);
    if (last.inclusive) return l === counter && r === boundSide;
    return (l === counterSide && r === boundSide) || (l === counter && r === boundMinusOne);
  };
  if (equal) return matches(inner.left, inner.right) || matches(inner.right, inner.left);
  if (op === ts.SyntaxKind.GreaterThanEqualsToken) return matches(inner.left, inner.right);
  if (op === ts.SyntaxKind.LessThanEqualsToken) return matches(inner.right, inner.left);
  return false;
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

function isName(e: ts.Expression, name: string): boolean {
  return ts.isIdentifier(e) && e.text === name;
}

/** A literal, a name or a property chain of names (`config.policy.maxAttempts`): no call that could change between turns. */
function isStableOperand(e: ts.Expression): boolean {
  if (ts.isNumericLiteral(e) || ts.isIdentifier(e)) return true;
  if (ts.isPropertyAccessExpression(e)) return isStableOperand(e.expression);
  if (ts.isParenthesizedExpression(e)) return isStableOperand(e.expression);
  return false;
}

/** Whether the body assigns to the counter or the bound (by its text: `i = `, `i++`, `max -= 1`), in nested functions too. */
function writes(body: ts.Node, target: string): boolean {
  const name = target.replace(/\s+/g, '');
  let found = false;
  const walk = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      if (node.left.getText().replace(/\s+/g, '') === name || leadsTo(node.left, name)) found = true;
    }
    if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
      if (node.operand.getText().replace(/\s+/g, '') === name) found = true;
    }
    ts.forEachChild(node, walk);
  };
  walk(body);
  return found;
}

/** `config = ...` changes `config.max`: an assignment to a prefix of the bound's chain. */
function leadsTo(left: ts.Expression, chain: string): boolean {
  const text = left.getText().replace(/\s+/g, '');
  return chain.startsWith(`${text}.`);
}

function integerLiteral(e: ts.Expression | string): number | undefined {
  const text = typeof e === 'string' ? e : e.getText();
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}
