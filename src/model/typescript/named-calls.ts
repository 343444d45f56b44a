// Calls of a named function or method in the reviewed production files, found by name and
// confirmed through its declaration (also across files, through an injected service's type, and for a
// function held by a const: `const run = async () => ...`).

import ts from 'typescript';
import { functionName } from './declarations.js';
import type { TemporalModel } from './types.js';

export function callsOfFunction(model: TemporalModel, fn: ts.FunctionLikeDeclaration): ts.CallExpression[] {
  const name = functionName(fn);
  if (!name) return [];
  const calls: ts.CallExpression[] = [];
  const target = fn.getSourceFile().fileName;
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !sourceFile.text.includes(name)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (calleeName === name) {
          const declaration = model.declarationOf(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
          if (declaration && declaration.getSourceFile().fileName === target && (sameSpan(declaration, fn) || overloadOf(declaration, fn) || (ts.isVariableDeclaration(declaration) && !!declaration.initializer && sameSpan(declaration.initializer, fn)))) calls.push(node);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return calls;
}

/** `const f = async () => ...`: the call names the variable, whose value is the function. */
function sameSpan(a: ts.Node, b: ts.Node): boolean {
  return a.pos === b.pos && a.end === b.end;
}

/** `export function f(a: A): R; export function f(b: B): R; export function f(x) {...}`: a call resolves to an overload signature of the function. */
function overloadOf(declaration: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  return ts.isFunctionDeclaration(declaration) && !declaration.body && ts.isFunctionDeclaration(fn) && !!fn.body && declaration.parent === fn.parent && !!declaration.name && declaration.name.text === fn.name?.text;
}
