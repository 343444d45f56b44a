// Where an activity reacts to cancellation (TEMPORAL-FACTS.md section 4; @temporalio/worker
// `Worker.shutdown`): the TypeScript SDK never interrupts an activity function. A cancellation,
// including the one a worker sends its running activities when shutdownGraceTime runs out, only
// takes effect where the activity looks at it: `cancelled()`, `cancellationSignal()` (handed to
// fetch or a client), the activity `sleep()` (which rejects on cancellation), or the worker's own
// client (`getClient()`, `Context.current().client`), whose calls the SDK ties to the abort signal.
// heartbeat() alone does not throw on cancellation.

import ts from 'typescript';
import { isActivityContext } from './heartbeat-calls.js';
import type { ResolveContext } from './resolve-value.js';
import { isTemporalApi, skipOuterExpressions, temporalApiOf } from './temporal-api.js';

const CANCELLATION_MEMBERS = ['cancelled', 'cancellationSignal', 'sleep', 'client'];

/** A node that makes the activity notice a cancellation: an SDK call or an activity Context member. */
export function isCancellationUse(node: ts.Node, ctx: ResolveContext): boolean {
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    return isTemporalApi(callee, ctx.index, 'cancelled', 'cancellationSignal', 'getClient') || isActivitySleep(callee, ctx);
  }
  if (ts.isPropertyAccessExpression(node) && CANCELLATION_MEMBERS.includes(node.name.text)) return isActivityContext(node.expression, ctx, 0);
  // `const { cancellationSignal } = Context.current()`.
  if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
    const names = node.name.elements.map((element) => ((element.propertyName ?? element.name) as ts.Identifier).text);
    return names.some((name) => CANCELLATION_MEMBERS.includes(name)) && isActivityContext(node.initializer, ctx, 0);
  }
  return false;
}

/** `sleep` imported from @temporalio/activity (the workflow one never runs in an activity). */
function isActivitySleep(callee: ts.Node, ctx: ResolveContext): boolean {
  const api = temporalApiOf(callee, ctx.index, ['sleep']);
  return api?.name === 'sleep' && api.module === '@temporalio/activity';
}
