// Whether the failure of one activity call of a Python workflow can fail the run: the Python side of
// the reading described at ActivityProxyFacts.failureContained (the TypeScript side is
// typescript/contained-activity-failures.ts, with the same rules). A failure is contained when
//
// - the call is awaited (directly, or through `asyncio.gather`) in the body of a `try` in the
//   workflow's `@workflow.run` method, and the first `except` clause that takes an ActivityError
//   (bare, Exception, BaseException, ActivityError, FailureError, TemporalError) does not fail:
//   no `raise` in it, nothing awaited in it whose failure is not itself caught by a clause that
//   does not fail (a compensation activity in its own try/except is fine), and no call of a
//   method of the workflow class or a function of the reviewed code that raises or awaits;
// - and, unless the clause ends with `return`, nothing reachable after it raises: no `raise` after
//   the clause in the run method, nor anywhere in a loop around the `try`, and no call there of a
//   method or function of the reviewed code that raises or awaits (a flag set in the handler may
//   be raised on later).
//
// A clause that fails hands the failure on to an enclosing `try`, which may contain it in turn.
// Anything else (a call in a helper method, in a signal handler, not awaited where it is made)
// counts as able to fail the run: when unsure, the failure is not contained.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { className, exceptClauses, type ExceptClause } from './python-caught-errors.js';
import { enclosingFunction } from './python-per-call-connections.js';
import { classMembers, decoratorsOf, enclosing, namedChildrenOf } from './python-syntax.js';

const ACTIVITY_ERROR_CLASSES = new Set(['ActivityError', 'FailureError', 'TemporalError', 'Exception', 'BaseException']);
const CATCH_ALL_CLASSES = new Set(['Exception', 'BaseException']);
const PASS_THROUGH = new Set(['parenthesized_expression', 'list', 'tuple', 'list_splat', 'list_comprehension', 'generator_expression', 'argument_list', 'for_in_clause']);
const SCOPES = new Set(['function_definition', 'class_definition', 'lambda', 'decorated_definition']);
const LOOPS = new Set(['for_statement', 'while_statement']);
/** Awaits that end only by cancellation, which a workflow retry policy does not retry. */
const HARMLESS_AWAITS = new Set(['asyncio.sleep', 'temporalio.workflow.sleep']);

interface Scope {
  file: string;
  modules: PythonModules;
  /** The class holding the run method: `self.helper()` resolves to its methods. */
  classNode: PythonNode | undefined;
}

/** True when the failure of this activity call (an `execute_activity` call node) cannot fail the workflow run. */
export function pythonActivityFailureContained(call: PythonNode, file: string, modules: PythonModules): boolean {
  const awaitNode = awaitOf(call, file, modules);
  if (!awaitNode) return false;
  const scope: Scope = { file, modules, classNode: undefined };
  let child: PythonNode = awaitNode;
  for (let node = awaitNode.parent; node; child = node, node = node.parent) {
    // Reached the function holding the call without a try that contains the failure.
    if (SCOPES.has(node.type)) return false;
    if (node.type !== 'try_statement' || node.childForFieldName('body')?.id !== child.id) continue;
    const clause = exceptClauses(node).find((c) => takes(c, ACTIVITY_ERROR_CLASSES, scope));
    if (!clause) continue;
    const run = enclosingFunction(node);
    if (!run || !isWorkflowRun(run, file, modules)) return false;
    scope.classNode = enclosing(run, ['class_definition']);
    const block = clauseBlock(clause);
    if (!block || blockFails(block, scope, 0)) continue;
    if (endsWithReturn(block)) return true;
    return !failsAfter(node, clause.node, run, scope);
  }
  return false;
}

/** The `await` that settles the call: directly, or through `asyncio.gather(...)` without return_exceptions. */
function awaitOf(call: PythonNode, file: string, modules: PythonModules): PythonNode | undefined {
  for (let node = call.parent; node; node = node.parent) {
    if (node.type === 'await') return node;
    if (PASS_THROUGH.has(node.type)) continue;
    if (node.type === 'call' && modules.qualifiedName(file, node.childForFieldName('function')!) === 'asyncio.gather') continue;
    return undefined;
  }
  return undefined;
}

/**
 * True when the block of an except clause may fail the run: a `raise` anywhere in it, an await
 * that is not contained by a try/except of its own inside the block, or a call of reviewed code
 * that raises or awaits.
 */
function blockFails(block: PythonNode, scope: Scope, depth: number): boolean {
  let fails = false;
  const visit = (node: PythonNode): void => {
    if (fails || SCOPES.has(node.type)) return;
    if (node.type === 'raise_statement') fails = true;
    else if (node.type === 'await' && !harmlessAwait(node, scope) && !awaitCaught(node, block, scope, depth)) fails = true;
    else if (node.type === 'call' && node.parent?.type !== 'await' && callMayRaise(node, scope, depth)) fails = true;
    for (const c of namedChildrenOf(node)) visit(c);
  };
  for (const c of namedChildrenOf(block)) visit(c);
  return fails;
}

function harmlessAwait(node: PythonNode, scope: Scope): boolean {
  const awaited = namedChildrenOf(node)[0];
  const callee = awaited?.type === 'call' ? awaited.childForFieldName('function') : undefined;
  return !!callee && HARMLESS_AWAITS.has(scope.modules.qualifiedName(scope.file, callee) ?? '');
}

/**
 * An await inside an except block is caught when a `try` between it and the block has a clause
 * that takes its failure (an ActivityError for an activity call, anything for other awaits) and
 * does not fail itself.
 */
function awaitCaught(awaitNode: PythonNode, stop: PythonNode, scope: Scope, depth: number): boolean {
  const awaited = namedChildrenOf(awaitNode)[0];
  const callee = awaited?.type === 'call' ? awaited.childForFieldName('function') : undefined;
  const qualified = callee ? scope.modules.qualifiedName(scope.file, callee) : undefined;
  const activity = qualified === 'temporalio.workflow.execute_activity' || qualified === 'temporalio.workflow.execute_local_activity' ||
    qualified === 'temporalio.workflow.execute_activity_method' || qualified === 'temporalio.workflow.execute_local_activity_method';
  let child: PythonNode = awaitNode;
  for (let node = awaitNode.parent; node && node.id !== stop.id; child = node, node = node.parent) {
    if (node.type !== 'try_statement' || node.childForFieldName('body')?.id !== child.id) continue;
    const clause = exceptClauses(node).find((c) => takes(c, activity ? ACTIVITY_ERROR_CLASSES : CATCH_ALL_CLASSES, scope));
    const block = clause ? clauseBlock(clause) : undefined;
    if (block && !blockFails(block, scope, depth)) return true;
  }
  return false;
}

/**
 * A call of a method of the workflow class (`self.helper()`) or of a function of the reviewed code
 * that raises or awaits (one level deep); a `self.` method the class does not define counts too.
 * Library calls (`workflow.logger.error`, `str`) fail the workflow task at most, not the run.
 */
function callMayRaise(call: PythonNode, scope: Scope, depth: number): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  let definition: PythonNode | undefined;
  if (callee.type === 'attribute' && callee.childForFieldName('object')?.text === 'self') {
    const name = callee.childForFieldName('attribute')?.text;
    definition = scope.classNode && name ? methodOf(scope.classNode, name) : undefined;
    if (!definition) return true;
  } else if (callee.type === 'identifier') {
    const found = scope.modules.lookupAt(scope.file, callee.text, call);
    if (found?.kind !== 'function') return false;
    definition = found.node;
  } else {
    return false;
  }
  if (depth > 0) return true;
  const body = definition.childForFieldName('body');
  if (!body) return true;
  let raises = false;
  const visit = (node: PythonNode): void => {
    if (raises) return;
    if (node.type === 'raise_statement' || node.type === 'await') raises = true;
    else if (node.type === 'call' && callMayRaise(node, scope, depth + 1)) raises = true;
    if (node.type !== 'lambda' && node.type !== 'class_definition') for (const c of namedChildrenOf(node)) visit(c);
  };
  visit(body);
  return raises;
}

/**
 * Whether something reachable after the handler ran may raise: a `raise` after the clause in the
 * run method, or anywhere in a loop around the `try`; or a call there of reviewed code that raises
 * or awaits.
 */
function failsAfter(tryStatement: PythonNode, clause: PythonNode, run: PythonNode, scope: Scope): boolean {
  const loops: PythonNode[] = [];
  for (let node = tryStatement.parent; node && node.id !== run.id; node = node.parent) if (LOOPS.has(node.type)) loops.push(node);
  const reachable = (node: PythonNode) => node.startIndex >= clause.endIndex || loops.some((loop) => node.startIndex >= loop.startIndex && node.endIndex <= loop.endIndex);
  let fails = false;
  const visit = (node: PythonNode): void => {
    if (fails || SCOPES.has(node.type)) return;
    if (node.endIndex > clause.startIndex || loops.length > 0) {
      if (reachable(node) && node.type === 'raise_statement') fails = true;
      else if (reachable(node) && node.type === 'call' && callMayRaise(node, scope, 0)) fails = true;
    }
    for (const c of namedChildrenOf(node)) visit(c);
  };
  const body = run.childForFieldName('body');
  if (body) for (const c of namedChildrenOf(body)) visit(c);
  return fails;
}

/** The clause takes the failure: bare, or naming one of the classes (by import or by name). */
function takes(clause: ExceptClause, classes: Set<string>, scope: Scope): boolean {
  if (clause.classes.length === 0) return true;
  return clause.classes.some((node) => {
    const qualified = scope.modules.qualifiedName(scope.file, node);
    const name = qualified?.startsWith('temporalio.') ? qualified.slice(qualified.lastIndexOf('.') + 1) : className(node);
    return classes.has(name);
  });
}

function clauseBlock(clause: ExceptClause): PythonNode | undefined {
  return namedChildrenOf(clause.node).find((c) => c.type === 'block');
}

function endsWithReturn(block: PythonNode): boolean {
  const statements = namedChildrenOf(block).filter((s) => s.type !== 'comment');
  return statements[statements.length - 1]?.type === 'return_statement';
}

function methodOf(classNode: PythonNode, name: string): PythonNode | undefined {
  return classMembers(classNode).find((member) => member.type === 'function_definition' && member.childForFieldName('name')?.text === name);
}

function isWorkflowRun(fn: PythonNode, file: string, modules: PythonModules): boolean {
  return decoratorsOf(fn).some((decorator) => modules.qualifiedName(file, decorator.expression) === 'temporalio.workflow.run');
}
