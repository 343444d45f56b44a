// A not-found guard in Python: `row = await repo.get(id)` then `if row is None: raise RowNotFound(id)`.
// The raise reacts only to a value the function has just read being missing; whether that can
// happen depends on data the code does not show. The TypeScript front-end's twin is
// src/model/typescript/existence-guard.ts.

import type { PythonNode } from './parse-python.js';
import { namedChildrenOf, unparenthesize } from './python-syntax.js';

const LOGGING = /^(?:log|debug|info|warn|warning|error|exception|critical)$/;

/** True when `raise` is the whole reaction (after logging) to a test that a just-read local is missing. */
export function pythonGuardsMissingRead(raise: PythonNode): boolean {
  const block = raise.parent;
  const guard = block?.parent;
  if (!block || block.type !== 'block' || !guard || guard.type !== 'if_statement') return false;
  if (guard.childForFieldName('consequence')?.id !== block.id) return false;
  if (namedChildrenOf(guard).some((child) => child.type === 'else_clause' || child.type === 'elif_clause')) return false;
  const statements = namedChildrenOf(block).filter((child) => child.type !== 'comment');
  if (statements[statements.length - 1]?.id !== raise.id || !statements.slice(0, -1).every(isLogging)) return false;
  const condition = guard.childForFieldName('condition');
  const name = condition ? testedMissing(condition) : undefined;
  if (!name) return false;
  const assigned = assignmentBefore(guard, name);
  return assigned !== undefined && isRead(assigned);
}

function isLogging(statement: PythonNode): boolean {
  const call = statement.type === 'expression_statement' ? namedChildrenOf(statement)[0] : undefined;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : undefined;
  const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
  return method !== undefined && LOGGING.test(method);
}

/** The name a condition tests for absence: `not x`, `x is None`, `x == None`. */
function testedMissing(condition: PythonNode): string | undefined {
  const test = unparenthesize(condition);
  if (test.type === 'not_operator') {
    const operand = test.childForFieldName('argument');
    return operand && unparenthesize(operand).type === 'identifier' ? unparenthesize(operand).text : undefined;
  }
  if (test.type !== 'comparison_operator') return undefined;
  const operands = namedChildrenOf(test);
  if (operands.length !== 2 || operands[0]!.type !== 'identifier' || operands[1]!.type !== 'none') return undefined;
  const operator = test.text.slice(operands[0]!.endIndex - test.startIndex, operands[1]!.startIndex - test.startIndex).trim();
  return operator === 'is' || operator === '==' ? operands[0]!.text : undefined;
}

/** The right-hand side of the last `name = ...` among the statements before the guard in its block. */
function assignmentBefore(guard: PythonNode, name: string): PythonNode | undefined {
  const block = guard.parent;
  if (!block) return undefined;
  const before = namedChildrenOf(block).filter((statement) => statement.endIndex <= guard.startIndex);
  for (const statement of before.reverse()) {
    const assignment = statement.type === 'expression_statement' ? namedChildrenOf(statement)[0] : undefined;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type === 'identifier' && left.text === name && right) return right;
  }
  return undefined;
}

/**
 * A value read from somewhere else: an awaited call, a method call on a session, query or client
 * (`session.get(User, id)`, `query.first()`), or a list element by position. A lookup of the input
 * in the code's own table (`PLANS.get(plan)`, `PLANS[plan]`) is validation, not a read.
 */
function isRead(value: PythonNode): boolean {
  const node = unparenthesize(value);
  if (node.type === 'await') return true;
  if (node.type === 'subscript') return namedChildrenOf(node).slice(1).every((index) => index.type === 'integer');
  if (node.type !== 'call') return false;
  const callee = node.childForFieldName('function');
  if (callee?.type !== 'attribute') return false;
  const receiver = callee.childForFieldName('object');
  // A listing of the worker's own disk (`glob.glob(...)`, `os.listdir(...)`): another worker, or
  // the same one a moment later, may see other files, so an empty listing is not a missing record.
  if (receiver && LOCAL_DISK.test(receiver.text)) return false;
  return !(receiver?.type === 'identifier' && /^[A-Z][A-Z0-9_]*$/.test(receiver.text));
}

const LOCAL_DISK = /^(?:glob|os|os\.path|shutil|pathlib)$/;
