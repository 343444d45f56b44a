// A heartbeat the activity is handed by whoever builds it: a factory's dependency
// (`createActivities({ heartbeat: () => Context.current().heartbeat() })`) called inside the
// activity as `heartbeat()` or `options.heartbeat()`. Its body is out of sight (a parameter, an
// interface member), so its name is the evidence: the SDK's own function is called heartbeat.

import ts from 'typescript';
import { declarationOf } from './declarations.js';
import type { ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';

export function isInjectedHeartbeat(callee: ts.Expression, ctx: ResolveContext, depth = 0): boolean {
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (name !== 'heartbeat') return false;
  const declaration = declarationOf(callee, ctx.index);
  if (!declaration || declaration.getSourceFile().isDeclarationFile) return false;
  if (ts.isParameter(declaration) || ts.isBindingElement(declaration) || ts.isPropertySignature(declaration)) return true;
  if (ts.isPropertyDeclaration(declaration)) return declaration.initializer === undefined;
  // `const heartbeat = options.heartbeat ?? (() => undefined)`: the injected one when there is one.
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && depth < 2) {
    let source = skipOuterExpressions(declaration.initializer);
    if (ts.isBinaryExpression(source) && (source.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || source.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      source = skipOuterExpressions(source.left);
    }
    return (ts.isIdentifier(source) || ts.isPropertyAccessExpression(source)) && isInjectedHeartbeat(source, ctx, depth + 1);
  }
  return false;
}
