// How Python code around a client start (`await client.start_workflow(...)`,
// `await client.execute_workflow(...)`) drops the call's failure: the nearest `try` whose body
// awaits the call (no function in between) and the clause of it that takes the errors other than
// WorkflowAlreadyStartedError (bare `except:`, `Exception`, `BaseException`), when that clause does
// nothing with them (`pass`, `return None`, `...`). The same reading as the TypeScript front-end's
// start-handling.ts, in Python's syntax: an earlier `except WorkflowAlreadyStartedError:` clause,
// or an `if isinstance(err, WorkflowAlreadyStartedError):` at the top of the clause, tells the
// duplicate start apart, and only the part that runs for the other errors is read.

import type { DroppedStartFailure } from '../types.js';
import type { PythonNode } from './parse-python.js';
import { className, exceptClauses } from './python-caught-errors.js';
import { commentsAbove, locateNode, namedChildrenOf } from './python-syntax.js';

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
      if (!doesNothing(part.nodes)) return null;
      const above = commentsAbove(node);
      const inside = clause.node.descendantsOfType('comment').map((comment) => comment?.text ?? '');
      return { location: locateNode(file, clause.node), alreadyStartedTested: tested || part.tested, comments: [...above, ...inside].join('\n') };
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
