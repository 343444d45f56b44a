// How code uses the promise a call returns: awaited in the function that holds the call (so the
// call's failure is that function's), or dropped as a statement (nobody waits for it or handles
// its rejection). Read by the checks on starts and signals whose failure is swallowed.

import ts from 'typescript';

/** The call is awaited (or returned) in `fn`, the function that holds it, so its failure is the function's. */
export function awaitedInFunction(call: ts.CallExpression, fn: ts.FunctionLikeDeclaration): boolean {
  let node: ts.Node = call;
  while (node.parent && node.parent !== fn) {
    const parent = node.parent;
    if (ts.isAwaitExpression(parent) || ts.isReturnStatement(parent)) return true;
    if (ts.isArrowFunction(fn) && parent === fn.body) return true;
    if (!ts.isParenthesizedExpression(parent) && !ts.isAsExpression(parent) && !ts.isNonNullExpression(parent)) return false;
    node = parent;
  }
  return false;
}

/** `svc.run(x);` or `void svc.run(x);` as a statement: nobody waits for the promise or handles its rejection. */
export function promiseDropped(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
  if (node.parent && ts.isVoidExpression(node.parent)) node = node.parent;
  return !!node.parent && ts.isExpressionStatement(node.parent);
}
