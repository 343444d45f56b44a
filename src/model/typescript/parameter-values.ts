// What a function parameter can hold, read from the calls of its function: a workflowsPath or
// bundle option handed through a project's wrapper (`makeWorker(require.resolve('./workflows'))`,
// `bundle(path = '~/workflows')`) is the argument of each call, or the default where a call leaves
// it out. Static only: calls found by name in the reviewed files and confirmed by the checker.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { calledFunction, declarationOf, functionName, functionOfDeclaration } from './declarations.js';
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
 * The calls of a function in the reviewed production files, and whether that is all of them:
 * `complete` is false when the function is also used as a value (passed on, stored, aliased), so
 * it may be called where its name is not written. Undefined when it has no name to find calls by.
 */
export function callSitesOf(fn: ts.FunctionLikeDeclaration, index: CodeIndex): { calls: ts.CallExpression[]; complete: boolean } | undefined {
  if (!callSiteCache.has(fn)) {
    const name = functionName(fn);
    callSiteCache.set(fn, name ? { calls: callsOf(fn, name, index), complete: !usedAsValue(fn, name, index) } : undefined);
  }
  return callSiteCache.get(fn);
}

const callSiteCache = new WeakMap<ts.FunctionLikeDeclaration, { calls: ts.CallExpression[]; complete: boolean } | undefined>();

/**
 * True when some production file refers to `fn` other than by calling it, importing or exporting
 * it, or naming its type (`ReturnType<typeof fn>`).
 */
function usedAsValue(fn: ts.FunctionLikeDeclaration, name: string, index: CodeIndex): boolean {
  const isTestCode = createTestCodeFilter(index.root);
  for (const file of index.files) {
    const sourceFile = index.sourceFile(file);
    if (!sourceFile || !sourceFile.text.includes(name) || isTestCode(file, sourceFile.text)) continue;
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isTypeQueryNode(node) || ts.isTypeReferenceNode(node)) return;
      // `{ createWorker }`: the checker names the property, not the function; taken as a use.
      if (ts.isShorthandPropertyAssignment(node) && node.name.text === name) found = true;
      else if (ts.isIdentifier(node) && node.text === name && isValueUse(node)) {
        const declaration = declarationOf(node, index);
        const target = declaration && (ts.isFunctionLike(declaration) ? declaration : functionOfDeclaration(declaration));
        if (target && sameFunction(target as ts.FunctionLikeDeclaration, fn)) found = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    if (found) return true;
  }
  return false;
}

/** An identifier that reads a value: not a declaration's name, a property name or a callee. */
function isValueUse(node: ts.Identifier): boolean {
  const parent = node.parent;
  if ((ts.isFunctionDeclaration(parent) || ts.isVariableDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isBindingElement(parent) || ts.isParameter(parent)) && parent.name === node) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isCallExpression(parent) && skipParentheses(parent.expression) === node) return false;
  if (ts.isExportAssignment(parent) || ts.isExportSpecifier(parent) || ts.isImportSpecifier(parent)) return false;
  return true;
}

function skipParentheses(node: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(node) ? skipParentheses(node.expression) : node;
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
