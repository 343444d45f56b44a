// Loops that await but do not make an activity long-running: a loop over a short literal list
// (`for (const q of ['DROP a', 'DROP b'])`), and a counted retry loop that leaves on the first
// success (`for (let i = 1; i <= max; i++) { try { await op(); return; } catch { await wait(i * 50); } }`),
// which in normal operation runs once.

import ts from 'typescript';
import { declarationOf } from './declarations.js';
import type { ResolveContext } from './resolve-value.js';
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
