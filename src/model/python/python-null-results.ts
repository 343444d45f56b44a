// Whether a null guard in Python workflow code can fire: the name it tests (`if run is None: raise
// ValueError(...)`) holds the result of `await workflow.execute_activity(...)` (assigned once in
// the function), and the activity's implementation returns None on a path the review can see: a
// `return None` (or a bare `return` beside returns of values), `x or None`, a conditional with a None
// branch, or a query call that gives None when nothing matches (`result.scalar_one_or_none()`,
// `.first()`, `cursor.fetchone()`, `collection.find_one(...)`, asyncpg's `fetchrow`), returned
// directly or through a name assigned once. A declared `Optional[...]` alone is not enough: the
// body may well never return None. The TypeScript counterpart is sandbox/activity-null-result.ts.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import { descendantsInScope, enclosing, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';
import { executedActivity, type PythonWorkflow } from './python-temporal-calls.js';

export interface PythonMissingResult {
  activity: string;
  variable: string;
  /** When the implementation returns None, as a phrase (`when \`row is None\``). */
  when: string;
  location: SourceLocation;
}

/** Query methods that give None when nothing matches. */
const NONE_WHEN_EMPTY = new Set(['scalar_one_or_none', 'one_or_none', 'first', 'scalar', 'fetchone', 'find_one', 'fetchrow', 'fetchval']);

export function missingPythonActivityResult(
  raise: PythonNode,
  file: string,
  modules: PythonModules,
  workflows: PythonWorkflow[],
  activities: PythonActivity[],
): PythonMissingResult | undefined {
  const block = raise.parent;
  const guard = block?.parent;
  if (!block || block.type !== 'block' || guard?.type !== 'if_statement' || guard.childForFieldName('consequence')?.id !== block.id) return undefined;
  const condition = guard.childForFieldName('condition');
  return condition ? missingResultOf(raise, testedNames(condition), file, modules, workflows, activities) : undefined;
}

/** The same for `assert x is not None` (or `assert x`, joined by `and`): the names it asserts are there. */
export function missingPythonAssertedResult(
  statement: PythonNode,
  condition: PythonNode,
  file: string,
  modules: PythonModules,
  workflows: PythonWorkflow[],
  activities: PythonActivity[],
): PythonMissingResult | undefined {
  return missingResultOf(statement, assertedNames(condition), file, modules, workflows, activities);
}

function missingResultOf(
  raise: PythonNode,
  names: string[],
  file: string,
  modules: PythonModules,
  workflows: PythonWorkflow[],
  activities: PythonActivity[],
): PythonMissingResult | undefined {
  const fn = enclosing(raise, ['function_definition']);
  if (!fn) return undefined;
  for (const name of names) {
    const value = onlyAssignment(fn, name);
    if (!value || value.startIndex > raise.startIndex) continue;
    const awaited = unparenthesize(value);
    if (awaited.type !== 'await') continue;
    const call = namedChildrenOf(awaited)[0];
    if (!call || call.type !== 'call') continue;
    const activity = executedActivity(call, file, modules, workflows, activities);
    if (!activity?.implementation) continue;
    // Same-named implementations the call does not tell apart: each must show the path.
    const same = activities.filter((a) => a.name === activity.name);
    const paths = same.map((implementation) => nonePath(implementation));
    if (paths.length === 0 || paths.some((p) => !p)) continue;
    return { activity: activity.name, variable: name, ...paths[0]! };
  }
  return undefined;
}

/** The names a condition tests themselves for None (`x is None`, `not x`, `x == None`, joined by `or`). */
function testedNames(condition: PythonNode): string[] {
  const test = unparenthesize(condition);
  if (test.type === 'boolean_operator') {
    if (!test.children.some((c) => c?.type === 'or')) return [];
    const left = test.childForFieldName('left');
    const right = test.childForFieldName('right');
    return [...(left ? testedNames(left) : []), ...(right ? testedNames(right) : [])];
  }
  if (test.type === 'not_operator') {
    const operand = test.childForFieldName('argument');
    const inner = operand && unparenthesize(operand);
    return inner?.type === 'identifier' ? [inner.text] : [];
  }
  if (test.type !== 'comparison_operator') return [];
  const operands = namedChildrenOf(test);
  if (operands.length !== 2 || operands[1]!.type !== 'none' || operands[0]!.type !== 'identifier') return [];
  const operator = test.text.slice(operands[0]!.endIndex - test.startIndex, operands[1]!.startIndex - test.startIndex).trim();
  return operator === 'is' || operator === '==' ? [operands[0]!.text] : [];
}

/** The names an assert condition tests themselves for being there (`x is not None`, `x`, `x != None`, joined by `and`). */
function assertedNames(condition: PythonNode): string[] {
  const test = unparenthesize(condition);
  if (test.type === 'boolean_operator') {
    if (!test.children.some((c) => c?.type === 'and')) return [];
    const left = test.childForFieldName('left');
    const right = test.childForFieldName('right');
    return [...(left ? assertedNames(left) : []), ...(right ? assertedNames(right) : [])];
  }
  if (test.type === 'identifier') return [test.text];
  if (test.type !== 'comparison_operator') return [];
  const operands = namedChildrenOf(test);
  if (operands.length !== 2 || operands[1]!.type !== 'none' || operands[0]!.type !== 'identifier') return [];
  const operator = test.text.slice(operands[0]!.endIndex - test.startIndex, operands[1]!.startIndex - test.startIndex).replace(/\s+/g, ' ').trim();
  return operator === 'is not' || operator === '!=' ? [operands[0]!.text] : [];
}

/** The value of the one plain assignment to `name` in the function; undefined when it is bound any other way or more than once. */
function onlyAssignment(fn: PythonNode, name: string): PythonNode | undefined {
  let value: PythonNode | undefined;
  let bindings = 0;
  descendantsInScope(fn, (node) => {
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier' && left.text === name) {
        bindings++;
        value = node.type === 'assignment' ? node.childForFieldName('right') ?? undefined : undefined;
      } else if (left && left.type !== 'identifier' && left.type !== 'attribute' && left.type !== 'subscript' && left.descendantsOfType('identifier').some((id) => id?.text === name)) {
        bindings++; // a tuple target
      }
    } else if ((node.type === 'for_statement' || node.type === 'named_expression' || node.type === 'as_pattern_target') && namedChildrenOf(node).some((c) => c.type === 'identifier' && c.text === name)) {
      bindings++;
    }
  });
  return bindings === 1 ? value : undefined;
}

/** Where the activity returns None. */
function nonePath(activity: PythonActivity): { when: string; location: SourceLocation } | undefined {
  const body = activity.node.childForFieldName('body');
  if (!body) return undefined;
  const returns: PythonNode[] = [];
  descendantsInScope(body, (node) => {
    if (node.type === 'return_statement') returns.push(node);
  });
  const valued = returns.some((r) => namedChildrenOf(r).length > 0);
  for (const statement of returns) {
    const at = locateNode(activity.file, statement);
    const expression = namedChildrenOf(statement)[0];
    if (!expression) {
      if (valued) return { when: whenReturned(statement), location: at };
      continue;
    }
    const value = unparenthesize(expression);
    if (value.type === 'none') return { when: whenReturned(statement), location: at };
    if (value.type === 'conditional_expression') {
      const [whenTrue, test, whenFalse] = namedChildrenOf(value);
      if (whenTrue?.type === 'none' && test) return { when: `when \`${short(test.text)}\``, location: at };
      if (whenFalse?.type === 'none' && test) return { when: `unless \`${short(test.text)}\``, location: at };
    }
    if (value.type === 'boolean_operator' && value.children.some((c) => c?.type === 'or') && value.childForFieldName('right')?.type === 'none') {
      return { when: `when \`${short(value.childForFieldName('left')?.text ?? '')}\` is empty`, location: at };
    }
    const query = noneWhenEmpty(value) ?? (value.type === 'identifier' ? noneWhenEmptyValue(body, value.text) : undefined);
    if (query) return { when: `when \`${short(query)}\` finds nothing`, location: at };
  }
  return undefined;
}

/** `x.scalar_one_or_none()`, `await conn.fetchrow(...)`: the call's text when it gives None for no match. */
function noneWhenEmpty(value: PythonNode): string | undefined {
  const inner = value.type === 'await' ? namedChildrenOf(value)[0] : value;
  if (!inner || inner.type !== 'call') return undefined;
  const callee = inner.childForFieldName('function');
  const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
  if (!method || !NONE_WHEN_EMPTY.has(method)) return undefined;
  // `.first()` takes no arguments in the ORMs; `df.first('3D')` is something else.
  if (method === 'first' && namedChildrenOf(inner.childForFieldName('arguments')!).length > 0) return undefined;
  return inner.text;
}

function noneWhenEmptyValue(body: PythonNode, name: string): string | undefined {
  const fn = body.parent;
  const value = fn ? onlyAssignment(fn, name) : undefined;
  return value ? noneWhenEmpty(unparenthesize(value)) : undefined;
}

/** `when \`row is None\`` for a return that is the whole body of an if; `when what it calls fails` in an except clause. */
function whenReturned(statement: PythonNode): string {
  const block = statement.parent;
  const guard = block?.parent;
  if (block?.type === 'block' && namedChildrenOf(block).length === 1 && (guard?.type === 'if_statement' || guard?.type === 'elif_clause') && guard.childForFieldName('consequence')?.id === block.id) {
    const condition = guard.childForFieldName('condition');
    if (condition) return `when \`${short(condition.text)}\``;
  }
  for (let current = statement.parent; current && current.type !== 'function_definition'; current = current.parent) {
    if (current.type === 'except_clause' || current.type === 'except_group_clause') return 'when what it calls fails (in its except clause)';
  }
  return 'on one of its paths';
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 67)}...` : flat;
}
