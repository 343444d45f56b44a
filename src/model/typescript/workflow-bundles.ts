// Workers that run a prebuilt bundle: `Worker.create({ workflowBundle })` where the bundle comes
// from `bundleWorkflowCode({ workflowsPath })` in the same code base (directly, through a variable
// or `{ code }` destructured from it), or from a build script that bundles and writes the code to
// disk. The workflowsPath given to the bundler names the workflow module, as a worker's
// workflowsPath does.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { calledFunction, declarationOf } from './declarations.js';
import { singleReturnedExpression } from './resolve-call.js';
import { isTemporalApi, skipOuterExpressions } from './temporal-api.js';

const MAX_STEPS = 8;

/** The bundleWorkflowCode call a workflowBundle value comes from, when it can be followed. */
export function bundleCallOf(node: ts.Node | undefined, index: CodeIndex, steps = 0): ts.CallExpression | undefined {
  if (!node || steps > MAX_STEPS) return undefined;
  const expression = ts.isExpression(node) ? skipOuterExpressions(node) : node;
  if (ts.isAwaitExpression(expression)) return bundleCallOf(expression.expression, index, steps + 1);
  if (ts.isCallExpression(expression)) {
    if (isBundleCall(expression, index)) return expression;
    // A project helper that returns the bundle (`await makeBundle()`).
    const fn = calledFunction(expression, index);
    const returned = fn?.body ? singleReturnedExpression(fn.body) : undefined;
    return returned ? bundleCallOf(returned, index, steps + 1) : undefined;
  }
  // `production ? { codePath } : await makeBundle()`: the branch that bundles names the module.
  if (ts.isConditionalExpression(expression)) return bundleCallOf(expression.whenTrue, index, steps + 1) ?? bundleCallOf(expression.whenFalse, index, steps + 1);
  if (ts.isObjectLiteralExpression(expression)) {
    // { code } or { code: bundle.code } or { codePath }
    for (const property of expression.properties) {
      const initializer = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
      const found = bundleCallOf(initializer, index, steps + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(expression)) return bundleCallOf(expression.expression, index, steps + 1);
  if (ts.isIdentifier(expression)) {
    const declaration = declarationOf(expression, index);
    if (!declaration) return undefined;
    if (ts.isVariableDeclaration(declaration)) return bundleCallOf(declaration.initializer, index, steps + 1);
    if (ts.isBindingElement(declaration)) {
      let parent: ts.Node = declaration.parent;
      while (ts.isObjectBindingPattern(parent) || ts.isArrayBindingPattern(parent) || ts.isBindingElement(parent)) parent = parent.parent;
      if (ts.isVariableDeclaration(parent)) return bundleCallOf(parent.initializer, index, steps + 1);
    }
    if (ts.isShorthandPropertyAssignment(declaration)) return bundleCallOf(declaration.name, index, steps + 1);
  }
  return undefined;
}

/** Every bundleWorkflowCode call in the given files (build scripts included). */
export function bundleCallsIn(files: string[], index: CodeIndex): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  for (const file of files) {
    const sourceFile = index.sourceFile(file);
    if (!sourceFile || !sourceFile.text.includes('bundleWorkflowCode')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isBundleCall(node, index)) calls.push(node);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return calls;
}

function isBundleCall(call: ts.CallExpression, index: CodeIndex): boolean {
  return isTemporalApi(call.expression, index, 'bundleWorkflowCode');
}
