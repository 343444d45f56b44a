// The presence/absence test reader of Python workflow code: which values a condition tests for
// being there (`x`, `x is not None`, `x != None`, joined by `and`) or for missing (`not x`,
// `x is None`, `x == None`, joined by `or`). The null guards and asserts of workflow-throws-plain-error
// read conditions with it (python-workflow-code.ts), and so does the reading of what a helper's
// callers guarantee before they call it (python-caller-guarantees.ts).

import type { PythonNode } from './parse-python.js';
import { namedChildrenOf, unparenthesize } from './python-syntax.js';

/**
 * One value a condition tests: `truthy` (`x`, or `not x` for absence), `not-none` (`x is not
 * None`, or `x is None` for absence), `instance` (`isinstance(x, T)`, or `not isinstance(x, T)`,
 * only when asked for) with the type as written.
 */
export interface PresenceTest {
  node: PythonNode;
  kind: 'truthy' | 'not-none' | 'instance';
  type?: string;
}

/** The operands of a chain of `and` (present) or `or` (absence), flattened; the condition itself when it is not one. */
export function joinedParts(condition: PythonNode, present: boolean): PythonNode[] {
  const test = unparenthesize(condition);
  if (test.type === 'boolean_operator' && test.children.some((c) => c?.type === (present ? 'and' : 'or'))) {
    const left = test.childForFieldName('left');
    const right = test.childForFieldName('right');
    if (left && right) return [...joinedParts(left, present), ...joinedParts(right, present)];
  }
  return [test];
}

/** What one operand tests for presence (present) or for absence, or undefined when it tests something else. */
export function presenceTestOf(part: PythonNode, present: boolean, types = false): PresenceTest | undefined {
  const test = unparenthesize(part);
  if (test.type === 'comparison_operator') {
    const operands = namedChildrenOf(test);
    if (operands.length !== 2 || operands[1]!.type !== 'none') return undefined;
    const operator = test.text.slice(operands[0]!.endIndex - test.startIndex, operands[1]!.startIndex - test.startIndex).replace(/\s+/g, ' ').trim();
    if (!(present ? operator === 'is not' || operator === '!=' : operator === 'is' || operator === '==') || rootName(operands[0]!) === undefined) return undefined;
    return { node: operands[0]!, kind: 'not-none' };
  }
  // `not x` tests the absence of what `x` tests the presence of.
  const argument = !present && test.type === 'not_operator' ? test.childForFieldName('argument') : undefined;
  const value = present ? test : argument ? unparenthesize(argument) : undefined;
  if (!value) return undefined;
  if (value.type === 'identifier' || value.type === 'attribute' || value.type === 'subscript') return rootName(value) !== undefined ? { node: value, kind: 'truthy' } : undefined;
  if (types && value.type === 'call' && value.childForFieldName('function')?.text === 'isinstance') {
    const args = namedChildrenOf(value.childForFieldName('arguments') ?? value).filter((a) => a.type !== 'comment');
    if (args.length === 2 && args[0]!.type !== 'keyword_argument' && rootName(args[0]!) !== undefined) return { node: args[0]!, kind: 'instance', type: args[1]!.text.replace(/\s+/g, '') };
  }
  return undefined;
}

/**
 * Whether the condition only tests values for presence (`present`: `x`, `x is not None`, joined by
 * `and`) or for absence (`not x`, `x is None`, joined by `or`): the tests, or undefined.
 */
export function presenceTests(condition: PythonNode, present: boolean, types = false): PresenceTest[] | undefined {
  const tests: PresenceTest[] = [];
  for (const part of joinedParts(condition, present)) {
    const test = presenceTestOf(part, present, types);
    if (!test) return undefined;
    tests.push(test);
  }
  return tests;
}

/** Whether the condition only tests values for presence or absence (presenceTests); the tested names go to roots. */
export function testsPresence(condition: PythonNode, roots: string[], present: boolean): boolean {
  const tests = presenceTests(condition, present);
  if (!tests) return false;
  for (const test of tests) roots.push(rootName(test.node)!);
  return true;
}

/** The leftmost name of `x`, `x.y`, `x["k"]`; undefined for anything else (a call). */
export function rootName(node: PythonNode): string | undefined {
  let current = unparenthesize(node);
  while (current.type === 'attribute' || current.type === 'subscript') {
    const object = current.type === 'attribute' ? current.childForFieldName('object') : current.childForFieldName('value');
    if (!object) return undefined;
    current = object;
  }
  return current.type === 'identifier' ? current.text : undefined;
}
