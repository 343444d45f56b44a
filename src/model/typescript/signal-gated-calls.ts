// Activity calls that run only once a message has arrived: calls in a signal or update handler
// (setHandler), and calls that come after a wait (`await condition(pred[, timeout])`) whose
// predicate reads only state that handlers write. A retried workflow run is a new run: the signals
// the failed run received are not delivered to it again, so it does not reach such calls on its
// own; it waits for the message again. Calls in helpers the workflow calls are gated when the
// helper's call is gated. The walk follows the workflow's code as workflowActivityCalls does.

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { nodeSnippet } from './locate.js';
import { activityOfCall } from './observability/workflow-activity-calls.js';
import { messageHandlerCallAround } from './payload-types/message-handlers.js';
import { skipOuterExpressions } from './temporal-api.js';
import { messageDefinition, signalWait } from './untimed-signal-waits.js';
import type { ActivityProxy, SourceLocation, TemporalModel, WorkflowDefinition } from './types.js';

export interface SignalGate {
  /** 'handler': the call runs in the message's handler; 'wait': after a wait only the message can end. */
  via: 'handler' | 'wait';
  kind: 'signal' | 'update';
  /** The message's name (the string when it is a literal, else as written). */
  name: string;
  /** The setHandler call, or the wait (`condition(...)`). */
  location: SourceLocation;
  /** The wait's timeout as written; undefined for a handler or a wait without timeout. */
  timeout?: string;
}

/** Same depth as workflowActivityCalls, so both walks reach the same call sites. */
const MAX_DEPTH = 4;

/** The key of a call site: file, line and column. */
export function siteKey(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/**
 * For every activity call site the workflow reaches, the message that gates it, or null when
 * some path reaches it without a message (or the gate cannot be read).
 */
export function signalGatedCalls(model: TemporalModel, workflow: WorkflowDefinition): Map<string, SignalGate | null> {
  const proxyByNode = new Map<ts.Node, ActivityProxy>(model.activityProxies.map((p) => [p.node, p]));
  const gates = new Map<string, SignalGate | null>();
  const stack = new Set<ts.Node>();
  const record = (call: ts.CallExpression, gate: SignalGate | undefined) => {
    const key = siteKey(model.locate(call));
    if (!gates.has(key)) gates.set(key, gate ?? null);
    else if (!gate) gates.set(key, null);
  };
  const visitFunction = (fn: ts.FunctionLikeDeclaration, inherited: SignalGate | undefined, depth: number) => {
    if (!fn.body || stack.has(fn) || depth > MAX_DEPTH) return;
    stack.add(fn);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const activity = activityOfCall(node, model, proxyByNode);
        if (activity) record(node, inherited ?? gateOf(node, fn, model));
        else {
          const callee = functionOfDeclaration(model.declarationOf(node.expression));
          if (callee && model.files.includes(callee.getSourceFile().fileName)) visitFunction(callee, inherited ?? gateOf(node, fn, model), depth + 1);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
    stack.delete(fn);
  };
  visitFunction(workflow.node, undefined, 0);
  return gates;
}

/** The message that must arrive before `node` runs, looking no further out than `fn`. */
function gateOf(node: ts.Node, fn: ts.Node, model: TemporalModel): SignalGate | undefined {
  const handler = messageHandlerCallAround(node, model, fn);
  if (handler) {
    const definition = handler.arguments[0] ? messageDefinition(handler.arguments[0], model, true) : undefined;
    const name = definition?.call.arguments[0];
    return definition && name ? { via: 'handler', kind: definition.kind, name: displayName(name, model), location: model.locate(handler) } : undefined;
  }
  for (let child: ts.Node = node, parent = node.parent; parent && child !== fn; child = parent, parent = parent.parent) {
    let gate: SignalGate | undefined;
    if (ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      for (const statement of parent.statements) {
        if (statement === child) break;
        gate ??= waitIn(statementHead(statement), model);
      }
    } else if (ts.isIfStatement(parent) && child !== parent.expression) gate = waitIn(parent.expression, model);
    else if (ts.isWhileStatement(parent) && child === parent.statement) gate = waitIn(parent.expression, model);
    else if (ts.isForStatement(parent) && child === parent.statement && parent.condition) gate = waitIn(parent.condition, model);
    if (gate) return gate;
  }
  return undefined;
}

/** The part of a statement that always runs when the statement runs (its expression, its first test). */
function statementHead(statement: ts.Statement): ts.Node | undefined {
  if (ts.isExpressionStatement(statement)) return statement.expression;
  if (ts.isVariableStatement(statement)) return statement.declarationList;
  if (ts.isIfStatement(statement) || ts.isWhileStatement(statement) || ts.isSwitchStatement(statement)) return statement.expression;
  if (ts.isForStatement(statement)) return statement.condition;
  return undefined;
}

/**
 * An awaited signal wait that surely runs when `node` runs: not in a nested function, not on the
 * right of `&&`, `||` or `??`, not in a branch of `?:`.
 */
function waitIn(node: ts.Node | undefined, model: TemporalModel): SignalGate | undefined {
  if (!node) return undefined;
  let found: SignalGate | undefined;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current)) return;
    if (ts.isAwaitExpression(current)) {
      const operand = skipOuterExpressions(current.expression);
      if (ts.isCallExpression(operand)) {
        const wait = signalWait(operand, model, { timed: true, updates: true, collections: true });
        if (wait) {
          found = { via: 'wait', kind: wait.kind, name: wait.displayName, location: model.locate(operand), ...(wait.timeout ? { timeout: nodeSnippet(wait.timeout) } : {}) };
          return;
        }
      }
    }
    if (ts.isBinaryExpression(current) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(current.operatorToken.kind)) {
      visit(current.left);
      return;
    }
    if (ts.isConditionalExpression(current)) {
      visit(current.condition);
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

function displayName(name: ts.Expression, model: TemporalModel): string {
  const written = skipOuterExpressions(name);
  const held = ts.isIdentifier(written) ? model.declarationOf(written) : undefined;
  const value = held && ts.isVariableDeclaration(held) && held.initializer && ts.getCombinedNodeFlags(held) & ts.NodeFlags.Const ? skipOuterExpressions(held.initializer) : written;
  return ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value) ? value.text : nodeSnippet(written);
}
