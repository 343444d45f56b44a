// Whether code in a function nested in a workflow function can run while one of that function's
// loops runs. A loop over a list grows only if something adds to the list while it runs: the loop
// body, a function it calls, a signal or update handler, a promise left running beside it. A helper
// the workflow awaits before the loop (`await collect()`) has finished filling the list when the
// loop starts, and so has a callback of a `forEach` / `map` that ran before it, or of an
// `await Promise.all(items.map(async (item) => ...))`.

import ts from 'typescript';
import type { TemporalModel } from '../types.js';

/** Array methods that call their callback before they return. */
const SYNC_CALLBACKS = new Set(['forEach', 'map', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'sort']);

/**
 * True when `node`, inside a function nested in `scope` (the function that declares the
 * collection and holds the loop in its own body), can only run before or after `loop`: every
 * function between `node` and `scope` runs to completion where it is called (`await collect()`,
 * `collect()` of a plain function, a callback of an array method, `await Promise.all(xs.map(async
 * ...))`), and the calls in `scope` itself are outside the loop. Anything else (a handler, a
 * promise not awaited on the spot, a function passed elsewhere, a call in the loop) may run beside
 * the loop: false.
 */
export function finishesOutsideLoop(node: ts.Node, loop: ts.Node, scope: ts.Node, model: TemporalModel): boolean {
  if (!ts.isFunctionLike(scope) || enclosingFunction(loop) !== scope) return false;
  let fn = enclosingFunction(node);
  if (!fn || fn === scope) return false;
  while (fn && fn !== scope) {
    const parent = enclosingFunction(fn);
    if (!parent) return false;
    const sites = inTurnSites(fn, parent, model);
    if (!sites || (parent === scope && sites.some((site) => isInside(site, loop)))) return false;
    fn = parent;
  }
  return fn === scope;
}

/** Where `fn` runs to completion in `parent`'s own body, or undefined when it may run at another time. */
function inTurnSites(fn: ts.Node, parent: ts.Node, model: TemporalModel): ts.Node[] | undefined {
  const isAsync = (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
  // `async function collect() {...}` / `const collect = async () => {...}`, called only as `await collect()`.
  const declaration = ts.isFunctionDeclaration(fn) ? fn : ts.isVariableDeclaration(fn.parent) && fn.parent.initializer === fn && (ts.getCombinedNodeFlags(fn.parent) & ts.NodeFlags.Const) !== 0 ? fn.parent : undefined;
  const name = declaration?.name && ts.isIdentifier(declaration.name) ? declaration.name : undefined;
  if (declaration && name) {
    const sites: ts.Node[] = [];
    let sound = true;
    const visit = (child: ts.Node): void => {
      if (!sound) return;
      if (ts.isIdentifier(child) && child !== name && child.text === name.text && !ts.isPropertyAccessExpression(child.parent) && model.declarationOf(child) === declaration) {
        const call = child.parent;
        const outer = call && ts.isCallExpression(call) && call.expression === child ? skipParentheses(call) : undefined;
        if (!outer || enclosingFunction(child) !== parent || (isAsync && !ts.isAwaitExpression(outer.parent))) sound = false;
        else sites.push(call);
      }
      ts.forEachChild(child, visit);
    };
    visit(parent);
    return sound && sites.length > 0 ? sites : undefined;
  }
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.some((argument) => argument === fn) || !ts.isPropertyAccessExpression(call.expression) || enclosingFunction(call) !== parent) return undefined;
  const method = call.expression.name.text;
  // `items.forEach((item) => found.push(item))`: done when forEach returns.
  if (!isAsync && SYNC_CALLBACKS.has(method)) return [call];
  // `await Promise.all(items.map(async (item) => { found.push(await look(item)) }))`: done when the await returns.
  if (isAsync && method === 'map' && call.arguments[0] === fn) {
    const all = skipParentheses(call).parent;
    if (all && ts.isCallExpression(all) && all.arguments[0] === skipParentheses(call) && /^Promise\.(?:all|allSettled)$/.test(all.expression.getText()) && ts.isAwaitExpression(skipParentheses(all).parent)) return [all];
  }
  return undefined;
}

function skipParentheses(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  return current;
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end && node.getSourceFile() === container.getSourceFile();
}
