// Python connections to Temporal whose failure is kept for the life of the process, for
// client-connect-failure-swallowed. Two narrow shapes:
//
// - a task cache: a module variable (`global _client_task`) or an attribute (`self._client_task`)
//   that a function sets, only when it is empty, to `asyncio.create_task(Client.connect(...))` (or
//   `ensure_future`, or a task of a function in the same module that connects). A task that raised
//   raises the same exception at every later await; with no write of the cache that may run after
//   the failure (in an except or finally clause, or in a function that does not first await the
//   task), every later caller gets the old connection error without connecting again;
// - a memoised coroutine: `@functools.cache` / `@functools.lru_cache` on an `async def` that calls
//   Client.connect. functools caches the coroutine object the call returns, not the client: the
//   first caller awaits it, every later call gets the same coroutine, already awaited, and raises
//   RuntimeError ("cannot reuse already awaited coroutine"), whether the connection succeeded or not.
//   async_lru's `@alru_cache` caches the result (and not a failure), so it is left alone.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { qualifiedNameOf } from './python-origins.js';
import { callArguments, decoratorsOf, descendantsInScope, enclosing, isAsyncFunction, locateNode, moduleStatements, unparenthesize } from './python-syntax.js';

export interface PythonCachedConnect {
  kind: 'task' | 'memoised-coroutine';
  /** The assignment that fills the cache, or the decorator. */
  location: SourceLocation;
  /** The Client.connect call. */
  connect: SourceLocation;
  /** The cache (`_client_task`, `self._client_task`) or the memoised function's name. */
  name: string;
  /** The decorator as written, for a memoised coroutine. */
  decorator?: string;
}

const CLIENT_CONNECT = 'temporalio.client.Client.connect';
const TASK_FACTORIES = /(?:^|\.)(?:create_task|ensure_future)$/;
const FUNCTOOLS_CACHES = new Set(['functools.cache', 'functools.lru_cache']);

export function pythonCachedConnects(files: string[], modules: PythonModules): PythonCachedConnect[] {
  const found: PythonCachedConnect[] = [];
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root || !root.text.includes('connect')) continue;
    const connects = root.descendantsOfType('call').filter((call): call is PythonNode => {
      const callee = call?.childForFieldName('function');
      return !!callee && callee.text.endsWith('connect') && qualifiedNameOf(callee, file, modules) === CLIENT_CONNECT;
    });
    if (connects.length === 0) continue;
    found.push(...memoisedCoroutines(connects, file, modules));
    found.push(...taskCaches(root, connects, file, modules));
  }
  return found;
}

function memoisedCoroutines(connects: PythonNode[], file: string, modules: PythonModules): PythonCachedConnect[] {
  const found: PythonCachedConnect[] = [];
  const seen = new Set<number>();
  for (const connect of connects) {
    const fn = enclosing(connect, ['function_definition']);
    if (!fn || seen.has(fn.id) || !isAsyncFunction(fn) || enclosing(connect, ['lambda', 'class_definition'])?.startIndex! > fn.startIndex) continue;
    seen.add(fn.id);
    for (const decorator of decoratorsOf(fn)) {
      const name = qualifiedNameOf(decorator.expression, file, modules);
      if (!name || !FUNCTOOLS_CACHES.has(name)) continue;
      found.push({ kind: 'memoised-coroutine', location: locateNode(file, decorator.node), connect: locateNode(file, connect), name: fn.childForFieldName('name')?.text ?? 'this function', decorator: decorator.node.text });
    }
  }
  return found;
}

function taskCaches(root: PythonNode, connects: PythonNode[], file: string, modules: PythonModules): PythonCachedConnect[] {
  // Module functions that connect: a task of one of them waits for the connection.
  const connecting = new Map<string, PythonNode>();
  for (const statement of moduleStatements(root)) {
    if (statement.type !== 'function_definition' || !isAsyncFunction(statement)) continue;
    const connect = connects.find((call) => call.startIndex >= statement.startIndex && call.endIndex <= statement.endIndex);
    const name = statement.childForFieldName('name')?.text;
    if (connect && name) connecting.set(name, connect);
  }
  const found: PythonCachedConnect[] = [];
  for (const assignment of root.descendantsOfType('assignment')) {
    if (!assignment) continue;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (!left || !right) continue;
    const value = unparenthesize(right);
    if (value.type !== 'call') continue;
    const factory = value.childForFieldName('function');
    if (!factory || !TASK_FACTORIES.test(factory.text)) continue;
    const argument = callArguments(value).positional[0];
    if (!argument) continue;
    const connect = connectOf(unparenthesize(argument), connects, connecting);
    if (!connect) continue;
    const fn = enclosing(assignment, ['function_definition']);
    if (!fn) continue; // module scope: made once, at import
    const cache = cacheName(left, fn);
    if (!cache || !guarded(assignment, fn, cache)) continue;
    const scope = cache.startsWith('self.') ? enclosing(fn, ['class_definition']) : root;
    if (!scope || mayBeClearedOnFailure(scope, assignment, cache)) continue;
    found.push({ kind: 'task', location: locateNode(file, assignment), connect: locateNode(file, connect), name: cache });
  }
  return found;
}

/** `Client.connect(...)` itself, or a call of a module function that connects. */
function connectOf(argument: PythonNode, connects: PythonNode[], connecting: Map<string, PythonNode>): PythonNode | undefined {
  if (argument.type !== 'call') return undefined;
  if (connects.some((call) => call.id === argument.id)) return argument;
  const callee = argument.childForFieldName('function');
  return callee?.type === 'identifier' ? connecting.get(callee.text) : undefined;
}

/** `self.x`, or a name the function declares `global`. */
function cacheName(left: PythonNode, fn: PythonNode): string | undefined {
  if (left.type === 'attribute' && left.childForFieldName('object')?.text === 'self') return left.text;
  if (left.type !== 'identifier') return undefined;
  let declared = false;
  descendantsInScope(fn, (node) => {
    if (node.type === 'global_statement' && node.namedChildren.some((child) => child?.text === left.text)) declared = true;
  });
  return declared ? left.text : undefined;
}

/** The assignment runs only when the cache is empty: inside `if`, or after an `if` on it that returns. */
function guarded(assignment: PythonNode, fn: PythonNode, cache: string): boolean {
  for (let current = assignment.parent; current && current.id !== fn.id; current = current.parent) {
    if (current.type === 'if_statement' && mentions(current.childForFieldName('condition'), cache)) return true;
  }
  let early = false;
  descendantsInScope(fn, (node) => {
    if (early || node.startIndex >= assignment.startIndex || node.type !== 'if_statement') return;
    const consequence = node.childForFieldName('consequence');
    if (mentions(node.childForFieldName('condition'), cache) && consequence?.descendantsOfType('return_statement').length) early = true;
  });
  return early;
}

function mentions(node: PythonNode | null | undefined, cache: string): boolean {
  if (!node) return false;
  if ((node.type === 'identifier' || node.type === 'attribute') && node.text === cache) return true;
  return node.namedChildren.some((child) => !!child && mentions(child, cache));
}

/**
 * Another write of the cache that may run after the task failed: in an except or finally clause, or
 * in a function (not `__init__`, not module scope) that does not first await the cache outside a
 * try. A close function that awaits the task and then clears it runs only after a success.
 */
function mayBeClearedOnFailure(scope: PythonNode, fill: PythonNode, cache: string): boolean {
  for (const node of scope.descendantsOfType(['assignment', 'augmented_assignment', 'delete_statement'])) {
    if (!node || node.id === fill.id) continue;
    if (node.type === 'delete_statement') {
      if (mentions(node, cache)) return true;
      continue;
    }
    if (node.childForFieldName('left')?.text !== cache) continue;
    const fn = enclosing(node, ['function_definition']);
    const name = fn?.childForFieldName('name')?.text ?? '';
    if (!fn || name === '__init__') continue; // the initial value
    // `close_client()`: a close at shutdown, not a reset on an error path (outside an except clause).
    if (/close|shutdown|disconnect|teardown|aclose|__aexit__/i.test(name) && !enclosing(node, ['except_clause', 'finally_clause', 'except_group_clause'])) continue;
    if (enclosing(node, ['except_clause', 'finally_clause', 'except_group_clause'])) return true;
    if (!awaitedBefore(fn, node, cache)) return true;
  }
  return false;
}

function awaitedBefore(fn: PythonNode, write: PythonNode, cache: string): boolean {
  let awaited = false;
  descendantsInScope(fn, (node) => {
    if (awaited || node.type !== 'await' || node.startIndex >= write.startIndex) return;
    const operand = node.namedChildren[0];
    if (operand && unparenthesize(operand).text === cache && !enclosing(node, ['try_statement'])) awaited = true;
  });
  return awaited;
}
