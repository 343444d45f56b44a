// The project functions a workflow function reaches through its calls, followed a few calls deep.
// Shared by the model passes that look for something in "the workflow's code": the workflow
// function itself and the helpers it calls, in the project's own files. (call-reach.ts walks the
// same way over the code index, before the model exists.)

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { TemporalModel } from './types.js';

/** The project function (with a body, in a file of the model) that a call invokes, if any. */
export function projectFunctionCalled(call: ts.CallExpression, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  const callee = functionOfDeclaration(model.declarationOf(skipOuterExpressions(call.expression)));
  return callee && callee.body && model.files.includes(callee.getSourceFile().fileName) ? callee : undefined;
}

/** `root` and the project functions its calls reach, following calls at most `maxDepth` deep. */
export function projectFunctionsReachedFrom(root: ts.FunctionLikeDeclaration, model: TemporalModel, maxDepth: number): Set<ts.FunctionLikeDeclaration> {
  const reached = new Set<ts.FunctionLikeDeclaration>([root]);
  let frontier: ts.FunctionLikeDeclaration[] = [root];
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const next: ts.FunctionLikeDeclaration[] = [];
    for (const fn of frontier) {
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) {
          const callee = projectFunctionCalled(node, model);
          if (callee && !reached.has(callee)) {
            reached.add(callee);
            next.push(callee);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(fn);
    }
    frontier = next;
  }
  return reached;
}
