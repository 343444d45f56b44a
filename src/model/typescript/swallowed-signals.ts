// Signals sent from request-handling code whose failure a catch only logs (or drops), or that
// nobody waits for, to a workflow that waits for the state they set (workflow-signal-failure-swallowed):
//
//   try {
//     await client.workflow.getHandle(id).signal('approve', { by });   // or a defineSignal const
//   } catch (err) {
//     logger.warn('could not signal', err);                            // the request succeeds
//   }
//
//   // in the workflow that handles 'approve'
//   setHandler(approveSignal, () => { approved = true; });
//   if (!(await condition(() => approved, '7 days'))) { ...expire... } // the timeout path
//
// When the signal fails (the server is unreachable, the workflow id is wrong, the run has closed),
// the workflow keeps waiting, until its timeout and then down the timeout path, or forever.
//
// The same rules as the Python front-end (python-signal-failures.ts), read the TypeScript way:
// - the send is a `handle.signal(name, ...)` on a workflow handle whose signal name resolves to a
//   constant (message-sends.ts; a signal-with-start is not one: it starts the workflow too), outside
//   workflow code;
// - the workflow is the handle's type when the code states it; for a handle got by id alone, every
//   workflow of the project that handles the name (up to three) must wait for it. Its setHandler
//   for the name writes state (a variable, a property of one, a collection) that a `condition(pred)`
//   or `condition(pred, timeout)` of the workflow, or of a helper it calls, reads;
// - the failure goes to a catch (around the awaited send, or around the awaited call of the function
//   that sends, one level up) or a `.catch` on the send that only logs, resets state or does
//   nothing (the reading of workflow-start-failure-swallowed), or the send is a statement nobody
//   awaits;
// - that code runs per request: a route or controller method, a function that takes the request,
//   or a caller of it up to three levels out; a message consumer is not a request (as in Python).
// A caller or workflow that learns the outcome another way is left alone (signal-outcome.ts, the
// rules both front-ends share): a retry loop around the try, a flag the catch sets (or a `.catch`
// result) that the code reads afterwards; a wait in a loop that also calls an activity (a poll),
// state that something other than a handler writes from a result, or a timed wait whose result and
// state nothing after it reads (the signal only wakes the workflow early; what follows is the same
// without it, an activity that reads the record included). A comment that calls the signal best
// effort changes nothing, as in Python.

import ts from 'typescript';
import type { DroppedStartFailure, SourceLocation, SwallowedSignal } from '../types.js';
import type { TemporalModel, WorkflowDefinition } from './types.js';
import { typescriptMessageFacts } from './message-sends.js';
import { projectFunctionsReachedFrom } from './reached-functions.js';
import { doesNothing, handlerComments, handlerStatements, onlyLogsOrResets, resultDropped, startHandling, type StartHandling } from './start-handling.js';
import { enclosingFunction } from './call-reach.js';
import { functionName, functionOfDeclaration } from './declarations.js';
import { callsOfFunction } from './named-calls.js';
import { handlerReach } from './observability/handler-reach.js';
import { activityTypeCalled } from './activity-calls.js';
import { isLoopStatement } from './loop-shape.js';
import { skipOuterExpressions } from './temporal-api.js';
import { awaitedInFunction, promiseDropped } from './promise-use.js';
import { callerLearnsOutcome, workflowLearnsOtherwise } from '../signal-outcome.js';

/** How deep helpers are followed from a workflow function to the wait. */
const MAX_CALL_DEPTH = 4;
/** How many calls of the function that sends are read for a catch one level up. */
const MAX_CALLER_CALLS = 5;
/** How many workflows that handle the signal's name an untyped handle may reach. */
const MAX_CANDIDATES = 3;

/** Contexts that are a message, event or job rather than a request (as NOT_REQUEST in python-signal-failures.ts). */
const NOT_REQUEST =
  /@(?:EventPattern|MessagePattern|OnEvent|Process|Processor|SqsMessageHandler|RabbitSubscribe|Subscribe|SubscribeMessage|OnQueueActive)\b|`(?:event|evt|message|msg|job)`|\.(?:subscribe|consume|process|on|eachMessage)\(|type `[^`]*\b(?:SQSEvent|SNSEvent|EventBridgeEvent\w*|KafkaMessage|EachMessagePayload|ConsumeMessage|Job)\b/;

/** Calls that commit a transaction: `await tx.commit()`, `await prisma.$transaction(...)`, `await db.transaction(...)`. */
const COMMIT = /^(?:commit|commitTransaction|\$transaction|transaction)$/;

export function typescriptSwallowedSignals(model: TemporalModel): SwallowedSignal[] {
  const facts = typescriptMessageFacts(model);
  const key = (l: SourceLocation) => `${l.file}:${l.line}:${l.column}`;
  const sends = new Map(facts.sends.filter((s) => s.kind === 'signal' && s.targetBy !== 'with-start').map((s) => [key(s.location), s]));
  if (sends.size === 0) return [];
  const found: SwallowedSignal[] = [];
  const waitCache = new Map<string, SwallowedSignal['wait'] | undefined>();
  for (const file of model.files) {
    if (model.workflowFiles.has(file)) continue;
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !/\.signal\(/.test(sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'signal') {
        const send = sends.get(key(model.locate(node)));
        const swallowed = send && swallowedSignal(node, send.name, send.call, send.targets, model, waitCache);
        if (swallowed) found.push(swallowed);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

function swallowedSignal(call: ts.CallExpression, name: string, written: string, targets: string[], model: TemporalModel, waitCache: Map<string, SwallowedSignal['wait'] | undefined>): SwallowedSignal | undefined {
  const handles = (w: WorkflowDefinition) => w.handlers.some((h) => h.kind === 'signal' && h.name === name);
  const candidates = (targets.length > 0 ? model.workflows.filter((w) => targets.includes(w.name)) : model.workflows).filter(handles);
  // An untyped handle (`getHandle(id)`) may reach any workflow that handles the name: each must wait for it.
  const byName = new Map(candidates.map((w) => [w.name, w]));
  if (byName.size === 0 || byName.size > MAX_CANDIDATES) return undefined;
  // a handler whose name the reviewer cannot read may take this one too
  if (targets.length === 0 && model.workflows.some((w) => !byName.has(w.name) && (w.openHandlers ?? []).some((o) => o.kind === 'signal'))) return undefined;
  const waits: SwallowedSignal['wait'][] = [];
  for (const workflow of byName.values()) {
    const handler = workflow.handlers.find((h) => h.kind === 'signal' && h.name === name)!;
    const key = `${workflow.name}\0${handler.location.file}:${handler.location.line}:${handler.location.column}`;
    if (!waitCache.has(key)) waitCache.set(key, waitFor(workflow, handler.location, model));
    const wait = waitCache.get(key);
    if (!wait) return undefined;
    waits.push(wait);
  }
  const wait = waits[0]!;
  const dropped = droppedFailure(call, model);
  if (!dropped) return undefined;
  const reach = requestReach(model, dropped.anchor);
  if (!reach) return undefined;
  const committed = committedBefore(dropped.anchor, model);
  return {
    location: dropped.dropped.location,
    signal: model.locate(call),
    call: written.replace(/\s+\./g, '.'),
    workflow: [...byName.keys()].join(' or '),
    handler: name,
    dropped: dropped.dropped,
    handling: dropped.handling,
    context: reach,
    ...(committed ? { committedBefore: committed } : {}),
    wait,
  };
}

// ---------------------------------------------------------------------------------------------
// The workflow side

/** The state a wait tests that the signal's handler writes. */
interface Tested {
  /** The setHandler call of the signal. */
  handler: ts.CallExpression;
  /** The variables the predicate reads that the handler writes. */
  declarations: Set<ts.Declaration>;
  timeout?: ts.Expression;
}

/**
 * The first wait of the workflow (or a helper it calls) whose predicate reads state the signal's
 * handler writes, when the workflow has no other way to end it.
 */
function waitFor(workflow: WorkflowDefinition, handlerAt: SourceLocation, model: TemporalModel): SwallowedSignal['wait'] | undefined {
  const reached = [...projectFunctionsReachedFrom(workflow.node, model, MAX_CALL_DEPTH)];
  const handler = setHandlerAt(reached, handlerAt, model);
  const callback = handler?.arguments[1] && skipOuterExpressions(handler.arguments[1]);
  if (!handler || !callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return undefined;
  const written = writtenIn(callback.body, model);
  if (written.size === 0) return undefined;
  for (const fn of reached) {
    if (!fn.body) continue;
    let result: SwallowedSignal['wait'] | undefined;
    const visit = (node: ts.Node): void => {
      if (result || (ts.isFunctionLike(node) && node !== fn)) return;
      if (ts.isCallExpression(node) && isWorkflowApi(node.expression, model, 'condition') && node.arguments[0]) {
        const predicate = functionOfValue(node.arguments[0], model);
        const declarations = new Set([...(predicate?.body ? readIn(predicate.body, model) : [])].filter((d) => written.has(d)));
        const tested: Tested = { handler, declarations, ...(node.arguments[1] ? { timeout: node.arguments[1] } : {}) };
        if (declarations.size > 0 && !learnsOtherwise(node, tested, fn, reached, model)) {
          const path = tested.timeout ? timeoutPath(node, tested, callback, model) : undefined;
          result = {
            location: model.locate(node),
            written: shortText(node),
            ...(tested.timeout ? { timeout: tested.timeout.getText().replace(/\s+/g, ' ') } : {}),
            ...(path ? { timeoutPath: path } : {}),
          };
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
    if (result) return result;
  }
  return undefined;
}

/** The setHandler call at a location, in the functions the workflow reaches. */
function setHandlerAt(functions: ts.FunctionLikeDeclaration[], at: SourceLocation, model: TemporalModel): ts.CallExpression | undefined {
  for (const fn of functions) {
    if (!fn.body || fn.getSourceFile().fileName !== at.file) continue;
    let found: ts.CallExpression | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node) && isWorkflowApi(node.expression, model, 'setHandler')) {
        const l = model.locate(node);
        if (l.line === at.line && l.column === at.column) found = node;
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
    if (found) return found;
  }
  return undefined;
}

/** Variables written in the code: assigned (`approved = true`, `state.approved = true`), or added to (`queue.push(x)`). */
function writtenIn(body: ts.Node, model: TemporalModel): Set<ts.Declaration> {
  const written = new Set<ts.Declaration>();
  const visit = (node: ts.Node): void => {
    let target: ts.Expression | undefined;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) target = node.left;
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) target = node.operand;
    else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ADDING_METHODS.has(node.expression.name.text)) target = node.expression.expression;
    if (target) {
      const root = rootIdentifier(target);
      const declaration = root && model.declarationOf(root);
      if (declaration && ts.isVariableDeclaration(declaration)) written.add(declaration);
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return written;
}

const ADDING_METHODS = new Set(['push', 'unshift', 'splice', 'set', 'add']);

/** `a`, `a.b.c`, `a[0]`: the variable at the root. */
function rootIdentifier(node: ts.Expression): ts.Identifier | undefined {
  let current = skipOuterExpressions(node);
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = skipOuterExpressions(current.expression);
  return ts.isIdentifier(current) ? current : undefined;
}

/** The variables the code reads. */
function readIn(body: ts.Node, model: TemporalModel): Set<ts.Declaration> {
  const read = new Set<ts.Declaration>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const declaration = model.declarationOf(node);
      if (declaration && ts.isVariableDeclaration(declaration)) read.add(declaration);
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return read;
}

/**
 * The workflow has another way to the outcome than the signal: the wait sits in a loop that also
 * calls an activity (it polls); something other than a message handler writes the tested state
 * from a result (`decision = await readDecision()`, a callback of a timer or a child); or the
 * wait is timed and nothing after it reads its result or the state (the signal only wakes it
 * early; the path after the timeout is the one after the signal, such as an activity that reads
 * the decision from the record).
 */
function learnsOtherwise(call: ts.CallExpression, tested: Tested, fn: ts.FunctionLikeDeclaration, reached: ts.FunctionLikeDeclaration[], model: TemporalModel): boolean {
  return workflowLearnsOtherwise({
    timed: tested.timeout !== undefined,
    polls: () => polls(call, fn, model),
    writtenElsewhere: () => writtenElsewhere(tested, reached, model),
    // `if (!(await condition(...)))`, `const received = await condition(...)`
    outcomeRead: () => !resultDropped(call),
    stateReadAfter: () => readAfter(call, tested.declarations, fn, model),
  });
}

/**
 * A write of the tested state outside the message handlers that comes from a result (its value
 * awaits or calls an activity) or runs in a callback (a timer's, a child's `.then`): something
 * other than the signal can end the wait. A reset to a literal (`approved = false`) or the timeout
 * path's own value does not.
 */
function writtenElsewhere(tested: Tested, reached: ts.FunctionLikeDeclaration[], model: TemporalModel): boolean {
  let found = false;
  for (const fn of reached) {
    if (!fn.body) continue;
    const visit = (node: ts.Node, nested: boolean): void => {
      if (found) return;
      if (ts.isCallExpression(node) && isWorkflowApi(node.expression, model, 'setHandler')) return;
      if (ts.isFunctionLike(node) && node !== fn) {
        ts.forEachChild(node, (child) => visit(child, true));
        return;
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        const root = rootIdentifier(node.left);
        const declaration = root && model.declarationOf(root);
        if (declaration && tested.declarations.has(declaration) && (nested || fromResult(node.right, model))) found = true;
      } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ADDING_METHODS.has(node.expression.name.text)) {
        const root = rootIdentifier(node.expression.expression);
        const declaration = root && model.declarationOf(root);
        if (declaration && tested.declarations.has(declaration)) found = true;
      }
      ts.forEachChild(node, (child) => visit(child, nested));
    };
    visit(fn.body, false);
  }
  return found;
}

/** The value awaits something or calls a function (an activity, a child, a helper). */
function fromResult(value: ts.Expression, model: TemporalModel): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(node) || (ts.isCallExpression(node) && activityTypeCalled(node.expression, model))) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(value);
  return found;
}

/**
 * The timed wait sits in a loop that polls: the loop also calls an activity, and its result decides
 * whether the loop ends (the loop's condition, or an `if` that breaks or returns, reads it). A loop
 * over stages or items that happens to call activities does not count.
 */
function polls(call: ts.CallExpression, fn: ts.FunctionLikeDeclaration, model: TemporalModel): boolean {
  let loop: ts.IterationStatement | undefined;
  for (let node: ts.Node | undefined = call.parent; node && node !== fn && !loop; node = node.parent) if (isLoopStatement(node)) loop = node;
  if (!loop) return false;
  const results = new Set<ts.Declaration>();
  const exits: ts.Node[] = [];
  const condition = ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : ts.isForStatement(loop) ? loop.condition : undefined;
  if (condition) exits.push(condition);
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isVariableDeclaration(node) && node.initializer && callsActivity(node.initializer, model)) results.add(node);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && callsActivity(node.right, model)) {
      const root = rootIdentifier(node.left);
      const declaration = root && model.declarationOf(root);
      if (declaration) results.add(declaration);
    }
    if (ts.isIfStatement(node) && leaves(node.thenStatement)) exits.push(node.expression);
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  // `if (await isDecided(id)) break;` tests the activity's result in place
  return exits.some((exit) => callsActivity(exit, model) || [...readIn(exit, model)].some((d) => results.has(d)));
}

/** The statement breaks out of the loop or returns. */
function leaves(statement: ts.Statement): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || isLoopStatement(node)) return;
    if (ts.isBreakStatement(node) || ts.isReturnStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

function callsActivity(node: ts.Node, model: TemporalModel): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(child) && activityTypeCalled(child.expression, model)) found = true;
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/** Some code after the wait, in its function, reads one of the variables (a read, not a write). */
function readAfter(call: ts.CallExpression, declarations: Set<ts.Declaration>, fn: ts.FunctionLikeDeclaration, model: TemporalModel): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node.end <= call.end) return;
    if (ts.isIdentifier(node) && node.pos >= call.end && !isAssigned(node)) {
      const declaration = model.declarationOf(node);
      if (declaration && declarations.has(declaration)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

function isAssigned(node: ts.Identifier): boolean {
  let target: ts.Node = node;
  while (target.parent && ts.isParenthesizedExpression(target.parent)) target = target.parent;
  const parent = target.parent;
  return !!parent && ts.isBinaryExpression(parent) && parent.left === target && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

/**
 * Where the workflow goes when condition() returns false: the branch of an `if` that tests the
 * result (`if (!(await condition(...)))`, or a const that holds it), and the handler's state that
 * branch sets to another value than the handler does.
 */
function timeoutPath(call: ts.CallExpression, tested: Tested, callback: ts.ArrowFunction | ts.FunctionExpression, model: TemporalModel): { location: SourceLocation; sets: string[] } | undefined {
  let node: ts.Node = call;
  let negated = false;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent) || (ts.isPrefixUnaryExpression(node.parent) && node.parent.operator === ts.SyntaxKind.ExclamationToken))) {
    if (ts.isPrefixUnaryExpression(node.parent)) negated = !negated;
    node = node.parent;
  }
  let test: ts.IfStatement | undefined;
  if (node.parent && ts.isIfStatement(node.parent) && node.parent.expression === node) test = node.parent;
  else if (node.parent && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) {
    // `const received = await condition(...)`, then `if (!received)`
    const declaration = node.parent;
    const statement = ts.findAncestor(declaration, ts.isVariableStatement);
    const block = statement?.parent;
    const statements = block && (ts.isBlock(block) || ts.isSourceFile(block)) ? block.statements : undefined;
    const index = statements && statement ? statements.indexOf(statement) : -1;
    const next = index >= 0 ? statements!.slice(index + 1).find(ts.isIfStatement) : undefined;
    if (next) {
      let expression: ts.Node = skipOuterExpressions(next.expression);
      negated = false;
      while (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken) {
        negated = !negated;
        expression = skipOuterExpressions(expression.operand);
      }
      if (ts.isIdentifier(expression) && model.declarationOf(expression) === declaration) test = next;
    }
  }
  if (!test) return undefined;
  const branch = negated ? test.thenStatement : test.elseStatement;
  if (!branch) return undefined;
  const assignments = (root: ts.Node, into: (name: string, value: string) => void) => {
    const visit = (child: ts.Node): void => {
      if (ts.isBinaryExpression(child) && child.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = skipOuterExpressions(child.left);
        const declaration = ts.isIdentifier(left) ? model.declarationOf(left) : undefined;
        if (declaration && tested.declarations.has(declaration)) into((left as ts.Identifier).text, child.right.getText().replace(/\s+/g, ' '));
      }
      ts.forEachChild(child, visit);
    };
    visit(root);
  };
  // the values the handler gives the variables
  const handlerValues = new Map<string, string>();
  assignments(callback.body, (name, value) => handlerValues.set(name, value));
  const sets: string[] = [];
  assignments(branch, (name, value) => {
    const other = handlerValues.get(name);
    if (other !== undefined && other !== value) sets.push(`${name} = ${value} where the handler sets ${other}`);
  });
  return { location: model.locate(branch), sets };
}

function isWorkflowApi(node: ts.Node, model: TemporalModel, name: string): boolean {
  const api = model.temporalApiOf(node);
  return api?.module === '@temporalio/workflow' && api.name === name;
}

function functionOfValue(node: ts.Expression, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  const value = skipOuterExpressions(node);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  return ts.isIdentifier(value) ? functionOfDeclaration(model.declarationOf(value)) : undefined;
}

// ---------------------------------------------------------------------------------------------
// The sending side

interface Dropped {
  dropped: DroppedStartFailure;
  handling: SwallowedSignal['handling'];
  /** The node whose function must run per request: the try, the `.catch` call or the unawaited send. */
  anchor: ts.Node;
}

/** How the send's failure is dropped, read as for a start (start-handling.ts). */
function droppedFailure(call: ts.CallExpression, model: TemporalModel): Dropped | undefined {
  const handling = startHandling(call);
  if (handling) return droppedBy(handling, model);
  if (promiseDropped(call)) {
    return { dropped: { location: model.locate(call), alreadyStartedTested: false, comments: '' }, handling: 'unawaited', anchor: call };
  }
  // One level up: the send is awaited in its function, and every call of that function drops the failure.
  const sender = enclosingFunction(call);
  const name = sender && functionName(sender);
  if (!sender || !name || !awaitedInFunction(call, sender)) return undefined;
  const calls = callsOfFunction(model, sender);
  if (calls.length === 0 || calls.length > MAX_CALLER_CALLS) return undefined;
  let chosen: Dropped | undefined;
  for (const outer of calls) {
    const around = startHandling(outer);
    const dropped = around && droppedBy(around, model);
    if (!dropped) return undefined;
    const through = { ...dropped, dropped: { ...dropped.dropped, through: [{ function: name, at: model.locate(call), runner: 'await', call: model.locate(outer) }] } };
    // where one caller's handler logs, the failure is not wholly silent: read the weaker one
    if (!chosen || (through.dropped.logged && !chosen.dropped.logged)) chosen = through;
  }
  return chosen;
}

function droppedBy(handling: StartHandling, model: TemporalModel): Dropped | undefined {
  const nodes = handlerStatements(handling);
  const fn = handling.kind === 'try' ? enclosingFunction(handling.statement) : handling.handler;
  const learns = callerLearnsOutcome({
    // `for (...) { try { await handle.signal(...); break; } catch (err) { log } }`: a retry loop, the failure is tried again
    retried: () => handling.kind === 'try' && retried(handling.statement, fn),
    // `const ok = await handle.signal(...).catch(() => false)`: the caller tests the result;
    // `catch (err) { log; signalled = false; }` and `signalled` read after the try
    failureRead: () => (handling.kind === 'promise' ? !resultDropped(handling.catchCall) : !!fn && flagRead(handling, fn, model)),
  });
  if (learns) return undefined;
  const nothing = doesNothing(nodes);
  if (!nothing && !onlyLogsOrResets(nodes, fn)) return undefined;
  const callee = handling.kind === 'promise' ? handling.catchCall.expression : undefined;
  const location = handling.kind === 'try' ? model.locate(handling.clause) : model.locate(callee && ts.isPropertyAccessExpression(callee) ? callee.name : handling.catchCall);
  return {
    dropped: { location, alreadyStartedTested: false, comments: handlerComments(handling), ...(nothing ? {} : { logged: true as const }) },
    handling: handling.kind === 'try' ? 'catch' : '.catch handler',
    anchor: handling.kind === 'try' ? handling.statement : handling.catchCall,
  };
}

/** A variable the catch sets (`signalled = false`) that the code after the try reads. */
function flagRead(handling: Extract<StartHandling, { kind: 'try' }>, fn: ts.FunctionLikeDeclaration, model: TemporalModel): boolean {
  const flags = new Set<ts.Declaration>();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = skipOuterExpressions(node.left);
      const declaration = ts.isIdentifier(target) ? model.declarationOf(target) : undefined;
      if (declaration && ts.isVariableDeclaration(declaration)) flags.add(declaration);
    }
    ts.forEachChild(node, visit);
  };
  visit(handling.body);
  if (flags.size === 0 || !fn.body) return false;
  // the first use of each flag after the try decides: a read, or a new value that replaces it
  let read = false;
  const after = handling.statement.end;
  const scan = (node: ts.Node): void => {
    if (read || flags.size === 0 || node.end <= after) return;
    if (ts.isIdentifier(node) && node.pos >= after) {
      const declaration = model.declarationOf(node);
      if (declaration && flags.has(declaration)) {
        if (isAssigned(node)) flags.delete(declaration);
        else read = true;
      }
    }
    ts.forEachChild(node, scan);
  };
  scan(fn.body);
  return read;
}

/** The try sits in a loop (in its function) and leaves it once its block succeeds: the loop retries the send. */
function retried(statement: ts.TryStatement, fn: ts.FunctionLikeDeclaration | undefined): boolean {
  for (let node: ts.Node | undefined = statement.parent; node && node !== fn; node = node.parent) {
    if (isLoopStatement(node)) return leaves(statement.tryBlock);
  }
  return false;
}

/**
 * Why the code runs per request: the function around the node handles a request (a route
 * decorator, a route registration, a request parameter), or a caller of it up to three levels out
 * does. A declared handler wins over one read from a parameter; a message, event or job handler
 * does not count, nor does an activity.
 */
function requestReach(model: TemporalModel, anchor: ts.Node): string | undefined {
  const holder = enclosingFunction(anchor);
  if (!holder || model.activities.some((a) => a.node === holder)) return undefined;
  const found = handlerReach(model, anchor, holder)?.context;
  if (!found || NOT_REQUEST.test(found.text)) return undefined;
  return found.text;
}

/** An awaited commit (`tx.commit()`, `prisma.$transaction(...)`) in the function around the anchor, before it. */
function committedBefore(anchor: ts.Node, model: TemporalModel): SourceLocation | undefined {
  const fn = enclosingFunction(anchor);
  if (!fn?.body) return undefined;
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.getStart() >= anchor.getStart() || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isCallExpression(node) && node.end <= anchor.getStart() && ts.isAwaitExpression(node.parent)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && COMMIT.test(callee.name.text)) found = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found ? model.locate(found) : undefined;
}

function shortText(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
