// Where the reviewed code cancels a workflow: `handle.cancel()` on a WorkflowHandle (client),
// a ChildWorkflowHandle or an ExternalWorkflowHandle (workflow code). Known by the receiver's type
// from the checker, however the handle was obtained, or, when the checker cannot see the SDK's
// types, by the call that returned the handle.

import ts from 'typescript';
import type { SourceLocation, TemporalModel } from './types.js';

const HANDLE_TYPE = /WorkflowHandle/;
/** Calls that return a workflow handle, for code whose SDK types the checker cannot see. */
const HANDLE_CALLS = new Set(['getExternalWorkflowHandle', 'getHandle', 'startChild']);

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
        const receiver = node.expression.expression;
        const type = checker.getTypeAtLocation(receiver);
        const name = (type.aliasSymbol ?? type.getSymbol())?.getName() ?? '';
        if (HANDLE_TYPE.test(name) || fromHandleCall(receiver, model)) found.push(model.locate(node));
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  cache.set(model, found);
  return found;
}

/** A variable initialized by `getExternalWorkflowHandle(...)`, `client.workflow.getHandle(...)` or `await startChild(...)`. */
function fromHandleCall(receiver: ts.Expression, model: TemporalModel): boolean {
  if (!ts.isIdentifier(receiver)) return false;
  const declaration = model.declarationOf(receiver);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  let initializer: ts.Expression = declaration.initializer;
  while (ts.isAwaitExpression(initializer) || ts.isParenthesizedExpression(initializer)) initializer = initializer.expression;
  if (!ts.isCallExpression(initializer)) return false;
  const callee = initializer.expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return HANDLE_CALLS.has(name);
}
