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
// reported.

import type { MessageFacts, SourceLocation, SwallowedSignal } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { pythonDroppedStartFailure } from './python-start-handling.js';
import { enclosingFunction, perRequestContext } from './python-per-call-connections.js';
import { forwardedCall } from './python-forwarded-calls.js';
import { callArguments, type CallArguments, classMembers, decoratorsOf, descendantsInScope, enclosing, locateNode, stringLiteral, unparenthesize } from './python-syntax.js';
import { exceptClauses, className } from './python-caught-errors.js';
import { resolvePythonValue } from './python-values.js';

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

/** The first wait_condition in the workflow's class whose predicate reads state the handler sets. */
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
        const name = selfAttribute(attribute);
        return name !== undefined && sets.has(name) ? [name] : [];
      }));
      if (tested.size === 0) continue;
      const lambdaBody = predicate.type === 'lambda' ? predicate.childForFieldName('body') : undefined;
      const timeout = args.keywords.get('timeout') ?? args.positional[1];
      const timeoutText = timeout && timeout.type !== 'none' ? timeout.text : undefined;
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

/** The function that holds the node at a location. */
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


