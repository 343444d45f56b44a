// How Python code around a client start (`await client.start_workflow(...)`,
// `await client.execute_workflow(...)`) drops the call's failure: the nearest `try` whose body
// awaits the call (no function in between) and the clause of it that takes the errors other than
// WorkflowAlreadyStartedError (bare `except:`, `Exception`, `BaseException`), when that clause does
// nothing with them (`pass`, `return None`, `...`) or only logs them and carries on (see
// onlyLogsOrResets). The same reading as the TypeScript front-end's
// start-handling.ts, in Python's syntax: an earlier `except WorkflowAlreadyStartedError:` clause,
// or an `if isinstance(err, WorkflowAlreadyStartedError):` at the top of the clause, tells the
// duplicate start apart, and only the part that runs for the other errors is read.

import type { DroppedStartFailure, SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import { className, exceptClauses } from './python-caught-errors.js';
import { commentsAbove, decoratorsOf, enclosing, locateNode, namedChildrenOf } from './python-syntax.js';
import { isPythonLogCall } from './python-swallowed-failures.js';

/** The error of a start whose workflow id is taken, by class, helper or message. */
const ALREADY_STARTED = /AlreadyStarted|already[\s_-]*(started|running|exists)|ALREADY_EXISTS|AlreadyExists/i;

const CATCH_ALL = new Set(['Exception', 'BaseException']);

export function pythonDroppedStartFailure(call: PythonNode, file: string): DroppedStartFailure | null {
  let awaited = false;
  let child: PythonNode = call;
  for (let node = call.parent; node; child = node, node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition' || node.type === 'module') return null;
    if (node.type === 'await') awaited = true;
    if (node.type !== 'try_statement' || node.childForFieldName('body')?.id !== child.id) continue;
    if (!awaited) return null;
    const clauses = exceptClauses(node);
    if (clauses.length === 0) continue;
    let tested = false;
    for (const clause of clauses) {
      if (clause.node.type !== 'except_clause') return null;
      const names = clause.classes.map(className);
      if (clause.classes.length > 0 && !names.some((name) => CATCH_ALL.has(name))) {
        if (names.some((name) => ALREADY_STARTED.test(name))) tested = true;
        continue;
      }
      const block = namedChildrenOf(clause.node).find((c) => c.type === 'block');
      if (!block) return null;
      const part = otherErrorsPart(namedChildrenOf(block));
      const nothing = doesNothing(part.nodes);
      const fn = enclosing(node, ['function_definition']);
      if (!nothing && !onlyLogsOrResets(part.nodes, fn)) return null;
      const lost = nothing ? undefined : lostRetry(fn, file);
      const skipped = fn ? connectSkipped(fn, node, file) : undefined;
      const above = commentsAbove(node);
      const inside = clause.node.descendantsOfType('comment').map((comment) => comment?.text ?? '');
      return { location: locateNode(file, clause.node), alreadyStartedTested: tested || part.tested, comments: [...above, ...inside].join('\n'), ...(nothing ? {} : { logged: true as const }), ...(lost ? { lostRetry: lost } : {}), ...(skipped ? { connectSkipped: skipped } : {}) };
    }
    // No clause takes the other errors: they leave the try.
    return null;
  }
  return null;
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
