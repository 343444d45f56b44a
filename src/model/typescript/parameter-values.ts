// What a function parameter can hold, read from the calls of its function: a workflowsPath or
// bundle option handed through a project's wrapper (`makeWorker(require.resolve('./workflows'))`,
// `bundle(path = '~/workflows')`) is the argument of each call, or the default where a call leaves
// it out. Static only: calls found by name in the reviewed files and confirmed by the checker.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { calledFunction, functionName } from './declarations.js';
import { createTestCodeFilter } from './test-code.js';

/**
 * The expressions `parameter` receives: each call's argument at its position, or the parameter's
 * default where the call leaves it out; undefined when the function has no name to find calls by
 * or a call passes a spread. A call that leaves it out with no default adds nothing (undefined).
 */
export function parameterValues(parameter: ts.ParameterDeclaration, index: CodeIndex): ts.Expression[] | undefined {
  // Scanning the files for calls is the costly part, and the same parameter is asked about often.
  if (!cache.has(parameter)) cache.set(parameter, readParameterValues(parameter, index));
  return cache.get(parameter);
}

const cache = new WeakMap<ts.ParameterDeclaration, ts.Expression[] | undefined>();

function readParameterValues(parameter: ts.ParameterDeclaration, index: CodeIndex): ts.Expression[] | undefined {
  const fn = parameter.parent;
  if (!ts.isFunctionLike(fn) || !('body' in fn)) return undefined;
  const position = fn.parameters.indexOf(parameter);
  if (position < 0 || parameter.dotDotDotToken) return undefined;
  const name = functionName(fn as ts.FunctionLikeDeclaration);
  const calls = name ? callsOf(fn as ts.FunctionLikeDeclaration, name, index) : [];
  if (calls.length === 0) return parameter.initializer ? [parameter.initializer] : undefined;
  const values: ts.Expression[] = [];
  for (const call of calls) {
    if (call.arguments.some((argument, i) => i <= position && ts.isSpreadElement(argument))) return undefined;
    const argument = call.arguments[position];
    if (argument && !isUndefined(argument)) values.push(argument);
    else if (parameter.initializer) values.push(parameter.initializer);
  }
  return values;
}

function isUndefined(node: ts.Expression): boolean {
  return ts.isIdentifier(node) && node.text === 'undefined';
}

/**
 * Calls of `fn` in the reviewed production files, found by its name and confirmed through the
 * checker. A test harness that bundles a fixture's workflows does not say what production loads.
 */
function callsOf(fn: ts.FunctionLikeDeclaration, name: string, index: CodeIndex): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const isTestCode = createTestCodeFilter(index.root);
  for (const file of index.files) {
    const sourceFile = index.sourceFile(file);
    if (!sourceFile || !sourceFile.text.includes(name) || isTestCode(file, sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (calleeName === name && sameFunction(calledFunction(node, index), fn)) calls.push(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return calls;
}

/** One function, also when two projects' programs each parsed its file (a library shared by apps). */
function sameFunction(found: ts.FunctionLikeDeclaration | undefined, fn: ts.FunctionLikeDeclaration): boolean {
  return !!found && found.getSourceFile().fileName === fn.getSourceFile().fileName && found.pos === fn.pos && found.end === fn.end;
}
