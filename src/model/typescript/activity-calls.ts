// Which activity type a call in workflow code schedules, when its callee comes from a
// proxyActivities / proxyLocalActivities call: `charge(...)` after `const { charge } = proxyActivities(...)`,
// `acts.charge(...)`, and `charge.executeWithOptions(...)`. Shared by the history-growth and
// thrown-error readers of workflow code.

import ts from 'typescript';
import { skipOuterExpressions } from './temporal-api.js';
import type { TemporalModel } from './types.js';

const proxyCallsCache = new WeakMap<TemporalModel, Set<ts.Node>>();

function proxyCalls(model: TemporalModel): Set<ts.Node> {
  let calls = proxyCallsCache.get(model);
  if (!calls) {
    calls = new Set<ts.Node>(model.activityProxies.map((proxy) => proxy.node));
    proxyCallsCache.set(model, calls);
  }
  return calls;
}

/** The activity type a callee names, or undefined when it is not taken from an activity proxy. */
export function activityTypeCalled(callee: ts.Expression, model: TemporalModel): string | undefined {
  const proxies = proxyCalls(model);
  let expression = skipOuterExpressions(callee);
  if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'executeWithOptions') expression = skipOuterExpressions(expression.expression);
  if (ts.isPropertyAccessExpression(expression)) {
    const declaration = model.declarationOf(expression.expression);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && proxies.has(skipOuterExpressions(declaration.initializer))) {
      return expression.name.text;
    }
    return undefined;
  }
  if (!ts.isIdentifier(expression)) return undefined;
  const declaration = model.declarationOf(expression);
  if (!declaration || !ts.isBindingElement(declaration)) return undefined;
  let parent: ts.Node = declaration.parent;
  while (ts.isObjectBindingPattern(parent) || ts.isBindingElement(parent)) parent = parent.parent;
  if (!ts.isVariableDeclaration(parent) || !parent.initializer || !proxies.has(skipOuterExpressions(parent.initializer))) return undefined;
  const property = declaration.propertyName ?? declaration.name;
  return ts.isIdentifier(property) || ts.isStringLiteral(property) ? property.text : expression.text;
}
