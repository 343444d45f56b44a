// Points at client code that terminates workflow executions: `handle.terminate()` ends the run on
// the server at once, so no workflow code runs after it. Its finally blocks, its cancellation
// handling and its non-cancellable cleanup are skipped, and it cannot wait for its activities to
// stop (they find out only at their next heartbeat).
// `handle.cancel()` lets the workflow clean up. Reported only when there is cleanup to skip (a
// finally, a catch for cancellation that awaits something, a non-cancellable scope): a warning when
// the terminated workflow type is known and has it; info when the type is unknown and some workflow
// of the project has it. A function that also cancels (cancel first, terminate when that does not
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
      // Without cleanup anywhere, terminate and cancel end the same way: nothing to report.
      const cleanups = sameCleanupOnce(
        (known ? call.types : model.workflows.map((w) => w.name)).map((name) => cleanupOf(model, name)).filter((c): c is Cleanup => c !== undefined),
      );
      if (cleanups.length === 0) continue;
      const target = known ? `workflow ${call.types.join(', ')}` : 'a workflow whose type the tool cannot tell';
      const at = (c: Cleanup) => `${c.what} at ${relativePath(ctx.root, c.location.file)}:${c.location.line}`;
      const skipped = known
        ? ` Its code has cleanup that terminate skips: ${cleanups.map(at).join('; ')}.`
        : ` If it is one of ${cleanups.slice(0, 3).map((c) => c.workflow).join(', ')}${cleanups.length > 3 ? ` (and ${cleanups.length - 3} more)` : ''}, terminate skips their cleanup (${cleanups.slice(0, 3).map(at).join('; ')}).`;
      ctx.report({
        location: call.location,
        severity: known ? 'warning' : 'info',
        message:
          `This terminates ${target}. Terminate closes the run on the server at once and no workflow code runs after it: ` +
          'finally blocks, cancellation handling and non-cancellable cleanup are skipped, and the run cannot wait for the activities it started to stop ' +
          '(they find out only at their next heartbeat, and one that does not heartbeat runs to its end, still writing wherever it writes).' +
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

/** One entry per cleanup location: a workflow that wraps another shares its cleanup (`a, b`). */
function sameCleanupOnce(cleanups: Cleanup[]): Cleanup[] {
  const byPlace = new Map<string, Cleanup>();
  for (const cleanup of cleanups) {
    const key = `${cleanup.location.file}:${cleanup.location.line}:${cleanup.location.column}`;
    const seen = byPlace.get(key);
    if (seen) seen.workflow = `${seen.workflow}, ${cleanup.workflow}`;
    else byPlace.set(key, { ...cleanup });
  }
  return [...byPlace.values()];
}

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
      if (ts.isTryStatement(node) && node.finallyBlock && awaits(node.finallyBlock)) found = { workflow: name, what: 'a finally block', location: model.locate(node.finallyBlock) };
      else if (isShieldingCall(node)) found = { workflow: name, what: 'a non-cancellable cleanup scope', location: model.locate(node) };
      else if (((ts.isCallExpression(node) && calleeName(node) === 'isCancellation') || (ts.isIdentifier(node) && node.text === 'CancelledFailure' && !ts.isImportSpecifier(node.parent))) && awaits(handlerOf(node))) {
        found = { workflow: name, what: 'cancellation handling', location: model.locate(node) };
      } else ts.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
    if (found) return found;
  }
  return undefined;
}

/**
 * The code that runs on cancellation around a test for it: the branch of the `if` it is the
 * condition of, else the catch block it sits in.
 */
function handlerOf(node: ts.Node): ts.Node | undefined {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.expression === current) return parent.thenStatement;
    if (ts.isCatchClause(parent)) return parent.block;
    if (ts.isFunctionLike(parent)) return undefined;
  }
  return undefined;
}

/**
 * The cleanup does something outside the run (awaits an activity, a child, a signal, a helper):
 * a finally that only updates the run's own variables loses nothing when the run is terminated.
 */
function awaits(node: ts.Node | undefined): boolean {
  if (!node) return false;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(current)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}
