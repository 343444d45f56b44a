// Side effects of an activity that a retry repeats. Temporal runs an activity at least once: an
// attempt that did its work and then failed or timed out is run again, and does the work again.
// Two kinds are read here, from the activity's body and the project helpers it calls:
//
// - a Temporal signal (`client.workflow.signalWithStart(...)`, `handle.signal(...)` on a handle from
//   `getHandle`): the server does not deduplicate signals sent by separate calls, so a retried
//   attempt delivers it again. When the receiving handler is in the reviewed workflows, it tells
//   whether a second delivery matters: a handler that appends to a list or adds to a counter
//   without looking first does it twice; one that sets a value, or looks before it adds (an if,
//   `seen.has(id)`), is left alone.
// - a library call whose name says it submits something (`sendUserOperation`, `submitPayment`,
//   `publishMessage`, `chargeCard`, `transferFunds`) without an idempotency key in its arguments
//   (`idempotencyKey`, `requestId`, `nonce`, `dedupeId`, a positional `runId`, ...). A write done
//   before it in the activity (an insert, a `create...` helper) is noted too: a retry repeats both.
//
// Left alone: a branch a caller switches off with a literal argument (`notify(org, msg, false)`
// never reaches `if (digest) { ...signal... }`), and a call whose failure a surrounding catch drops
// (the attempt then succeeds whatever the call answered) unless a write precedes it.

import ts from 'typescript';
import { propertyValue } from './object-literal.js';
import { functionOfDeclaration } from './declarations.js';
import { locate } from './locate.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { SourceLocation, TemporalModel } from './types.js';
import { ALREADY_DONE, outsideSend, type OutsideSend } from '../outside-sends.js';
import { guardedByLookup, laterStep } from './repeated-creates.js';

const MAX_CALL_DEPTH = 5;

/** What the receiving signal handler does with a second delivery. */
export type HandlerEffect =
  /** Appends to a list or counts, with no check first: a second delivery is a second request. */
  | 'appends'
  /** Sets values only, or looks before it acts: a second delivery is harmless or skipped. */
  | 'idempotent'
  /** Not in the reviewed workflows, or does something this reading cannot judge. */
  | 'unknown';

export interface RepeatedSideEffect {
  kind: 'signal' | 'submit' | 'create';
  /** The call that does the side effect. */
  location: SourceLocation;
  /** The call as written, shortened. */
  text: string;
  /** Calls from the activity's own body down to the helper that makes the call. */
  via: SourceLocation[];
  /** For a signal: its name (when known), what its handler does and where the handler is. */
  signal?: { name: string | null; handler: HandlerEffect; handlerLocation?: SourceLocation };
  /**
   * For a submit through a known provider (outside-sends.ts: an email, a text message, a paid
   * prediction): what it sends, and the step after it whose failure reruns the activity.
   */
  send?: OutsideSend & { later?: { location: SourceLocation; text: string; nextIteration: boolean } };
  /** A write the activity does before the call (an insert, a `create...` helper): a retry repeats it too. */
  earlierWrite?: { location: SourceLocation; text: string };
  /**
   * For a create (repeated-creates.ts): a database row or an object at a service, what it is, and
   * the step after it that fails the attempt (for a loop, the create itself on the next turn).
   */
  create?: {
    store: 'database' | 'service';
    what: string;
    later?: { location: SourceLocation; text: string; nextIteration: boolean };
    /** An insert that is the last step but still repeats: its row goes back to the workflow, it stores an outside call's answer, or its key comes from the input (`keyed`). */
    last?: { reason: 'returned'; each?: boolean } | { reason: 'outside'; call: { location: SourceLocation; text: string } } | { reason: 'keyed' };
    /** The row's primary key comes from the activity's input (`id: artifact.id`) and nothing handles a conflict: the retry's insert fails on it instead of duplicating. */
    keyedBy?: string;
    /** A well-known SDK whose create takes an idempotency key that the call does not pass (Stripe). */
    sdk?: { name: string; option: string; example: string };
    /** The table (or model) a database insert writes to, and the columns it sets when they can all be read. */
    table?: string;
    columns?: string[];
    /** Further inserts of the same activity that a failing later step repeats too. */
    also?: { location: SourceLocation; text: string; what: string; via: SourceLocation[]; later: { location: SourceLocation; text: string; nextIteration: boolean } }[];
  };
}

/** Submitting verbs: a call named so sends something that a second call sends again. */
const SUBMIT_NAME = /^(send|submit|publish|charge|transfer|enqueue)([A-Z_]\w*)?$/;
/** Bare verbs that name a transport, not a request: AWS SDK `client.send(command)`, `socket.send`. */
const TRANSPORT_NAMES = new Set(['send', 'enqueue']);
/** Receivers of an HTTP response (`res.send`, `reply.sendFile`): answering a request is not a side effect here. */
const RESPONSE_RECEIVER = /^(res|response|reply|ctx|context)$/i;
/** Argument names that carry a key the receiver can deduplicate by. */
const IDEMPOTENCY_KEY = /idempot|dedup|request_?id|client_?token|nonce|unique_?id|message_?deduplication/i;
/** Positional arguments that carry the id of the run or request the call belongs to. */
const RUN_ID = /^(run|request|event|message|operation|execution|workflow|activity|attempt|job|task)_?id$/i;
/** Calls (or helpers) that write a new record: what a retry repeats before reaching the submit. */
const WRITE_NAME = /^(insert|create|save|record|store)([A-Z_]\w*)?$/;
const NOT_A_WRITE = /(Client|Connection|Pool|Context|Logger|Instance|Hash|Url|URL|Signature|Token|Provider|Session)$/;

/**
 * The side effects of an activity a retry repeats, in the order the activity reaches them. At
 * most one per kind: the finding names the first, the fix is the same for the others.
 */
export function repeatedSideEffects(fn: ts.FunctionLikeDeclaration, model: TemporalModel): RepeatedSideEffect[] {
  const found: RepeatedSideEffect[] = [];
  const visited = new Set<ts.Node>();
  const has = (kind: RepeatedSideEffect['kind']) => found.some((effect) => effect.kind === kind);

  // `frames`: each function on the way down with the call it makes to the next one. `flags`: the
  // parameters a caller set to a literal true or false, so a branch it switches off is not followed.
  const visitFunction = (
    current: ts.FunctionLikeDeclaration,
    via: SourceLocation[],
    frames: { fn: ts.FunctionLikeDeclaration; call: ts.CallExpression }[],
    flags: Map<ts.Node, boolean>,
  ): void => {
    if (visited.has(current) || !current.body) return;
    visited.add(current);
    const visit = (node: ts.Node): void => {
      if (ts.isIfStatement(node)) {
        const value = conditionValue(node.expression, flags, model);
        if (value !== undefined) {
          const taken = value ? node.thenStatement : node.elseStatement;
          if (taken) visit(taken);
          return;
        }
      }
      if (ts.isCallExpression(node)) {
        const signal = !has('signal') ? signalCall(node, model) : undefined;
        if (signal && !failureDropped([...frames, { fn: current, call: node }])) {
          found.push({ kind: 'signal', location: locate(node), text: callText(node), via, signal });
        } else if (!signal && !has('submit') && (sendOf(node, model) || isSubmitCall(node, model))) {
          const path = [...frames, { fn: current, call: node }];
          const send = sendOf(node, model);
          const write = path.map((frame) => earlierWrite(frame.fn, frame.call)).find((w) => w !== undefined);
          // A send the code guards by a check of what was done (`if (!order.emailSent)`, a lookup first) is left alone.
          const guarded = send !== undefined && (path.some((frame) => checkedFirst(frame.call, frame.fn) || guardedByLookup(frame.call, frame.fn, model)) || switchedOffByOption(path, model));
          // A submission whose failure is dropped does not fail the attempt by itself: only a write
          // before it makes a later retry (a timeout, a failing step after it) repeat something.
          if (!guarded && (write || !failureDropped(path))) {
            const later = send ? laterStep(path, false, model) : undefined;
            found.push({ kind: 'submit', location: locate(node), text: callText(node), via, ...(send ? { send: { ...send, ...(later ? { later } : {}) } } : {}), ...(write ? { earlierWrite: write } : {}) });
          }
        } else if (!signal && via.length < MAX_CALL_DEPTH) {
          const callee = projectFunction(node, model);
          if (callee) visitFunction(callee, [...via, locate(node)], [...frames, { fn: current, call: node }], literalFlags(callee, node, flags, model));
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(current.body);
  };
  visitFunction(fn, [], [], new Map());
  return found;
}

/**
 * The boolean parameters of `callee` that `call` sets to a literal (`notify(org, msg, true, false)`),
 * or that keep a literal default; a parameter passed on from the caller keeps the caller's value.
 */
export function literalFlags(callee: ts.FunctionLikeDeclaration, call: ts.CallExpression, outer: Map<ts.Node, boolean>, model: TemporalModel): Map<ts.Node, boolean> {
  const flags = new Map<ts.Node, boolean>();
  if (call.arguments.some(ts.isSpreadElement)) return flags;
  callee.parameters.forEach((parameter, index) => {
    if (!ts.isIdentifier(parameter.name) || parameter.dotDotDotToken) return;
    const argument = call.arguments[index];
    const value = argument ? conditionValue(argument, outer, model) : parameter.initializer ? literalBoolean(parameter.initializer) : undefined;
    if (value !== undefined) flags.set(parameter, value);
  });
  return flags;
}

function literalBoolean(node: ts.Node): boolean | undefined {
  const current = skipOuterExpressions(node);
  if (current.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (current.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/** `true`, `false`, a parameter set to one by the caller, and `!` of those; anything else is unknown. */
export function conditionValue(node: ts.Expression, flags: Map<ts.Node, boolean>, model: TemporalModel): boolean | undefined {
  const current = skipOuterExpressions(node);
  const literal = literalBoolean(current);
  if (literal !== undefined) return literal;
  if (ts.isPrefixUnaryExpression(current) && current.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = conditionValue(current.operand, flags, model);
    return inner === undefined ? undefined : !inner;
  }
  if (ts.isIdentifier(current) && flags.size > 0) {
    const declaration = model.declarationOf(current);
    return declaration ? flags.get(declaration) : undefined;
  }
  return undefined;
}

/**
 * True when a try on the way to the call catches its failure and drops it (the catch never
 * throws): the attempt that made the call then succeeds whatever the call answered, and only a
 * timeout or a failing step after it would run the activity again.
 */
export function failureDropped(frames: { fn: ts.FunctionLikeDeclaration; call: ts.CallExpression }[]): boolean {
  return frames.some(({ fn, call }) => failureDroppedWithin(call, fn));
}

/** The call sits in a try (below `stop`) whose catch never throws: its failure does not fail the attempt. */
export function failureDroppedWithin(call: ts.Node, stop: ts.Node): boolean {
  for (let child: ts.Node = call, current = call.parent; current && child !== stop; child = current, current = current.parent) {
    if (ts.isTryStatement(current) && current.tryBlock === child && current.catchClause && !containsThrow(current.catchClause.block)) return true;
  }
  return false;
}

function containsThrow(block: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node) && node !== block)) return;
    if (ts.isThrowStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

/** The function a call reaches in the reviewed code (not a library's declaration), if any. */
export function projectFunction(call: ts.CallExpression, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const fn = functionOfDeclaration(model.declarationOf(ts.isPropertyAccessExpression(callee) ? callee.name : callee));
  if (!fn || !isProjectFile(fn.getSourceFile())) return undefined;
  return fn;
}

/**
 * As projectFunction, also through a property or variable that only names another function
 * (`static processResults = worker.processResults;` in a controller class), two names deep.
 */
export function projectFunctionThroughAlias(call: ts.CallExpression, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  const direct = projectFunction(call, model);
  if (direct) return direct;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  let declaration: ts.Node | undefined = model.declarationOf(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
  for (let depth = 0; depth < 2 && declaration; depth++) {
    if (!(ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) || !declaration.initializer) return undefined;
    if (!isProjectFile(declaration.getSourceFile())) return undefined;
    const alias = skipOuterExpressions(declaration.initializer);
    if (!ts.isIdentifier(alias) && !ts.isPropertyAccessExpression(alias)) return undefined;
    declaration = model.declarationOf(ts.isPropertyAccessExpression(alias) ? alias.name : alias);
    const fn = functionOfDeclaration(declaration);
    if (fn) return isProjectFile(fn.getSourceFile()) ? fn : undefined;
  }
  return undefined;
}

function isProjectFile(sourceFile: ts.SourceFile): boolean {
  return !sourceFile.isDeclarationFile && !sourceFile.fileName.includes('/node_modules/');
}

// --- signals -------------------------------------------------------------------------------------

/** `x.workflow.signalWithStart(type, { signal, signalArgs })` or `handle.signal(def, ...args)` on a workflow handle. */
function signalCall(call: ts.CallExpression, model: TemporalModel): RepeatedSideEffect['signal'] | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  let definition: ts.Expression | undefined;
  let args: ts.Expression[] = [];
  if (method === 'signalWithStart') {
    const options = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
    if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
    definition = propertyValue(options, 'signal');
    if (!definition) return undefined;
    const signalArgs = propertyValue(options, 'signalArgs');
    if (signalArgs) args = [signalArgs];
  } else if (method === 'signal') {
    if (call.arguments.length === 0 || !isWorkflowHandle(callee.expression, model)) return undefined;
    definition = call.arguments[0];
    args = call.arguments.slice(1);
  } else return undefined;
  const name = signalName(definition!, model);
  const handler = findHandler(definition!, name, model);
  // A handler out of sight or not judged: a request id in the arguments is what it can drop a repeat by.
  if (handler?.effect !== 'appends' && args.some((argument) => carriesKey(argument, model, 0))) return { name, handler: 'idempotent' };
  return { name, handler: handler?.effect ?? 'unknown', ...(handler ? { handlerLocation: handler.location } : {}) };
}


/**
 * A workflow handle: `x.getHandle(...)` (of a workflow client), a variable holding one (awaited
 * or not), or an expression whose type is the SDK's WorkflowHandle.
 */
function isWorkflowHandle(expression: ts.Expression, model: TemporalModel): boolean {
  const node = skipAwait(expression);
  if (isGetHandleCall(node)) return true;
  if (ts.isIdentifier(node)) {
    const declaration = model.declarationOf(node);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && isGetHandleCall(skipAwait(declaration.initializer))) return true;
  }
  const checker = model.checkerFor(expression.getSourceFile().fileName);
  const symbol = checker?.getTypeAtLocation(expression).getSymbol() ?? checker?.getTypeAtLocation(expression).aliasSymbol;
  return symbol !== undefined && /^WorkflowHandle/.test(symbol.getName()) && (symbol.declarations ?? []).some((d) => d.getSourceFile().fileName.includes('@temporalio/client'));
}

function skipAwait(expression: ts.Expression): ts.Expression {
  let current = skipOuterExpressions(expression) as ts.Expression;
  while (ts.isAwaitExpression(current)) current = skipOuterExpressions(current.expression) as ts.Expression;
  return current;
}

/** `<...>.workflow.getHandle(id)` or `<client>.getHandle(id)` (a WorkflowClient). */
function isGetHandleCall(node: ts.Node): boolean {
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuterExpressions(node.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'getHandle' && node.arguments.length >= 1;
}

/** The name given to defineSignal (through a variable or inline), or a string name. */
function signalName(definition: ts.Expression, model: TemporalModel): string | null {
  const call = defineSignalCall(definition, model);
  const argument = call?.arguments[0] ?? skipOuterExpressions(definition);
  return argument && (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) ? argument.text : null;
}

function defineSignalCall(definition: ts.Expression, model: TemporalModel): ts.CallExpression | undefined {
  let node = skipOuterExpressions(definition);
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
    const declaration = model.declarationOf(ts.isPropertyAccessExpression(node) ? node.name : node);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) node = skipOuterExpressions(declaration.initializer);
  }
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuterExpressions(node.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return name === 'defineSignal' ? node : undefined;
}

interface FoundHandler {
  effect: HandlerEffect;
  location: SourceLocation;
}

const handlerCache = new WeakMap<TemporalModel, { definition: ts.Node | undefined; name: string | null; fn: ts.Node | undefined; location: SourceLocation }[]>();

/** Every `setHandler(signal, fn)` in the workflow code, with the signal's definition and name. */
function signalHandlers(model: TemporalModel) {
  const cached = handlerCache.get(model);
  if (cached) return cached;
  const handlers: { definition: ts.Node | undefined; name: string | null; fn: ts.Node | undefined; location: SourceLocation }[] = [];
  for (const file of model.workflowFiles) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.arguments.length >= 2) {
        const callee = skipOuterExpressions(node.expression);
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (name === 'setHandler') {
          const definition = defineSignalCall(node.arguments[0]!, model);
          if (definition) {
            handlers.push({ definition, name: signalName(node.arguments[0]!, model), fn: handlerFunction(node.arguments[1]!, model), location: locate(node) });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  handlerCache.set(model, handlers);
  return handlers;
}

function handlerFunction(argument: ts.Expression, model: TemporalModel): ts.Node | undefined {
  const node = skipOuterExpressions(argument);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return node;
  if (ts.isIdentifier(node)) return functionOfDeclaration(model.declarationOf(node));
  return undefined;
}

/** The handler of the signal sent, matched by its definition, else by its name (one handler only). */
function findHandler(definition: ts.Expression, name: string | null, model: TemporalModel): FoundHandler | undefined {
  const handlers = signalHandlers(model);
  const sent = defineSignalCall(definition, model);
  let matches = sent ? handlers.filter((handler) => handler.definition === sent) : [];
  if (matches.length === 0 && name !== null) matches = handlers.filter((handler) => handler.name === name);
  if (matches.length === 0) return undefined;
  const effects = matches.map((handler) => (handler.fn ? handlerEffect(handler.fn) : 'unknown'));
  // Several handlers for one signal (several workflows): report only when every one appends.
  const effect: HandlerEffect = effects.every((e) => e === 'appends') ? 'appends' : effects.some((e) => e === 'idempotent') ? 'idempotent' : 'unknown';
  return { effect, location: matches[0]!.location };
}

/**
 * Appends when it pushes to a list or counts (`list.push(x)`, `n++`, `n += 1`, `list = [...list, x]`)
 * and never looks first (no if, ?:, &&, ||, `has`, `includes`, `find`, `some`). Idempotent when it
 * looks first or only sets values. Unknown when it calls anything else (a helper may append).
 */
function handlerEffect(fn: ts.Node): HandlerEffect {
  let appends = false;
  let looks = false;
  let callsOther = false;
  const visit = (node: ts.Node): void => {
    if (ts.isIfStatement(node) || ts.isConditionalExpression(node) || ts.isSwitchStatement(node)) looks = true;
    else if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) looks = true;
      if (operator === ts.SyntaxKind.PlusEqualsToken || operator === ts.SyntaxKind.MinusEqualsToken) appends = true;
      if (operator === ts.SyntaxKind.EqualsToken && ts.isArrayLiteralExpression(skipOuterExpressions(node.right)) && (skipOuterExpressions(node.right) as ts.ArrayLiteralExpression).elements.some(ts.isSpreadElement)) appends = true;
    } else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) appends = true;
    else if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (method === 'push' || method === 'unshift' || method === 'splice') appends = true;
      else if (method && ['has', 'includes', 'find', 'findIndex', 'some', 'every', 'indexOf', 'filter', 'get'].includes(method)) looks = true;
      else if (!isLogCall(callee)) callsOther = true;
    }
    ts.forEachChild(node, visit);
  };
  const body = ts.isFunctionLike(fn) ? (fn as ts.FunctionLikeDeclaration).body : undefined;
  if (!body) return 'unknown';
  visit(body);
  if (looks) return 'idempotent';
  if (appends) return callsOther ? 'unknown' : 'appends';
  return callsOther ? 'unknown' : 'idempotent';
}

function isLogCall(callee: ts.Node): boolean {
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  return ts.isIdentifier(receiver) && /^(console|log|logger)$/.test(receiver.text);
}

// --- submissions ---------------------------------------------------------------------------------

/**
 * A library call that sends through a known provider (an email, a text message, a paid
 * prediction: outside-sends.ts), with no idempotency key in its arguments; a project function of
 * the same name is followed instead.
 */
function sendOf(call: ts.CallExpression, model: TemporalModel): OutsideSend | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = callee.expression.getText().replace(/\s+/g, '').replace(/\?\./g, '.').replace(/!/g, '').replace(/\([^()]*\)/g, '');
  const first = call.arguments[0] && skipOuterExpressions(call.arguments[0]).getText();
  const send = outsideSend({ method: callee.name.text, receiver, ...(first !== undefined ? { firstArgument: first } : {}), imports: (pkg) => importsPackage(call.getSourceFile(), pkg) });
  if (!send || projectFunction(call, model)) return undefined;
  if (call.arguments.some((argument) => carriesKey(argument, model, 0))) return undefined;
  return send;
}

function importsPackage(sourceFile: ts.SourceFile, pkg: RegExp): boolean {
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && pkg.test(statement.moduleSpecifier.text)) return true;
  }
  for (const match of sourceFile.text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) if (pkg.test(match[1]!)) return true;
  return false;
}

/**
 * The code looks at what was done before it gets to the call: an `if` around the call, or one
 * before it that returns or throws, whose condition tests a sent, existing or processed state
 * (`if (order.confirmationSent) return`, `if (!existing)`).
 */
function checkedFirst(call: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  for (let current = call.parent; current && current !== fn; current = current.parent) {
    if ((ts.isIfStatement(current) || ts.isConditionalExpression(current)) && ALREADY_DONE.test((ts.isIfStatement(current) ? current.expression : current.condition).getText())) return true;
  }
  let found = false;
  const before = call.getStart();
  const visit = (node: ts.Node): void => {
    if (found || node.getStart() >= before || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isIfStatement(node) && ALREADY_DONE.test(node.expression.getText()) && exits(node.thenStatement)) found = true;
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/**
 * A caller switches the send off with a literal option: `sendNotification({ ..., email: false })`
 * reaching `if (input.email && user.email) { send }` (directly, or through a variable holding such
 * a condition: `const canSend = input.email && ...; if (canSend)`).
 */
function switchedOffByOption(path: { fn: ts.FunctionLikeDeclaration; call: ts.CallExpression }[], model: TemporalModel): boolean {
  for (let index = 1; index < path.length; index++) {
    const { fn, call } = path[index]!;
    const caller = path[index - 1]!.call;
    for (let child: ts.Node = call, current = call.parent; current && current !== fn; child = current, current = current.parent) {
      if (!ts.isIfStatement(current) || current.thenStatement !== child) continue;
      const terms = conjunctTerms(current.expression, fn, model, 0);
      if (terms.some((term) => optionValue(term, fn, caller) === false)) return true;
    }
  }
  return false;
}

function conjunctTerms(expression: ts.Expression, fn: ts.FunctionLikeDeclaration, model: TemporalModel, depth: number): ts.Expression[] {
  const current = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
    return [...conjunctTerms(current.left, fn, model, depth), ...conjunctTerms(current.right, fn, model, depth)];
  }
  if (ts.isIdentifier(current) && depth < 2) {
    const declaration = model.declarationOf(current);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0) {
      return conjunctTerms(declaration.initializer, fn, model, depth + 1);
    }
  }
  return [current];
}

/** `input.email` (or `!input.email`) with `input` a parameter the caller gives an object literal setting `email` to a literal boolean. */
function optionValue(term: ts.Expression, fn: ts.FunctionLikeDeclaration, caller: ts.CallExpression): boolean | undefined {
  let negated = false;
  let current = skipOuterExpressions(term) as ts.Expression;
  if (ts.isPrefixUnaryExpression(current) && current.operator === ts.SyntaxKind.ExclamationToken) {
    negated = true;
    current = skipOuterExpressions(current.operand) as ts.Expression;
  }
  if (!ts.isPropertyAccessExpression(current) || !ts.isIdentifier(current.expression)) return undefined;
  const name = current.expression.text;
  const position = fn.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name);
  const argument = position >= 0 ? caller.arguments[position] : undefined;
  const options = argument && skipOuterExpressions(argument);
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  const value = propertyValue(options, current.name.text);
  const literal = value ? literalBoolean(value) : undefined;
  return literal === undefined ? undefined : negated ? !literal : literal;
}

function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement) || ts.isContinueStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.some((inner) => ts.isReturnStatement(inner) || ts.isThrowStatement(inner) || ts.isContinueStatement(inner));
}

/** A library method named for a submission (`bundler.sendUserOperation(...)`), with no idempotency key. */
function isSubmitCall(call: ts.CallExpression, model: TemporalModel): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  if (!SUBMIT_NAME.test(method) || TRANSPORT_NAMES.has(method)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  if (ts.isIdentifier(receiver) && RESPONSE_RECEIVER.test(receiver.text)) return false;
  // The project's own helper is followed instead; a library method (its types installed or not) is the call.
  if (projectFunction(call, model)) return false;
  return !call.arguments.some((argument) => carriesKey(argument, model, 0));
}

/** An argument that names an idempotency key: a property, a variable, nested objects, headers. */
export function carriesKey(node: ts.Node, model: TemporalModel, depth: number): boolean {
  if (depth > 3) return false;
  const current = skipOuterExpressions(node);
  // A positional argument named for a run or request id (`args.runId`, `requestId`) is a key.
  if (depth === 0 && ts.isPropertyAccessExpression(current) && (IDEMPOTENCY_KEY.test(current.name.text) || RUN_ID.test(current.name.text))) return true;
  if (ts.isIdentifier(current)) {
    if (IDEMPOTENCY_KEY.test(current.text) || (depth === 0 && RUN_ID.test(current.text))) return true;
    const declaration = model.declarationOf(current);
    return declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined && depth < 3 && carriesKey(declaration.initializer, model, depth + 1);
  }
  if (ts.isArrayLiteralExpression(current)) return current.elements.some((element) => carriesKey(element, model, depth + 1));
  if (ts.isObjectLiteralExpression(current)) {
    return current.properties.some((property) => {
      const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : '';
      if (IDEMPOTENCY_KEY.test(name)) return true;
      if (ts.isPropertyAssignment(property)) return carriesKey(property.initializer, model, depth + 1);
      if (ts.isSpreadAssignment(property)) return carriesKey(property.expression, model, depth + 1);
      return false;
    });
  }
  return false;
}

/**
 * A write in a function on the way to the submit that runs before the call leading to it: an
 * awaited call named insert/create/save/record/store (`createNotification(...)`, `db.insert(...)`).
 */
function earlierWrite(activity: ts.FunctionLikeDeclaration, leading: ts.Node): RepeatedSideEffect['earlierWrite'] {
  if (!activity.body || leading.getSourceFile() !== activity.getSourceFile()) return undefined;
  const before = leading.getStart();
  let found: RepeatedSideEffect['earlierWrite'];
  const visit = (node: ts.Node): void => {
    if (found || node.getStart() >= before) return;
    if (node !== activity.body && ts.isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node)) {
      const call = skipOuterExpressions(node.expression);
      // The call leading to the submit is not a write before it (`await this.createPrediction(...)` around the create).
      if (ts.isCallExpression(call) && call !== leading) {
        const callee = skipOuterExpressions(call.expression);
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (WRITE_NAME.test(name) && !NOT_A_WRITE.test(name)) {
          found = { location: locate(call), text: callText(call) };
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(activity.body);
  return found;
}

/** `client.workflow.signalWithStart(...)`: the callee as written on one line, arguments elided. */
export function callText(call: ts.CallExpression): string {
  const callee = call.expression.getText(call.getSourceFile()).replace(/\s+/g, '');
  return `${callee.length > 70 ? `...${callee.slice(-67)}` : callee}(...)`;
}
