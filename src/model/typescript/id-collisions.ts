// Starts whose workflow id repeats where the start repeats (workflow-id-collision). Temporal
// refuses to start a workflow with the id of one that is running: the second start of the same id
// fails (WorkflowExecutionAlreadyStartedError in both the client and, for a child, in the workflow:
// @temporalio/workflow 1.24 rejects the child's start with it when the server answers
// WORKFLOW_ALREADY_EXISTS, see resolveChildWorkflowExecutionStart in lib/internals.js).
//
// - A child started on every iteration of a loop (`for`, `for...of`, `for...in`, a `.map` /
//   `.forEach` / `.flatMap` callback) while the children of earlier iterations still run, with a
//   workflowId built only from constant text and values the iteration does not change (the
//   parent's own input, `workflowInfo().workflowId`). The children overlap when the loop does not
//   wait for each to finish: `startChild` (unless the body waits on `.result()`), an `executeChild`
//   pushed to a list or started in a `.map` callback. An awaited `executeChild` in a `for` waits
//   for the child to close, and the default reuse policy (ALLOW_DUPLICATE) lets the next start use
//   the id again: not reported. Anything that cannot be read (a call other than workflowInfo(), a
//   value assigned in the loop, a condition that may pick one iteration, a `break` or `return` in
//   the body) leaves the start alone.
// - A client start (`client.workflow.start` / `execute`) with a constant id (a literal, or a const
//   holding one) in a function that handles a request or a message (a route decorator, a function
//   given to a route or subscription, a request parameter: request-context.ts, not the file's
//   place alone), with no workflowIdConflictPolicy, no TERMINATE_IF_RUNNING, no catch that tells
//   "already started" apart and no look-up of the running workflow first.

import ts from 'typescript';
import type { IdCollisionFacts } from '../types.js';
import { nodeSnippet } from './locate.js';
import { requestContext, requestFileContext } from './observability/request-context.js';
import { startHandling } from './start-handling.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { TemporalModel, WorkflowStart } from './types.js';

const LOOP_CALLBACKS = new Set(['map', 'forEach', 'flatMap']);
const MAX_DEPTH = 3;
const ALREADY_STARTED = /AlreadyStarted|already[\s_-]*started|ALREADY_EXISTS|already[\s_-]*(running|exists)/i;

export function idCollisionOf(start: WorkflowStart, model: TemporalModel, root: string): IdCollisionFacts | null {
  if (start.child) return childInLoop(start, model);
  if (start.method === 'start' || start.method === 'execute') return clientPerRequest(start, model, root);
  return null;
}

/** The workflowId expression written in the start's options object (no unknown spread), or undefined. */
function writtenWorkflowId(start: WorkflowStart, model: TemporalModel): ts.Expression | undefined {
  const options = start.options;
  if (options?.kind !== 'object' || options.unknownSpreads.length > 0 || options.maybeProperties?.has('workflowId')) return undefined;
  let literal: ts.Expression | undefined = start.node.arguments[start.node.arguments.length - 1];
  if (!literal || start.node.arguments.length < 2) return undefined;
  literal = skipOuterExpressions(literal) as ts.Expression;
  if (ts.isIdentifier(literal)) {
    const declaration = model.declarationOf(literal);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !isConst(declaration) || !declaration.initializer) return undefined;
    literal = skipOuterExpressions(declaration.initializer) as ts.Expression;
  }
  if (!ts.isObjectLiteralExpression(literal)) return undefined;
  if (literal.properties.some((p) => ts.isSpreadAssignment(p))) return undefined;
  const found = literal.properties.filter((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'workflowId');
  if (found.length !== 1) return undefined;
  const property = found[0]!;
  if (ts.isPropertyAssignment(property)) return property.initializer;
  if (ts.isShorthandPropertyAssignment(property)) return property.name;
  return undefined;
}

/** Whether a policy option decides what happens when the id is taken (then the author chose). */
function policySet(start: WorkflowStart): boolean {
  const options = start.options;
  if (options?.kind !== 'object') return true;
  if (options.properties.has('workflowIdConflictPolicy') || options.maybeProperties?.has('workflowIdConflictPolicy')) return true;
  const reuse = options.properties.get('workflowIdReusePolicy') ?? options.maybeProperties?.get('workflowIdReusePolicy');
  if (!reuse || reuse.kind === 'undefined') return false;
  if (reuse.kind === 'string') return /TERMINATE_IF_RUNNING/.test(reuse.value);
  return reuse.kind !== 'unknown' || /TERMINATE_IF_RUNNING/.test(reuse.text) || !/ALLOW_DUPLICATE|REJECT_DUPLICATE/.test(reuse.text);
}

// --- children in loops ------------------------------------------------------------------------

interface Loop {
  node: ts.Node;
  /** The part that runs per iteration: the loop body or the callback. */
  body: ts.Node;
  kind: 'for' | 'callback';
  text: string;
}

function childInLoop(start: WorkflowStart, model: TemporalModel): IdCollisionFacts | null {
  if (start.method !== 'startChild' && start.method !== 'executeChild') return null;
  const id = writtenWorkflowId(start, model);
  if (!id || policySet(start)) return null;
  const found = enclosingLoop(start.node, model);
  if (!found) return null;
  const { loop, path } = found;
  if (!invariant(id, loop, model, 0)) return null;
  // A condition between the loop and the start that may hold on one iteration only.
  for (const condition of path) if (!invariant(condition, loop, model, 0)) return null;
  if (loop.kind === 'for' && leavesEarly(loop.body)) return null;
  if (singleElementLoop(loop, model)) return null;
  const overlap = overlapOf(start, loop);
  if (!overlap) return null;
  return {
    kind: 'child-loop',
    loop: model.locate(loop.node),
    loopText: loop.text,
    idText: oneLine(id.getText()),
    overlap,
  };
}

/** The nearest loop around the call in the same function, and the conditions met on the way. */
function enclosingLoop(call: ts.CallExpression, model: TemporalModel): { loop: Loop; path: ts.Expression[] } | undefined {
  const path: ts.Expression[] = [];
  for (let node: ts.Node = call; node.parent; node = node.parent) {
    const parent: ts.Node = node.parent;
    if (ts.isFunctionLike(parent)) {
      const callback = loopCallback(parent);
      if (callback) return { loop: callback, path };
      return undefined;
    }
    if (ts.isClassLike(parent) || ts.isSourceFile(parent)) return undefined;
    if ((ts.isForOfStatement(parent) || ts.isForInStatement(parent) || ts.isForStatement(parent)) && parent.statement === node) {
      return { loop: { node: parent, body: parent.statement, kind: 'for', text: loopHeader(parent) }, path };
    }
    if (ts.isWhileStatement(parent) || ts.isDoStatement(parent)) return undefined;
    if (ts.isIfStatement(parent) && parent.expression !== node) path.push(parent.expression);
    if (ts.isConditionalExpression(parent) && parent.condition !== node) path.push(parent.condition);
    if (ts.isBinaryExpression(parent) && parent.right === node && isLogical(parent.operatorToken.kind)) path.push(parent.left);
    if (ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      const switchStatement = parent.parent.parent;
      path.push(switchStatement.expression);
      if (ts.isCaseClause(parent)) path.push(parent.expression);
    }
    // Runs only when something failed: not every iteration.
    if (ts.isCatchClause(parent)) return undefined;
  }
  return undefined;
}

function isLogical(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

/** `items.map(async (item) => ...)`: the callback is the loop body. */
function loopCallback(fn: ts.SignatureDeclaration): Loop | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== fn) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !LOOP_CALLBACKS.has(callee.name.text)) return undefined;
  return { node: call, body: fn, kind: 'callback', text: `${oneLine(nodeSnippet(callee.expression, 40))}.${callee.name.text}(...)` };
}

function loopHeader(loop: ts.ForOfStatement | ts.ForInStatement | ts.ForStatement): string {
  const text = loop.getText();
  const close = text.indexOf(')');
  return oneLine(close > 0 && close < 120 ? text.slice(0, close + 1) : nodeSnippet(loop, 60));
}

/**
 * True when the expression's value is the same on every iteration of the loop: constant text,
 * names the loop does not bind or write, property reads of such names, `workflowInfo()`.
 */
function invariant(expression: ts.Expression, loop: Loop, model: TemporalModel, depth: number): boolean {
  const node = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isTemplateExpression(node)) return node.templateSpans.every((span) => invariant(span.expression, loop, model, depth));
  if (ts.isBinaryExpression(node)) {
    const kind = node.operatorToken.kind;
    if (kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment) return false;
    return invariant(node.left, loop, model, depth) && invariant(node.right, loop, model, depth);
  }
  if (ts.isPrefixUnaryExpression(node)) {
    if (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) return false;
    return invariant(node.operand, loop, model, depth);
  }
  if (ts.isIdentifier(node)) {
    if (node.text === 'undefined') return true;
    const declaration = model.declarationOf(node);
    if (!declaration) return false;
    // Imported: a const of another module.
    if (declaration.getSourceFile() !== node.getSourceFile()) return isConstDeclaration(declaration);
    if (inside(declaration, loop.node)) {
      // A const the iteration sets from invariant values (`const childId = `${parentId}-sync``).
      if (depth < MAX_DEPTH && ts.isVariableDeclaration(declaration) && isConst(declaration) && declaration.initializer && ts.isIdentifier(declaration.name)) {
        return !isLoopBinding(declaration) && invariant(declaration.initializer, loop, model, depth + 1);
      }
      return false;
    }
    return !writtenIn(node.text, loop.node);
  }
  if (ts.isPropertyAccessExpression(node)) {
    return invariant(node.expression, loop, model, depth) && !writtenIn(node.getText(), loop.node);
  }
  if (ts.isElementAccessExpression(node)) {
    // Only a fixed key (`config['prefix']`): an index into a list the loop may shift or pop is not read.
    return ts.isStringLiteralLike(node.argumentExpression) && invariant(node.expression, loop, model, depth) && !writtenIn(node.getText(), loop.node);
  }
  if (ts.isCallExpression(node)) {
    // `workflowInfo()` / `wf.workflowInfo()`: the parent's own run.
    const callee = skipOuterExpressions(node.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    return name === 'workflowInfo' && node.arguments.length === 0;
  }
  return false;
}

function isConstDeclaration(declaration: ts.Declaration | undefined): boolean {
  return declaration !== undefined && ts.isVariableDeclaration(declaration) && isConst(declaration);
}

/** The loop variable of a `for...of` / `for...in` (`for (const item of items)`), which differs each round. */
function isLoopBinding(declaration: ts.VariableDeclaration): boolean {
  const list = declaration.parent;
  const holder = list?.parent;
  return holder !== undefined && (ts.isForOfStatement(holder) || ts.isForInStatement(holder) || ts.isForStatement(holder)) && holder.initializer === list;
}

function inside(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && container.pos <= node.pos && node.end <= container.end;
}

/** Whether the loop assigns (or increments) the name or property path, anywhere in it. */
function writtenIn(text: string, container: ts.Node): boolean {
  let written = false;
  const visit = (node: ts.Node): void => {
    if (written) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment && writes(node.left, text)) written = true;
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) && writes(node.operand, text)) written = true;
    else ts.forEachChild(node, visit);
  };
  visit(container);
  return written;
}

/** `x = ...`, `x.y = ...`, `[x] = ...`, `({ x } = ...)`: the target holds the text (or its root). */
function writes(target: ts.Expression, text: string): boolean {
  const written = skipOuterExpressions(target).getText();
  return written === text || text.startsWith(`${written}.`) || text.startsWith(`${written}[`) || ((ts.isArrayLiteralExpression(target) || ts.isObjectLiteralExpression(target)) && new RegExp(`(^|[^\\w$.])${escape(text)}([^\\w$]|$)`).test(written));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A `break` or `return` in the loop body (outside nested functions; `break` of an inner loop or switch aside): the start may run once. */
function leavesEarly(body: ts.Node): boolean {
  let leaves = false;
  const visit = (node: ts.Node, breakable: boolean): void => {
    if (leaves || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node)) { leaves = true; return; }
    if (ts.isBreakStatement(node) && (!breakable || node.label)) { leaves = true; return; }
    const inner = breakable || ts.isIterationStatement(node, false) || ts.isSwitchStatement(node);
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  ts.forEachChild(body, (child) => visit(child, false));
  if (ts.isReturnStatement(body) || ts.isBreakStatement(body)) return true;
  return leaves;
}

/** A loop over a literal list of at most one element runs once. */
function singleElementLoop(loop: Loop, model: TemporalModel): boolean {
  let iterated: ts.Expression | undefined;
  if (ts.isForOfStatement(loop.node)) iterated = loop.node.expression;
  else if (ts.isCallExpression(loop.node) && ts.isPropertyAccessExpression(skipOuterExpressions(loop.node.expression))) iterated = (skipOuterExpressions(loop.node.expression) as ts.PropertyAccessExpression).expression;
  if (!iterated) return false;
  let list = skipOuterExpressions(iterated);
  if (ts.isIdentifier(list)) {
    const declaration = model.declarationOf(list);
    if (declaration && ts.isVariableDeclaration(declaration) && isConst(declaration) && declaration.initializer) list = skipOuterExpressions(declaration.initializer);
  }
  return ts.isArrayLiteralExpression(list) && list.elements.length <= 1 && !list.elements.some(ts.isSpreadElement);
}

/** Why the children of successive iterations run at the same time, or undefined when the loop waits for each. */
function overlapOf(start: WorkflowStart, loop: Loop): string | undefined {
  const call = start.node;
  if (loop.kind === 'callback') {
    const name = ((skipOuterExpressions((loop.node as ts.CallExpression).expression) as ts.PropertyAccessExpression).name.text);
    return `the ${name} callback runs for every element at once, so the children start side by side`;
  }
  if (start.method === 'startChild') {
    // `const handle = await startChild(...); await handle.result();` closes the child before the next round.
    if (callsResult(loop.body)) return undefined;
    return 'startChild returns once the child has started, and the child keeps running while the loop starts the next one';
  }
  // executeChild: an awaited call waits for the child to close.
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent) return undefined;
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) {
    const callee = skipOuterExpressions(parent.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'push') return 'each executeChild promise is pushed to a list and not awaited in the loop, so the children run side by side';
  }
  if (ts.isExpressionStatement(parent) || (ts.isVoidExpression(parent) && ts.isExpressionStatement(parent.parent))) return 'each executeChild is started without being awaited, so the children run side by side';
  return undefined;
}

function callsResult(body: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'result') { found = true; return; }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

// --- client starts per request ----------------------------------------------------------------

function clientPerRequest(start: WorkflowStart, model: TemporalModel, root: string): IdCollisionFacts | null {
  const id = writtenWorkflowId(start, model);
  if (!id || policySet(start) || !constantText(id, model, 0)) return null;
  const context = requestContext(start.node, root);
  // The file's place alone is too weak a sign for a constant id.
  if (!context || context === requestFileContext(start.node.getSourceFile().fileName, root)) return null;
  const handling = startHandling(start.node);
  if (handling && ALREADY_STARTED.test(handling.kind === 'try' ? handling.clause.getText() : handling.handler.getText())) return null;
  // The code looks for the running workflow first (`getHandle(id).describe()`), or tells the error apart elsewhere.
  const fn = enclosingFunction(start.node);
  if (fn && /\bdescribe\s*\(|\bgetHandle\s*\(/.test(fn.getText())) return null;
  if (fn && ALREADY_STARTED.test(fn.getText())) return null;
  return { kind: 'client-request', idText: oneLine(id.getText()), context };
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}

/** A literal string, or a const (or a property of a const object) that holds one: the same on every call. */
function constantText(expression: ts.Expression, model: TemporalModel, depth: number): boolean {
  const node = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text !== '';
  if (depth >= MAX_DEPTH) return false;
  if (ts.isIdentifier(node)) {
    const declaration = model.declarationOf(node);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !isConst(declaration) || !declaration.initializer) return false;
    return constantText(declaration.initializer, model, depth + 1);
  }
  if (ts.isPropertyAccessExpression(node)) {
    const declaration = model.declarationOf(node);
    if (declaration && ts.isEnumMember(declaration)) return declaration.initializer !== undefined && constantText(declaration.initializer, model, depth + 1);
    if (declaration && ts.isPropertyAssignment(declaration)) {
      // A property of a module-level `const IDS = { cleanup: 'cleanup' } as const`.
      let holder: ts.Node = declaration.parent;
      while (holder && !ts.isVariableDeclaration(holder) && (ts.isObjectLiteralExpression(holder) || ts.isPropertyAssignment(holder) || ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder))) holder = holder.parent;
      if (!holder || !ts.isVariableDeclaration(holder) || !isConst(holder)) return false;
      return constantText(declaration.initializer, model, depth + 1);
    }
  }
  return false;
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
