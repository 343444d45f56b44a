// Points at client code that terminates workflow executions: `handle.terminate()` ends the run on
// the server at once, so no workflow code runs after it. Its finally blocks, its cancellation
// handling and its non-cancellable cleanup are skipped, and the activities it started are not
// cancelled (one that heartbeats learns at its next heartbeat, one that does not runs to its end).
// `handle.cancel()` lets the workflow clean up. Terminate is sometimes right (an admin tool, a run
// that ignores cancellation, the last step after a cancel that did not finish), so the finding is
// info; a warning when the terminated workflow type is known and its code has cleanup that
// terminate skips. A function that also cancels (cancel first, terminate when that does not
// finish) is left alone. Filed under determinism with workflow-cleanup-in-cancelled-scope: both
// are about whether workflow code gets to run its cleanup.

import ts from 'typescript';
import { defineCheck } from '../define-check.js';
import { workflowCodeReached } from '../../model/typescript/cancelled-scope-cleanup.js';
import { isShieldingCall } from '../../model/typescript/cancelled-scope-cleanup.js';
import { relativePath } from '../../model/typescript/locate.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import { workflowTerminateCalls } from '../../model/typescript/workflow-cancel-calls.js';
import type { SourceLocation, TemporalModel } from '../../model/typescript/types.js';

interface Cleanup {
  workflow: string;
  what: string;
  location: SourceLocation;
}

export default defineCheck({
  id: 'workflow-terminated-not-cancelled',
  area: 'determinism',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'Client code terminates a workflow (handle.terminate()) where a cancel would let its cleanup run',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const call of workflowTerminateCalls(model)) {
      if (alsoCancels(call.node)) continue;
      const known = call.types.length > 0;
      const cleanups = (known ? call.types : model.workflows.map((w) => w.name))
        .map((name) => cleanupOf(model, name))
        .filter((c): c is Cleanup => c !== undefined);
      const target = known ? `workflow ${call.types.join(', ')}` : 'a workflow whose type the tool cannot tell';
      const at = (c: Cleanup) => `${c.what} at ${relativePath(ctx.root, c.location.file)}:${c.location.line}`;
      const skipped = known
        ? cleanups.length > 0
          ? ` Its code has cleanup that terminate skips: ${cleanups.map(at).join('; ')}.`
          : ''
        : cleanups.length > 0
          ? ` If it is one of ${cleanups.slice(0, 3).map((c) => c.workflow).join(', ')}${cleanups.length > 3 ? ` (and ${cleanups.length - 3} more)` : ''}, terminate skips their cleanup (${cleanups.slice(0, 3).map(at).join('; ')}).`
          : '';
      ctx.report({
        location: call.location,
        severity: known && cleanups.length > 0 ? 'warning' : 'info',
        message:
          `This terminates ${target}. Terminate ends the run on the server at once and no workflow code runs after it: ` +
          'finally blocks, cancellation handling and non-cancellable cleanup are skipped, and the activities it started are not cancelled ' +
          '(one that heartbeats learns at its next heartbeat; one that does not runs to its end, still writing wherever it writes).' +
          skipped,
        fix:
          'Cancel instead (await handle.cancel(), then wait for handle.result() with a deadline) so the workflow can clean up; ' +
          'terminate only a run that did not finish after the cancel, or that does not react to cancellation.',
        related: cleanups.slice(0, 3).map((c) => ({ ...c.location, message: `${c.workflow}: ${c.what}, skipped by terminate` })),
        data: { workflowTypes: call.types, cleanups: cleanups.map((c) => c.workflow) },
      });
    }
  },
});

/** The enclosing function also calls `.cancel()`: cancel first, terminate as the last resort. */
function alsoCancels(call: ts.CallExpression): boolean {
  let fn: ts.Node | undefined = call.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'cancel') found = true;
    else ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/**
 * The first cleanup in a workflow's code (the function and the workflow helpers it calls): a
 * finally block, a non-cancellable scope, or a test for cancellation.
 */
function cleanupOf(model: TemporalModel, name: string): Cleanup | undefined {
  const workflow = model.workflows.find((w) => w.name === name);
  if (!workflow) return undefined;
  for (const fn of workflowCodeReached(model, workflow.node)) {
    let found: Cleanup | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isTryStatement(node) && node.finallyBlock) found = { workflow: name, what: 'a finally block', location: model.locate(node.finallyBlock) };
      else if (isShieldingCall(node)) found = { workflow: name, what: 'a non-cancellable cleanup scope', location: model.locate(node) };
      else if (ts.isCallExpression(node) && calleeName(node) === 'isCancellation') found = { workflow: name, what: 'cancellation handling', location: model.locate(node) };
      else if (ts.isIdentifier(node) && node.text === 'CancelledFailure' && !ts.isImportSpecifier(node.parent)) found = { workflow: name, what: 'cancellation handling', location: model.locate(node) };
      else ts.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
    if (found) return found;
  }
  return undefined;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}
