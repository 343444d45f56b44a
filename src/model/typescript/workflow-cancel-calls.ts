// Where the reviewed code cancels a workflow: `handle.cancel()` on a WorkflowHandle (client),
// a ChildWorkflowHandle or an ExternalWorkflowHandle (workflow code). Known by the receiver's type
// from the checker, however the handle was obtained.

import ts from 'typescript';
import type { SourceLocation, TemporalModel } from './types.js';

const HANDLE_TYPE = /WorkflowHandle/;

const cache = new WeakMap<TemporalModel, SourceLocation[]>();

export function workflowCancelCalls(model: TemporalModel): SourceLocation[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const found: SourceLocation[] = [];
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    const checker = model.checkerFor(file);
    // Cheap text filter first: asking the checker for every call is not.
    if (!sourceFile || !checker || !sourceFile.text.includes('.cancel(')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'cancel' && node.arguments.length === 0) {
        const type = checker.getTypeAtLocation(node.expression.expression);
        const name = (type.aliasSymbol ?? type.getSymbol())?.getName() ?? '';
        if (HANDLE_TYPE.test(name)) found.push(model.locate(node));
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  cache.set(model, found);
  return found;
}
