// Workflow waits that only another party can end: `await condition(pred)` with no timeout, where
// every variable `pred` reads is set only by signal or update handlers (setHandler with a
// defineSignal or defineUpdate definition; an update's `validator` option is not a handler). If the
// sender never sends (it failed, gave up, was reset or terminated), the workflow waits forever and
// nothing reports it.
// Waits that are a workflow's purpose (see docs/checks/workflow-wait-without-timeout.md) are left
// out here: a wait inside a loop or in a function that continues as new (a long-lived entity),
// and a wait written in the workflow function itself on signals or updates with fixed names (the
// workflow's own API, such as an approval). As in Python, so are a wait that is not awaited
// directly (raced: `Promise.race([condition(pred), sleep(...)])`) and a pause gate, a predicate
// already true with the values the variables are declared with (`let paused = false` and
// `condition(() => !paused)`): it waits only after a message closed it. In a project that starts
// workflows with an update-with-start, state update handlers set is left alone: the update may
// come with the start.

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { isLoopStatement } from './loop-shape.js';
import { nodeSnippet } from './locate.js';
import { projectFunctionsReachedFrom } from './reached-functions.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { SourceLocation, TemporalModel, WorkflowDefinition } from './types.js';

/** How deep helpers are followed from a workflow function to the wait. */
const MAX_CALL_DEPTH = 4;

export interface UntimedSignalWait {
  location: SourceLocation;
  /** The variables the predicate reads that only the handlers set. */
  variables: string[];
  /** The first handler's message name as written (`'approve'`, a template literal). */
  signalName: string;
  /** The first handler's setHandler call. */
  handler: SourceLocation;
  /** Every handler that sets the variables: its kind, the message name as written, and the setHandler call. */
  handlers: { kind: 'signal' | 'update'; name: string; location: SourceLocation }[];
  /** The workflows whose code reaches the wait. */
  workflows: WorkflowDefinition[];
  /** True when the wait is in a helper the workflow calls, not in the workflow function. */
  inHelper: boolean;
}

export function untimedSignalWaits(model: TemporalModel): UntimedSignalWait[] {
  const reachedBy = new Map<ts.Node, WorkflowDefinition[]>();
  for (const workflow of model.workflows) {
    for (const fn of projectFunctionsReachedFrom(workflow.node, model, MAX_CALL_DEPTH)) reachedBy.set(fn, [...(reachedBy.get(fn) ?? []), workflow]);
  }
  const waits: UntimedSignalWait[] = [];
  // An update-with-start delivers the update with the start: the state it sets may be there before the wait.
  const updateWithStart = model.files.some((file) => /UpdateWithStart|WithStartWorkflowOperation/.test(model.sourceFile(file)?.text ?? ''));
  for (const [fn, workflows] of reachedBy) {
    if (!(fn as ts.FunctionLikeDeclaration).body || continuesAsNew(fn, model)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && node !== fn) return;
      // A wait in a loop waits for the next message of a long-lived workflow, by design.
      if (isLoopStatement(node)) return;
      if (ts.isCallExpression(node) && awaitedDirectly(node)) {
        const wait = untimedWait(node, model);
        if (wait && !pauseGate(node, model) && !(updateWithStart && wait.facts.handlers.some((h) => h.kind === 'update'))) {
          const inHelper = !workflows.some((workflow) => workflow.node === fn);
          if (inHelper || !wait.fixedNames) waits.push({ ...wait.facts, workflows, inHelper });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit((fn as ts.FunctionLikeDeclaration).body!);
  }
  return waits.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line);
}

/** `await condition(...)`, past parentheses: not raced, gathered or kept for later. */
function awaitedDirectly(call: ts.CallExpression): boolean {
  let parent = call.parent;
  while (parent && ts.isParenthesizedExpression(parent)) parent = parent.parent;
  return !!parent && ts.isAwaitExpression(parent);
}

/** The value a variable starts with, or UNKNOWN. */
const UNKNOWN = Symbol('unknown');
type Initial = boolean | number | string | null | undefined | typeof UNKNOWN;

/**
 * The predicate is true with the values its variables are declared with (`let paused = false`,
 * `condition(() => !paused)`): a gate a message closes and another opens. Only handlers write the
 * variables (the wait was read as a signal wait), so the workflow never closes it itself.
 */
function pauseGate(call: ts.CallExpression, model: TemporalModel): boolean {
  const predicate = functionOfValue(call.arguments[0]!, model);
  const body = predicate?.body;
  if (!body) return false;
  const expression = ts.isBlock(body) ? singleReturn(body) : body;
  if (!expression) return false;
  const value = evaluate(expression, model);
  return value !== UNKNOWN && !!value;
}

function singleReturn(block: ts.Block): ts.Expression | undefined {
  const [statement] = block.statements;
  return block.statements.length === 1 && statement && ts.isReturnStatement(statement) ? statement.expression : undefined;
}

function evaluate(node: ts.Expression, model: TemporalModel): Initial {
  const value = skipOuterExpressions(node) as ts.Expression;
  if (ts.isParenthesizedExpression(value)) return evaluate(value.expression, model);
  if (value.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (value.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (value.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isNumericLiteral(value)) return Number(value.text);
  if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return value.text;
  if (ts.isIdentifier(value)) {
    if (value.text === 'undefined') return undefined;
    const declaration = model.declarationOf(value);
    if (!declaration || !ts.isVariableDeclaration(declaration)) return UNKNOWN;
    if (!declaration.initializer) return ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Let ? undefined : UNKNOWN;
    const initial = skipOuterExpressions(declaration.initializer);
    return ts.isIdentifier(initial) && initial.text !== 'undefined' ? UNKNOWN : evaluate(declaration.initializer, model);
  }
  if (ts.isPrefixUnaryExpression(value) && value.operator === ts.SyntaxKind.ExclamationToken) {
    const operand = evaluate(value.operand, model);
    return operand === UNKNOWN ? UNKNOWN : !operand;
  }
  if (ts.isBinaryExpression(value)) {
    const operator = value.operatorToken.kind;
    const left = evaluate(value.left, model);
    if (left === UNKNOWN) return UNKNOWN;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return left ? evaluate(value.right, model) : left;
    if (operator === ts.SyntaxKind.BarBarToken) return left ? left : evaluate(value.right, model);
    const right = evaluate(value.right, model);
    if (right === UNKNOWN) return UNKNOWN;
    if (operator === ts.SyntaxKind.EqualsEqualsEqualsToken) return left === right;
    if (operator === ts.SyntaxKind.ExclamationEqualsEqualsToken) return left !== right;
    // `==` and `!=` treat null and undefined as equal.
    if (operator === ts.SyntaxKind.EqualsEqualsToken) return left === right || (left == null && right == null);
    if (operator === ts.SyntaxKind.ExclamationEqualsToken) return !(left === right || (left == null && right == null));
  }
  return UNKNOWN;
}

function continuesAsNew(fn: ts.Node, model: TemporalModel): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && isWorkflowApi(node.expression, model, 'continueAsNew')) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

function isWorkflowApi(node: ts.Node, model: TemporalModel, name: string): boolean {
  const api = model.temporalApiOf(node);
  return api?.module === '@temporalio/workflow' && api.name === name;
}

/** `condition(pred)` with no timeout whose predicate only signal or update handlers can make true. */
function untimedWait(call: ts.CallExpression, model: TemporalModel): { facts: Omit<UntimedSignalWait, 'workflows' | 'inHelper'>; fixedNames: boolean } | undefined {
  const wait = signalWait(call, model, { updates: true });
  if (!wait) return undefined;
  return {
    facts: {
      location: model.locate(call),
      variables: wait.variables,
      signalName: wait.signalName,
      handler: model.locate(wait.handler),
      handlers: wait.handlers.map((h) => ({ kind: h.kind, name: h.name, location: model.locate(h.call) })),
    },
    fixedNames: wait.handlers.every((h) => h.fixedName),
  };
}

export interface SignalWaitOptions {
  /** Accept a timeout argument (`condition(pred, '1 day')`); without it only `condition(pred)` is read. */
  timed?: boolean;
  /** Accept update handlers (`defineUpdate`) as well as signal handlers. */
  updates?: boolean;
  /** Accept a local const collection (`const queue = []`, `new Map()`) that only handlers add to. */
  collections?: boolean;
}

export interface SignalWait {
  /** The variables the predicate reads that only handlers write. */
  variables: string[];
  /** The message definition's name argument as written (`'approve'`, a template literal). */
  signalName: string;
  /** The name as a plain word when it is a string literal (`approve`), else as written. */
  displayName: string;
  kind: 'signal' | 'update';
  /** The setHandler call of the first handler that writes the state. */
  handler: ts.CallExpression;
  /** True when the (first handler's) name is a string literal. */
  fixedName: boolean;
  /** Every handler that writes the state, the first one first: kind, name as written (as signalName), fixed name. */
  handlers: { kind: 'signal' | 'update'; call: ts.CallExpression; name: string; fixedName: boolean }[];
  /** The timeout argument, when the wait has one. */
  timeout?: ts.Expression;
}

/**
 * `condition(pred)` (or `condition(pred, timeout)` with `timed`) whose predicate reads only state
 * that signal (or update) handlers write: only a message can make it true.
 */
export function signalWait(call: ts.CallExpression, model: TemporalModel, options: SignalWaitOptions = {}): SignalWait | undefined {
  if (!isWorkflowApi(call.expression, model, 'condition')) return undefined;
  if (call.arguments.length !== 1 && !(options.timed && call.arguments.length === 2)) return undefined;
  const predicate = functionOfValue(call.arguments[0]!, model);
  if (!predicate?.body) return undefined;
  const variables = new Map<string, ts.VariableDeclaration>();
  let readsOther = false;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text !== 'undefined' && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const declaration = model.declarationOf(node);
      if (declaration && ts.isVariableDeclaration(declaration) && !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) variables.set(node.text, declaration);
      else if (options.collections && declaration && ts.isVariableDeclaration(declaration) && isLocalCollection(declaration)) variables.set(node.text, declaration);
      else if (!isLiteralConst(declaration)) readsOther = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(predicate.body);
  if (readsOther || variables.size === 0) return undefined;
  const handlers: { call: ts.CallExpression; name: ts.Expression; kind: 'signal' | 'update' }[] = [];
  for (const declaration of variables.values()) {
    const found = handlerOnlyWriters(declaration, model, options);
    if (!found) return undefined;
    for (const h of found) if (!handlers.some((known) => known.call === h.call)) handlers.push(h);
  }
  if (handlers.length === 0) return undefined;
  const named = handlers.map((h) => ({ ...h, ...messageName(h.name, model) }));
  const first = named[0]!;
  return {
    variables: [...variables.keys()],
    signalName: first.signalName,
    displayName: first.displayName,
    kind: first.kind,
    handler: first.call,
    fixedName: first.fixedName,
    handlers: named.map((h) => ({ kind: h.kind, call: h.call, name: h.signalName, fixedName: h.fixedName })),
    ...(call.arguments.length === 2 ? { timeout: call.arguments[1]! } : {}),
  };
}

/** A message definition's name argument: as written, as a plain word when a literal, and whether it is one. */
function messageName(nameArgument: ts.Expression, model: TemporalModel): { signalName: string; displayName: string; fixedName: boolean } {
  const written = skipOuterExpressions(nameArgument);
  // `defineSignal(releaseSignalId)` with `const releaseSignalId = uuid4()`: the name is what the const holds.
  const held = ts.isIdentifier(written) ? model.declarationOf(written) : undefined;
  const name = held && ts.isVariableDeclaration(held) && held.initializer && ts.getCombinedNodeFlags(held) & ts.NodeFlags.Const ? skipOuterExpressions(held.initializer) : written;
  const signalName = name === written ? nodeSnippet(name) : `${nodeSnippet(written)} (${nodeSnippet(name)})`;
  const fixedName = ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name);
  return { signalName, displayName: fixedName ? (name as ts.StringLiteral).text : signalName, fixedName };
}

/**
 * The handlers that write the variable, when every write that can change what a predicate reads
 * sits in a signal (or, with `updates`, update) handler: assignments for a `let`, additions
 * (push, set, add, element writes) for a collection. Undefined when some write is elsewhere (an
 * update's validator included), when there is no write, or when the collection is handed on where
 * it cannot be followed.
 */
function handlerOnlyWriters(declaration: ts.VariableDeclaration, model: TemporalModel, options: SignalWaitOptions): { call: ts.CallExpression; name: ts.Expression; kind: 'signal' | 'update' }[] | undefined {
  const constant = (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
  const writes = constant ? collectionAdditions(declaration, model) : assignmentsOf(declaration, model);
  if (!writes || writes.length === 0) return undefined;
  const handlers: { call: ts.CallExpression; name: ts.Expression; kind: 'signal' | 'update' }[] = [];
  for (const write of writes) {
    const found = signalHandlerAround(write, model, options.updates ?? false);
    if (!found) return undefined;
    if (!handlers.some((h) => h.call === found.call)) handlers.push(found);
  }
  return handlers;
}

/** `const queue = []`, `new Map()`, `new Set()` or `new Array()` declared inside a function. */
function isLocalCollection(declaration: ts.VariableDeclaration): boolean {
  if (!ts.isIdentifier(declaration.name) || !declaration.initializer) return false;
  let inFunction = false;
  for (let current: ts.Node | undefined = declaration.parent; current; current = current.parent) if (ts.isFunctionLike(current)) inFunction = true;
  if (!inFunction) return false;
  const value = skipOuterExpressions(declaration.initializer);
  if (ts.isArrayLiteralExpression(value)) return value.elements.length === 0;
  return ts.isNewExpression(value) && ts.isIdentifier(value.expression) && ['Map', 'Set', 'Array'].includes(value.expression.text) && (value.arguments?.length ?? 0) === 0;
}

/** Methods that add to an array, a map or a set. */
const ADDING_METHODS = new Set(['push', 'unshift', 'splice', 'set', 'add', 'fill', 'copyWithin']);
/** Methods that only read or remove: they cannot make a collection non-empty. */
const HARMLESS_METHODS = new Set([
  'shift', 'pop', 'delete', 'clear', 'has', 'get', 'includes', 'indexOf', 'lastIndexOf', 'find', 'findIndex', 'some', 'every',
  'filter', 'map', 'flatMap', 'slice', 'forEach', 'keys', 'values', 'entries', 'at', 'join', 'reduce', 'concat', 'sort', 'reverse',
]);

/**
 * The writes that can add to a local collection (adding method calls, element or property
 * writes), or undefined when it is used in a way not followed (handed to a function, aliased).
 */
function collectionAdditions(declaration: ts.VariableDeclaration, model: TemporalModel): ts.Node[] | undefined {
  const additions: ts.Node[] = [];
  let escapes = false;
  const visit = (node: ts.Node): void => {
    if (escapes) return;
    if (ts.isIdentifier(node) && node !== declaration.name && model.declarationOf(node) === declaration) {
      const parent = node.parent;
      if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) {
        const method = ts.isPropertyAccessExpression(parent) ? parent.name.text : undefined;
        if (ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
          if (method !== undefined && ADDING_METHODS.has(method)) additions.push(parent.parent);
          else if (method === undefined || !HARMLESS_METHODS.has(method)) escapes = true;
        } else if (isWriteTarget(parent)) additions.push(parent.parent);
      } else if (!(ts.isForOfStatement(parent) && parent.expression === node)) {
        escapes = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(declaration.getSourceFile());
  return escapes ? undefined : additions;
}

function isWriteTarget(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isBinaryExpression(parent)) return parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) return parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken;
  return ts.isDeleteExpression(parent);
}

function functionOfValue(node: ts.Expression, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  const value = skipOuterExpressions(node);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  return ts.isIdentifier(value) ? functionOfDeclaration(model.declarationOf(value)) : undefined;
}

/** A `const` holding a literal (`const EMPTY = ''`): reading it does not change the wait. */
function isLiteralConst(declaration: ts.Declaration | undefined): boolean {
  if (!declaration || !ts.isVariableDeclaration(declaration) || !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) || !declaration.initializer) return false;
  const value = skipOuterExpressions(declaration.initializer);
  return ts.isStringLiteral(value) || ts.isNumericLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value) || value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword;
}

/** Every write to a variable after its declaration: `=`, compound assignments, `++`/`--`. */
function assignmentsOf(declaration: ts.VariableDeclaration, model: TemporalModel): ts.Node[] {
  const writes: ts.Node[] = [];
  const target = (node: ts.Node) => ts.isIdentifier(node) && model.declarationOf(node) === declaration;
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment && target(skipOuterExpressions(node.left))) writes.push(node);
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) && target(node.operand)) writes.push(node);
    ts.forEachChild(node, visit);
  };
  visit(declaration.getSourceFile());
  return writes;
}

/**
 * The setHandler(signal, callback) whose callback holds `node`, when its first argument is a signal
 * (or, with `updates`, update) definition. A write in another function (a validator in the options,
 * `{ validator(x) { ... } }` or `validator: (x) => ...`) is not in the handler.
 */
function signalHandlerAround(node: ts.Node, model: TemporalModel, updates = false): { call: ts.CallExpression; name: ts.Expression; kind: 'signal' | 'update' } | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    if (!ts.isArrowFunction(current) && !ts.isFunctionExpression(current)) return undefined;
    const call = current.parent;
    if (!call || !ts.isCallExpression(call) || call.arguments[1] !== current || !isWorkflowApi(call.expression, model, 'setHandler')) return undefined;
    const definition = messageDefinition(call.arguments[0]!, model, updates);
    return definition?.call.arguments[0] ? { call, name: definition.call.arguments[0], kind: definition.kind } : undefined;
  }
  return undefined;
}

/** `defineSignal(name)` (or, with `updates`, `defineUpdate(name)`) written in place or held by a const. */
export function messageDefinition(node: ts.Expression, model: TemporalModel, updates = false): { call: ts.CallExpression; kind: 'signal' | 'update' } | undefined {
  let value = skipOuterExpressions(node);
  if (ts.isIdentifier(value)) {
    const declaration = model.declarationOf(value);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    value = skipOuterExpressions(declaration.initializer);
  }
  if (!ts.isCallExpression(value)) return undefined;
  if (isWorkflowApi(value.expression, model, 'defineSignal')) return { call: value, kind: 'signal' };
  if (updates && isWorkflowApi(value.expression, model, 'defineUpdate')) return { call: value, kind: 'update' };
  return undefined;
}
