// TypeScript workflows whose signal- or update-set state is read only before the first wait (see
// ../signal-state-read-early.ts):
//
//   export async function querySchedulerWorkflow(input: Input) {
//     let paused = false;
//     setHandler(pauseSignal, () => { paused = true; });
//     if (paused) return;                 // reported: the only read, before the first await
//     await createRun(input);
//     await fetchAndStoreAnswer(input);
//   }
//
// Only what can be followed whole is judged. The state is a `let` / `var` of the workflow function
// that a setHandler callback of a signal or update assigns (`paused = true`, `count++`). Every other
// mention of it must be a read by the workflow function's own code, textually before its first
// `await` (or `for await`) and not in a loop that waits; a mention in any other nested function (a
// condition() predicate, a callback, a helper closure) may run after a wait, so the state is left
// alone. Reads by query handlers do not count, nor reads by a signal or update handler that only
// assigns this state and logs (a toggle that checks the current value). A workflow the reviewed code
// starts with signalWithStart (or an update-with-start anywhere) is left alone: there the early read
// may be the point.

import ts from 'typescript';
import { sendToRunningWorkflow, type EarlySignalStateRead } from '../signal-state-read-early.js';
import { functionOfDeclaration } from './declarations.js';
import { nodeSnippet } from './locate.js';
import { typescriptMessageFacts } from './message-sends.js';
import { describeDefinition } from './payload-types/exact-length-rollover.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { TemporalModel, WorkflowDefinition } from './types.js';

interface Handler {
  fn: ts.FunctionLikeDeclaration;
  kind: 'signal' | 'update' | 'query' | 'message';
  name?: string;
}

/** Calls a plain handler may make without doing anything the workflow could see. */
const LOGGING = /^(?:console|log|logger|wf\.log|workflow\.log)\.(?:log|info|warn|warning|error|debug|trace)$/;

export function earlySignalStateReads(model: TemporalModel): EarlySignalStateRead[] {
  const found: EarlySignalStateRead[] = [];
  const seen = new Set<ts.Node>();
  const updateWithStart = model.files.some((file) => /UpdateWithStart|WithStartWorkflowOperation/.test(model.sourceFile(file)?.text ?? ''));
  for (const workflow of model.workflows) {
    const fn = workflow.node;
    if (seen.has(fn) || !fn.body || !ts.isBlock(fn.body) || !model.files.includes(workflow.file)) continue;
    seen.add(fn);
    // Started with a signal-with-start: the first task may carry the signal, and the read sees it.
    if (model.starts.some((start) => start.method === 'signalWithStart' && (start.workflowType === null || start.workflowType === workflow.name))) continue;
    const handlers = handlersIn(fn, model);
    if (handlers.size === 0) continue;
    const wait = firstWait(fn.body);
    if (!wait) continue;
    const written = handlerWrites(fn, handlers, model);
    // Per variable: its early reads, none, or undefined when something may read it later.
    const status = new Map<ts.VariableDeclaration, ts.Identifier[] | undefined>();
    for (const declaration of written.keys()) status.set(declaration, earlyReads(fn, declaration, wait, handlers, model));
    for (const [declaration, writes] of written) {
      if (updateWithStart && writes.some((w) => w.handler.kind === 'update')) continue;
      const reads = status.get(declaration);
      if (!reads) continue;
      const unread = reads.length === 0;
      if (unread && !neverRead(fn, declaration, handlers, model)) continue;
      // A handler that does anything else (a call, a wait, state read later) gives the message an effect.
      if (!writes.every((w) => quietHandler(w.handler.fn, status, model))) continue;
      const sent = sendToRunningWorkflow(typescriptMessageFacts(model), workflow.name, writes.map((w) => ({ kind: w.handler.kind as 'signal' | 'update', ...(w.handler.name ? { name: w.handler.name } : {}) })));
      found.push({
        workflow: workflow.name,
        name: (declaration.name as ts.Identifier).text,
        writes: firstPerHandler(writes).map((w) => ({ kind: w.handler.kind as 'signal' | 'update', ...(w.handler.name ? { name: w.handler.name } : {}), location: model.locate(w.node), text: nodeSnippet(w.node, 48) })),
        reads: reads.map((read) => ({ location: model.locate(read), text: statementText(read) })),
        wait: { location: model.locate(wait), text: nodeSnippet(wait, 60) },
        ...(unread ? { unread: true as const } : {}),
        ...(sent ? { sent: { location: sent.location, call: sent.call, name: sent.name } } : {}),
      });
    }
  }
  const at = (hit: EarlySignalStateRead) => hit.reads[0]?.location ?? hit.writes[0]!.location;
  return found.sort((a, b) => at(a).file.localeCompare(at(b).file) || at(a).line - at(b).line);
}

/** The callbacks of the setHandler calls in the workflow function (inline, or a function it declares). */
function handlersIn(fn: ts.FunctionLikeDeclaration, model: TemporalModel): Map<ts.Node, Handler> {
  const handlers = new Map<ts.Node, Handler>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length >= 2 && model.temporalApiOf(node.expression)?.name === 'setHandler') {
      const callback = skipOuterExpressions(node.arguments[1]!);
      const handler = ts.isArrowFunction(callback) || ts.isFunctionExpression(callback) ? callback : ts.isIdentifier(callback) ? functionOfDeclaration(model.declarationOf(callback)) : undefined;
      if (handler && within(handler, fn)) {
        const described = describeDefinition(node.arguments[0]! as ts.Expression, model);
        handlers.set(handler, { fn: handler, kind: described.kind, ...(described.name ? { name: described.name } : {}) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body!);
  return handlers;
}

interface Write {
  node: ts.Node;
  handler: Handler;
}

/** The workflow function's own `let` / `var` variables that a signal or update handler assigns, with the writes. */
function handlerWrites(fn: ts.FunctionLikeDeclaration, handlers: Map<ts.Node, Handler>, model: TemporalModel): Map<ts.VariableDeclaration, Write[]> {
  const writes = new Map<ts.VariableDeclaration, Write[]>();
  for (const handler of handlers.values()) {
    if ((handler.kind !== 'signal' && handler.kind !== 'update') || !handler.fn.body) continue;
    const visit = (node: ts.Node): void => {
      const target = assignedIdentifier(node);
      if (target) {
        const declaration = model.declarationOf(target);
        if (declaration && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && isMutable(declaration) && enclosingFunction(declaration) === fn) {
          writes.set(declaration, [...(writes.get(declaration) ?? []), { node, handler }]);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(handler.fn.body);
  }
  return writes;
}

function firstPerHandler(writes: Write[]): Write[] {
  const seen = new Set<Handler>();
  return writes.filter((w) => !seen.has(w.handler) && seen.add(w.handler));
}

/** `x = ...`, `x += ...`, `x++`, `--x`: the identifier assigned. */
function assignedIdentifier(node: ts.Node): ts.Identifier | undefined {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
    const left = skipOuterExpressions(node.left);
    return ts.isIdentifier(left) ? left : undefined;
  }
  if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
    const operand = skipOuterExpressions(node.operand);
    return ts.isIdentifier(operand) ? operand : undefined;
  }
  return undefined;
}

function isMutable(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & (ts.NodeFlags.Const | ts.NodeFlags.Using)) === 0;
}

/**
 * The reads of the variable by the workflow function's own code, when every one runs before the
 * first wait; undefined when any mention may run later (after the wait, in a loop that waits, in a
 * nested function other than a handler that only toggles it).
 */
function earlyReads(fn: ts.FunctionLikeDeclaration, declaration: ts.VariableDeclaration, wait: ts.Node, handlers: Map<ts.Node, Handler>, model: TemporalModel): ts.Identifier[] | undefined {
  const name = (declaration.name as ts.Identifier).text;
  const reads: ts.Identifier[] = [];
  let open = false;
  const visit = (node: ts.Node): void => {
    if (open) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name && isReference(node)) {
      if (!judge(node)) open = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  const judge = (identifier: ts.Identifier): boolean => {
    // A shadowing declaration of the same name elsewhere: not this variable.
    const resolved = model.declarationOf(identifier);
    if (resolved && resolved !== declaration && !ts.isShorthandPropertyAssignment(resolved)) return true;
    const pureWrite = ts.isBinaryExpression(identifier.parent) && identifier.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && skipOuterExpressions(identifier.parent.left) === identifier;
    const owner = ownFunction(identifier, fn);
    if (owner !== fn) {
      const handler = owner && handlerAround(owner, fn, handlers);
      if (!handler) return false; // a closure: may run after a wait
      if (handler.kind === 'query') return true;
      if (pureWrite) return true;
      return handler.kind !== 'message' && onlyToggles(handler.fn, declaration, model);
    }
    if (pureWrite) return true;
    if (!beforeWait(identifier, wait)) return false;
    for (let current: ts.Node = identifier.parent; current !== fn; current = current.parent) {
      if (ts.isIterationStatement(current, false) && waitIn(current)) return false;
    }
    reads.push(identifier);
    return true;
  };
  visit(fn.body!);
  return open ? undefined : reads;
}

/**
 * Nothing reads the variable: every mention is a plain assignment (`x = ...`) or sits in a signal
 * or update handler that only toggles it. A query handler's read counts as a read, and so does a
 * shorthand `{ x }`, an export, or any mention in another nested function.
 */
function neverRead(fn: ts.FunctionLikeDeclaration, declaration: ts.VariableDeclaration, handlers: Map<ts.Node, Handler>, model: TemporalModel): boolean {
  const name = (declaration.name as ts.Identifier).text;
  let read = false;
  const visit = (node: ts.Node): void => {
    if (read) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name && isReference(node)) {
      const resolved = model.declarationOf(node);
      if (resolved && resolved !== declaration && !ts.isShorthandPropertyAssignment(resolved)) return;
      const pureWrite = ts.isBinaryExpression(node.parent) && node.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && skipOuterExpressions(node.parent.left) === node;
      if (pureWrite) return;
      const owner = ownFunction(node, fn);
      const handler = owner && owner !== fn ? handlerAround(owner, fn, handlers) : undefined;
      if (handler && (handler.kind === 'signal' || handler.kind === 'update') && onlyToggles(handler.fn, declaration, model)) return;
      read = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body!);
  return !read;
}

/** An identifier that names a value, not a property (`a.paused`, `{ paused: 1 }`, a label). */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isQualifiedName(parent) || ts.isTypeReferenceNode(parent)) return false;
  return true;
}

/** The handler whose callback is `owner` or holds it. */
function handlerAround(owner: ts.Node, fn: ts.Node, handlers: Map<ts.Node, Handler>): Handler | undefined {
  for (let current: ts.Node | undefined = owner; current && current !== fn; current = current.parent) {
    const handler = handlers.get(current);
    if (handler) return handler;
  }
  return undefined;
}

/** A signal or update handler that assigns only this variable, waits for nothing and calls nothing but a logger. */
function onlyToggles(handler: ts.FunctionLikeDeclaration, declaration: ts.VariableDeclaration, model: TemporalModel): boolean {
  let plain = true;
  const visit = (node: ts.Node): void => {
    if (!plain) return;
    if (ts.isAwaitExpression(node) || ts.isYieldExpression(node)) plain = false;
    else if (ts.isCallExpression(node) && !LOGGING.test(skipOuterExpressions(node.expression).getText())) plain = false;
    else {
      const target = assignedIdentifier(node);
      if (target && model.declarationOf(target) !== declaration) plain = false;
      else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && !target) plain = false;
    }
    ts.forEachChild(node, visit);
  };
  if (handler.body) visit(handler.body);
  return plain;
}

/**
 * A handler that waits for nothing, calls nothing but a logger, and assigns only its own locals and
 * variables of the workflow that nothing reads after the first wait.
 */
function quietHandler(handler: ts.FunctionLikeDeclaration, status: Map<ts.VariableDeclaration, ts.Identifier[] | undefined>, model: TemporalModel): boolean {
  let quiet = true;
  const visit = (node: ts.Node): void => {
    if (!quiet) return;
    if (ts.isAwaitExpression(node) || ts.isYieldExpression(node) || ts.isNewExpression(node) || ts.isDeleteExpression(node)) quiet = false;
    else if (ts.isCallExpression(node) && !LOGGING.test(skipOuterExpressions(node.expression).getText())) quiet = false;
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment || ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
      const target = assignedIdentifier(node);
      if (ts.isBinaryExpression(node) || target) {
        const declaration = target && model.declarationOf(target);
        const own = declaration && ts.isVariableDeclaration(declaration) && enclosingFunction(declaration) === handler;
        if (!own && !(declaration && ts.isVariableDeclaration(declaration) && status.has(declaration) && status.get(declaration) !== undefined)) quiet = false;
      }
    }
    ts.forEachChild(node, visit);
  };
  if (handler.body) visit(handler.body);
  return quiet;
}

/** The first `await` (or `for await`) of the function's own code, by position. */
function firstWait(body: ts.Node): ts.Node | undefined {
  let first: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (first && node.getStart() > first.getStart()) return;
    if (ts.isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) {
      if (!first || node.getStart() < first.getStart()) first = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return first;
}

function waitIn(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current)) return;
    if (ts.isAwaitExpression(current) || (ts.isForOfStatement(current) && current.awaitModifier)) {
      found = true;
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** Runs before the wait suspends: ends before it starts, or is part of what it awaits. */
function beforeWait(node: ts.Node, wait: ts.Node): boolean {
  if (node.getEnd() <= wait.getStart()) return true;
  if (ts.isAwaitExpression(wait)) return within(node, wait.expression);
  if (ts.isForOfStatement(wait)) return within(node, wait.expression);
  return false;
}

function within(node: ts.Node, outer: ts.Node): boolean {
  return node.getStart() >= outer.getStart() && node.getEnd() <= outer.getEnd() && node.getSourceFile() === outer.getSourceFile();
}

/** The nearest function around the node, stopping at `fn`. */
function ownFunction(node: ts.Node, fn: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current === fn) return fn;
    if (ts.isFunctionLike(current)) return current;
  }
  return undefined;
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}

/** The statement around a read, first line, for messages. */
function statementText(node: ts.Node): string {
  let statement: ts.Node = node;
  while (statement.parent && !ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent) && !ts.isCaseClause(statement.parent)) statement = statement.parent;
  let text = nodeSnippet(statement, 60);
  if (ts.isIfStatement(statement)) text = `if (${nodeSnippet(statement.expression, 50)})`;
  return text;
}

export type { WorkflowDefinition };
