// Whether a workflow handles an activity's failure where it calls it: every call of the activity
// sits in the `try` block of a try/catch whose catch handles the failure, or has a
// `.catch(handler)` of its own. A catch handles it when it does not end by throwing again, or when
// it awaits work of its own first (records the failure through an activity, then fails the
// workflow); a catch that only logs and rethrows does not. A call in a workflow helper counts as
// handled when every call of that helper is (followed two helpers up). Then a failure that
// survives the retry policy reaches code that deals with it instead of being lost.

import ts from 'typescript';
import { skipOuterExpressions } from './temporal-api.js';

/**
 * For the references to one activity function taken from a proxy: true when there is at least one
 * call and every call is handled; false when a call is not handled, or the function is used as a
 * value (handed to a helper, which may call it anywhere).
 */
export function activityCallsHandled(references: ts.Node[], referencesOf: (name: ts.Identifier) => ts.Node[], depth = 0): boolean {
  let calls = 0;
  for (const reference of references) {
    const parent = reference.parent;
    if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isTypeQueryNode(parent) || ts.isBindingElement(parent)) continue;
    const call = callOf(reference);
    if (!call || !isHandled(call, referencesOf, depth)) return false;
    calls++;
  }
  return calls > 0;
}

const MAX_HELPER_DEPTH = 2;

/** The call whose callee is this reference (`charge(...)`, `acts.charge(...)`), through parentheses and casts. */
function callOf(reference: ts.Node): ts.CallExpression | undefined {
  let current = reference;
  while (current.parent && current.parent !== skipOuterExpressions(current.parent)) current = current.parent;
  const parent = current.parent;
  return parent && ts.isCallExpression(parent) && parent.expression === current ? parent : undefined;
}

function isHandled(call: ts.CallExpression, referencesOf: (name: ts.Identifier) => ts.Node[], depth: number): boolean {
  let current: ts.Node = call;
  for (; current.parent && !ts.isFunctionLike(current); current = current.parent) {
    const parent = current.parent;
    if (ts.isTryStatement(parent) && parent.tryBlock === current && parent.catchClause && handles(parent.catchClause.block)) return true;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === current && parent.name.text === 'catch' && ts.isCallExpression(parent.parent)) return true;
  }
  // In a helper of the workflow: handled where every caller of the helper handles it.
  const name = ts.isFunctionDeclaration(current) ? current.name : helperName(current);
  if (!name || depth >= MAX_HELPER_DEPTH) return false;
  return activityCallsHandled(referencesOf(name), referencesOf, depth + 1);
}

/** `const helper = async () => ...`: the name a function expression is held by. */
function helperName(fn: ts.Node): ts.Identifier | undefined {
  const holder = fn.parent;
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && holder && ts.isVariableDeclaration(holder) && holder.initializer === fn && ts.isIdentifier(holder.name)
    ? holder.name
    : undefined;
}

function handles(block: ts.Block): boolean {
  const last = block.statements[block.statements.length - 1];
  if (last === undefined || !ts.isThrowStatement(last)) return true;
  let awaits = false;
  const visit = (node: ts.Node): void => {
    if (awaits || ts.isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node)) awaits = true;
    else ts.forEachChild(node, visit);
  };
  visit(block);
  return awaits;
}
