// Signals sent from request-handling code whose failure an except clause only logs (or drops),
// to a workflow that waits for them (workflow-signal-failure-swallowed):
//
//   await session.commit()                       # the approval is recorded
//   try:
//       await temporal_approve(workflow_id, ...)  # a project wrapper: handle.signal(ApprovalWorkflow.approve, ...)
//   except Exception as e:
//       logger.warning(...)                       # the request succeeds
//
//   # in ApprovalWorkflow
//   try:
//       await workflow.wait_condition(lambda: self._approved is not None, timeout=timedelta(days=7))
//   except TimeoutError:
//       self._approved = False                    # the timeout path: auto-reject
//
// When the signal fails (the server is unreachable, the workflow id is wrong), the workflow keeps
// waiting for it, until its timeout and then down the timeout path, or forever.
//
// The signal must name its handler on a workflow class the project defines (`handle.signal(
// Workflow.method, ...)`), or be a name sent on a handle whose workflow type the code states
// (`get_workflow_handle_for(Workflow, id)`); the handler must set state (`self.X`) that a
// `workflow.wait_condition` of that class tests; the clause is found as for a start
// (python-start-handling.ts: the nearest try around the signal, or around the call of the function
// that holds it, up to two functions up) and must only log, reset state or do nothing; the function
// that holds the clause must handle requests (a route, a view method). Anything less and nothing is
// reported. Nor when the caller or the workflow learns the outcome another way, by the rules of
// signal-outcome.ts (shared with TypeScript): a retry loop around the try, a flag the clause sets
// that the code reads after it; a wait in a loop that polls an activity, state that a method other
// than a handler writes from a result (or a nested task writes), a timed wait whose TimeoutError
// clause only logs and after which nothing reads the state.

import type { MessageFacts, SourceLocation, SwallowedSignal } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { pythonDroppedStartFailure } from './python-start-handling.js';
import { enclosingFunction, perRequestContext } from './python-per-call-connections.js';
import { forwardedCall } from './python-forwarded-calls.js';
import { callArguments, type CallArguments, classMembers, decoratorsOf, descendantsInScope, enclosing, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import { exceptClauses, className } from './python-caught-errors.js';
import { resolvePythonValue } from './python-values.js';
import { isPythonLogCall } from './python-swallowed-failures.js';
import { callerLearnsOutcome, workflowLearnsOtherwise } from '../signal-outcome.js';

export type PythonSwallowedSignal = SwallowedSignal;

const WAIT_CONDITION = 'temporalio.workflow.wait_condition';
const TIMEOUT_ERRORS = new Set(['TimeoutError', 'asyncio.TimeoutError', 'Exception', 'BaseException']);
/** Contexts that are not an HTTP request (see pythonHttpRequestSites). */
const NOT_REQUEST = / is an activity |handles messages|@[\w.]*\b(?:task|shared_task|receiver|subscriber)\b|`(?:event|evt|message|msg|job)`/;

export function pythonSwallowedSignals(files: string[], modules: PythonModules, workflows: PythonWorkflow[], facts: MessageFacts | undefined): PythonSwallowedSignal[] {
  const found: PythonSwallowedSignal[] = [];
  for (const file of files) {
    const parsed = modules.files.get(file);
    if (!parsed || !/\.signal\b/.test(parsed.text)) continue;
    for (const call of parsed.tree.rootNode.descendantsOfType('call')) {
      if (!call) continue;
      const callee = call.childForFieldName('function');
      // `run_async(handle.signal, ...)`: the signal run by a sync bridge, which raises its failure.
      const forwarded = callee && callee.type !== 'attribute' && /\.signal\b/.test(call.text) ? forwardedCall(call, file, modules) : undefined;
      const method = forwarded ? forwarded.target : callee;
      if (method?.type !== 'attribute' || method.childForFieldName('attribute')?.text !== 'signal') continue;
      // workflow code signalling another workflow is not request handling
      if (workflows.some((w) => w.file === file && call.startIndex >= w.node.startIndex && call.endIndex <= w.node.endIndex)) continue;
      const target = signalTarget(call, file, modules, workflows, facts, forwarded?.args);
      if (!target) continue;
      const wait = waitFor(target.workflow, target.handler, modules);
      if (!wait) continue;
      const dropped = pythonDroppedStartFailure(call, file, modules, forwarded !== undefined);
      if (!dropped) continue;
      const clause = clauseAt(dropped.location, modules);
      if (clause && callerLearnsOutcome({ retried: () => retried(clause), failureRead: () => flagRead(clause) })) continue;
      const clauseFn = functionAt(dropped.location, modules);
      const context = clauseFn ? perRequestContext(clauseFn, dropped.location.file, modules) : undefined;
      if (!context || NOT_REQUEST.test(context.context)) continue;
      found.push({
        location: dropped.location,
        signal: locateNode(file, call),
        call: shortText(call),
        workflow: target.workflow.name,
        handler: target.handler.childForFieldName('name')?.text ?? 'the handler',
        dropped,
        handling: 'except clause',
        context: context.context,
        wait,
        ...committedBefore(clauseFn!, dropped.location.file, [locateNode(file, call), ...(dropped.through ?? []).map((step) => step.call)]),
      });
    }
  }
  return found;
}

/** The workflow and the handler method a signal call reaches, when the code states both. */
function signalTarget(call: PythonNode, file: string, modules: PythonModules, workflows: PythonWorkflow[], facts: MessageFacts | undefined, forwarded?: CallArguments): { workflow: PythonWorkflow; handler: PythonNode } | undefined {
  const args = forwarded ?? callArguments(call);
  const sent = args.positional[0] ?? args.keywords.get('signal');
  if (!sent) return undefined;
  const node = unparenthesize(sent);
  if (node.type === 'attribute') {
    // `handle.signal(Workflow.method, ...)`: the handler itself
    const object = node.childForFieldName('object');
    const method = node.childForFieldName('attribute')?.text;
    const name = object?.type === 'attribute' ? object.childForFieldName('attribute')?.text : object?.text;
    const classes = workflows.filter((w) => w.className === name);
    if (classes.length !== 1 || !method) {
      return stringTarget(call, file, sent, modules, workflows, facts);
    }
    const handler = signalHandlers(classes[0]!, modules).find((h) => h.method === method);
    return handler ? { workflow: classes[0]!, handler: handler.node } : undefined;
  }
  return stringTarget(call, file, sent, modules, workflows, facts);
}

/** A signal sent by name on a handle whose workflow type the code states (message facts, one target). */
function stringTarget(call: PythonNode, file: string, sent: PythonNode, modules: PythonModules, workflows: PythonWorkflow[], facts: MessageFacts | undefined): { workflow: PythonWorkflow; handler: PythonNode } | undefined {
  const location = locateNode(file, call);
  const send = facts?.sends.find((s) => s.kind === 'signal' && s.location.file === file && s.location.line === location.line && s.location.column === location.column);
  if (!send || send.targets.length !== 1) return undefined;
  const name = stringLiteral(sent) ?? (() => {
    const value = resolvePythonValue(unparenthesize(sent), file, modules);
    return value.kind === 'string' ? value.value : undefined;
  })();
  const candidates = workflows.filter((w) => w.name === send.targets[0]);
  if (candidates.length !== 1 || name === undefined) return undefined;
  const handler = signalHandlers(candidates[0]!, modules).find((h) => h.name === name);
  return handler ? { workflow: candidates[0]!, handler: handler.node } : undefined;
}

/** The @workflow.signal methods of the class, with their method and signal names. */
function signalHandlers(workflow: PythonWorkflow, modules: PythonModules): { node: PythonNode; method: string; name: string }[] {
  const handlers: { node: PythonNode; method: string; name: string }[] = [];
  for (const member of classMembers(workflow.node)) {
    if (member.type !== 'function_definition') continue;
    const method = member.childForFieldName('name')?.text;
    if (!method) continue;
    for (const decorator of decoratorsOf(member)) {
      if (modules.qualifiedName(workflow.file, decorator.expression) !== 'temporalio.workflow.signal') continue;
      const given = decorator.call ? callArguments(decorator.call).keywords.get('name') : undefined;
      handlers.push({ node: member, method, name: (given && stringLiteral(given)) ?? method });
    }
  }
  return handlers;
}

/** `self.X` state the handler sets, with the value it assigns (undefined for a mutation). */
function handlerSets(handler: PythonNode): Map<string, string | undefined> {
  const sets = new Map<string, string | undefined>();
  const body = handler.childForFieldName('body');
  if (!body) return sets;
  descendantsInScope(body, (node) => {
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const attribute = selfAttribute(left);
      if (attribute) sets.set(attribute, node.type === 'assignment' ? node.childForFieldName('right')?.text : undefined);
    } else if (node.type === 'call') {
      // `self.queue.append(x)`
      const callee = node.childForFieldName('function');
      const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
      const attribute = selfAttribute(object);
      if (attribute && !sets.has(attribute)) sets.set(attribute, undefined);
    }
  });
  return sets;
}

function selfAttribute(node: PythonNode | null | undefined): string | undefined {
  if (node?.type !== 'attribute' || node.childForFieldName('object')?.text !== 'self') return undefined;
  return node.childForFieldName('attribute')?.text;
}

/**
 * The first wait_condition in the workflow's class whose predicate reads state the handler sets,
 * when the workflow has no other way to the outcome (signal-outcome.ts).
 */
function waitFor(workflow: PythonWorkflow, handler: PythonNode, modules: PythonModules): PythonSwallowedSignal['wait'] | undefined {
  const sets = handlerSets(handler);
  if (sets.size === 0) return undefined;
  for (const member of classMembers(workflow.node)) {
    if (member.type !== 'function_definition' || member.id === handler.id) continue;
    for (const call of member.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      if (!call || !callee || modules.qualifiedName(workflow.file, callee) !== WAIT_CONDITION) continue;
      const args = callArguments(call);
      const predicate = args.positional[0] ?? args.keywords.get('fn');
      if (!predicate) continue;
      const tested = new Set(predicate.descendantsOfType('attribute').flatMap((attribute) => {
        const name = attribute ? selfAttribute(attribute) : undefined;
        return name !== undefined && sets.has(name) ? [name] : [];
      }));
      if (tested.size === 0) continue;
      const lambdaBody = predicate.type === 'lambda' ? predicate.childForFieldName('body') : undefined;
      const timeout = args.keywords.get('timeout') ?? args.positional[1];
      const timeoutText = timeout && timeout.type !== 'none' ? timeout.text : undefined;
      const learns = workflowLearnsOtherwise({
        timed: timeoutText !== undefined,
        polls: () => polls(call, member, workflow.file, modules),
        writtenElsewhere: () => writtenElsewhere(workflow, tested, modules),
        outcomeRead: () => timeoutTold(call, member, workflow.file, modules),
        stateReadAfter: () => stateReadAfter(call, member, workflow, tested),
      });
      if (learns) continue;
      return {
        location: locateNode(workflow.file, call),
        written: `workflow.wait_condition(lambda: ${(lambdaBody ?? predicate).text.replace(/\s+/g, ' ')})`,
        ...(timeoutText ? { timeout: timeoutText } : {}),
        ...(timeoutText ? timeoutPath(call, member, workflow.file, sets, tested) : {}),
      };
    }
  }
  return undefined;
}

/** The except clause around the wait that takes its TimeoutError, and the handler's state it sets to another value. */
function timeoutPath(call: PythonNode, method: PythonNode, file: string, sets: Map<string, string | undefined>, tested: Set<string>): { timeoutPath?: { location: SourceLocation; sets: string[] } } {
  let child: PythonNode = call;
  for (let node = call.parent; node && node.id !== method.id; child = node, node = node.parent) {
    if (node.type !== 'try_statement' || node.childForFieldName('body')?.id !== child.id) continue;
    for (const clause of exceptClauses(node)) {
      if (clause.node.type !== 'except_clause') continue;
      if (clause.classes.length > 0 && !clause.classes.map(className).some((name) => TIMEOUT_ERRORS.has(name))) continue;
      const changed: string[] = [];
      descendantsInScope(clause.node, (inner) => {
        if (inner.type !== 'assignment') return;
        const attribute = selfAttribute(inner.childForFieldName('left'));
        const value = inner.childForFieldName('right')?.text;
        if (!attribute || !sets.has(attribute) || !tested.has(attribute)) return;
        const handlerValue = sets.get(attribute);
        if (handlerValue !== undefined && value !== undefined && handlerValue !== value) changed.push(`self.${attribute} = ${value} where the handler sets ${handlerValue}`);
      });
      return { timeoutPath: { location: locateNode(file, clause.node), sets: changed } };
    }
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// How the workflow may learn the outcome without the signal (signal-outcome.ts)

/** The SDK calls that run an activity and hand back its result. */
const ACTIVITY_CALLS = /^temporalio\.workflow\.(?:execute|start)_(?:local_)?activity(?:_method|_class)?$/;

/** Methods that add to a collection: `self.queue.append(x)`. */
const ADDING_METHODS = new Set(['append', 'appendleft', 'extend', 'insert', 'add', 'update', 'put', 'put_nowait', 'setdefault']);

/** The SDK decorators of message handlers: their writes are the messages' own. */
const HANDLER_DECORATORS = /^temporalio\.workflow\.(?:signal|update|query)$/;

function callsActivity(node: PythonNode, file: string, modules: PythonModules): boolean {
  const calls = node.type === 'call' ? [node, ...node.descendantsOfType('call')] : node.descendantsOfType('call');
  return calls.some((call) => {
    const callee = call?.childForFieldName('function');
    return !!callee && ACTIVITY_CALLS.test(modules.qualifiedName(file, callee) ?? '');
  });
}

/**
 * The timed wait sits in a loop that polls: the loop also calls an activity, and its result decides
 * whether the loop ends (the `while` condition, or an `if` that breaks or returns, reads it or
 * calls the activity in place). A loop over stages or items that calls activities does not count.
 */
function polls(call: PythonNode, method: PythonNode, file: string, modules: PythonModules): boolean {
  let loop: PythonNode | undefined;
  for (let node = call.parent; node && node.id !== method.id && !loop; node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'lambda') return false;
    if (node.type === 'while_statement' || node.type === 'for_statement') loop = node;
  }
  const body = loop?.childForFieldName('body');
  if (!loop || !body) return false;
  const results = new Set<string>();
  const exits: PythonNode[] = [];
  const condition = loop.type === 'while_statement' ? loop.childForFieldName('condition') : undefined;
  if (condition) exits.push(condition);
  const visit = (node: PythonNode): void => {
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left && right && (left.type === 'identifier' || selfAttribute(left)) && callsActivity(right, file, modules)) results.add(left.text);
    }
    if (node.type === 'if_statement' || node.type === 'elif_clause') {
      const consequence = node.childForFieldName('consequence');
      const test = node.childForFieldName('condition');
      if (test && consequence && leaves(consequence)) exits.push(test);
    }
  };
  descendantsInScope(body, visit);
  const reads = (exit: PythonNode) => [exit, ...exit.descendantsOfType(['identifier', 'attribute'])].some((node) => !!node && (node.type === 'identifier' || node.type === 'attribute') && results.has(node.text));
  // `if await workflow.execute_activity(is_decided, ...): break` tests the result in place
  return exits.some((exit) => callsActivity(exit, file, modules) || reads(exit));
}

/** The block breaks out of the loop around it or returns (not in a nested loop or function). */
function leaves(block: PythonNode): boolean {
  let found = false;
  const visit = (node: PythonNode): void => {
    if (found || ['function_definition', 'lambda', 'class_definition', 'for_statement', 'while_statement'].includes(node.type)) return;
    if (node.type === 'break_statement' || node.type === 'return_statement') found = true;
    else for (const child of namedChildrenOf(node)) visit(child);
  };
  visit(block);
  return found;
}

/**
 * A method of the class other than a message handler writes the tested state from a result (its
 * value awaits something or calls an activity), or a function nested in one (a callback, a task)
 * writes it at all, or one adds to it (`self.queue.append(x)`): something other than the signal can
 * end the wait. A reset to a literal, or the timeout path's own value, does not.
 */
function writtenElsewhere(workflow: PythonWorkflow, tested: Set<string>, modules: PythonModules): boolean {
  for (const member of classMembers(workflow.node)) {
    if (member.type !== 'function_definition') continue;
    if (decoratorsOf(member).some((d) => HANDLER_DECORATORS.test(modules.qualifiedName(workflow.file, d.expression) ?? '') || /\.validator$/.test(d.expression.text))) continue;
    let found = false;
    const visit = (node: PythonNode, nested: boolean): void => {
      if (found) return;
      const inner = nested || node.type === 'function_definition' || node.type === 'lambda';
      if (node.type === 'assignment' || node.type === 'augmented_assignment') {
        const attribute = selfAttribute(node.childForFieldName('left'));
        const right = node.childForFieldName('right');
        if (attribute && tested.has(attribute) && (nested || (right && (right.type === 'await' || right.descendantsOfType('await').length > 0 || callsActivity(right, workflow.file, modules))))) found = true;
      } else if (node.type === 'call') {
        const callee = node.childForFieldName('function');
        const attribute = callee?.type === 'attribute' ? selfAttribute(callee.childForFieldName('object')) : undefined;
        if (attribute && tested.has(attribute) && ADDING_METHODS.has(callee!.childForFieldName('attribute')?.text ?? '')) found = true;
      }
      for (const child of namedChildrenOf(node)) visit(child, inner);
    };
    const body = member.childForFieldName('body');
    if (body) visit(body, false);
    if (found) return true;
  }
  return false;
}

/**
 * The code after the timed wait goes another way when it times out than when the state is set: the
 * TimeoutError leaves the method, the clause that takes it does something besides logging (sets
 * state, returns, raises, calls), the try has an `else`, or code after the wait in the try's body
 * runs only when the state was set. A clause that only logs or passes, or `with
 * contextlib.suppress(TimeoutError)` around the wait alone, tells the two apart in no way.
 */
function timeoutTold(call: PythonNode, method: PythonNode, file: string, modules: PythonModules): boolean {
  let child: PythonNode = call;
  for (let node = call.parent; node && node.id !== method.id; child = node, node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'lambda') return true;
    if (followedInBlock(child)) return true;
    if (node.type === 'with_statement' && suppressesTimeout(node, file, modules)) return false;
    if (node.type !== 'try_statement' || node.childForFieldName('body')?.id !== child.id) continue;
    const clause = exceptClauses(node).find((c) => c.node.type === 'except_clause' && (c.classes.length === 0 || c.classes.map(className).some((name) => TIMEOUT_ERRORS.has(name))));
    if (!clause) continue;
    if (namedChildrenOf(node).some((c) => c.type === 'else_clause')) return true;
    const block = namedChildrenOf(clause.node).find((c) => c.type === 'block');
    return !block || !namedChildrenOf(block).every(onlyNotes);
  }
  // the TimeoutError leaves the method: the run fails, or a caller handles it
  return true;
}

/** The node is followed by another statement in its block: code that runs only when the wait returns. */
function followedInBlock(node: PythonNode): boolean {
  if (node.parent?.type !== 'block') return false;
  for (let next = node.nextNamedSibling; next; next = next.nextNamedSibling) if (next.type !== 'comment') return true;
  return false;
}

/** `pass`, a comment, a docstring or `...`, or a logging call. */
function onlyNotes(statement: PythonNode): boolean {
  if (statement.type === 'pass_statement' || statement.type === 'comment') return true;
  if (statement.type !== 'expression_statement') return false;
  const expressions = namedChildrenOf(statement);
  if (expressions.length === 1 && (expressions[0]!.type === 'string' || expressions[0]!.type === 'ellipsis')) return true;
  return isPythonLogCall(statement);
}

/** `with suppress(asyncio.TimeoutError):` (contextlib). */
function suppressesTimeout(statement: PythonNode, file: string, modules: PythonModules): boolean {
  return statement.descendantsOfType('call').some((call) => {
    const callee = call?.childForFieldName('function');
    if (!call || !callee || (call.parent?.type !== 'with_item' && call.parent?.parent?.type !== 'with_item')) return false;
    if ((modules.qualifiedName(file, callee) ?? callee.text).replace(/^contextlib\./, '') !== 'suppress') return false;
    return namedChildrenOf(call.childForFieldName('arguments')!).some((arg) => TIMEOUT_ERRORS.has(className(arg)));
  });
}

/**
 * The method reads the tested state after the wait (a read, not an assignment; in a loop around
 * the wait, anywhere in the loop but the wait itself), itself or in a method it calls there
 * (`self._result()`); or the wait's method is called from another method that reads the state
 * after the call.
 */
function stateReadAfter(call: PythonNode, method: PythonNode, workflow: PythonWorkflow, tested: Set<string>): boolean {
  const methods = new Map(classMembers(workflow.node).flatMap((m) => (m.type === 'function_definition' ? [[m.childForFieldName('name')?.text ?? '', m] as const] : [])));
  const readsIn = (root: PythonNode, from: number, follow: boolean): boolean =>
    root.descendantsOfType('attribute').some((attribute) => {
      if (!attribute || attribute.startIndex < from || (attribute.startIndex >= call.startIndex && attribute.endIndex <= call.endIndex)) return false;
      const name = selfAttribute(attribute);
      if (name !== undefined && tested.has(name)) return !assignedTo(attribute);
      // `self._result()` after the wait
      if (!follow || name === undefined || attribute.parent?.type !== 'call') return false;
      const callee = methods.get(name);
      return !!callee && callee.id !== method.id && readsIn(callee, callee.startIndex, false);
    });
  // a loop around the wait runs its code again after it: a read at the loop's top counts too
  let from = call.endIndex;
  for (let node = call.parent; node && node.id !== method.id; node = node.parent) if (node.type === 'for_statement' || node.type === 'while_statement') from = node.startIndex;
  if (readsIn(method, from, true)) return true;
  const name = method.childForFieldName('name')?.text;
  for (const caller of methods.values()) {
    if (caller.id === method.id) continue;
    for (const site of caller.descendantsOfType('attribute')) {
      if (site && selfAttribute(site) === name && site.parent?.type === 'call' && readsIn(caller, site.endIndex, false)) return true;
    }
  }
  return false;
}

/** `self.x = ...`: the attribute is the target of a plain assignment. */
function assignedTo(attribute: PythonNode): boolean {
  let node = attribute;
  while (node.parent && (node.parent.type === 'pattern_list' || node.parent.type === 'tuple_pattern')) node = node.parent;
  return node.parent?.type === 'assignment' && node.parent.childForFieldName('left')?.id === node.id;
}

// ---------------------------------------------------------------------------------------------
// How the caller may learn the outcome (signal-outcome.ts)

/** The except clause at a location (the one that drops the failure). */
function clauseAt(location: SourceLocation, modules: PythonModules): PythonNode | undefined {
  const root = modules.files.get(location.file)?.tree.rootNode;
  let node = root?.descendantForPosition({ row: location.line - 1, column: location.column - 1 }) ?? undefined;
  while (node && node.type !== 'except_clause') node = node.parent ?? undefined;
  return node?.parent?.type === 'try_statement' ? node : undefined;
}

/** The clause's try sits in a loop (in its function) and leaves it once its body (or `else`) succeeds: the loop retries the send. */
function retried(clause: PythonNode): boolean {
  const statement = clause.parent!;
  for (let node = statement.parent; node; node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') return false;
    if (node.type !== 'for_statement' && node.type !== 'while_statement') continue;
    const body = statement.childForFieldName('body');
    const otherwise = namedChildrenOf(statement).find((c) => c.type === 'else_clause');
    return (!!body && leaves(body)) || (!!otherwise && leaves(otherwise));
  }
  return false;
}

/** The clause sets a local (`signalled = False`) that the function reads after it: in its response, in a test. */
function flagRead(clause: PythonNode): boolean {
  const flags = new Set<string>();
  descendantsInScope(clause, (node) => {
    const left = node.type === 'assignment' ? node.childForFieldName('left') : undefined;
    if (left?.type === 'identifier') flags.add(left.text);
  });
  const fn = enclosing(clause, ['function_definition']);
  if (flags.size === 0 || !fn) return false;
  // the first use of each flag after the clause decides: a read, or a new value that replaces it
  for (const identifier of fn.descendantsOfType('identifier')) {
    if (!identifier || identifier.startIndex < clause.endIndex || !flags.has(identifier.text)) continue;
    const parent = identifier.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === identifier.id) continue;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === identifier.id) flags.delete(identifier.text);
    else return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------

/**
 * The first `<session>.commit()` of the handler function that runs before the call that leads to
 * the signal (the signal itself, or the call of the wrapper that sends it), outside nested functions.
 */
function committedBefore(fn: PythonNode, file: string, calls: SourceLocation[]): { committedBefore?: SourceLocation } {
  const inside = calls.filter((call) => call.file === file && call.line >= fn.startPosition.row + 1 && call.line <= fn.endPosition.row + 1);
  if (inside.length === 0) return {};
  const anchor = Math.min(...inside.map((call) => call.line));
  let found: SourceLocation | undefined;
  descendantsInScope(fn, (node) => {
    if (found || node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'commit') return;
    if (node.startPosition.row + 1 < anchor) found = locateNode(file, node);
  });
  return found ? { committedBefore: found } : {};
}

function functionAt(location: SourceLocation, modules: PythonModules): PythonNode | undefined {
  const root = modules.files.get(location.file)?.tree.rootNode;
  const node = root?.descendantForPosition({ row: location.line - 1, column: location.column - 1 });
  if (!node) return undefined;
  return node.type === 'function_definition' ? enclosing(node, ['function_definition']) : (enclosingFunction(node) ?? enclosing(node, ['function_definition']));
}

function shortText(node: PythonNode): string {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}


