// Values that come from configuration or conversions of it: `process.env.X ?? default` resolves
// to the default, marked configurable, and Number()/parseInt()/String() keep that mark.

import ts from 'typescript';
import { locate } from './locate.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { StaticValue } from './types.js';

export const CONVERSIONS = new Set(['Number', 'String', 'Boolean', 'parseInt', 'parseFloat']);

/** `process.env.X`, also wrapped in Number()/parseInt()/String(): the variable name X. */
export function environmentVariableOf(node: ts.Expression): string | undefined {
  let expression = skipOuterExpressions(node);
  if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && CONVERSIONS.has(expression.expression.text)) {
    const [argument] = expression.arguments;
    if (!argument) return undefined;
    expression = skipOuterExpressions(argument);
  }
  if (!ts.isPropertyAccessExpression(expression) && !ts.isElementAccessExpression(expression)) return undefined;
  const object = skipOuterExpressions(expression.expression);
  if (!ts.isPropertyAccessExpression(object) || object.name.text !== 'env') return undefined;
  if (!ts.isIdentifier(object.expression) || object.expression.text !== 'process') return undefined;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return ts.isStringLiteralLike(expression.argumentExpression) ? expression.argumentExpression.text : undefined;
}

export function withConfigurable(value: StaticValue, env: string): StaticValue {
  if (value.kind === 'string' || value.kind === 'number' || value.kind === 'boolean') return { ...value, configurable: { env } };
  return value;
}

export function convert(conversion: string, value: StaticValue, call: ts.CallExpression): StaticValue | undefined {
  if (value.kind !== 'string' && value.kind !== 'number' && value.kind !== 'boolean') return undefined;
  const location = locate(call);
  const configurable = value.configurable ? { configurable: value.configurable } : {};
  switch (conversion) {
    case 'Number':
      return { kind: 'number', value: Number(value.value), location, ...configurable };
    case 'parseInt':
      return { kind: 'number', value: parseInt(String(value.value), 10), location, ...configurable };
    case 'parseFloat':
      return { kind: 'number', value: parseFloat(String(value.value)), location, ...configurable };
    case 'String':
      return { kind: 'string', value: String(value.value), location, ...configurable };
    default:
      return { kind: 'boolean', value: Boolean(value.value), location, ...configurable };
  }
}
