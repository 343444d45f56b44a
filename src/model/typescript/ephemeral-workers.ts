// A per-run worker: a CLI or a script creates a worker, starts one workflow on the worker's own
// task queue from the same function, waits for its result and then shuts the worker down (or hands
// the result to `worker.runUntil`). The worker lives exactly as long as the one workflow run its
// process started and awaits: the caller sees the result or the failure. An execution outlives the
// process only when the process stops or dies mid-run (then the run stays on a queue nobody polls:
// per-run-workflow-without-timeout; and a stop signal mid-run cancels its in-flight activities:
// worker-shutdown-grace-missing). Production-operations checks written for long-running worker
// fleets (failure alerts, queue-wait alerts, slot sizing, metrics scraping) are notes for it.
// Decided from the code shape only; a worker whose shape is not this stays long-running.

import ts from 'typescript';
import { locate } from './locate.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { StaticValue, WorkerDefinition, WorkflowStart } from './types.js';

/** Sets `ephemeral` on each worker that runs only for a workflow its own function starts and awaits. */
export function markEphemeralWorkers(workers: WorkerDefinition[], starts: WorkflowStart[]): void {
  for (const worker of workers) {
    if (worker.framework) continue;
    const how = ephemeralShape(worker, starts);
    if (how) worker.ephemeral = how;
  }
}

function ephemeralShape(worker: WorkerDefinition, starts: WorkflowStart[]): WorkerDefinition['ephemeral'] {
  const name = boundName(worker.node);
  const scope = enclosingScope(worker.node);
  if (!name || !scope) return undefined;
  const calls = methodCalls(scope, name);
  const inScope = starts.filter((start) => !start.child && start.method !== 'schedule' && enclosingScope(start.node) === scope);

  // `await worker.runUntil(client.workflow.execute(...))`: runUntil stops the worker when the result settles.
  for (const call of calls.get('runUntil') ?? []) {
    const argument = call.arguments[0];
    if (argument && awaitsWorkflowResult(argument, scope, inScope)) return { how: 'run-until', location: locate(call) };
  }

  // `worker.run()`, a start on the same task queue, an await of its result, then `worker.shutdown()`.
  if (!calls.get('run')?.length) return undefined;
  const sameQueue = inScope.filter((start) => sameValue(worker.taskQueue, taskQueueOf(start)));
  for (const shutdown of calls.get('shutdown') ?? []) {
    for (const start of sameQueue) {
      if (start.node.getStart() > shutdown.getStart()) continue;
      const awaited = start.method === 'execute' ? isAwaited(start.node) : resultAwaitedBetween(start.node, shutdown, scope);
      if (awaited) return { how: 'shutdown-after-result', location: locate(shutdown) };
    }
  }
  return undefined;
}

/** `const worker = await Worker.create(...)`: the variable the worker is bound to. */
function boundName(call: ts.CallExpression): string | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  return parent && ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
}

/** The function (or the module, for top-level code) a node runs in. */
function enclosingScope(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return current;
  }
  return undefined;
}

/** `name.method(...)` calls in the scope (not in nested functions), by method. */
function methodCalls(scope: ts.Node, name: string): Map<string, ts.CallExpression[]> {
  const calls = new Map<string, ts.CallExpression[]>();
  const visit = (node: ts.Node): void => {
    if (node !== scope && ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === name) {
        calls.set(callee.name.text, [...(calls.get(callee.name.text) ?? []), node]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return calls;
}

/** The argument of runUntil holds a workflow execute or a handle's `.result()`, directly or through a const. */
function awaitsWorkflowResult(argument: ts.Expression, scope: ts.Node, starts: WorkflowStart[]): boolean {
  let found = false;
  const visit = (node: ts.Node, depth: number): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      if (starts.some((start) => start.node === node && start.method === 'execute')) found = true;
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'result' && node.arguments.length === 0) found = true;
    }
    if (ts.isIdentifier(node) && depth < 2) {
      const initializer = constInitializer(node, scope);
      if (initializer) visit(initializer, depth + 1);
    }
    ts.forEachChild(node, (child) => visit(child, depth));
  };
  visit(argument, 0);
  return found;
}

/** The initializer of a const of that name declared in the scope. */
function constInitializer(identifier: ts.Identifier, scope: ts.Node): ts.Expression | undefined {
  let initializer: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (initializer) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === identifier.text && node.initializer && node.initializer !== identifier.parent) {
      initializer = node.initializer;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return initializer;
}

function isAwaited(node: ts.Node): boolean {
  let current = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent))) current = current.parent;
  return current.parent !== undefined && ts.isAwaitExpression(current.parent);
}

/**
 * Between the start and the shutdown the function awaits the run's result: `await handle.result()`,
 * or an awaited helper that is handed the handle (`await waitForResult(handle)`).
 */
function resultAwaitedBetween(start: ts.CallExpression, shutdown: ts.CallExpression, scope: ts.Node): boolean {
  const handle = boundName(start);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== scope && ts.isFunctionLike(node))) return;
    if (ts.isAwaitExpression(node) && node.getStart() > start.getEnd() && node.getEnd() <= shutdown.getStart()) {
      const awaited = skipOuterExpressions(node.expression);
      if (ts.isCallExpression(awaited)) {
        const callee = skipOuterExpressions(awaited.expression);
        const isResult = ts.isPropertyAccessExpression(callee) && callee.name.text === 'result' && ts.isIdentifier(callee.expression) && callee.expression.text === handle;
        const takesHandle = handle !== undefined && awaited.arguments.some((argument) => ts.isIdentifier(argument) && argument.text === handle);
        if (isResult || takesHandle) found = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

function taskQueueOf(start: WorkflowStart): StaticValue | undefined {
  return start.options?.kind === 'object' ? start.options.properties.get('taskQueue') : undefined;
}

/** The same literal, or the same expression text (`args.taskQueue` in both places). */
function sameValue(a: StaticValue | undefined, b: StaticValue | undefined): boolean {
  if (!a || !b) return false;
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  if (a.kind === 'unknown' && b.kind === 'unknown') return a.text === b.text;
  return false;
}

/** The per-run workers among these ids, when every one of them is per-run (none when the list is empty). */
export function perRunWorkersOnly(workerIds: string[], workers: WorkerDefinition[]): WorkerDefinition[] {
  const these = workers.filter((worker) => workerIds.includes(worker.id));
  return these.length > 0 && these.length === workerIds.length && these.every((worker) => worker.ephemeral) ? these : [];
}
