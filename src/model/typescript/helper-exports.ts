// Synchronous exports of workflow modules that are helpers, not workflow types. The worker runs
// any exported function of its workflowsPath when started by that name (the SDK looks the name up
// and awaits what it returns), so the model keeps them as workflows and the determinism checks read
// them. But an id builder (`generateOrderWorkflowId(orderId): string`) that nothing starts by name
// is not a workflow type anyone operates: failure alerts, runbooks and dashboards leave it out.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import type { WorkflowDefinition, WorkflowStart } from './types.js';

/** Sets `helperExport` on the workflows that return no promise and that no start names. */
export function markHelperExports(workflows: WorkflowDefinition[], starts: WorkflowStart[], index: CodeIndex): void {
  const started = new Set(starts.map((start) => start.workflowType).filter((type): type is string => type !== null));
  for (const workflow of workflows) {
    if (!started.has(workflow.name) && !returnsPromise(workflow.node, index)) workflow.helperExport = true;
  }
}

/**
 * A workflow function returns a promise (the SDK's `Workflow` type): async, declared `Promise<...>`,
 * or returning a promise by the checker's inferred type. When the checker cannot tell (no checker,
 * `any`, `unknown`), it counts as a workflow.
 */
function returnsPromise(fn: ts.FunctionLikeDeclaration, index: CodeIndex): boolean {
  if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return true;
  const checker = index.checkerFor(fn.getSourceFile().fileName);
  const signature = checker?.getSignatureFromDeclaration(fn);
  if (!checker || !signature) return true;
  const type = checker.getReturnTypeOfSignature(signature);
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((part) => (part.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0 || part.getProperty('then') !== undefined);
}
