// Code that runs when a message arrives: the body of a function passed to setHandler (a signal or
// update handler). What such code adds to a collection arrives one item per message, and each
// message is itself an event in the history: a loop that drains what only handlers add runs as
// many times as messages arrived, not for as long as the workflow lives.

import ts from 'typescript';
import type { TemporalModel } from '../types.js';

/** True when the node sits in a function passed to setHandler. */
export function isInMessageHandler(node: ts.Node, model: TemporalModel): boolean {
  return messageHandlerCallAround(node, model) !== undefined;
}

/** The nearest setHandler call whose function argument holds the node (`stop`: do not look above this node). */
export function messageHandlerCallAround(node: ts.Node, model: TemporalModel, stop?: ts.Node): ts.CallExpression | undefined {
  for (let current: ts.Node | undefined = node; current && current !== stop; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const call = current.parent;
    if (call && ts.isCallExpression(call) && call.arguments.includes(current as unknown as ts.Expression) && model.temporalApiOf(call.expression)?.name === 'setHandler') return call;
  }
  return undefined;
}
