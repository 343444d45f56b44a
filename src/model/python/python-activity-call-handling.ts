// What a Python workflow does with the failure of one activity call, and which options at the call
// carry a comment. The same reading as the TypeScript front-end's activity-call-handling.ts, in
// Python's syntax: a failed activity reaches the workflow as `temporalio.exceptions.ActivityError`
// (a FailureError), and a FailureError that leaves the run method fails the workflow.
//
// - 'handled': the call sits in the body of a `try` with an `except` clause that takes an
//   ActivityError (bare, Exception, BaseException, ActivityError, FailureError, TemporalError) and
//   has a way out that is not a raise (retries, returns a fallback, logs and goes on), or in
//   `asyncio.gather(..., return_exceptions=True)`.
// - 'uncaught': it is awaited (directly, or through `asyncio.gather`) in the `@workflow.run` method
//   and nothing on the way catches it.
// - 'rethrown': the same, but an `except` on the way cleans up (compensates, logs, writes a status)
//   and then raises on every path (`raise`, `raise ApplicationError(...) from e`): the workflow
//   still fails.
// - a call in an async helper method of the workflow class (`await self._execute_step(...)` from
//   the run method) is judged at the helper's call sites, up the call graph to the run method: it
//   is 'handled' when every call of the helper in the class (written `self.<name>(...)`, awaited
//   where it is made when the helper is async) is handled there, and 'unknown' otherwise (a call site the reviewer does not
//   follow, a caller that lets the failure through, a helper used other than by such calls).
// - 'unknown': any other place (a signal or update handler, a nested function or lambda, a
//   handle stored by start_activity or create_task, a function outside the workflow class).

import type { ActivityCallHandling } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { className, exceptClauses, type ExceptClause } from './python-caught-errors.js';
import { callArguments, decoratorsOf, descendantsInScope, isAsyncFunction, namedChildrenOf } from './python-syntax.js';

/** The classes an ActivityError is an instance of, by the names an except clause may use. */
const ACTIVITY_ERROR_CLASSES = new Set(['ActivityError', 'FailureError', 'TemporalError', 'Exception', 'BaseException']);

/** Nodes the failure passes through unchanged on its way from the call to the statement holding it. */
const PASS_THROUGH = new Set(['parenthesized_expression', 'list', 'tuple', 'list_splat', 'list_comprehension', 'generator_expression', 'argument_list', 'for_in_clause']);

export function pythonActivityCallHandling(call: PythonNode, file: string, modules: PythonModules): ActivityCallHandling {
  return handlingFrom(call, file, modules, (clause) => takesActivityError(clause, file, modules), 0);
}

/**
 * What the workflow does with an exception raised where `node` is evaluated (an AttributeError
 * from a name the SDK lacks): the same walk, for exceptions of any class `takes` accepts, starting
 * at the expression itself rather than at an awaited call. 'handled' when a `try` on the way (in
 * the function, or around every call of the helper holding it, up to the run method) takes it and
 * has a way out that is not a raise.
 */
export function pythonRaisedHandling(node: PythonNode, file: string, modules: PythonModules, takes: (clause: ExceptClause) => boolean): { handling: ActivityCallHandling; clauses: PythonNode[] } {
  const clauses: PythonNode[] = [];
  return { handling: handlingFrom(node, file, modules, takes, 0, true, clauses), clauses };
}

/** How far up the helper call graph the walk goes. */
const MAX_HELPER_DEPTH = 4;

/** `clauses` gets the except clauses that handle the failure (one per path), when given. */
function handlingFrom(start: PythonNode, file: string, modules: PythonModules, takes: (clause: ExceptClause) => boolean, depth: number, raisedHere = false, clauses?: PythonNode[]): ActivityCallHandling {
  let child: PythonNode = start;
  let node: PythonNode | null = start.parent;
  // An expression raises where it is evaluated: no await is needed for the failure to surface.
  let awaited = raisedHere;
  let rethrown = false;
  while (node) {
    if (node.type === 'await') awaited = true;
    else if (node.type === 'call' && !awaited) {
      // `asyncio.gather(*[...])`: the gather raises the first failure, or returns it with return_exceptions=True.
      if (!isGather(node, file, modules)) return 'unknown';
      const flag = callArguments(node).keywords.get('return_exceptions');
      if (flag && flag.type !== 'false') return 'handled';
    } else if (node.type === 'try_statement') {
      if (node.childForFieldName('body')?.id === child.id) {
        const clause = exceptClauses(node).find(takes);
        if (clause && !onlyReraises(clause)) {
          // A `return` in `finally` drops what the except raises.
          const final = namedChildrenOf(node).find((c) => c.type === 'finally_clause');
          if ((!alwaysRaises(clauseBlock(clause)) && !raisesAfterTry(node)) || (final && leavesEarly(final))) {
            if (clauses && !clauses.some((c) => c.id === clause.node.id)) clauses.push(clause.node);
            return 'handled';
          }
          rethrown = true;
        }
      }
    } else if (node.type === 'function_definition') {
      if (!awaited) return 'unknown';
      if (isWorkflowRun(node, file, modules)) return rethrown ? 'rethrown' : 'uncaught';
      // A helper method: its callers decide. Only 'handled' is taken from them (the failure
      // cannot leave the run method by any call of the helper); anything else stays 'unknown'.
      return depth < MAX_HELPER_DEPTH && helperCallsHandled(node, file, modules, takes, depth + 1, clauses) ? 'handled' : 'unknown';
    } else if (node.type === 'lambda' || node.type === 'class_definition') {
      return 'unknown';
    } else if (!awaited && !PASS_THROUGH.has(node.type)) {
      // Assigned, passed to create_task or any other use before an await: the failure surfaces
      // where the handle is awaited, which may be elsewhere.
      return 'unknown';
    }
    child = node;
    node = node.parent;
  }
  return 'unknown';
}

/**
 * True when the helper is an undecorated method of a class (a workflow class, for the calls
 * this is asked about) that the class uses only in calls `self.<name>(...)`, at least one, and every
 * such call hands an exception leaving the helper to a `try` that handles it (see handlingFrom).
 */
function helperCallsHandled(fn: PythonNode, file: string, modules: PythonModules, takes: (clause: ExceptClause) => boolean, depth: number, clauses?: PythonNode[]): boolean {
  const name = fn.childForFieldName('name')?.text;
  if (!name || decoratorsOf(fn).length > 0) return false;
  // A plain method raises at its call; an async one where the call is awaited.
  const raisesAtCall = !isAsyncFunction(fn);
  const classNode = fn.parent?.type === 'block' ? fn.parent.parent : undefined;
  if (!classNode || classNode.type !== 'class_definition') return false;
  const uses = classNode.descendantsOfType('identifier').filter((identifier) => identifier?.text === name);
  let calls = 0;
  for (const use of uses) {
    if (!use || use.id === fn.childForFieldName('name')?.id) continue;
    const attribute = use.parent;
    // `self.<name>(...)`, nothing else: a reference passed on or stored is called where the reviewer does not look.
    if (attribute?.type !== 'attribute' || attribute.childForFieldName('attribute')?.id !== use.id || attribute.childForFieldName('object')?.text !== 'self') return false;
    const call = attribute.parent;
    if (call?.type !== 'call' || call.childForFieldName('function')?.id !== attribute.id) return false;
    if (handlingFrom(call, file, modules, takes, depth, raisesAtCall, clauses) !== 'handled') return false;
    calls++;
  }
  return calls > 0;
}
function isGather(call: PythonNode, file: string, modules: PythonModules): boolean {
  const callee = call.childForFieldName('function');
  return !!callee && modules.qualifiedName(file, callee) === 'asyncio.gather';
}

/** True when the clause takes an ActivityError: bare, or naming one of its classes (by import or by name). */
function takesActivityError(clause: ExceptClause, file: string, modules: PythonModules): boolean {
  if (clause.classes.length === 0) return true;
  return clause.classes.some((node) => {
    const qualified = modules.qualifiedName(file, node);
    const name = qualified?.startsWith('temporalio.') ? qualified.slice(qualified.lastIndexOf('.') + 1) : className(node);
    return ACTIVITY_ERROR_CLASSES.has(name);
  });
}

function clauseBlock(clause: ExceptClause): PythonNode | undefined {
  return namedChildrenOf(clause.node).find((c) => c.type === 'block');
}

/**
 * True when every path through the block ends in a `raise`: a statement that always raises with
 * nothing before it that returns, breaks or continues; an `if` always raises when it has an `else`
 * and every branch always raises. Anything else (a nested `try`, a `with`, a `match`, a call of a
 * helper that may raise) is not read and counts as a way out.
 */
function alwaysRaises(block: PythonNode | null | undefined): boolean {
  if (!block) return false;
  for (const statement of namedChildrenOf(block)) {
    if (statement.type === 'comment') continue;
    if (statementAlwaysRaises(statement)) return true;
    if (leavesEarly(statement)) return false;
  }
  return false;
}

/**
 * True when a `raise` always follows the try statement once its except clause ends normally:
 * `try: await rollback(id) except ActivityError as e: log(e)` and then `raise ApplicationError(...)`.
 * The statements after the try in its block are read in order (see alwaysRaises), and when the
 * block ends, the statements after what holds it, out through `if`/`elif`/`else` branches, except
 * clauses and the `else` of a try; a loop, a `with`, a `try` body with except clauses of its own
 * (which would take the raise), a `finally` or the end of the function mean no.
 */
function raisesAfterTry(tryStatement: PythonNode): boolean {
  let node: PythonNode = tryStatement;
  for (let parent = node.parent; parent; node = parent, parent = parent.parent) {
    if (parent.type === 'block' || parent.type === 'module') {
      const statements = namedChildrenOf(parent);
      const at = statements.findIndex((s) => s.id === node.id);
      for (const statement of statements.slice(at + 1)) {
        if (statement.type === 'comment') continue;
        if (statementAlwaysRaises(statement)) return true;
        if (leavesEarly(statement)) return false;
      }
      continue;
    }
    if (parent.type === 'if_statement' || parent.type === 'elif_clause' || parent.type === 'except_clause') continue;
    if (parent.type === 'else_clause') {
      if (parent.parent?.type === 'if_statement' || parent.parent?.type === 'try_statement') continue;
      return false;
    }
    if (parent.type === 'try_statement') {
      const parts = namedChildrenOf(parent);
      if (parent.childForFieldName('body')?.id === node.id && parts.some((c) => c.type === 'except_clause' || c.type === 'except_group_clause')) return false;
      const final = parts.find((c) => c.type === 'finally_clause');
      if (final && (final.id === node.id || leavesEarly(final))) return false;
      continue;
    }
    return false;
  }
  return false;
}

function statementAlwaysRaises(statement: PythonNode): boolean {
  if (statement.type === 'raise_statement') return true;
  if (statement.type !== 'if_statement') return false;
  const branches = namedChildrenOf(statement).filter((c) => c.type === 'elif_clause' || c.type === 'else_clause');
  if (!branches.some((c) => c.type === 'else_clause')) return false;
  const blocks = [statement.childForFieldName('consequence'), ...branches.map((c) => c.childForFieldName('consequence') ?? c.childForFieldName('body') ?? namedChildrenOf(c).find((b) => b.type === 'block') ?? null)];
  return blocks.every((b) => alwaysRaises(b));
}

/** True when a `return`, `break` or `continue` sits in the statement, outside nested functions and classes. */
function leavesEarly(statement: PythonNode): boolean {
  if (statement.type === 'return_statement' || statement.type === 'break_statement' || statement.type === 'continue_statement') return true;
  if (statement.type === 'function_definition' || statement.type === 'class_definition' || statement.type === 'lambda' || statement.type === 'decorated_definition') return false;
  return namedChildrenOf(statement).some(leavesEarly);
}

/** `except ActivityError: raise` or `except ActivityError as e: raise e`: the failure goes on unchanged. */
function onlyReraises(clause: ExceptClause): boolean {
  const block = clauseBlock(clause);
  const statements = block ? namedChildrenOf(block) : [];
  return (
    statements.length > 0 &&
    statements.every((statement) => {
      if (statement.type !== 'raise_statement') return false;
      const raised = namedChildrenOf(statement);
      return raised.length === 0 || (raised.length === 1 && raised[0]!.type === 'identifier' && raised[0]!.text === clause.alias);
    })
  );
}

function isWorkflowRun(fn: PythonNode, file: string, modules: PythonModules): boolean {
  return decoratorsOf(fn).some((decorator) => modules.qualifiedName(file, decorator.expression) === 'temporalio.workflow.run');
}

/**
 * The keyword arguments of an activity call written with a comment next to them: `retry_policy=` as
 * `retry`, and `maximum_attempts=` inside a `RetryPolicy(...)` written there as `retry.maximumAttempts`.
 */
export function commentedRetryOptions(call: PythonNode): string[] {
  const found: string[] = [];
  const retry = keywordArgument(call, 'retry_policy');
  if (!retry) return found;
  if (hasComment(retry)) found.push('retry');
  const value = retry.childForFieldName('value');
  const attempts = value?.type === 'call' ? keywordArgument(value, 'maximum_attempts') : undefined;
  if (attempts && hasComment(attempts)) found.push('retry.maximumAttempts');
  return found;
}

function keywordArgument(call: PythonNode, name: string): PythonNode | undefined {
  const list = call.childForFieldName('arguments');
  return list ? namedChildrenOf(list).find((argument) => argument.type === 'keyword_argument' && argument.childForFieldName('name')?.text === name) : undefined;
}

/**
 * A comment on its own line just before the argument, or after its value on the same line (after
 * the comma, if any). A comment that ends the line of the argument before belongs to that one.
 */
function hasComment(argument: PythonNode): boolean {
  for (let previous = argument.previousSibling; previous?.type === 'comment'; previous = previous.previousSibling) {
    const before = previous.previousSibling;
    if (!before || before.endPosition.row < previous.startPosition.row) return true;
  }
  let next = argument.nextSibling;
  if (next?.type === ',') next = next.nextSibling;
  return next?.type === 'comment' && next.startPosition.row === argument.endPosition.row;
}

const WAIT_CONDITION = 'temporalio.workflow.wait_condition';

/**
 * For a call whose failure a `try` around it catches: the first `workflow.wait_condition(...)` the
 * workflow always runs after the catch, in the same function: in the except clause, or in a
 * statement after the `try` statement (or after a statement holding it) in the same block, reached
 * with no `if`, loop or other branch in between (a `try` or `with` around the wait is fine). A
 * wait in a branch, at the top of a loop around the try (a pause gate), in the `else` clause or
 * in nested functions does not count.
 */
export function pythonWaitAfterCatch(call: PythonNode, file: string, modules: PythonModules): PythonNode | undefined {
  let tryStatement: PythonNode | undefined;
  let fn: PythonNode | undefined;
  for (let child: PythonNode = call, node = call.parent; node; child = node, node = node.parent) {
    if (node.type === 'lambda' || node.type === 'class_definition') return undefined;
    if (node.type === 'function_definition') {
      fn = node;
      break;
    }
    if (!tryStatement && node.type === 'try_statement' && node.childForFieldName('body')?.id === child.id) tryStatement = node;
  }
  const body = fn?.childForFieldName('body');
  if (!tryStatement || !body) return undefined;
  const catching = tryStatement;
  const encloses = (outer: PythonNode, inner: PythonNode) => inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
  const alwaysAfter = (wait: PythonNode): boolean => {
    for (let child: PythonNode = wait, node = wait.parent; node && node.id !== fn!.id; child = node, node = node.parent) {
      if (node.type === 'except_clause' && node.parent?.id === catching.id) return true;
      if (node.type === 'block' && encloses(node, catching)) {
        const holder = namedChildrenOf(node).find((statement) => encloses(statement, catching));
        return !!holder && child.startIndex >= holder.endIndex;
      }
      if (node.type === 'try_statement' ? node.childForFieldName('body')?.id !== child.id : !UNCONDITIONAL.has(node.type)) return false;
    }
    return false;
  };
  let found: PythonNode | undefined;
  descendantsInScope(body, (node) => {
    if (found || node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    if (callee && modules.qualifiedName(file, callee) === WAIT_CONDITION && alwaysAfter(node)) found = node;
  });
  return found;
}

/** Nodes between a wait and its block that do not make it conditional. */
const UNCONDITIONAL = new Set(['await', 'expression_statement', 'assignment', 'parenthesized_expression', 'block', 'with_statement', 'with_clause', 'with_item']);
