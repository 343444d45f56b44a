// The request or message handler a piece of code runs in: the function around it, or a caller of
// that function up to three levels out (calls the checker resolves, `this.method(...)` included).
// A handler that a decorator or a route registration declares wins over one read from a
// parameter's name (`event`), which is kept when nothing further out declares one.

import ts from 'typescript';
import type { TemporalModel } from '../types.js';
import { enclosingFunction } from '../call-reach.js';
import { callsOfFunction } from '../named-calls.js';
import { handlerContext, type HandlerContext } from './request-context.js';

const MAX_REACH_LEVELS = 3;
const MAX_REACH_CALLS = 8;

export interface HandlerReach {
  context: HandlerContext;
  /** The call, in the handler, that leads to the code; absent when the code is in the handler itself. */
  entryCall?: ts.CallExpression;
}

/** The handler `holder` (the function around `anchor`) runs in, or undefined. */
export function handlerReach(model: TemporalModel, anchor: ts.Node, holder: ts.FunctionLikeDeclaration): HandlerReach | undefined {
  const own = handlerContext(anchor);
  let weak: HandlerReach | undefined = own ? { context: own } : undefined;
  let strong: HandlerReach | undefined = own?.declared ? { context: own } : undefined;
  let frontier = callsOfFunction(model, holder).slice(0, MAX_REACH_CALLS);
  const seen = new Set<ts.Node>([holder]);
  for (let level = 0; level < MAX_REACH_LEVELS && !strong && frontier.length > 0; level++) {
    const next: ts.CallExpression[] = [];
    for (const call of frontier) {
      const context = handlerContext(call);
      if (context?.declared) {
        strong = { context, entryCall: call };
        break;
      }
      if (context && !weak) weak = { context, entryCall: call };
      const caller = enclosingFunction(call);
      if (!caller || seen.has(caller)) continue;
      seen.add(caller);
      next.push(...callsOfFunction(model, caller).slice(0, MAX_REACH_CALLS));
    }
    frontier = next;
  }
  return strong ?? weak;
}
