// Activity implementations of a Python project: `@activity.defn` functions and methods (with
// their `name=` override), where each heartbeats (directly or through helpers of the project),
// the exceptions it raises as the server will see their type, and signs that it runs long.

import { pythonGuardsMissingRead } from './python-existence-guard.js';
import type { ActivityImplementationFacts, HeartbeatEvidence, SourceLocation, ThrownError } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, descendantsInScope, locateNode, moduleStatements, stringLiteral, writtenText } from './python-syntax.js';
import { resolvePythonValue } from './python-values.js';
import { classChain, escapesTries, wrappedLibraryErrors, CATCH_ALL } from './python-caught-errors.js';
import { longRunningSigns } from './python-activity-loops.js';
import { localValues } from './python-local-values.js';
import { pythonCannotFail, pythonCatchesEveryFailure, pythonPerformsNoIO, pythonRunsInMemory } from './python-in-memory.js';
import { missingSdkAttribute } from './python-sdk-names.js';

export interface PythonActivity extends ActivityImplementationFacts {
  /** The function (or method) definition. */
  node: PythonNode;
  /** The enclosing class for an activity method. */
  className?: string;
  /** `@activity.defn(name=...)` gives a value that is not a string literal: `name` (the function's name) may not be the activity type. */
  nameNotLiteral?: true;
}

const ACTIVITY_DEFN = 'temporalio.activity.defn';
/**
 * Heartbeat evidence: a heartbeat call, or `raise_complete_async()`, after which the activity is
 * completed (and heartbeats through AsyncActivityHandle.heartbeat) by code outside the worker.
 */
const HEARTBEAT = ['temporalio.activity.heartbeat', 'temporalio.activity.raise_complete_async'];
const APPLICATION_ERROR = ['temporalio.exceptions.ApplicationError', 'temporalio.exceptions.FailureError'];

/** Every `@activity.defn` function and method of the files. */
export function extractActivities(files: string[], modules: PythonModules): PythonActivity[] {
  const activities: PythonActivity[] = [];
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root) continue;
    for (const statement of moduleStatements(root)) {
      if (statement.type === 'function_definition') {
        const activity = activityOf(statement, file, modules);
        if (activity) activities.push(activity);
      } else if (statement.type === 'class_definition') {
        const className = statement.childForFieldName('name')?.text;
        for (const member of classMembers(statement)) {
          if (member.type !== 'function_definition') continue;
          const activity = activityOf(member, file, modules);
          if (activity) activities.push({ ...activity, ...(className ? { className } : {}) });
        }
      }
    }
  }
  return activities;
}

function activityOf(fn: PythonNode, file: string, modules: PythonModules): PythonActivity | undefined {
  const decorator = decoratorsOf(fn).find((d) => modules.qualifiedName(file, d.expression) === ACTIVITY_DEFN);
  const nameNode = fn.childForFieldName('name');
  if (!decorator || !nameNode) return undefined;
  const args = decorator.call ? callArguments(decorator.call) : undefined;
  // A dynamic activity takes every unregistered type: it has no name of its own.
  const dynamic = args?.keywords.get('dynamic');
  if (dynamic?.type === 'true') return undefined;
  const override = args?.keywords.get('name') ?? args?.positional[0];
  const name = (override && stringLiteral(override)) ?? nameNode.text;
  const location = locateNode(file, nameNode);
  return {
    name,
    file,
    location,
    node: fn,
    ...(override && stringLiteral(override) === undefined ? { nameNotLiteral: true as const } : {}),
    heartbeat: onceMarked(heartbeatOf(fn, file, modules, [], new Set()), fn, file, modules) ?? decoratorHeartbeat(fn, file, modules),
    thrownErrors: raisedErrors(fn, file, modules, new Set(), 0),
    ...withStatusRaises(statusRaises(fn, file, modules, new Set(), 0), modules),
    longRunning: longRunningSigns(fn, file, modules),
    waitsOnNothing: pythonRunsInMemory(fn, file, modules),
    ...(pythonPerformsNoIO(fn, file, modules) ? { performsNoIO: true as const } : {}),
    ...(pythonCannotFail(fn, file, modules) ? { failureFree: 'no-failing-call' as const } : pythonCatchesEveryFailure(fn, file, modules) ? { failuresCaught: true } : {}),
  };
}

/** The functions a body calls that the project defines: plain names, module attributes and `self.method`. */
function calledFunctions(fn: PythonNode, file: string, modules: PythonModules): { call: PythonNode; target: { file: string; node: PythonNode } }[] {
  const found: { call: PythonNode; target: { file: string; node: PythonNode } }[] = [];
  const body = fn.childForFieldName('body');
  if (!body) return found;
  descendantsInScope(body, (node) => {
    if (node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    if (!callee) return;
    const target = functionTarget(callee, fn, file, modules);
    if (target) found.push({ call: node, target });
  });
  return found;
}

export function functionTarget(callee: PythonNode, fn: PythonNode, file: string, modules: PythonModules): { file: string; node: PythonNode } | undefined {
  if (callee.type === 'identifier') {
    const definition = modules.lookup(file, callee.text);
    return definition?.kind === 'function' ? { file: definition.file, node: definition.node } : undefined;
  }
  if (callee.type !== 'attribute') return undefined;
  const object = callee.childForFieldName('object');
  const attribute = callee.childForFieldName('attribute')?.text;
  if (!object || !attribute) return undefined;
  if (object.type === 'identifier' && (object.text === 'self' || object.text === 'cls')) {
    const classNode = fn.parent?.parent?.type === 'class_definition' ? fn.parent.parent : fn.parent?.parent?.parent?.type === 'class_definition' ? fn.parent.parent.parent : undefined;
    const method = classNode ? classMembers(classNode).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === attribute) : undefined;
    return method ? { file, node: method } : undefined;
  }
  if (object.type === 'identifier') {
    const binding = modules.importsOf(file).get(object.text);
    if (binding?.kind === 'module' && binding.file) {
      const definition = modules.lookup(binding.file, attribute);
      return definition?.kind === 'function' ? { file: definition.file, node: definition.node } : undefined;
    }
  }
  return undefined;
}

/** The first `activity.heartbeat()` reached from a function (its body, nested functions it uses, helpers it calls). */
export function functionHeartbeat(fn: PythonNode, file: string, modules: PythonModules): HeartbeatEvidence | null {
  return heartbeatOf(fn, file, modules, [], new Set());
}

/** Whether a call names `activity.heartbeat` (or `raise_complete_async`). */
export function isHeartbeatCall(call: PythonNode, file: string, modules: PythonModules): boolean {
  const callee = call.childForFieldName('function');
  return !!callee && HEARTBEAT.includes(modules.qualifiedName(file, callee) ?? '');
}

/** The first `activity.heartbeat()` reached from the function, with the helper calls on the way. */
function heartbeatOf(fn: PythonNode, file: string, modules: PythonModules, via: SourceLocation[], seen: Set<number>): HeartbeatEvidence | null {
  if (seen.has(fn.id) || via.length > 4) return null;
  seen.add(fn.id);
  const body = fn.childForFieldName('body');
  if (!body) return null;
  let direct: PythonNode | undefined;
  descendantsInScope(body, (node) => {
    if (direct || node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    if (callee && HEARTBEAT.includes(modules.qualifiedName(file, callee) ?? '')) direct = node;
  });
  if (direct) return { location: locateNode(file, direct), via };
  // A function defined inside the activity and used there (called, or run as a task with
  // asyncio.create_task(send_heartbeat())) heartbeats for it.
  for (const nested of usedNestedFunctions(body)) {
    const found = heartbeatOf(nested, file, modules, via, seen);
    if (found) return found;
  }
  for (const { call, target } of calledFunctions(fn, file, modules)) {
    const found = heartbeatOf(target.node, target.file, modules, [...via, locateNode(file, call)], seen);
    if (found) return found;
  }
  return null;
}

/** The evidence, marked `once` when the activity's only heartbeat runs once per attempt. */
function onceMarked(found: HeartbeatEvidence | null, fn: PythonNode, file: string, modules: PythonModules): HeartbeatEvidence | null {
  if (!found) return found;
  const count = heartbeatCount(fn, file, modules, [], 0);
  return count === 1 ? { ...found, once: true } : found;
}

/** Loops of Python, comprehensions included: code in them may run many times. */
const LOOP_TYPES = ['for_statement', 'while_statement', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'];

/** Whether a node sits in a loop of the function body (below `body`). */
function insideLoop(node: PythonNode, body: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== body.id; current = current.parent) if (LOOP_TYPES.includes(current.type)) return true;
  return false;
}

/**
 * How many times an attempt heartbeats at most: each `activity.heartbeat()` call reached from the
 * body and the project helpers it calls counts once per call site; a heartbeat in a loop, in a
 * function defined inside (a background task, a callback) or through `raise_complete_async`
 * (completed from outside) counts as many (Infinity).
 */
function heartbeatCount(fn: PythonNode, file: string, modules: PythonModules, stack: number[], depth: number): number {
  if (stack.includes(fn.id) || depth > 4) return 0;
  const body = fn.childForFieldName('body');
  if (!body) return 0;
  const inner = [...stack, fn.id];
  let count = 0;
  descendantsInScope(body, (node) => {
    if (count === Infinity || node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    if (!callee) return;
    const qualified = modules.qualifiedName(file, callee) ?? '';
    if (qualified === 'temporalio.activity.heartbeat') {
      count += insideLoop(node, body) ? Infinity : 1;
      return;
    }
    if (HEARTBEAT.includes(qualified)) {
      count = Infinity;
      return;
    }
    const target = functionTarget(callee, fn, file, modules);
    if (!target) return;
    const reached = heartbeatCount(target.node, target.file, modules, inner, depth + 1);
    if (reached > 0) count += insideLoop(node, body) ? Infinity : reached;
  });
  // A nested function that heartbeats runs when something calls it: a task, a thread, a callback.
  if (count !== Infinity && usedNestedFunctions(body).some((nested) => heartbeatOf(nested, file, modules, [], new Set()) !== null)) count = Infinity;
  // A lambda that heartbeats (`on_progress=lambda n: activity.heartbeat(n)`) is a callback too.
  if (count !== Infinity && body.descendantsOfType('lambda').some((lambda) => lambda?.descendantsOfType('call').some((call) => call !== null && isHeartbeatCall(call, file, modules)))) count = Infinity;
  return count;
}

/** Functions defined in the body (at any depth of its own scope) whose name the body uses elsewhere. */
function usedNestedFunctions(body: PythonNode): PythonNode[] {
  const nested: PythonNode[] = [];
  const used = new Set<string>();
  descendantsInScope(body, (node) => {
    if (node.type === 'function_definition') nested.push(node);
    else if (node.type === 'identifier' && node.parent?.type !== 'function_definition') used.add(node.text);
  });
  return nested.filter((fn) => used.has(fn.childForFieldName('name')?.text ?? ''));
}

/**
 * A project decorator that heartbeats for the activity (an `@auto_heartbeater` whose wrapper
 * starts a heartbeat task): searched with its nested wrapper functions and the helpers they call.
 */
function decoratorHeartbeat(fn: PythonNode, file: string, modules: PythonModules): HeartbeatEvidence | null {
  for (const decorator of decoratorsOf(fn)) {
    const target = functionTarget(decorator.expression, fn, file, modules);
    if (!target) continue;
    const seen = new Set<number>();
    const search = (node: PythonNode, at: string, via: SourceLocation[]): HeartbeatEvidence | null => {
      if (seen.has(node.id) || via.length > 4) return null;
      seen.add(node.id);
      for (const call of node.descendantsOfType('call')) {
        const callee = call?.childForFieldName('function');
        if (!call || !callee) continue;
        if (HEARTBEAT.includes(modules.qualifiedName(at, callee) ?? '')) return { location: locateNode(at, call), via };
        const helper = functionTarget(callee, node, at, modules);
        const found = helper ? search(helper.node, helper.file, [...via, locateNode(at, call)]) : null;
        if (found) return found;
      }
      return null;
    };
    const found = search(target.node, target.file, [locateNode(file, decorator.node)]);
    if (found) return found;
  }
  return null;
}

/**
 * Exceptions raised by the function and the project helpers it calls that leave it, typed as the
 * server sees them: a raise (or a helper call) inside a `try` whose clause catches the exception
 * and does not raise it again stops there (python-caught-errors.ts).
 */
function raisedErrors(fn: PythonNode, file: string, modules: PythonModules, seen: Set<number>, depth: number): ThrownError[] {
  if (seen.has(fn.id) || depth > 3) return [];
  seen.add(fn.id);
  const errors: ThrownError[] = [];
  const body = fn.childForFieldName('body');
  if (!body) return errors;
  descendantsInScope(body, (node) => {
    if (node.type !== 'raise_statement') return;
    const expression = node.namedChildren.find((child) => child !== null && child.type !== 'comment' && child.type !== 'from');
    const error = classify(expression ?? undefined, node, file, modules);
    if (!escapesTries(error.classChain, node, body)) return;
    // A class raised in an except clause wraps the library errors it caught; any raise in a
    // catch-all clause (ApplicationError with a type included) wraps every failure of the step.
    const caught = wrappedLibraryErrors(node, body, file, modules);
    const wraps = error.how === 'class' ? caught : caught.filter((name) => name === CATCH_ALL);
    const firstArgument = error.how === 'class' && expression?.type === 'call' ? callArguments(expression).positional[0] : undefined;
    const text = firstArgument ? writtenText(firstArgument) : undefined;
    errors.push({
      ...error,
      ...(wraps.length > 0 ? { wraps } : {}),
      callDepth: depth,
      ...(pythonGuardsMissingRead(node) ? { guardsMissingRead: true } : {}),
      ...(text !== undefined ? { messageText: text } : {}),
      ...(insideExcept(node, body) ? { inCatch: true } : {}),
    });
  });
  // `assert ok, "message"` in the activity's own body, on its input: an AssertionError the input
  // will raise again on every attempt. An assert in a helper, or on a value the code computed, is
  // an invariant of the code rather than a check of what the workflow sent.
  if (depth === 0) {
    descendantsInScope(body, (node) => {
      if (node.type !== 'assert_statement') return;
      const [condition, message] = node.namedChildren.filter((child): child is PythonNode => child !== null && child.type !== 'comment');
      if (!condition || !message || !readsOnlyParameters(condition, fn)) return;
      const chain = ['AssertionError', 'Exception'];
      if (!escapesTries(chain, node, body)) return;
      const text = writtenText(message);
      errors.push({
        type: 'AssertionError',
        nonRetryable: false,
        how: 'class',
        location: locateNode(file, node),
        classChain: chain,
        callDepth: 0,
        ...(text !== undefined ? { messageText: text } : {}),
        ...(insideExcept(node, body) ? { inCatch: true } : {}),
      });
    });
  }
  for (const { call, target } of [...calledFunctions(fn, file, modules), ...constructedCalls(fn, file, modules)]) {
    for (const error of raisedErrors(target.node, target.file, modules, seen, depth + 1)) if (escapesTries(error.classChain, call, body)) errors.push(error);
  }
  return errors;
}

/**
 * The classes an HTTP client's status error is caught as, across httpx (HTTPStatusError <
 * HTTPError), requests (HTTPError < RequestException < IOError) and aiohttp (ClientResponseError <
 * ClientError): an except naming any of them is taken to catch it.
 */
const STATUS_ERROR_CHAIN = ['HTTPStatusError', 'HTTPError', 'RequestException', 'ClientResponseError', 'ClientError', 'IOError', 'OSError', 'Exception', 'BaseException'];
const STATUS_ERROR_TYPES: Record<string, string> = { httpx: 'httpx.HTTPStatusError', requests: 'requests.HTTPError', aiohttp: 'aiohttp.ClientResponseError' };

/**
 * `x.raise_for_status()` calls (no arguments, not a function of the project) and calls passing
 * `raise_for_status=True` (aiohttp), in the function and the project helpers it calls, whose status
 * error escapes every try around them.
 */
function statusRaises(fn: PythonNode, file: string, modules: PythonModules, seen: Set<number>, depth: number): SourceLocation[] {
  if (seen.has(fn.id) || depth > 3) return [];
  seen.add(fn.id);
  const found: SourceLocation[] = [];
  const body = fn.childForFieldName('body');
  if (!body) return found;
  descendantsInScope(body, (node) => {
    if (node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    const args = callArguments(node);
    const method = callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'raise_for_status' && args.positional.length === 0 && args.keywords.size === 0;
    const keyword = args.keywords.get('raise_for_status')?.type === 'true';
    if (!method && !keyword) return;
    if (method && callee && functionTarget(callee, fn, file, modules)) return;
    if (escapesTries(STATUS_ERROR_CHAIN, node, body)) found.push(locateNode(file, node));
  });
  for (const { call, target } of calledFunctions(fn, file, modules)) {
    if (!escapesTries(STATUS_ERROR_CHAIN, call, body)) continue;
    found.push(...statusRaises(target.node, target.file, modules, seen, depth + 1));
  }
  return found;
}

/**
 * `{ httpStatusRaises }` when there are any, each typed by the one HTTP library its file imports;
 * else the one the project files it imports from import (`from app.client import get_client`);
 * else the one the whole project imports. Untyped when more than one, or none, is found.
 */
function withStatusRaises(locations: SourceLocation[], modules: PythonModules): { httpStatusRaises?: { type?: string; location: SourceLocation }[] } {
  if (locations.length === 0) return {};
  const typeOf = (file: string): string | undefined => {
    const own = httpLibrariesOf(file, modules);
    if (own.size > 0) return own.size === 1 ? STATUS_ERROR_TYPES[[...own][0]!] : undefined;
    const reached = new Set<string>();
    for (const name of modules.importsOf(file).keys()) {
      const definition = modules.lookup(file, name);
      if (definition && definition.file !== file) for (const library of httpLibrariesOf(definition.file, modules)) reached.add(library);
    }
    if (reached.size > 0) return reached.size === 1 ? STATUS_ERROR_TYPES[[...reached][0]!] : undefined;
    return projectHttpLibraryError(modules);
  };
  return {
    httpStatusRaises: locations.map((location) => {
      const type = typeOf(location.file);
      return { ...(type ? { type } : {}), location };
    }),
  };
}

/** The HTTP libraries (httpx, requests, aiohttp) a file imports. */
function httpLibrariesOf(file: string, modules: PythonModules): Set<string> {
  const text = modules.files.get(file)?.tree.rootNode.text ?? '';
  const found = new Set<string>();
  for (const library of Object.keys(STATUS_ERROR_TYPES)) if (new RegExp(`^\\s*(?:import|from)\\s+${library}\\b`, 'm').test(text)) found.add(library);
  return found;
}

const libraryCache = new WeakMap<PythonModules, string | null>();
function projectHttpLibraryError(modules: PythonModules): string | undefined {
  let known = libraryCache.get(modules);
  if (known === undefined) {
    const imported = new Set<string>();
    for (const file of modules.files.keys()) for (const library of httpLibrariesOf(file, modules)) imported.add(library);
    known = imported.size === 1 ? STATUS_ERROR_TYPES[[...imported][0]!]! : null;
    libraryCache.set(modules, known);
  }
  return known ?? undefined;
}

/** True when every name the expression reads is a parameter of the function (`file.document_uid`, `not urls`). */
export function readsOnlyParameters(expression: PythonNode, fn: PythonNode): boolean {
  const parameters = new Set<string>();
  for (const parameter of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!parameter) continue;
    const name = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? parameter.namedChildren.find((c) => c?.type === 'identifier'));
    if (name && name.text !== 'self' && name.text !== 'cls') parameters.add(name.text);
  }
  let names = 0;
  let others = false;
  const visit = (node: PythonNode) => {
    if (node.type === 'call' || node.type === 'await' || node.type === 'lambda') {
      // Calls compute a value; `isinstance(x, str)` and `len(x)` on a parameter still read only the input.
      const callee = node.type === 'call' ? node.childForFieldName('function') : undefined;
      if (!(callee?.type === 'identifier' && ['isinstance', 'len'].includes(callee.text))) others = true;
      else for (const argument of node.childForFieldName('arguments')?.namedChildren ?? []) if (argument) visit(argument);
      return;
    }
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      if (object) visit(object);
      return;
    }
    if (node.type === 'identifier') {
      names++;
      if (!parameters.has(node.text) && !['None', 'str', 'int', 'list', 'dict'].includes(node.text)) others = true;
      return;
    }
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(expression);
  return names > 0 && !others;
}

/**
 * Project code reached through its classes: `WebsiteETL(...)` runs the class's `__init__`, and
 * `etl.extract(...)` runs `extract` when `etl` is a local assigned once from `WebsiteETL(...)`, or
 * `self.client.crawl(...)` when the same function assigns `self.client = Client()`. A method the
 * class inherits is not looked for.
 */
function constructedCalls(fn: PythonNode, file: string, modules: PythonModules): { call: PythonNode; target: { file: string; node: PythonNode } }[] {
  const found: { call: PythonNode; target: { file: string; node: PythonNode } }[] = [];
  const body = fn.childForFieldName('body');
  if (!body) return found;
  const classOf = (value: PythonNode | undefined, at: string): { file: string; node: PythonNode } | undefined => {
    const constructed = value?.type === 'await' ? undefined : value;
    if (constructed?.type !== 'call') return undefined;
    const callee = constructed.childForFieldName('function');
    if (callee?.type !== 'identifier') return undefined;
    const definition = modules.lookup(at, callee.text);
    return definition?.kind === 'class' ? { file: definition.file, node: definition.node } : undefined;
  };
  const method = (owner: { file: string; node: PythonNode }, name: string) => {
    const member = classMembers(owner.node).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === name);
    return member ? { file: owner.file, node: member } : undefined;
  };
  // `self.x = Cls()` written in this function, once.
  const selfAssigned = new Map<string, PythonNode | null>();
  descendantsInScope(body, (node) => {
    if (node.type !== 'assignment') return;
    const left = node.childForFieldName('left');
    if (left?.type !== 'attribute' || left.childForFieldName('object')?.text !== 'self') return;
    const name = left.childForFieldName('attribute')?.text;
    if (!name) return;
    selfAssigned.set(name, selfAssigned.has(name) ? null : (node.childForFieldName('right') ?? null));
  });
  descendantsInScope(body, (node) => {
    if (node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    if (!callee) return;
    if (callee.type === 'identifier') {
      const owner = classOf(node, file);
      const init = owner ? method(owner, '__init__') : undefined;
      if (init) found.push({ call: node, target: init });
      return;
    }
    if (callee.type !== 'attribute') return;
    const object = callee.childForFieldName('object');
    const name = callee.childForFieldName('attribute')?.text;
    if (!object || !name) return;
    let value: PythonNode | undefined;
    if (object.type === 'identifier' && object.text !== 'self' && object.text !== 'cls') {
      const values = localValues(object, file);
      if (values?.length === 1) value = values[0]!.node;
    } else if (object.type === 'attribute' && object.childForFieldName('object')?.text === 'self') {
      value = selfAssigned.get(object.childForFieldName('attribute')?.text ?? '') ?? undefined;
    }
    const owner = classOf(value, file);
    const target = owner ? method(owner, name) : undefined;
    if (target) found.push({ call: node, target });
  });
  return found;
}

/** True when the raise sits in an `except` clause of the function body. */
function insideExcept(raise: PythonNode, body: PythonNode): boolean {
  for (let current = raise.parent; current && current.id !== body.id; current = current.parent) if (current.type === 'except_clause') return true;
  return false;
}

export function classify(expression: PythonNode | undefined, raise: PythonNode, file: string, modules: PythonModules, depth = 0): ThrownError {
  const location = locateNode(file, raise);
  if (!expression) return { type: null, nonRetryable: 'unknown', how: 'rethrow', location };
  const call = expression.type === 'call' ? expression : undefined;
  const classNode = call ? call.childForFieldName('function') : expression;
  if (!classNode || (classNode.type !== 'identifier' && classNode.type !== 'attribute')) return { type: null, nonRetryable: 'unknown', how: 'unknown', location };
  // `raise err` of a caught exception: its class is not known here.
  if (classNode.type === 'identifier' && /^[a-z_]/.test(classNode.text) && !call) return { type: null, nonRetryable: 'unknown', how: 'rethrow', location };
  // `raise _not_found("no run")` where `def _not_found(...) -> HTTPException: return HTTPException(...)`:
  // the exception is what the project helper returns, not the helper's name.
  if (call && classNode.type === 'identifier') {
    // Helpers that return a helper's exception are followed three deep (factories calling each other).
    const built = depth < 3 ? helperBuiltException(classNode, file, modules) : undefined;
    if (built) return { ...classify(built.expression, raise, built.file, modules, depth + 1), location };
    if (modules.lookup(file, classNode.text)?.kind === 'function') return { type: null, nonRetryable: 'unknown', how: 'unknown', location };
  }
  const qualified = modules.qualifiedName(file, classNode);
  const args = call ? callArguments(call) : undefined;
  // `raise activity.ApplicationError(..., non_retryable=True)`: temporalio.activity has no such
  // name, so the line raises AttributeError, a plain exception, whatever the arguments say.
  const missing = missingSdkAttribute(classNode, file, modules);
  if (missing) {
    const flag = args?.keywords.get('non_retryable');
    const resolved = flag ? resolvePythonValue(flag, file, modules) : undefined;
    const written = resolved?.kind === 'boolean' && resolved.value;
    return {
      type: 'AttributeError',
      nonRetryable: false,
      how: 'class',
      location,
      classChain: classChain(undefined, 'AttributeError', file, modules),
      missingSdkName: { text: classNode.text.replace(/\s+/g, ''), ...(written ? { nonRetryableWritten: true } : {}) },
    };
  }
  const application = qualified !== undefined && APPLICATION_ERROR.includes(qualified);
  const subclass = !application && extendsApplicationError(classNode, file, modules, 0);
  if (application || subclass) {
    // A FailureError keeps its own `type` (None unless given); only other exceptions take their class name.
    const typeArg = args?.keywords.get('type');
    const type = typeArg ? (stringLiteral(typeArg) ?? null) : null;
    const flag = args?.keywords.get('non_retryable');
    const resolved = flag ? resolvePythonValue(flag, file, modules) : undefined;
    const nonRetryable = !flag ? (subclass ? 'unknown' : false) : resolved?.kind === 'boolean' ? resolved.value : 'unknown';
    const chain = subclass && classNode.type === 'identifier' ? classChain(classNode, classNode.text, file, modules) : ['ApplicationError', 'FailureError', 'TemporalError', 'Exception'];
    // `non_retryable=False` written out is the authors asking for retries, like TypeScript's ApplicationFailure.retryable().
    const how = flag && nonRetryable === false ? 'application-failure-retryable' : 'application-failure-new';
    return { type, nonRetryable, how, location, classChain: chain, ...(subclass ? { extendsApplicationFailure: true } : {}) };
  }
  const name = classNode.type === 'attribute' ? classNode.childForFieldName('attribute')?.text : classNode.text;
  if (!name) return { type: null, nonRetryable: false, how: 'class', location };
  return { type: name, nonRetryable: false, how: 'class', location, classChain: classChain(classNode, name, file, modules) };
}

/**
 * The exception a project function called in a `raise` builds: every `return` of the function
 * returns a construction of one and the same class (`return HTTPException(status_code=404, ...)`).
 * Undefined when the name is not a project function or its returns differ.
 */
function helperBuiltException(name: PythonNode, file: string, modules: PythonModules): { expression: PythonNode; file: string } | undefined {
  const definition = modules.lookup(file, name.text);
  if (definition?.kind !== 'function') return undefined;
  const body = definition.node.childForFieldName('body');
  if (!body) return undefined;
  const returned: PythonNode[] = [];
  let other = false;
  descendantsInScope(body, (node) => {
    if (node.type !== 'return_statement') return;
    const value = node.namedChildren.find((child) => child !== null && child.type !== 'comment');
    const callee = value?.type === 'call' ? value.childForFieldName('function') : undefined;
    if (value && callee && (callee.type === 'identifier' || callee.type === 'attribute') && /^[A-Z]/.test((callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee.text) ?? '')) returned.push(value);
    else other = true;
  });
  if (other || returned.length === 0) return undefined;
  const classes = new Set(returned.map((value) => value.childForFieldName('function')!.text.replace(/\s+/g, '')));
  return classes.size === 1 ? { expression: returned[0]!, file: definition.file } : undefined;
}

function extendsApplicationError(classNode: PythonNode, file: string, modules: PythonModules, depth: number): boolean {
  if (depth > 5 || classNode.type !== 'identifier') return false;
  const definition = modules.lookup(file, classNode.text);
  if (definition?.kind !== 'class') return false;
  const bases = definition.node.childForFieldName('superclasses');
  for (const base of bases?.namedChildren ?? []) {
    if (!base || base.type === 'keyword_argument') continue;
    const qualified = modules.qualifiedName(definition.file, base);
    if (qualified && APPLICATION_ERROR.includes(qualified)) return true;
    if (extendsApplicationError(base, definition.file, modules, depth + 1)) return true;
  }
  return false;
}
