// `overrides.taskQueue ?? process.env.TASK_QUEUE ?? TASK_QUEUE`: the value resolver gives up on
// the parameter at the front of such a chain. For sizing and for naming task queues in generated
// artifacts the default at the end of the chain is what matters, marked as configurable.

import ts from 'typescript';
import { skipOuterExpressions } from '../temporal-api.js';
import type { StaticValue, TemporalModel } from '../types.js';

/** The value itself, or for an unresolved `a ?? b` / `a || b` chain the last operand that resolves. */
export function valueOrFallbackDefault(value: StaticValue | undefined, model: TemporalModel): StaticValue | undefined {
  if (!value || value.kind !== 'unknown' || !value.node) return value;
  return fallbackOf(value.node, model) ?? value;
}

function fallbackOf(node: ts.Node, model: TemporalModel): StaticValue | undefined {
  const expression = skipOuterExpressions(node as ts.Expression);
  if (
    !ts.isBinaryExpression(expression) ||
    (expression.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken && expression.operatorToken.kind !== ts.SyntaxKind.BarBarToken)
  ) {
    return undefined;
  }
  const right = model.resolveValue(expression.right);
  const resolved = right.kind === 'unknown' ? fallbackOf(expression.right, model) : right;
  if (!resolved || resolved.kind === 'unknown' || resolved.kind === 'undefined' || resolved.kind === 'null') return undefined;
  if (resolved.kind === 'string' || resolved.kind === 'number' || resolved.kind === 'boolean') {
    return { ...resolved, configurable: resolved.configurable ?? { env: envName(expression.left) } };
  }
  return resolved;
}

/** `process.env.X` -> X; anything else -> its source text (what overrides the default). */
function envName(node: ts.Expression): string {
  const expression = skipOuterExpressions(node);
  if (ts.isPropertyAccessExpression(expression) && /^process\.env$/.test(expression.expression.getText())) return expression.name.text;
  if (ts.isBinaryExpression(expression)) return envName(expression.left);
  return expression.getText();
}
