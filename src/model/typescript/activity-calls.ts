// Which activity type a call in workflow code schedules, when its callee comes from a
// proxyActivities / proxyLocalActivities call: `charge(...)` after `const { charge } = proxyActivities(...)`,
// `acts.charge(...)`, and `charge.executeWithOptions(...)`, where the proxy may also come through a
// const, a conditional or a local selector function (`const a = pick(input)` where `pick` returns
// one of several proxies). Shared by the history-growth, cancellation and thrown-error readers of
// workflow code.

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { returnedExpressions } from './resolve-call.js';
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
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && isProxyValue(declaration.initializer, model, proxies, new Set())) {
      return expression.name.text;
    }
    return undefined;
  }
  if (!ts.isIdentifier(expression)) return undefined;
  const declaration = model.declarationOf(expression);
  if (!declaration || !ts.isBindingElement(declaration)) return undefined;
  let parent: ts.Node = declaration.parent;
  while (ts.isObjectBindingPattern(parent) || ts.isBindingElement(parent)) parent = parent.parent;
  if (!ts.isVariableDeclaration(parent) || !parent.initializer || !isProxyValue(parent.initializer, model, proxies, new Set())) return undefined;
  const property = declaration.propertyName ?? declaration.name;
  return ts.isIdentifier(property) || ts.isStringLiteral(property) ? property.text : expression.text;
}

/** How many consts and selector calls deep a proxy is followed. */
const MAX_PROXY_HOPS = 4;

/**
 * Whether an expression always evaluates to an activity proxy: the proxyActivities call itself, a
 * const bound to one, a conditional whose branches all are, or a call of a local function whose
 * every `return` is (`function pick(i) { if (i.test) return testActs; return acts; }`). Anything
 * else (a parameter, a value from elsewhere, a bare `return`) is not followed.
 */
function isProxyValue(expression: ts.Expression, model: TemporalModel, proxies: Set<ts.Node>, seen: Set<ts.Node>): boolean {
  const value = skipOuterExpressions(expression);
  if (proxies.has(value)) return true;
  if (seen.has(value) || seen.size >= MAX_PROXY_HOPS * 4) return false;
  seen.add(value);
  if (ts.isConditionalExpression(value)) return isProxyValue(value.whenTrue, model, proxies, seen) && isProxyValue(value.whenFalse, model, proxies, seen);
  if (ts.isIdentifier(value)) {
    const declaration = model.declarationOf(value);
    return (
      declaration !== undefined &&
      ts.isVariableDeclaration(declaration) &&
      ts.isIdentifier(declaration.name) &&
      declaration.initializer !== undefined &&
      (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0 &&
      isProxyValue(declaration.initializer, model, proxies, seen)
    );
  }
  if (ts.isCallExpression(value) && ts.isIdentifier(skipOuterExpressions(value.expression))) {
    const fn = functionOfDeclaration(model.declarationOf(value.expression));
    if (!fn?.body || seen.has(fn)) return false;
    seen.add(fn);
    const returned = returnedExpressions(fn.body);
    return returned !== undefined && returned.length > 0 && returned.every((r) => isProxyValue(r, model, proxies, seen));
  }
  return false;
}
