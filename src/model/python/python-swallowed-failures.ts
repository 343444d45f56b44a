// Where Python workflow code catches the failure of an activity or child workflow and only logs it:
// the same reading as the TypeScript front-end's swallowed-failures.ts (catch clauses), in Python's
// syntax. A failed `await workflow.execute_activity(...)` raises ActivityError and a failed
// `await workflow.execute_child_workflow(...)` raises ChildWorkflowError (both FailureErrors); the
// first `except` clause of the try that takes that class decides what happens to it. When that
// clause holds nothing but logging calls (`workflow.logger.warning(...)`, `logger.exception(...)`,
// `print(...)`) and `pass`/`continue`/`break`, the workflow carries on and the run completes.
//
// Left alone, as in TypeScript: a clause that raises, returns, assigns or does anything else; one
// that mentions cancellation; a try or clause commented (or logged) as best effort, or whose
// function's docstring says so; a try followed by a `raise` in the same block; and a try whose body
// sets a name (or `self.` attribute) that the code tests or returns after the try. Calls started
// with `start_activity` / `start_child_workflow` fail where their handle is awaited, so only the
// `execute_*` calls awaited inside the try count, directly, through `asyncio.gather` (without
// return_exceptions) or through one `await helper(...)` of the project that makes such a call
// outside a try of its own.
//
// Also `asyncio.gather(..., return_exceptions=True)` over such calls, Python's Promise.allSettled:
// the failures come back as exception objects among the results, and when the results are dropped
// or only logged (see gatheredExceptions) the run completes as a success.

import path from 'node:path';
import type { ActivityProxyFacts, SourceLocation, WorkflowStartFacts } from '../types.js';
import { BEST_EFFORT, LOG_METHODS, type SwallowedFailure } from '../swallowed-failures.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { className, exceptClauses, type ExceptClause } from './python-caught-errors.js';
import { callArguments, commentsAbove, enclosing, locateNode, namedChildrenOf, stringLiteral } from './python-syntax.js';

/** The calls whose failure reaches the awaiting code, and what fails: an activity or a child workflow. */
const WORK_CALLS: Record<string, 'activity' | 'child'> = {
  execute_activity: 'activity',
  execute_activity_method: 'activity',
  execute_activity_class: 'activity',
  execute_local_activity: 'activity',
  execute_local_activity_method: 'activity',
  execute_local_activity_class: 'activity',
  execute_child_workflow: 'child',
};

/** The classes an except clause may name that take the error, by kind of call. */
const TAKING_CLASSES: Record<'activity' | 'child', Set<string>> = {
  activity: new Set(['ActivityError', 'FailureError', 'TemporalError', 'Exception', 'BaseException']),
  child: new Set(['ChildWorkflowError', 'FailureError', 'TemporalError', 'Exception', 'BaseException']),
};

/** Nodes a failure passes through unchanged between the call and the `await` that raises it. */
const PASS_THROUGH = new Set(['parenthesized_expression', 'list', 'tuple', 'list_splat', 'list_comprehension', 'generator_expression', 'argument_list', 'for_in_clause']);

/** Python's loggers add these to the shared method names. */
const PYTHON_LOG_METHODS = new Set([...LOG_METHODS, 'critical']);
const LOG_OWNER = /^(console|log|logger|_?log(ger)?|logging)$/i;
const LOG_FUNCTION = /^(print|log|logger|log_?error|log_?warning|log_?warn|log_?exception)$/i;

export interface Work {
  call: PythonNode;
  file: string;
  kind: 'activity' | 'child';
}

export interface Context {
  modules: PythonModules;
  activityCalls: ActivityProxyFacts[];
  starts: WorkflowStartFacts[];
}

export function pythonSwallowedFailures(files: string[], modules: PythonModules, activityCalls: ActivityProxyFacts[], starts: WorkflowStartFacts[]): SwallowedFailure[] {
  const context: Context = { modules, activityCalls, starts };
  const found: SwallowedFailure[] = [];
  for (const { file, statement, body, hit } of triesAroundWork(files, context)) {
    const clause = exceptClauses(statement).find((candidate) => takes(candidate, hit.work.kind, file, modules));
    if (!clause || clause.node.type !== 'except_clause') continue;
    if (!onlyLogs(clause.node)) continue;
    if (/cancel/i.test(clause.node.text) || commentedBestEffort(statement, body, clause) || raiseFollows(statement)) continue;
    if (setsValueReadLater(statement, body)) continue;
    const { described, at } = clauseAroundWork(file, clause.node, hit, context);
    found.push({
      ...at,
      shape: 'catch',
      inLoop: loopAround(statement) !== undefined,
      ...(described.proxy ? { proxy: described.proxy } : {}),
    });
  }
  for (const file of files) {
    const tree = modules.files.get(file)?.tree;
    if (!tree) continue;
    for (const call of tree.rootNode.descendantsOfType('call')) {
      const swallowed = call && gatheredExceptions(call, file, context);
      if (swallowed) found.push(swallowed);
    }
  }
  found.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  return found;
}

/**
 * `await asyncio.gather(..., return_exceptions=True)` over activity or child workflow calls whose
 * results nothing checks for exceptions: the statement drops them, or the variable that holds them
 * is read only by logging calls and by `for r in results:` loops that read `r` only in logging
 * calls and in `if isinstance(r, Exception):` tests whose block only logs. A failed call then
 * comes back as an exception object in the list, and the workflow completes as a success.
 * Left alone: results that are returned, raised, counted, filtered, passed on or used in any other
 * way; an `if` with an `else`/`elif`; a test or log that mentions cancellation; a best-effort
 * comment (above the gather, in it, above or in the logging `if`, or in the function's docstring);
 * a `raise` after the gather in the same block.
 */
function gatheredExceptions(call: PythonNode, file: string, context: Context): SwallowedFailure | undefined {
  const callee = call.childForFieldName('function');
  if (!callee || context.modules.qualifiedName(file, callee) !== 'asyncio.gather') return undefined;
  if (callArguments(call).keywords.get('return_exceptions')?.type !== 'true') return undefined;
  const awaited = call.parent?.type === 'await' ? call.parent : undefined;
  const holder = awaited?.parent;
  if (!awaited || !holder) return undefined;
  let statement: PythonNode | undefined;
  let name: PythonNode | undefined;
  if (holder.type === 'expression_statement') statement = holder;
  else if (holder.type === 'assignment' && holder.childForFieldName('right')?.id === awaited.id && holder.childForFieldName('left')?.type === 'identifier' && holder.parent?.type === 'expression_statement') {
    statement = holder.parent;
    name = holder.childForFieldName('left')!;
  }
  const fn = enclosing(call, ['function_definition']);
  const scope = fn?.childForFieldName('body');
  if (!statement || !fn || !scope) return undefined;
  const hit = gatheredWork(call, file, context);
  if (!hit) return undefined;
  const reading = name ? readOnlyToLog(name, scope) : { logging: undefined };
  if (!reading) return undefined;
  const handlers = reading.logging ? [reading.logging, ...commentsAbove(reading.logging).map((c) => ({ text: c }))] : [];
  if (handlers.some((h) => /cancel/i.test(h.text))) return undefined;
  const comments = [...commentsAbove(statement), ...statement.descendantsOfType('comment').map((c) => c?.text ?? ''), docstringOf(fn), ...handlers.map((h) => h.text), ...(hit.builtAt ? commentsAboveStatements(hit.builtAt, fn) : [])];
  if (BEST_EFFORT.test(comments.join('\n')) || raiseFollows(statement)) return undefined;
  const described = describe(hit.work, context);
  return {
    location: locateNode(file, reading.logging ?? statement),
    callLocation: locateNode(hit.work.file, hit.work.call),
    what: described.what,
    ...(hit.via ? { via: hit.via } : {}),
    shape: 'gatherResults',
    results: reading.logging ? 'logged' : name ? 'unread' : 'dropped',
    ...(!reading.logging && inHandler(statement) ? { inCleanup: true } : {}),
    inLoop: loopAround(statement) !== undefined,
    ...(described.proxy ? { proxy: described.proxy } : {}),
  };
}

/**
 * The first activity or child workflow call a gather runs: one of its arguments (through lists, `*`,
 * comprehensions and `asyncio.create_task(...)`), or made by a helper of the project it calls there;
 * also in the values of a list of the function that an argument names (`tasks = [...]`,
 * `tasks.append(...)`, `tasks.extend(...)`, `tasks += [...]`, then `gather(*tasks)`).
 */
function gatheredWork(gather: PythonNode, file: string, context: Context): { work: Work; via?: string; builtAt?: PythonNode } | undefined {
  const args = gather.childForFieldName('arguments');
  if (!args) return undefined;
  const fn = enclosing(gather, ['function_definition']);
  const roots = [args];
  for (const arg of namedChildrenOf(args)) {
    const named = arg.type === 'list_splat' ? namedChildrenOf(arg)[0] : arg;
    if (named?.type === 'identifier' && fn) roots.push(...listValues(named.text, fn, gather));
  }
  for (const root of roots) {
    const hit = workUnder(root, file, context);
    if (hit) return root === args ? hit : { ...hit, builtAt: root };
  }
  return undefined;
}

/** The first work call whose result reaches root unchanged (through PASS_THROUGH nodes and task wrappers), directly or made by a helper it calls. */
function workUnder(root: PythonNode, file: string, context: Context): { work: Work; via?: string } | undefined {
  const passesThrough = (node: PythonNode): boolean => {
    for (let current = node.parent; current; current = current.parent) {
      if (current.id === root.id) return true;
      if (PASS_THROUGH.has(current.type)) continue;
      if (current.type === 'call' && isTaskWrapper(current, file, context.modules)) continue;
      return false;
    }
    return false;
  };
  let hit: { work: Work; via?: string } | undefined;
  const visit = (node: PythonNode): void => {
    if (hit || node.type === 'lambda' || node.type === 'keyword_argument') return;
    if (node.type === 'call' && (node.id === root.id || passesThrough(node))) {
      const kind = workKind(node, file, context.modules);
      if (kind) {
        hit = { work: { call: node, file, kind } };
        return;
      }
      const helper = helperOf(node, file, context.modules);
      const inner = helper ? directWork(helper.body, helper.file, context.modules) : undefined;
      if (inner) {
        hit = { work: inner, via: helper!.name };
        return;
      }
    }
    for (const child of namedChildrenOf(node)) visit(child);
  };
  visit(root);
  return hit;
}

/** The comments above each statement around a node, up to its function (`# best effort` above the loop that fills a list). */
function commentsAboveStatements(node: PythonNode, fn: PythonNode): string[] {
  const comments: string[] = [];
  for (let current: PythonNode | null = node; current && current.id !== fn.id; current = current.parent) if (current.parent?.type === 'block') comments.push(...commentsAbove(current));
  return comments;
}

/** `asyncio.create_task(coro)`, `asyncio.ensure_future(coro)`: the task fails as its coroutine does. */
function isTaskWrapper(call: PythonNode, file: string, modules: PythonModules): boolean {
  const callee = call.childForFieldName('function');
  const qualified = callee ? modules.qualifiedName(file, callee) : undefined;
  return qualified === 'asyncio.create_task' || qualified === 'asyncio.ensure_future';
}

/**
 * What a list of the function holds, written before the gather: the value of `name = ...` (or
 * `name += ...`) and the arguments of `name.append(...)` / `name.extend(...)`.
 */
function listValues(name: string, fn: PythonNode, gather: PythonNode): PythonNode[] {
  const values: PythonNode[] = [];
  for (const node of fn.descendantsOfType(['assignment', 'augmented_assignment', 'call'])) {
    if (!node || node.startIndex > gather.startIndex || enclosing(node, ['function_definition'])?.id !== fn.id) continue;
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const args = node.childForFieldName('arguments');
      if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === name && /^(append|extend)$/.test(callee.childForFieldName('attribute')?.text ?? '') && args) values.push(args);
      continue;
    }
    const right = node.childForFieldName('right');
    if (node.childForFieldName('left')?.text === name && right) values.push(right);
  }
  return values;
}

/**
 * The results variable is read only to log it: in logging calls, or as what a `for` loop walks
 * (`for r in results`, `enumerate(results)`, `zip(ids, results)`) whose item is read only in
 * logging calls and `if isinstance(r, Exception):` tests that only log. Undefined when any read
 * does something else; otherwise the first logging `if` (or logging statement), if any.
 */
function readOnlyToLog(name: PythonNode, scope: PythonNode): { logging: PythonNode | undefined } | undefined {
  let logging: PythonNode | undefined;
  let logStatement: PythonNode | undefined;
  for (const mention of mentionsOf(name.text, scope)) {
    if (mention.id === name.id) continue;
    const log = enclosingLogStatement(mention);
    if (log) {
      logStatement ??= log;
      continue;
    }
    const loop = loopOver(mention);
    const body = loop?.statement.childForFieldName('body');
    if (!loop || !body || loop.statement.children.some((c) => c?.type === 'else_clause')) return undefined;
    for (const item of mentionsOf(loop.item, body)) {
      const itemLog = enclosingLogStatement(item);
      if (itemLog) {
        logStatement ??= itemLog;
        continue;
      }
      const test = loggingIsinstance(item);
      if (!test) return undefined;
      logging ??= test;
    }
  }
  return { logging: logging ?? logStatement };
}

/** Every identifier `name` in root, variable reads and writes alike (not attribute or keyword names). */
function mentionsOf(name: string, root: PythonNode): PythonNode[] {
  return root.descendantsOfType('identifier').filter((node): node is PythonNode => {
    if (!node || node.text !== name || isAttributeName(node)) return false;
    const parent = node.parent;
    return !(parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === node.id);
  });
}

/** The logging statement (`workflow.logger.warning(..., r)`) a mention sits in, if it sits in one. */
function enclosingLogStatement(node: PythonNode): PythonNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'expression_statement') return isPythonLogCall(current) ? current : undefined;
    if (current.type === 'block' || current.type === 'function_definition' || current.type === 'lambda') return undefined;
  }
  return undefined;
}

/** `for r in results`, `for i, r in enumerate(results)`, `for x, r in zip(xs, results)`: the loop and the name its item takes. */
function loopOver(mention: PythonNode): { statement: PythonNode; item: string } | undefined {
  const direct = mention.parent;
  if (direct?.type === 'for_statement' && direct.childForFieldName('right')?.id === mention.id) {
    const left = direct.childForFieldName('left');
    return left?.type === 'identifier' ? { statement: direct, item: left.text } : undefined;
  }
  const call = direct?.type === 'argument_list' ? direct.parent : undefined;
  const statement = call?.parent;
  if (!call || statement?.type !== 'for_statement' || statement.childForFieldName('right')?.id !== call.id) return undefined;
  const helper = call.childForFieldName('function')?.text;
  const args = namedChildrenOf(direct!);
  const index = helper === 'enumerate' && args[0]?.id === mention.id ? 1 : helper === 'zip' ? args.findIndex((a) => a.id === mention.id) : -1;
  const left = statement.childForFieldName('left');
  const names = left && (left.type === 'pattern_list' || left.type === 'tuple_pattern') ? namedChildrenOf(left) : [];
  const item = index >= 0 && names.length === (helper === 'enumerate' ? 2 : args.length) ? names[index] : undefined;
  return item?.type === 'identifier' ? { statement, item: item.text } : undefined;
}

/** `if isinstance(r, Exception):` (or BaseException, an SDK error class, a tuple of them) with no else, whose block only logs. */
function loggingIsinstance(item: PythonNode): PythonNode | undefined {
  const list = item.parent;
  const call = list?.type === 'argument_list' ? list.parent : undefined;
  const statement = call?.parent;
  if (!call || call.childForFieldName('function')?.text !== 'isinstance' || statement?.type !== 'if_statement') return undefined;
  if (statement.childForFieldName('condition')?.id !== call.id || statement.children.some((c) => c?.type === 'elif_clause' || c?.type === 'else_clause')) return undefined;
  const [first, classes] = namedChildrenOf(list!);
  if (first?.id !== item.id || !classes) return undefined;
  const named = classes.type === 'tuple' ? namedChildrenOf(classes) : [classes];
  if (named.length === 0 || !named.every((c) => /(Error|Exception)$/.test(c.type === 'attribute' ? (c.childForFieldName('attribute')?.text ?? '') : c.text))) return undefined;
  return onlyLogs(statement) ? statement : undefined;
}

/** `workflow.execute_activity(...)`, `workflow.execute_child_workflow(...)` as the SDK spells them, after imports. */
export function workKind(call: PythonNode, file: string, modules: PythonModules): 'activity' | 'child' | undefined {
  const callee = call.childForFieldName('function');
  const qualified = callee ? modules.qualifiedName(file, callee) : undefined;
  return qualified?.startsWith('temporalio.workflow.') ? WORK_CALLS[qualified.slice('temporalio.workflow.'.length)] : undefined;
}

/**
 * The first work call a try body awaits, directly or through one `await helper(...)` of the
 * project. A call inside a nested try with except clauses is that try's business, and a call in a
 * nested function or lambda does not run here.
 */
/** Where an except clause and the work it covers are, and what that work is. */
function clauseAroundWork(file: string, clause: PythonNode, hit: { work: Work; via?: string }, context: Context) {
  const described = describe(hit.work, context);
  const at = {
    location: locateNode(file, clause),
    callLocation: locateNode(hit.work.file, hit.work.call),
    what: described.what,
    ...(hit.via ? { via: hit.via } : {}),
  };
  return { described, at };
}

/** Every try statement of the files whose body awaits an activity or child workflow (directly or through one helper). */
function* triesAroundWork(files: string[], context: Context): Generator<{ file: string; statement: PythonNode; body: PythonNode; hit: { work: Work; via?: string } }> {
  for (const file of files) {
    const tree = context.modules.files.get(file)?.tree;
    if (!tree) continue;
    for (const statement of tree.rootNode.descendantsOfType('try_statement')) {
      const body = statement?.childForFieldName('body');
      if (!statement || !body) continue;
      const hit = firstWork(body, file, context);
      if (hit) yield { file, statement, body, hit };
    }
  }
}

export function firstWork(root: PythonNode, file: string, context: Context): { work: Work; via?: string } | undefined {
  let hit: { work: Work; via?: string } | undefined;
  const visit = (node: PythonNode): void => {
    if (hit) return;
    if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') return;
    if (node.type === 'try_statement' && exceptClauses(node).length > 0) {
      for (const child of namedChildrenOf(node)) if (child.type !== 'block') visit(child);
      return;
    }
    if (node.type === 'call') {
      const kind = workKind(node, file, context.modules);
      if (kind) {
        if (awaitedWithin(node, root, file, context.modules)) hit = { work: { call: node, file, kind } };
        return;
      }
      const helper = node.parent?.type === 'await' ? helperOf(node, file, context.modules) : undefined;
      const inner = helper ? directWork(helper.body, helper.file, context.modules) : undefined;
      if (inner) {
        hit = { work: inner, via: helper!.name };
        return;
      }
    }
    for (const child of namedChildrenOf(node)) visit(child);
  };
  visit(root);
  return hit;
}

/** The call's failure is raised by an `await` inside root: awaited itself, or through `asyncio.gather` without return_exceptions. */
export function awaitedWithin(call: PythonNode, root: PythonNode, file: string, modules: PythonModules): boolean {
  for (let node: PythonNode | null = call.parent; node && node.id !== root.id; node = node.parent) {
    if (node.type === 'await') return true;
    if (PASS_THROUGH.has(node.type)) continue;
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      if (!callee || modules.qualifiedName(file, callee) !== 'asyncio.gather') return false;
      const flag = callArguments(node).keywords.get('return_exceptions');
      if (flag && flag.type !== 'false') return false;
      continue;
    }
    return false;
  }
  return false;
}

/** The function an awaited call runs: `self.method(...)` of the enclosing class, or a project function by name. */
export function helperOf(call: PythonNode, file: string, modules: PythonModules): { name: string; body: PythonNode; file: string } | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  if (callee.type === 'attribute' && callee.childForFieldName('object')?.text === 'self') {
    const name = callee.childForFieldName('attribute')?.text;
    const classNode = enclosing(call, ['class_definition']);
    const body = classNode?.childForFieldName('body');
    if (!name || !body) return undefined;
    for (const member of namedChildrenOf(body)) {
      const definition = member.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
      if (definition?.type === 'function_definition' && definition.childForFieldName('name')?.text === name) {
        const fnBody = definition.childForFieldName('body');
        return fnBody ? { name, body: fnBody, file } : undefined;
      }
    }
    return undefined;
  }
  if (callee.type !== 'identifier') return undefined;
  const definition = modules.lookupAt(file, callee.text, call);
  if (definition?.kind !== 'function') return undefined;
  const fnBody = definition.node.childForFieldName('body');
  return fnBody ? { name: callee.text, body: fnBody, file: definition.file } : undefined;
}

/** A work call a helper awaits outside any try with except clauses of its own. */
function directWork(body: PythonNode, file: string, modules: PythonModules): Work | undefined {
  let hit: Work | undefined;
  const visit = (node: PythonNode): void => {
    if (hit) return;
    if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') return;
    if (node.type === 'try_statement' && exceptClauses(node).length > 0) return;
    if (node.type === 'call') {
      const kind = workKind(node, file, modules);
      if (kind && awaitedWithin(node, body, file, modules)) {
        hit = { call: node, file, kind };
        return;
      }
    }
    for (const child of namedChildrenOf(node)) visit(child);
  };
  visit(body);
  return hit;
}

/** The clause takes the call's error: bare, or naming one of its classes (through the SDK's imports or by name). */
export function takes(clause: ExceptClause, kind: Work['kind'], file: string, modules: PythonModules): boolean {
  if (clause.classes.length === 0) return true;
  return clause.classes.some((node) => {
    const qualified = modules.qualifiedName(file, node);
    const name = qualified?.startsWith('temporalio.') ? qualified.slice(qualified.lastIndexOf('.') + 1) : className(node);
    return TAKING_CLASSES[kind].has(name);
  });
}

/** `activity charge_card` and its call's facts, `child workflow ShipOrder`. */
export function describe(work: Work, context: Context): { what: string; proxy?: ActivityProxyFacts } {
  const location = locateNode(work.file, work.call);
  const same = (other: { file: string; line: number; column: number }) => other.file === location.file && other.line === location.line && other.column === location.column;
  if (work.kind === 'activity') {
    const proxy = context.activityCalls.find((call) => same(call.location));
    const uses = proxy?.usedActivityTypes;
    const name = uses && uses !== 'all' && uses.length === 1 ? uses[0]!.name : undefined;
    return { what: name ? `activity ${name}` : `the activity of ${callText(work.call)}`, ...(proxy ? { proxy } : {}) };
  }
  const start = context.starts.find((candidate) => candidate.child && same(candidate.location));
  const name = start?.workflowType ?? (start?.workflowTypeText || undefined);
  return { what: name ? `child workflow ${name}` : `the child workflow of ${callText(work.call)}` };
}

function callText(call: PythonNode): string {
  return `${call.childForFieldName('function')?.text ?? 'the call'}(...)`;
}

/** The clause's block holds nothing but logging calls (at least one) and pass/continue/break. */
export function onlyLogs(clause: PythonNode): boolean {
  const block = namedChildrenOf(clause).find((child) => child.type === 'block');
  if (!block) return false;
  let logs = 0;
  for (const statement of namedChildrenOf(block)) {
    if (statement.type === 'pass_statement' || statement.type === 'continue_statement' || statement.type === 'break_statement') continue;
    if (statement.type === 'expression_statement' && isPythonLogCall(statement)) {
      logs++;
      continue;
    }
    return false;
  }
  return logs > 0;
}

/** `workflow.logger.warning(...)`, `logger.exception(...)`, `logging.error(...)`, `print(...)`, `log(...)`. */
/** An expression statement that only logs (`logger.warning(...)`, `print(...)`, `await log.error(...)`). */
export function isPythonLogCall(statement: PythonNode): boolean {
  const expressions = namedChildrenOf(statement);
  if (expressions.length !== 1) return false;
  let call = expressions[0]!;
  if (call.type === 'await') call = namedChildrenOf(call)[0] ?? call;
  if (call.type !== 'call') return false;
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  if (callee.type === 'identifier') return LOG_FUNCTION.test(callee.text);
  if (callee.type !== 'attribute' || !PYTHON_LOG_METHODS.has(callee.childForFieldName('attribute')?.text ?? '')) return false;
  const owner = callee.childForFieldName('object');
  const ownerName = owner?.type === 'identifier' ? owner.text : owner?.type === 'attribute' ? owner.childForFieldName('attribute')?.text : undefined;
  return ownerName !== undefined && LOG_OWNER.test(ownerName);
}

/**
 * Best effort said in a comment right above the try, a comment in its body, the except clause
 * (comments and log messages), or the docstring of the function holding the try.
 */
function commentedBestEffort(statement: PythonNode, body: PythonNode, clause: ExceptClause): boolean {
  const above = commentsAbove(statement);
  const comments = body.descendantsOfType('comment').map((comment) => comment?.text ?? '');
  const fn = enclosing(statement, ['function_definition']);
  return BEST_EFFORT.test(above.join('\n')) || BEST_EFFORT.test(comments.join('\n')) || BEST_EFFORT.test(clause.node.text) || (!!fn && BEST_EFFORT.test(docstringOf(fn)));
}

function docstringOf(fn: PythonNode): string {
  const first = fn.childForFieldName('body') ? namedChildrenOf(fn.childForFieldName('body')!)[0] : undefined;
  const expression = first?.type === 'expression_statement' ? namedChildrenOf(first)[0] : undefined;
  return expression?.type === 'string' ? (stringLiteral(expression) ?? expression.text) : '';
}

/** A `raise` follows the try in the same block: the workflow fails anyway. */
function raiseFollows(statement: PythonNode): boolean {
  for (let next = statement.nextNamedSibling; next; next = next.nextNamedSibling) if (next.type === 'raise_statement') return true;
  return false;
}

/**
 * The try body sets a name (`ok = True`, `result = await ...`, `results.append(...)`) or a `self.`
 * attribute, and the code tests or returns it after the try (in the function; anywhere else in a
 * loop around the try; anywhere in the class for a `self.` attribute): the code finds out about the
 * failure.
 */
function setsValueReadLater(statement: PythonNode, body: PythonNode): boolean {
  const assigned = new Set<string>();
  const addTarget = (target: PythonNode): void => {
    if (target.type === 'identifier') assigned.add(target.text);
    else if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern' || target.type === 'tuple' || target.type === 'list') namedChildrenOf(target).forEach(addTarget);
    else if (target.type === 'attribute' || target.type === 'subscript') {
      const key = keyOf(target);
      if (key) assigned.add(key);
    }
  };
  const visit = (node: PythonNode): void => {
    if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') return;
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      if (left) addTarget(left);
    }
    if (node.type === 'named_expression') {
      const name = node.childForFieldName('name');
      if (name) addTarget(name);
    }
    if (node.type === 'for_statement') {
      const left = node.childForFieldName('left');
      if (left) addTarget(left);
    }
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      if (callee?.type === 'attribute' && /^(append|extend|add|update|insert|setdefault|pop|remove|discard|clear)$/.test(callee.childForFieldName('attribute')?.text ?? '')) {
        const key = keyOf(callee.childForFieldName('object')!);
        if (key) assigned.add(key);
      }
    }
    for (const child of namedChildrenOf(node)) visit(child);
  };
  visit(body);
  if (assigned.size === 0) return false;
  const fn = enclosing(statement, ['function_definition']);
  const scope = fn?.childForFieldName('body');
  if (!scope) return false;
  const testedIn = (root: PythonNode, accept: (node: PythonNode) => boolean): boolean => {
    let read = false;
    const walk = (node: PythonNode): void => {
      if (read || node.id === statement.id) return;
      if (node.type === 'identifier' || node.type === 'attribute') {
        const key = node.type === 'identifier' ? (isAttributeName(node) ? undefined : node.text) : selfKey(node);
        if (key && assigned.has(key) && accept(node) && isTested(node)) {
          read = true;
          return;
        }
      }
      for (const child of namedChildrenOf(node)) walk(child);
    };
    walk(root);
    return read;
  };
  if (testedIn(scope, (node) => node.startIndex >= statement.endIndex)) return true;
  const loop = loopAround(statement);
  if (loop && testedIn(loop, (node) => !isAssignmentTarget(node))) return true;
  const selfAttributes = [...assigned].some((key) => key.startsWith('self.'));
  const classNode = selfAttributes ? enclosing(statement, ['class_definition']) : undefined;
  return !!classNode && testedIn(classNode, (node) => node.type === 'attribute' && !isAssignmentTarget(node) && !(node.startIndex >= body.startIndex && node.endIndex <= body.endIndex));
}

/** `self.done` for a self attribute (however deep the target goes), else the root name (`results` of `results[k]`). */
function keyOf(target: PythonNode): string | undefined {
  let current = target;
  let selfAttribute: string | undefined;
  while (current.type === 'attribute' || current.type === 'subscript') {
    const object = current.type === 'attribute' ? current.childForFieldName('object') : current.childForFieldName('value');
    if (!object) return undefined;
    if (current.type === 'attribute' && object.type === 'identifier' && object.text === 'self') selfAttribute = `self.${current.childForFieldName('attribute')?.text ?? ''}`;
    current = object;
  }
  if (current.type !== 'identifier') return undefined;
  return current.text === 'self' ? selfAttribute : current.text;
}

function selfKey(node: PythonNode): string | undefined {
  const object = node.childForFieldName('object');
  return object?.type === 'identifier' && object.text === 'self' ? `self.${node.childForFieldName('attribute')?.text ?? ''}` : undefined;
}

/** The `name` part of `obj.name`: not a read of a variable called name. */
function isAttributeName(node: PythonNode): boolean {
  return node.parent?.type === 'attribute' && node.parent.childForFieldName('attribute')?.id === node.id;
}

function isAssignmentTarget(node: PythonNode): boolean {
  const parent = node.parent;
  return (parent?.type === 'assignment' || parent?.type === 'augmented_assignment') && parent.childForFieldName('left')?.id === node.id;
}

/**
 * A read that decides something or hands the value back: a condition (`if not ok`, `while not
 * done`, `a if ok else b`), a comparison or boolean operand, `not`, returned, raised or asserted,
 * possibly through an attribute, item, method or `len(...)` of it.
 */
function isTested(node: PythonNode): boolean {
  let current = node;
  for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
    if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === current.id) continue;
    if (parent.type === 'subscript' && parent.childForFieldName('value')?.id === current.id) continue;
    if (parent.type === 'call' && parent.childForFieldName('function')?.id === current.id) continue;
    if (parent.type === 'parenthesized_expression' || parent.type === 'await') continue;
    if (parent.type === 'argument_list') {
      const call = parent.parent;
      const callee = call?.childForFieldName('function');
      if (callee?.type === 'identifier' && /^(len|bool|any|all)$/.test(callee.text)) {
        current = call!;
        parent = call!;
        continue;
      }
      return false;
    }
    if (parent.type === 'not_operator' || parent.type === 'comparison_operator' || parent.type === 'boolean_operator') return true;
    if (parent.type === 'if_statement' || parent.type === 'elif_clause' || parent.type === 'while_statement') return parent.childForFieldName('condition')?.id === current.id;
    if (parent.type === 'conditional_expression') return namedChildrenOf(parent)[1]?.id === current.id;
    return parent.type === 'return_statement' || parent.type === 'raise_statement' || parent.type === 'assert_statement';
  }
  return false;
}

/** The for or while loop around the try, inside its function. */
function loopAround(statement: PythonNode): PythonNode | undefined {
  for (let current = statement.parent; current; current = current.parent) {
    if (current.type === 'for_statement' || current.type === 'while_statement') return current;
    if (current.type === 'function_definition' || current.type === 'lambda' || current.type === 'class_definition') return undefined;
  }
  return undefined;
}

/**
 * Where Python workflow code catches an activity's or child workflow's failure and does not raise
 * again: when the workflow is cancelled while it waits on such a call, the SDK cancels the call and
 * raises its cancellation as an ActivityError (ChildWorkflowError) whose cause is a CancelledError,
 * an ordinary Exception. An `except Exception` (or bare `except`, or `except ActivityError`) that
 * neither raises nor tests for cancellation (`is_cancelled_exception`, any mention of cancel in the
 * clause) takes it, and the workflow carries on as if nobody had asked it to stop.
 *
 * Left alone: a try any of whose clauses mentions cancellation; a clause that raises anywhere in
 * its block; a try followed by a `raise` in the same block; asyncio.gather(return_exceptions=True)
 * (read by pythonSwallowedFailures). Calls are found as for the log-only clauses: awaited in the
 * try, directly or through one helper of the project.
 */
export function pythonSwallowedCancellations(root: string, files: string[], modules: PythonModules, activityCalls: ActivityProxyFacts[], starts: WorkflowStartFacts[]): SwallowedCancellation[] {
  const context: Context = { modules, activityCalls, starts };
  const found: SwallowedCancellation[] = [];
  // Parts of the repository (first folder) whose workflow code checks for cancellation somewhere.
  const aware = new Set<string>();
  const part = (file: string): string => path.relative(root, file).split(/[\\/]/)[0] ?? '';
  for (const { file, statement, hit } of triesAroundWork(files, context)) {
    const clauses = exceptClauses(statement);
    if (clauses.some((candidate) => /cancel/i.test(candidate.node.text))) {
      aware.add(part(file));
      continue;
    }
    const clause = clauses.find((candidate) => takes(candidate, hit.work.kind, file, modules));
    if (!clause || clause.node.type !== 'except_clause') continue;
    if (raises(clause.node) || raiseFollows(statement)) continue;
    if (handsOn(clause) || cleanupPath(statement, files, modules)) continue;
    if (endsCoroutine(statement, clause.node) && onlyUnderGather(statement, files, modules)) continue;
    const { at } = clauseAroundWork(file, clause.node, hit, context);
    found.push({
      ...at,
      caught: clause.classes.length === 0 ? 'bare' : clause.classes.map((node) => node.text).join(', '),
      handlesCancellationElsewhere: false,
    });
  }
  for (const swallowed of found) swallowed.handlesCancellationElsewhere = aware.has(part(swallowed.location.file));
  found.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  return found;
}

/** `asyncio.gather(...)` or a `gather(...)` imported from asyncio (also through `workflow.asyncio`). */
function isGatherCall(call: PythonNode): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  if (callee.type === 'identifier') return callee.text === 'gather';
  return callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'gather' && /(^|\.)asyncio$/.test(callee.childForFieldName('object')?.text ?? '');
}

/** An `await` anywhere in the node, outside nested functions. */
function awaitsIn(node: PythonNode): boolean {
  if (node.type === 'await') return true;
  if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') return false;
  return namedChildrenOf(node).some(awaitsIn);
}

/**
 * After the clause the coroutine ends without waiting on anything more: the clause does not await
 * and ends with `return`, or the try is in no loop and nothing after it in the function awaits.
 * A clause that goes on to more work (a loop that keeps polling) keeps the gather, and so the
 * workflow, waiting for that work: it stays reported.
 */
function endsCoroutine(statement: PythonNode, clause: PythonNode): boolean {
  const body = namedChildrenOf(clause).filter((child) => child.type === 'block').pop();
  if (!body || awaitsIn(body)) return false;
  const last = namedChildrenOf(body).pop();
  if (last?.type === 'return_statement') return true;
  if (loopAround(statement)) return false;
  for (let current: PythonNode = statement; current.parent && current.type !== 'function_definition'; current = current.parent) {
    for (let next = current.nextNamedSibling; next; next = next.nextNamedSibling) if (awaitsIn(next)) return false;
  }
  return true;
}

/**
 * The call sits in the arguments of an asyncio.gather: directly (`gather(f(a), f(b))`), in a
 * generator or comprehension unpacked into it (`gather(*(f(x) for x in xs))`), or in a list (or
 * comprehension) assigned to a name, or appended to one, that the same function unpacks into a
 * gather (`tasks = [f(x) for x in xs]; await asyncio.gather(*tasks)`). An `await` on the way
 * means the call is awaited on its own, not by the gather.
 */
function underGather(call: PythonNode): boolean {
  let current = call;
  for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
    if (parent.type === 'await' || parent.type === 'function_definition' || parent.type === 'lambda' || parent.type === 'class_definition') return false;
    if (parent.type === 'argument_list') {
      const outer = parent.parent;
      if (outer && isGatherCall(outer)) return true;
      // tasks.append(f(x))
      const callee = outer?.childForFieldName('function');
      if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'append' && callee.childForFieldName('object')?.type === 'identifier') {
        return gathersName(outer!, callee.childForFieldName('object')!.text);
      }
      continue;
    }
    if (parent.type === 'assignment') {
      const left = parent.childForFieldName('left');
      return parent.childForFieldName('right')?.id === current.id && left?.type === 'identifier' && gathersName(parent, left.text);
    }
    if (parent.type.endsWith('_statement') || parent.type === 'block') return false;
  }
  return false;
}

/** The function around the node unpacks (or passes) the name into an asyncio.gather. */
function gathersName(node: PythonNode, name: string): boolean {
  const fn = enclosing(node, ['function_definition']);
  if (!fn) return false;
  return fn.descendantsOfType('call').some((call) => {
    if (!call || !isGatherCall(call)) return false;
    const args = call.childForFieldName('arguments');
    return !!args && namedChildrenOf(args).some((arg) => (arg.type === 'list_splat' ? namedChildrenOf(arg)[0]?.text === name : arg.text === name));
  });
}

/**
 * Every call of the function holding the try (by name or `self.name(...)`) is an argument of an
 * asyncio.gather. Cancelling the workflow cancels the task that awaits the gather, and through it
 * the gather's children. Since Python 3.8 the gather then raises CancelledError to its awaiter once
 * the children finish, even when every child swallowed its cancellation (asyncio/tasks.py,
 * `_GatheringFuture.cancel` sets `_cancel_requested`, and the done callback sets a CancelledError
 * "regardless of return_exceptions"; bpo-32684). So the workflow stops there and does not carry on.
 * asyncio.wait, create_task and TaskGroup are not read this way and stay reported.
 */
function onlyUnderGather(statement: PythonNode, files: string[], modules: PythonModules): boolean {
  const fn = enclosing(statement, ['function_definition']);
  const name = fn?.childForFieldName('name')?.text;
  if (!fn || !name) return false;
  const calls = callsByName(name, files, modules);
  return calls.length > 0 && calls.every(underGather);
}

/** The calls of a function by its name (`name(...)` or `self.name(...)`) in the given files. */
function callsByName(name: string, files: string[], modules: PythonModules): PythonNode[] {
  const found: PythonNode[] = [];
  for (const file of files) {
    const tree = modules.files.get(file)?.tree;
    if (!tree || !tree.rootNode.text.includes(name)) continue;
    for (const call of tree.rootNode.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      if (!call || !callee) continue;
      const called = callee.type === 'identifier' ? callee.text : callee.type === 'attribute' && callee.childForFieldName('object')?.text === 'self' ? callee.childForFieldName('attribute')?.text : undefined;
      if (called === name) found.push(call);
    }
  }
  return found;
}

export interface SwallowedCancellation {
  /** The except clause. */
  location: SourceLocation;
  /** The activity or child workflow call it covers. */
  callLocation: SourceLocation;
  what: string;
  via?: string;
  /** The classes the clause names, as written, or `bare`. */
  caught: string;
  /** Another except clause of the workflow code in the same part of the repository (first folder) tests for cancellation: the project means to honour it. */
  handlesCancellationElsewhere: boolean;
}

/** The clause passes the exception it caught to a call other than a log call (`self._handle_error(task, e)`): where it goes decides. */
function handsOn(clause: ExceptClause): boolean {
  if (!clause.alias) return false;
  // The caught exception and names the clause derives from it (`exc = e.error if ... else e`).
  const names = new Set([clause.alias]);
  for (const assignment of clause.node.descendantsOfType('assignment')) {
    const left = assignment?.childForFieldName('left');
    const right = assignment?.childForFieldName('right');
    if (left?.type === 'identifier' && right && right.descendantsOfType('identifier').some((id) => !!id && names.has(id.text))) names.add(left.text);
  }
  for (const call of clause.node.descendantsOfType('call')) {
    if (!call) continue;
    const statement = call.parent?.type === 'expression_statement' ? call.parent : call.parent?.type === 'await' && call.parent.parent?.type === 'expression_statement' ? call.parent.parent : undefined;
    if (statement && isPythonLogCall(statement)) continue;
    // Turning it into text or testing its class does not hand it on.
    const callee = call.childForFieldName('function');
    if (callee?.type === 'identifier' && /^(str|repr|type|isinstance|getattr|hasattr|format|len)$/.test(callee.text)) continue;
    const args = call.childForFieldName('arguments');
    if (args && namedChildrenOf(args).some((arg) => unwrapKeyword(arg).type === 'identifier' && names.has(unwrapKeyword(arg).text))) return true;
  }
  return false;
}

function unwrapKeyword(arg: PythonNode): PythonNode {
  return arg.type === 'keyword_argument' ? (arg.childForFieldName('value') ?? arg) : arg;
}

/** Inside an except or finally clause of its function, up to the function. */
function inHandler(node: PythonNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'except_clause' || current.type === 'finally_clause') return true;
    if (current.type === 'function_definition' || current.type === 'lambda' || current.type === 'class_definition') return false;
  }
  return false;
}

/**
 * Cleanup code: the try sits in an except or finally clause, or its function is called (by name
 * or as `self.name(...)`) only from except and finally clauses. There the cancellation has already
 * been delivered, or the run is ending anyway.
 */
function cleanupPath(statement: PythonNode, files: string[], modules: PythonModules): boolean {
  if (inHandler(statement)) return true;
  const fn = enclosing(statement, ['function_definition']);
  return !!fn && calledOnlyInCleanup(fn, files, modules, 0);
}

/** Every call of the function (by name or `self.name(...)`) is in an except or finally clause, or in a function that is itself called only there (two levels). */
function calledOnlyInCleanup(fn: PythonNode, files: string[], modules: PythonModules, depth: number): boolean {
  const name = fn.childForFieldName('name')?.text;
  if (!name || depth > 2) return false;
  const calls = callsByName(name, files, modules);
  return (
    calls.length > 0 &&
    calls.every((call) => {
      if (inHandler(call)) return true;
      const caller = enclosing(call, ['function_definition']);
      return !!caller && caller.id !== fn.id && calledOnlyInCleanup(caller, files, modules, depth + 1);
    })
  );
}

/** A `raise` anywhere in the clause's block, outside nested functions. */
function raises(clause: PythonNode): boolean {
  let found = false;
  const visit = (node: PythonNode): void => {
    if (found || node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') return;
    if (node.type === 'raise_statement') {
      found = true;
      return;
    }
    for (const child of namedChildrenOf(node)) visit(child);
  };
  for (const child of namedChildrenOf(clause)) visit(child);
  return found;
}
