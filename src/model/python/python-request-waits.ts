// Python HTTP request handlers that run a workflow and wait for its result with nothing bounding the
// wait, for workflow-result-awaited-in-request: `await client.execute_workflow(...)`, or
// `handle = await client.start_workflow(...)` followed by `await handle.result()` (in the function,
// or in a project helper the handle is passed to), where the start sets neither execution_timeout
// nor run_timeout and the wait is not inside `asyncio.wait_for(...)` / `async with asyncio.timeout(...)`
// (or anyio's fail_after / move_on_after). The function must run per HTTP request: a route handler, a
// view method, or a function such code calls one or two levels up (python-per-call-connections.ts).

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { functionCalled } from './python-origins.js';
import { enclosingFunction, pythonHttpRequestSites, type PythonPerCallSite } from './python-per-call-connections.js';
import { callArguments, descendantsInScope, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';
import { isToolCode } from '../tool-code.js';
import path from 'node:path';
import { forwardedCall, startArguments, startCallee, type ForwardedCall, type PythonStartCall } from './python-forwarded-calls.js';

export interface PythonRequestWait {
  /** The start call. */
  location: SourceLocation;
  /** How the wait is written: `execute_workflow` or `start_workflow` + `result()`. */
  kind: 'execute' | 'result';
  /** Where the result is awaited (the start itself for execute_workflow). */
  wait: SourceLocation;
  /** The workflow as written (first argument). */
  workflow: string;
  /** The function the start is in. */
  function: string;
  /** Project functions between the start and the request handler. */
  helpers: string[];
  /** The sync bridge the wait runs through (`run_async(client.execute_workflow, ...)`, `async_to_sync(handle.result)()`). */
  runner?: string;
  sites: PythonPerCallSite[];
}

const TIMEOUT_KEYWORDS = ['execution_timeout', 'run_timeout'];
/** Calls and context managers that bound an await: asyncio.wait_for, asyncio.timeout(_at), anyio fail_after / move_on_after, async_timeout.timeout. */
const BOUNDING = /(?:^|\.)(?:wait_for|timeout|timeout_at|fail_after|move_on_after|fail_at|move_on_at)$/;
const TEST_FILE = /(^|\/)(tests?|testing)\/|(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/;

/** The client starts (`start_workflow` / `execute_workflow`, not children) outside tests and tools, with their method and arguments. */
export function* productionClientStarts(
  root: string,
  startCalls: PythonStartCall[],
): Generator<{ call: PythonNode; file: string; relative: string; method: 'execute_workflow' | 'start_workflow'; args: ReturnType<typeof callArguments>; forwarded?: ForwardedCall }> {
  for (const start of startCalls) {
    const { call, file, child, forwarded } = start;
    if (child) continue;
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (TEST_FILE.test(relative) || isToolCode(relative)) continue;
    const callee = startCallee(start);
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
    if (method !== 'execute_workflow' && method !== 'start_workflow') continue;
    yield { call, file, relative, method, args: startArguments(start), ...(forwarded ? { forwarded } : {}) };
  }
}

export function pythonRequestWaits(root: string, startCalls: PythonStartCall[], modules: PythonModules): PythonRequestWait[] {
  const found: PythonRequestWait[] = [];
  for (const { call, file, method, args, forwarded } of productionClientStarts(root, startCalls)) {
    // A `**options` spread may carry a timeout the review cannot see.
    if (args.spreads.length > 0 || TIMEOUT_KEYWORDS.some((keyword) => args.keywords.has(keyword))) continue;
    const fn = enclosingFunction(call);
    if (!fn) continue;
    let wait: { node: PythonNode; file: string; runner?: string } | undefined;
    if (method === 'execute_workflow') {
      if (bounded(call, fn)) continue;
      wait = { node: call, file, ...(forwarded ? { runner: forwarded.runner } : {}) };
    } else {
      wait = resultWait(call, file, fn, modules);
      if (!wait) continue;
    }
    const { sites, helpers } = pythonHttpRequestSites(fn, file, modules, call);
    if (sites.length === 0) continue;
    const workflow = args.positional[0] ?? args.keywords.get('workflow');
    found.push({
      location: locateNode(file, call),
      kind: method === 'execute_workflow' ? 'execute' : 'result',
      wait: locateNode(wait.file, wait.node),
      workflow: workflow ? workflow.text : 'the workflow',
      function: fn.childForFieldName('name')?.text ?? 'this function',
      helpers,
      sites,
      ...(wait.runner ? { runner: wait.runner } : {}),
    });
  }
  return found;
}

/** The unbounded `.result()` awaited on the handle start_workflow returns, in the function or in a helper the handle is passed to. */
function resultWait(call: PythonNode, file: string, fn: PythonNode, modules: PythonModules): { node: PythonNode; file: string; runner?: string } | undefined {
  let node = call;
  while (node.parent && (node.parent.type === 'await' || node.parent.type === 'parenthesized_expression')) node = node.parent;
  // `(await client.start_workflow(...)).result()`
  const parent = node.parent;
  if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'result' && parent.parent?.type === 'call') {
    return bounded(parent.parent, fn) ? undefined : { node: parent.parent, file };
  }
  if (!parent || parent.type !== 'assignment' || parent.childForFieldName('right')?.id !== node.id) return undefined;
  const left = parent.childForFieldName('left');
  if (!left || left.type !== 'identifier') return undefined;
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  let found: { node: PythonNode; file: string; runner?: string } | undefined;
  let boundedSeen = false;
  descendantsInScope(body, (candidate) => {
    if (found || candidate.type !== 'call') return;
    const target = candidate.childForFieldName('function');
    if (!target) return;
    if (target.type === 'attribute' && target.childForFieldName('attribute')?.text === 'result' && target.childForFieldName('object')?.text === left.text) {
      if (bounded(candidate, fn)) boundedSeen = true;
      else found = { node: candidate, file };
      return;
    }
    // `run_async(handle.result)`, `async_to_sync(handle.result)()`: the result waited for through a sync bridge.
    const bridged = /\bresult\b/.test(candidate.text) ? forwardedCall(candidate, file, modules) : undefined;
    const run = bridged?.target;
    if (run?.type === 'attribute' && run.childForFieldName('attribute')?.text === 'result' && run.childForFieldName('object')?.text === left.text) {
      if (bounded(candidate, fn)) boundedSeen = true;
      else found = { node: candidate, file, runner: bridged!.runner };
      return;
    }
    // `await_workflow_result(handle)`: a project helper that awaits `handle.result()`.
    const index = callArguments(candidate).positional.findIndex((argument) => unparenthesize(argument).text === left.text);
    if (index < 0) return;
    const helper = functionCalled(target, file, modules);
    if (!helper) return;
    const parameters = helper.fn.childForFieldName('parameters');
    const names = parameters ? namedChildrenOf(parameters).map((p) => (p.type === 'identifier' ? p : (p.childForFieldName('name') ?? namedChildrenOf(p).find((c) => c.type === 'identifier')))?.text) : [];
    const offset = helper.boundSelf ? 1 : 0;
    const parameter = names[index + offset];
    const helperBody = helper.fn.childForFieldName('body');
    if (!parameter || !helperBody) return;
    descendantsInScope(helperBody, (inner) => {
      if (found || inner.type !== 'call') return;
      const innerTarget = inner.childForFieldName('function');
      if (innerTarget?.type === 'attribute' && innerTarget.childForFieldName('attribute')?.text === 'result' && innerTarget.childForFieldName('object')?.text === parameter) {
        if (bounded(inner, helper.fn) || bounded(candidate, fn)) boundedSeen = true;
        else found = { node: inner, file: helper.file };
      }
    });
  });
  return boundedSeen ? undefined : found;
}

/** The await sits inside `asyncio.wait_for(...)` or an `async with asyncio.timeout(...)` block within the function. */
function bounded(node: PythonNode, fn: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== fn.id; current = current.parent) {
    if (current.type === 'call') {
      const target = current.childForFieldName('function');
      if (target && BOUNDING.test(target.text)) return true;
    }
    if (current.type === 'with_statement') {
      const clause = namedChildrenOf(current).find((child) => child.type === 'with_clause');
      for (const item of clause ? namedChildrenOf(clause) : []) {
        const value = item.childForFieldName('value') ?? namedChildrenOf(item)[0];
        const target = value?.type === 'call' ? value.childForFieldName('function') : undefined;
        if (target && BOUNDING.test(target.text)) return true;
        if (value?.type === 'as_pattern') {
          const inner = namedChildrenOf(value)[0];
          const innerTarget = inner?.type === 'call' ? inner.childForFieldName('function') : undefined;
          if (innerTarget && BOUNDING.test(innerTarget.text)) return true;
        }
      }
    }
  }
  return false;
}
