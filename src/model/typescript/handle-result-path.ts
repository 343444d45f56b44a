// Whether a `handle.result()` call waits for the run a `workflow.start(...)` made, on the same
// request path:
//
//   http.createServer(async (req, res) => {
//     if (req.method === 'POST') { const handle = await client.workflow.start(...); res.end(...); return; }
//     if (req.method === 'GET') {
//       const handle = client.workflow.getHandle(id);                          // another handle
//       if ((await handle.describe()).status.name === 'COMPLETED') await handle.result();  // returns at once
//     }
//   });
//
// The `result()` must be called on the variable the start initialized (the same declaration, not
// another one of the same name in a sibling block), after the start, not in the other branch of an
// `if` / `?:` / `switch` the start is in, and not after a `return` / `throw` / `break` / `continue`
// that ends the start's block. A `result()` that runs only when describe() already says the run is
// closed (`status.name === 'COMPLETED'`, `status !== 'RUNNING'`, `WorkflowExecutionStatus.FAILED`,
// a flag made from such a test, an early return for a running status) returns at once: not a wait.

import ts from 'typescript';

/** The closed statuses of a workflow execution, as `status.name` spells them. */
const CLOSED = /^(?:COMPLETED|FAILED|CANCELED|CANCELLED|TERMINATED|TIMED_OUT|CONTINUED_AS_NEW)$/;

/** `handle` in `handle.result()` refers to the declaration `name` (the checker, else the same name in scope). */
export function sameVariable(use: ts.Identifier, name: ts.Identifier, checker: ts.TypeChecker | undefined): boolean {
  if (use.text !== name.text) return false;
  const declared = checker?.getSymbolAtLocation(name);
  const used = checker?.getSymbolAtLocation(use);
  if (declared && used) return declared === used;
  return true;
}

/**
 * `to` can run after `from` on one path through the function: it comes later, it is not in another
 * branch of a conditional `from` is in, and nothing between them always leaves `from`'s block.
 */
export function reachableAfter(from: ts.Node, to: ts.Node): boolean {
  if (to.getStart() < from.getEnd()) return false;
  const common = commonAncestor(from, to);
  if (!common) return false;
  const branchOf = (node: ts.Node): ts.Node | undefined => {
    for (let current: ts.Node = node; current.parent; current = current.parent) if (current.parent === common) return current;
    return undefined;
  };
  const a = branchOf(from);
  const b = branchOf(to);
  if (ts.isIfStatement(common) && a && b && a !== common.expression && b !== common.expression && a !== b) return false;
  if (ts.isConditionalExpression(common) && a && b && a !== common.condition && b !== common.condition && a !== b) return false;
  if (ts.isCaseBlock(common) && a && b && a !== b) return false;
  // A statement that always leaves the block `from` is in, before `to`.
  for (let current: ts.Node = from; current !== common && current.parent; current = current.parent) {
    const block = current.parent;
    if (!ts.isBlock(block) && !ts.isSourceFile(block) && !ts.isCaseClause(block) && !ts.isDefaultClause(block)) continue;
    const statements = block.statements as ts.NodeArray<ts.Statement>;
    const index = statements.indexOf(current as ts.Statement);
    if (index < 0) continue;
    for (const later of statements.slice(index + 1)) {
      if (later.getEnd() > to.getStart()) break; // the statement that holds `to`, or a later one
      if (alwaysLeaves(later)) return false;
    }
  }
  return true;
}

function alwaysLeaves(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement) || ts.isBreakStatement(statement) || ts.isContinueStatement(statement)) return true;
  if (ts.isBlock(statement)) return statement.statements.some(alwaysLeaves);
  if (ts.isIfStatement(statement)) return !!statement.elseStatement && alwaysLeaves(statement.thenStatement) && alwaysLeaves(statement.elseStatement);
  return false;
}

function commonAncestor(a: ts.Node, b: ts.Node): ts.Node | undefined {
  const seen = new Set<ts.Node>();
  for (let current: ts.Node | undefined = a; current; current = current.parent) seen.add(current);
  for (let current: ts.Node | undefined = b; current; current = current.parent) if (seen.has(current)) return current;
  return undefined;
}

/**
 * The `result()` call runs only when the run is already closed: it sits in the branch of an `if`,
 * `?:` or `case` that tests a status from describe() for a closed status (directly or through a
 * const made from such a test), or after an `if` that leaves the function while the run is open.
 */
export function closedStatusGuard(call: ts.CallExpression): boolean {
  const fn = enclosingFunctionLike(call);
  for (let current: ts.Node = call; current.parent && current !== fn; current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === current && testsClosed(parent.expression, true)) return true;
    if (ts.isIfStatement(parent) && parent.elseStatement === current && testsClosed(parent.expression, false)) return true;
    if (ts.isConditionalExpression(parent) && parent.whenTrue === current && testsClosed(parent.condition, true)) return true;
    if (ts.isConditionalExpression(parent) && parent.whenFalse === current && testsClosed(parent.condition, false)) return true;
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && parent.right === current && testsClosed(parent.left, true)) return true;
    if (ts.isCaseClause(parent) && parent.expression.getText().match(/['"`](\w+)['"`]$|\.(\w+)$/) && isStatusRead(parent.parent.parent.expression)) {
      const label = /['"`](\w+)['"`]$|\.(\w+)$/.exec(parent.expression.getText())!;
      if (CLOSED.test(label[1] ?? label[2] ?? '')) return true;
    }
    // `if (status !== 'COMPLETED') return ...;` earlier in a block around the call.
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
      const statements = parent.statements as ts.NodeArray<ts.Statement>;
      const index = statements.indexOf(current as ts.Statement);
      for (const earlier of statements.slice(0, Math.max(index, 0))) {
        if (ts.isIfStatement(earlier) && !earlier.elseStatement && alwaysLeaves(earlier.thenStatement) && testsClosed(earlier.expression, false)) return true;
      }
    }
  }
  return false;
}

/**
 * The condition says the run is closed (`closed` true) or open (`closed` false): a comparison of a
 * status read (`x.status.name`, `x.status`, `status`) with a closed status, or with RUNNING the
 * other way round; `a || b` / `a && b` of such tests; a negation; a const made from one.
 */
function testsClosed(condition: ts.Expression, closed: boolean): boolean {
  const expr = skip(condition);
  if (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.ExclamationToken) return testsClosed(expr.operand, !closed);
  if (ts.isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken) return closed ? testsClosed(expr.left, true) && testsClosed(expr.right, true) : testsClosed(expr.left, false) || testsClosed(expr.right, false);
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return closed ? testsClosed(expr.left, true) || testsClosed(expr.right, true) : false;
    const equal = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const unequal = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (!equal && !unequal) return false;
    const [read, value] = isStatusRead(expr.left) ? [expr.left, expr.right] : isStatusRead(expr.right) ? [expr.right, expr.left] : [undefined, undefined];
    if (!read || !value) return false;
    const name = statusName(value);
    if (!name) return false;
    if (CLOSED.test(name)) return equal === closed;
    if (name === 'RUNNING') return unequal === closed;
    return false;
  }
  if (ts.isIdentifier(expr)) {
    const initializer = constInitializer(expr);
    return !!initializer && testsClosed(initializer, closed);
  }
  return false;
}

function isStatusRead(expr: ts.Expression): boolean {
  const text = skip(expr).getText().replace(/\s+/g, '');
  return /(?:^|\.)status(?:\.name|\.code)?$/i.test(text) || /(?:^|\.)(?:workflowStatus|executionStatus|statusName)$/.test(text);
}

/** `'COMPLETED'`, `WorkflowExecutionStatus.COMPLETED`. */
function statusName(expr: ts.Expression): string | undefined {
  const value = skip(expr);
  if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return value.text.toUpperCase();
  if (ts.isPropertyAccessExpression(value)) return value.name.text.replace(/^WORKFLOW_EXECUTION_STATUS_/, '').toUpperCase();
  return undefined;
}

/**
 * The one value a name of the function is given before the use (a const's initializer, or the one
 * assignment of a `let` first set to a plain `false` / `null`): several writes give nothing.
 */
function constInitializer(id: ts.Identifier): ts.Expression | undefined {
  const fn = enclosingFunctionLike(id);
  const writes: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === id.text && node.initializer && !placeholder(node.initializer)) writes.push(node.initializer);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === id.text) writes.push(node.right);
    ts.forEachChild(node, visit);
  };
  if (fn) visit(fn);
  return writes.length === 1 && writes[0]!.getEnd() <= id.getStart() ? writes[0] : undefined;
}

function placeholder(expr: ts.Expression): boolean {
  const kind = skip(expr).kind;
  return kind === ts.SyntaxKind.FalseKeyword || kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(skip(expr)) && skip(expr).getText() === 'undefined');
}

function skip(expr: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr) || ts.isAsExpression(expr)) expr = expr.expression;
  return expr;
}

function enclosingFunctionLike(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}
