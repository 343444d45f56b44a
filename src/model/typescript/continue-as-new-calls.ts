// Where workflow code continues as new: `continueAsNew(...)`, a call of a function made by
// `makeContinueAsNewFunc(...)`, and `new ContinueAsNew(...)`. Shared by the history-growth,
// child-lifecycle and retry checks.

import ts from 'typescript';
import { skipOuterExpressions } from './temporal-api.js';
import type { TemporalModel } from './types.js';

const CONTINUE_AS_NEW_APIS = new Set(['continueAsNew', 'makeContinueAsNewFunc']);

/**
 * The continue-as-new calls under a node, in source order. Nested functions are left out unless
 * `intoCallbacks` (a callback the workflow awaits, such as `lock.runExclusive(async () => ...)`).
 */
export function continueAsNewCalls(node: ts.Node, model: TemporalModel, options: { intoCallbacks?: boolean } = {}): (ts.CallExpression | ts.NewExpression)[] {
  const calls: (ts.CallExpression | ts.NewExpression)[] = [];
  const visit = (current: ts.Node): void => {
    if (current !== node && ts.isFunctionLike(current) && !options.intoCallbacks) return;
    if (ts.isCallExpression(current)) {
      const api = model.temporalApiOf(current.expression)?.name;
      if (api === 'continueAsNew' || madeByContinueAsNewFunc(current.expression, model)) calls.push(current);
    }
    if (ts.isNewExpression(current) && model.temporalApiOf(current.expression)?.name === 'ContinueAsNew') calls.push(current);
    ts.forEachChild(current, visit);
  };
  visit(node);
  return calls;
}

function madeByContinueAsNewFunc(callee: ts.Expression, model: TemporalModel): boolean {
  if (!ts.isIdentifier(skipOuterExpressions(callee))) return false;
  const declaration = model.declarationOf(callee);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const initializer = skipOuterExpressions(declaration.initializer);
  return ts.isCallExpression(initializer) && CONTINUE_AS_NEW_APIS.has(model.temporalApiOf(initializer.expression)?.name ?? '');
}
