// Workflow starts (client.workflow.start / execute / signalWithStart, executeChild / startChild)
// and search attribute key definitions.

import ts from 'typescript';
import { declarationOf, functionName, functionOfDeclaration } from './declarations.js';
import { optionsArgument } from './extract-workers.js';
import { locate, nodeText } from './locate.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';
import type { SearchAttributeKey, WorkflowStart, WorkflowStartMethod } from './types.js';

export function extractStart(call: ts.CallExpression, method: WorkflowStartMethod, ctx: ResolveContext): WorkflowStart {
  const first = call.arguments[0];
  return {
    location: locate(call),
    method,
    workflowType: first ? workflowTypeOf(first, ctx) : null,
    workflowTypeText: first ? nodeText(first) : '',
    child: method === 'executeChild' || method === 'startChild',
    options: call.arguments[1] ? optionsArgument(call, 1, ctx) : undefined,
    node: call,
  };
}

/** A function reference gives its exported name; a string (or const) gives itself. */
function workflowTypeOf(argument: ts.Expression, ctx: ResolveContext): string | null {
  const expression = skipOuterExpressions(argument);
  if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) {
    const declaration = declarationOf(expression, ctx.index);
    const fn = functionOfDeclaration(declaration);
    if (fn) return functionName(fn) ?? null;
  }
  const value = resolveValue(argument, ctx);
  if (value.kind === 'string') return value.value;
  // An import the checker cannot follow (type-only or unresolved): the imported name is the type.
  if (ts.isIdentifier(expression)) {
    const binding = importBindings(expression.getSourceFile()).get(expression.text);
    if (binding && binding.imported !== '*' && binding.imported !== 'default') return binding.imported;
  }
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression)) {
    const binding = importBindings(expression.getSourceFile()).get(expression.expression.text);
    if (binding?.imported === '*') return expression.name.text;
  }
  return null;
}

export function extractSearchAttributeKey(call: ts.CallExpression, ctx: ResolveContext): SearchAttributeKey {
  const [nameArgument, typeArgument] = call.arguments;
  const name = nameArgument ? resolveValue(nameArgument, ctx) : undefined;
  let type: string | null = null;
  if (typeArgument) {
    const value = resolveValue(typeArgument, ctx);
    const expression = skipOuterExpressions(typeArgument);
    if (value.kind === 'string') type = value.value;
    else if (ts.isPropertyAccessExpression(expression)) type = expression.name.text;
  }
  const holder = call.parent;
  return {
    name: name?.kind === 'string' ? name.value : null,
    type,
    location: locate(call),
    variable: ts.isVariableDeclaration(holder) && holder.initializer === call ? holder : undefined,
  };
}
