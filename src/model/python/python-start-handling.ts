// How Python code around a client start (`await client.start_workflow(...)`,
// `await client.execute_workflow(...)`) drops the call's failure: the nearest `try` whose body
// awaits the call (no function in between) and the clause of it that takes the errors other than
// WorkflowAlreadyStartedError (bare `except:`, `Exception`, `BaseException`), when that clause does
// nothing with them (`pass`, `return None`, `...`) or only logs them and carries on (see
// onlyLogsOrResets). The same reading as the TypeScript front-end's
// start-handling.ts, in Python's syntax: an earlier `except WorkflowAlreadyStartedError:` clause,
// or an `if isinstance(err, WorkflowAlreadyStartedError):` at the top of the clause, tells the
// duplicate start apart, and only the part that runs for the other errors is read.

import type { DroppedStartFailure, SourceLocation, StartPassage } from '../types.js';
import type { PythonModules } from './python-modules.js';
import type { Located } from './python-project-index.js';
import type { PythonNode } from './parse-python.js';
import { className, exceptClauses } from './python-caught-errors.js';
import { commentsAbove, decoratorsOf, enclosing, isAsyncFunction, locateNode, namedChildrenOf } from './python-syntax.js';
import { isPythonLogCall } from './python-swallowed-failures.js';

/** The error of a start whose workflow id is taken, by class, helper or message. */
const ALREADY_STARTED = /AlreadyStarted|already[\s_-]*(started|running|exists)|ALREADY_EXISTS|AlreadyExists/i;

const CATCH_ALL = new Set(['Exception', 'BaseException']);

/** The identifiers of each project by text, read when a module function or method is followed. */
const nameCaches = new WeakMap<PythonModules, Map<string, Located[]>>();

/** How far up a start's failure is followed through the functions that run it. */
const MAX_HOPS = 2;

/**
 * The except clause that drops the failure of a start (`call`). When the start's own function has
 * no handler and lets the failure out (the start is awaited or returned there), and that function is
 * nested in another, defined at module level or a method, and every use of it the model resolves is
 * a call that runs it (`await f()`, `asyncio.run(f())`, `loop.run_until_complete(f())`,
 * `async_to_sync(f)()`, `f()` for a plain function), the clauses around those calls are read as if
 * they were around the start, up to two functions up. `through` then says which functions the
 * failure left and where they were run.
 */
export function pythonDroppedStartFailure(call: PythonNode, file: string, modules?: PythonModules, waited = false): DroppedStartFailure | null {
  let names = modules ? nameCaches.get(modules) : undefined;
  if (modules && !names) nameCaches.set(modules, (names = new Map()));
  return follow(call, file, waited, false, modules, 0, [], names ?? new Map());
}

type Walk =
  | { kind: 'dropped'; result: DroppedStartFailure }
  | { kind: 'handled' }
  | { kind: 'leaves'; fn: PythonNode; tested: boolean };

function follow(node: PythonNode, file: string, awaited: boolean, tested: boolean, modules: PythonModules | undefined, hops: number, through: StartPassage[], names: Map<string, Located[]>): DroppedStartFailure | null {
  const walk = walkUp(node, file, awaited, tested);
  if (walk.kind === 'dropped') return through.length ? { ...walk.result, through } : walk.result;
  if (walk.kind === 'handled' || !modules || hops >= MAX_HOPS) return null;
  const name = walk.fn.childForFieldName('name')?.text;
  if (!name) return null;
  const sites = runSites(walk.fn, file, name, modules, names);
  if (!sites || sites.length === 0) return null;
  let found: DroppedStartFailure | undefined;
  for (const site of sites) {
    const passage: StartPassage = { function: name, at: locateNode(file, node), runner: site.runner, call: locateNode(site.file, site.outer) };
    const result = follow(site.outer, site.file, site.awaited, walk.tested, modules, hops + 1, [...through, passage], names);
    if (!result) return null;
    // where one call's clause only logs, the failure is not wholly silent: read the weaker one
    if (!found || (result.logged && !found.logged)) found = result;
  }
  return found ?? null;
}

/**
 * From `call` up to its function: the nearest `try` whose body holds the call (awaited there or
 * before) and has a clause that takes the other errors. `leaves`: no such clause, and the failure
 * leaves the function (the call is awaited or returned).
 */
function walkUp(call: PythonNode, file: string, awaitedAtStart: boolean, tested: boolean): Walk {
  let awaited = awaitedAtStart;
  // `return f()` hands the coroutine to the caller: a try here does not see its failure, the caller's may
  let returned = false;
  let child: PythonNode = call;
  for (let node = call.parent; node; child = node, node = node.parent) {
    if (node.type === 'lambda' || node.type === 'class_definition' || node.type === 'module') return { kind: 'handled' };
    if (node.type === 'function_definition') return awaited || returned ? { kind: 'leaves', fn: node, tested } : { kind: 'handled' };
    if (node.type === 'await') awaited = true;
    if (node.type === 'return_statement') returned = true;
    if (node.type !== 'try_statement' || node.childForFieldName('body')?.id !== child.id) continue;
    if (!awaited) {
      if (returned) continue;
      return { kind: 'handled' };
    }
    const clauses = exceptClauses(node);
    if (clauses.length === 0) continue;
    let testedHere = false;
    for (const clause of clauses) {
      if (clause.node.type !== 'except_clause') return { kind: 'handled' };
      const names = clause.classes.map(className);
      if (clause.classes.length > 0 && !names.some((name) => CATCH_ALL.has(name))) {
        if (names.some((name) => ALREADY_STARTED.test(name))) testedHere = true;
        continue;
      }
      const block = namedChildrenOf(clause.node).find((c) => c.type === 'block');
      if (!block) return { kind: 'handled' };
      const part = otherErrorsPart(namedChildrenOf(block));
      const nothing = doesNothing(part.nodes);
      const fn = enclosing(node, ['function_definition']);
      if (!nothing && !onlyLogsOrResets(part.nodes, fn)) return { kind: 'handled' };
      const lost = nothing ? undefined : lostRetry(fn, file);
      const skipped = fn ? connectSkipped(fn, node, file) : undefined;
      const above = commentsAbove(node);
      const inside = clause.node.descendantsOfType('comment').map((comment) => comment?.text ?? '');
      return {
        kind: 'dropped',
        result: { location: locateNode(file, clause.node), alreadyStartedTested: tested || testedHere || part.tested, comments: [...above, ...inside].join('\n'), ...(nothing ? {} : { logged: true as const }), ...(lost ? { lostRetry: lost } : {}), ...(skipped ? { connectSkipped: skipped } : {}) },
      };
    }
    // No clause takes the other errors: they leave the try, and the code chose what it catches.
    return { kind: 'handled' };
  }
  return { kind: 'handled' };
}

/** A call that runs a function whose failure it lets through. */
interface RunSite {
  file: string;
  /** The call of the function itself (`f()`), or the reference handed to `async_to_sync(f)`. */
  call: PythonNode;
  /** Where the failure surfaces in the caller: the call read up to its try. */
  outer: PythonNode;
  /** The failure surfaces at `outer` without an await above it. */
  awaited: boolean;
  runner: string;
}

/**
 * Every use of the function `fn` the model resolves, each a call that runs it to its end, or
 * undefined when one use is something else (handed to a task, a thread, a callback, a coroutine
 * not awaited) or the function's uses cannot all be seen (a method called on an instance).
 */
function runSites(fn: PythonNode, file: string, name: string, modules: PythonModules, names: Map<string, Located[]>): RunSite[] | undefined {
  const holder = enclosing(fn, ['function_definition', 'class_definition', 'module']);
  if (!holder) return undefined;
  const async = isAsyncFunction(fn);
  const nameNode = fn.childForFieldName('name');
  const sites: RunSite[] = [];
  const add = (reference: PythonNode, refFile: string): boolean => {
    const site = runSite(reference, refFile, async, modules);
    if (!site) return false;
    sites.push(site);
    return true;
  };
  if (holder.type === 'function_definition') {
    // A function nested in another: its uses are in the outer function.
    for (const reference of holder.descendantsOfType('identifier')) {
      if (!reference || reference.text !== name || reference.id === nameNode?.id) continue;
      if (reference.parent?.type === 'attribute' && reference.parent.childForFieldName('attribute')?.id === reference.id) continue;
      if (reference.parent?.type === 'keyword_argument' && reference.parent.childForFieldName('name')?.id === reference.id) continue;
      if (!add(reference, file)) return undefined;
    }
    return sites;
  }
  const index = nameIndex(modules, names, name);
  if (holder.type === 'module') {
    // `from pkg.mod import f as g` anywhere in the project: the calls of g are calls of f too
    const aliased = [...importAliases(modules, names, name)].flatMap((alias) => nameIndex(modules, names, alias).map((located) => ({ ...located, alias })));
    for (const { node: reference, file: refFile, alias } of [...index.map((located) => ({ ...located, alias: undefined as string | undefined })), ...aliased]) {
      if (reference.id === nameNode?.id && refFile === file) continue;
      if (enclosing(reference, ['import_from_statement', 'import_statement', 'future_import_statement'])) continue;
      if (reference.parent?.type === 'keyword_argument' && reference.parent.childForFieldName('name')?.id === reference.id) continue;
      const parent = reference.parent;
      if (alias !== undefined) {
        if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === reference.id) continue;
        const definition = modules.lookupAt(refFile, alias, reference);
        if (!definition || definition.file !== file || definition.node.id !== fn.id) continue;
        if (!add(reference, refFile)) return undefined;
        continue;
      }
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === reference.id) {
        // `module.f(...)`: the object names the module that defines f
        const object = parent.childForFieldName('object');
        const binding = object?.type === 'identifier' ? modules.importBindingAt(refFile, object.text, reference) : undefined;
        if (binding?.kind !== 'module' || binding.file !== file) continue;
        if (!add(parent, refFile)) return undefined;
        continue;
      }
      const definition = modules.lookupAt(refFile, name, reference);
      if (!definition || definition.file !== file || definition.node.id !== fn.id) continue;
      if (!add(reference, refFile)) return undefined;
    }
    return sites;
  }
  // A method: only `self.f(...)` in its own class; any other `.f` may call it on an instance
  for (const { node: reference, file: refFile } of index) {
    const parent = reference.parent;
    if (parent?.type !== 'attribute' || parent.childForFieldName('attribute')?.id !== reference.id) continue;
    if (parent.childForFieldName('object')?.text !== 'self' || refFile !== file || enclosing(parent, ['class_definition'])?.id !== holder.id) return undefined;
    if (!add(parent, refFile)) return undefined;
  }
  return sites;
}

/** The names `name` is imported under elsewhere (`from pkg.mod import name as alias`). */
function importAliases(modules: PythonModules, names: Map<string, Located[]>, name: string): Set<string> {
  const aliases = new Set<string>();
  for (const { node } of nameIndex(modules, names, name)) {
    // the name of `name as alias` is a dotted_name holding the identifier
    const item = node.parent?.type === 'dotted_name' ? node.parent.parent : node.parent;
    if (item?.type !== 'aliased_import' || item.childForFieldName('name')?.text !== name) continue;
    const alias = item.childForFieldName('alias')?.text;
    if (alias && alias !== name && item.parent?.type === 'import_from_statement') aliases.add(alias);
  }
  return aliases;
}

/** The identifiers of the project with this text, read once per name. */
function nameIndex(modules: PythonModules, names: Map<string, Located[]>, name: string): Located[] {
  const cached = names.get(name);
  if (cached) return cached;
  const found: Located[] = [];
  for (const [file, parsed] of modules.files) {
    if (!parsed.tree.rootNode.text.includes(name)) continue;
    for (const node of parsed.tree.rootNode.descendantsOfType('identifier')) if (node && node.text === name) found.push({ node, file });
  }
  names.set(name, found);
  return found;
}

/** How `reference` (the function's name, or `self.f` / `module.f`) runs the function, if it does. */
function runSite(reference: PythonNode, file: string, async: boolean, modules: PythonModules): RunSite | undefined {
  const parent = reference.parent;
  if (parent?.type === 'call' && parent.childForFieldName('function')?.id === reference.id) {
    if (!async) return { file, call: parent, outer: parent, awaited: true, runner: 'a call' };
    let expression: PythonNode = parent;
    while (expression.parent?.type === 'parenthesized_expression') expression = expression.parent;
    const up = expression.parent;
    if (up?.type === 'await') return { file, call: parent, outer: parent, awaited: false, runner: 'await' };
    if (up?.type === 'return_statement') return { file, call: parent, outer: parent, awaited: false, runner: 'return' };
    const runner = up?.type === 'argument_list' && namedChildrenOf(up)[0]?.id === expression.id ? up.parent : undefined;
    const callee = runner?.type === 'call' ? runner.childForFieldName('function') : undefined;
    if (!runner || !callee) return undefined;
    const qualified = modules.qualifiedName(file, callee) ?? callee.text;
    if (qualified === 'asyncio.run' || (callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'run_until_complete'))
      return { file, call: parent, outer: runner, awaited: true, runner: callee.text };
    return undefined;
  }
  // `async_to_sync(f)(...)`
  if (async && parent?.type === 'argument_list' && namedChildrenOf(parent).length === 1) {
    const wrapper = parent.parent;
    const callee = wrapper?.type === 'call' ? wrapper.childForFieldName('function') : undefined;
    const outer = wrapper?.parent;
    if (callee && /(^|\.)async_to_sync$/.test(callee.text) && outer?.type === 'call' && outer.childForFieldName('function')?.id === wrapper!.id)
      return { file, call: outer, outer, awaited: true, runner: 'async_to_sync' };
  }
  return undefined;
}

/**
 * The statements that run for the other errors: an `if` at the top of the clause that tests for
 * "already started" leaves its `else` (and `elif`s), or its body when the test is negated (`if not
 * isinstance(err, WorkflowAlreadyStartedError):`).
 */
function otherErrorsPart(statements: PythonNode[]): { nodes: PythonNode[]; tested: boolean } {
  const nodes: PythonNode[] = [];
  let tested = false;
  for (const statement of statements) {
    const condition = statement.type === 'if_statement' ? statement.childForFieldName('condition') : undefined;
    if (condition && ALREADY_STARTED.test(condition.text)) {
      tested = true;
      if (condition.type === 'not_operator') nodes.push(...namedChildrenOf(statement.childForFieldName('consequence')!));
      else for (const branch of namedChildrenOf(statement)) if (branch.type === 'elif_clause' || branch.type === 'else_clause') nodes.push(branch);
      continue;
    }
    nodes.push(statement);
  }
  return { nodes, tested };
}

/** No call, raise, await, assignment, yield or returned value: the error goes nowhere. */
function doesNothing(nodes: PythonNode[]): boolean {
  const visit = (node: PythonNode): boolean => {
    if (['call', 'raise_statement', 'await', 'assignment', 'augmented_assignment', 'named_expression', 'yield', 'delete_statement', 'assert_statement'].includes(node.type)) return false;
    if (node.type === 'return_statement') {
      const value = namedChildrenOf(node)[0];
      if (value && value.type !== 'none') return false;
    }
    return namedChildrenOf(node).every(visit);
  };
  return nodes.every(visit);
}

/** Calls that only read a value: the error's text, a test of its class. */
const PURE_CALLS = /^(str|repr|type|isinstance|issubclass|any|all|len|getattr|hasattr|format|lower|upper|casefold|strip|startswith|endswith|split|join|replace)$/;

/**
 * The clause logs the failure and carries on: every statement is a logging call, `pass`, a local
 * read from the error (`msg = str(err).lower()`), a reset of state to nothing (`self.client = None`,
 * `ready = False`), a return of nothing from a function that never returns a value, or an `if`
 * over such statements whose test only reads values. No raise, no other call (a status update, a
 * DLQ publish, a retry), no value handed back: the caller carries on as if the workflow ran.
 */
function onlyLogsOrResets(nodes: PythonNode[], fn: PythonNode | undefined): boolean {
  const statementOk = (statement: PythonNode): boolean => {
    switch (statement.type) {
      case 'comment':
      case 'pass_statement':
        return true;
      case 'block':
      case 'else_clause':
        return namedChildrenOf(statement).every(statementOk);
      case 'elif_clause':
      case 'if_statement': {
        const condition = statement.childForFieldName('condition');
        if (!condition || !pure(condition)) return false;
        return namedChildrenOf(statement).filter((child) => child.id !== condition.id).every(statementOk);
      }
      case 'return_statement': {
        const value = namedChildrenOf(statement)[0];
        return (!value || value.type === 'none') && !!fn && !returnsValue(fn);
      }
      case 'expression_statement': {
        if (isPythonLogCall(statement)) return true;
        const expressions = namedChildrenOf(statement);
        if (expressions.length === 1 && (expressions[0]!.type === 'string' || expressions[0]!.type === 'ellipsis')) return true;
        return expressions.length === 1 && expressions[0]!.type === 'assignment' && harmlessAssignment(expressions[0]!);
      }
      default:
        return false;
    }
  };
  return nodes.length > 0 && nodes.every(statementOk);
}

/** `msg = str(err)` (a local read from the error) or `self.client = None` / `ok = False` (state reset to nothing). */
function harmlessAssignment(assignment: PythonNode): boolean {
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  if (!left || !right) return false;
  if (right.type === 'none' || right.type === 'false') return left.type === 'identifier' || left.type === 'attribute';
  return left.type === 'identifier' && pure(right);
}

/** No await, yield, assignment or call other than one that reads a value. */
function pure(expression: PythonNode): boolean {
  const visit = (node: PythonNode): boolean => {
    if (['await', 'yield', 'named_expression', 'lambda'].includes(node.type)) return false;
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const name = callee?.type === 'identifier' ? callee.text : callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
      if (!name || !PURE_CALLS.test(name)) return false;
    }
    return namedChildrenOf(node).every(visit);
  };
  return visit(expression);
}

/** The function returns a value somewhere (not in a nested function): its result may carry the failure. */
function returnsValue(fn: PythonNode): boolean {
  let found = false;
  const visit = (node: PythonNode): void => {
    if (found) return;
    if (node.id !== fn.id && (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition')) return;
    if (node.type === 'return_statement') {
      const value = namedChildrenOf(node)[0];
      if (value && value.type !== 'none') found = true;
    }
    for (const child of namedChildrenOf(node)) visit(child);
  };
  visit(fn);
  return found;
}

/** Names of a message consumer: its file, class or function says it consumes, subscribes or handles messages. */
const CONSUMER = /consum|kafka|subscri|listener|on_?message|handle_?message|process_?message|queue_?worker/i;

/** What retry the clause defeats: the activity whose body holds it, or the message consumer it runs in. */
function lostRetry(fn: PythonNode | undefined, file: string): string | undefined {
  if (!fn) return undefined;
  const name = fn.childForFieldName('name')?.text ?? '';
  if (decoratorsOf(fn).some((decorator) => /^activity\.defn$|^defn$/.test(decorator.expression.text))) return `activity ${name}`;
  const owner = enclosing(fn, ['class_definition'])?.childForFieldName('name')?.text;
  const qualified = owner ? `${owner}.${name}` : name;
  const base = file.split(/[\\/]/).slice(-2).join('/');
  if (CONSUMER.test(qualified) || CONSUMER.test(base)) return `message consumer ${qualified}`;
  return undefined;
}

/**
 * A try before `before` in the function whose body awaits `Client.connect(...)` and whose catch-all
 * clause only logs and returns: a failed connect skips the start and the caller carries on.
 */
function connectSkipped(fn: PythonNode, before: PythonNode, file: string): SourceLocation | undefined {
  for (const tryStatement of fn.descendantsOfType('try_statement')) {
    if (!tryStatement || tryStatement.endIndex > before.startIndex) continue;
    if (enclosing(tryStatement, ['function_definition'])?.id !== fn.id) continue;
    const body = tryStatement.childForFieldName('body');
    if (!body || !/\bawait\s+[\w.]*Client\.connect\(/.test(body.text)) continue;
    for (const clause of exceptClauses(tryStatement)) {
      if (clause.node.type !== 'except_clause') continue;
      if (clause.classes.length > 0 && !clause.classes.map(className).some((name) => CATCH_ALL.has(name))) continue;
      const block = namedChildrenOf(clause.node).find((c) => c.type === 'block');
      const statements = block ? namedChildrenOf(block) : [];
      if (statements.some((s) => s.type === 'return_statement') && onlyLogsOrResets(statements, fn)) return locateNode(file, clause.node);
      break;
    }
  }
  return undefined;
}
