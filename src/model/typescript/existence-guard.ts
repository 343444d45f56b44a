// A not-found guard: `const row = await repo.find(id); if (!row) throw new RowNotFound(id)`. The
// throw happens only when a value the function has just read is missing (an awaited lookup, an
// element of a list, the first row of a query). Whether that can happen depends on data the code
// does not show (a workflow is usually started for a record that exists), so such a throw is not
// evidence that the failure occurs in normal operation.

import ts from 'typescript';
import { skipOuterExpressions } from './temporal-api.js';

const bare = (node: ts.Node): ts.Expression => skipOuterExpressions(node) as ts.Expression;

/** True when `statement` is the whole reaction to a test that a just-read local value is missing. */
export function guardsMissingRead(statement: ts.ThrowStatement): boolean {
  const guard = enclosingIf(statement);
  if (!guard) return false;
  const tested = testedMissing(guard.expression);
  if (!tested) return false;
  const declaration = localDeclaration(tested, guard);
  return declaration !== undefined && isRead(declaration);
}

/** The `if` whose then-branch is this throw (alone, or the last statement of its block), with no else. */
function enclosingIf(statement: ts.ThrowStatement): ts.IfStatement | undefined {
  let node: ts.Node = statement;
  if (ts.isBlock(node.parent)) {
    const block = node.parent;
    if (block.statements[block.statements.length - 1] !== node) return undefined;
    // Logging before the throw is fine; any other work makes it more than a guard.
    if (!block.statements.slice(0, -1).every(isLogging)) return undefined;
    node = block;
  }
  const parent = node.parent;
  if (!ts.isIfStatement(parent) || parent.thenStatement !== node || parent.elseStatement) return undefined;
  return parent;
}

function isLogging(statement: ts.Statement): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const expression = bare(statement.expression);
  if (!ts.isCallExpression(expression) || !ts.isPropertyAccessExpression(expression.expression)) return false;
  return /^(?:log|debug|info|warn|warning|error|trace)$/.test(expression.expression.name.text);
}

/** The identifier a condition tests for absence: `!x`, `x === undefined`, `x == null`, `null === x`, `typeof x === 'undefined'`. */
function testedMissing(condition: ts.Expression): ts.Identifier | undefined {
  const test = bare(condition);
  if (ts.isPrefixUnaryExpression(test) && test.operator === ts.SyntaxKind.ExclamationToken) {
    const operand = bare(test.operand);
    return ts.isIdentifier(operand) ? operand : undefined;
  }
  if (!ts.isBinaryExpression(test)) return undefined;
  const equality = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(test.operatorToken.kind);
  if (!equality) return undefined;
  const [left, right] = [bare(test.left), bare(test.right)];
  const absent = (node: ts.Expression) =>
    node.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(node) && node.text === 'undefined') ||
    (ts.isStringLiteral(node) && node.text === 'undefined');
  const subject = (node: ts.Expression) => (ts.isTypeOfExpression(node) ? bare(node.expression) : node);
  if (absent(right) && ts.isIdentifier(subject(left))) return subject(left) as ts.Identifier;
  if (absent(left) && ts.isIdentifier(subject(right))) return subject(right) as ts.Identifier;
  return undefined;
}

/** The `const`/`let` binding of `name` in a statement before the guard, in the same block. */
function localDeclaration(name: ts.Identifier, guard: ts.IfStatement): ts.BindingElement | ts.VariableDeclaration | undefined {
  const block = guard.parent;
  if (!ts.isBlock(block) && !ts.isSourceFile(block)) return undefined;
  const before = block.statements.slice(0, block.statements.indexOf(guard));
  for (const statement of [...before].reverse()) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name.text) return declaration;
      if (ts.isArrayBindingPattern(declaration.name)) {
        const element = declaration.name.elements.find((e) => ts.isBindingElement(e) && ts.isIdentifier(e.name) && e.name.text === name.text);
        if (element && ts.isBindingElement(element)) return element;
      }
    }
  }
  return undefined;
}

/**
 * A value read from somewhere else: an element of a list (`const [row] = await query()`,
 * `rows[0]`) or what an awaited call returns (`await repo.findOne(id)`). A value computed from the
 * function's own input (`input.customerId`) is validation, not a lookup.
 */
function isRead(declaration: ts.BindingElement | ts.VariableDeclaration): boolean {
  if (ts.isBindingElement(declaration)) return !declaration.initializer && !declaration.dotDotDotToken;
  const initializer = declaration.initializer && bare(declaration.initializer);
  if (!initializer) return false;
  if (isPositional(initializer)) return true;
  if (ts.isAwaitExpression(initializer)) {
    const awaited = bare(initializer.expression);
    return ts.isCallExpression(awaited) || isPositional(awaited);
  }
  // `rows.find(...)`: a search of a list read earlier. (`HANDLERS[input.kind]` or `map.get(key)`
  // look the input up in the code's own table: a miss there is a wrong input, not a missing record.)
  if (ts.isCallExpression(initializer) && ts.isPropertyAccessExpression(initializer.expression)) {
    return ['find', 'findLast', 'at'].includes(initializer.expression.name.text);
  }
  return false;
}

/** `rows[0]`: an element of a list by position. */
function isPositional(node: ts.Expression): boolean {
  return ts.isElementAccessExpression(node) && ts.isNumericLiteral(bare(node.argumentExpression));
}
