// What a name inside a Python function holds: the values a local is assigned, whether it is a
// parameter, and the class a method's `self` belongs to.

import type { PythonNode } from './parse-python.js';
import type { Located } from './python-project-index.js';
import { enclosing, namedChildrenOf } from './python-syntax.js';

/** The values a local name is assigned in its function; undefined when it is a parameter or bound otherwise. */
export function localValues(name: PythonNode, file: string): Located[] | undefined {
  const fn = enclosing(name, ['function_definition']);
  if (!fn) return undefined;
  const parameters = fn.childForFieldName('parameters');
  if (parameters && parameters.descendantsOfType('identifier').some((p) => p?.text === name.text)) return undefined;
  const values: Located[] = [];
  for (const use of fn.descendantsOfType('identifier')) {
    if (use?.text !== name.text || !use.parent) continue;
    const parent = use.parent;
    if (parent.type === 'assignment' && (parent.childForFieldName('left') ?? parent).id === use.id) {
      const right = parent.childForFieldName('right');
      if (!right) return undefined;
      values.push({ node: right, file });
    } else if (['for_statement', 'for_in_clause', 'as_pattern_target', 'named_expression', 'augmented_assignment', 'pattern_list', 'tuple_pattern', 'global_statement', 'nonlocal_statement'].includes(parent.type)) {
      return undefined;
    } else if (parent.type === 'subscript' && parent.parent?.type === 'assignment') return undefined;
  }
  return values.length > 0 ? values : undefined;
}

/** The function a name is a parameter of, when it is one. */
export function parameterOf(name: PythonNode): PythonNode | undefined {
  const fn = enclosing(name, ['function_definition']);
  const parameters = fn?.childForFieldName('parameters');
  return parameters && namedChildrenOf(parameters).some((p) => parameterName(p) === name.text) ? fn : undefined;
}

export function parameterName(parameter: PythonNode): string | undefined {
  if (parameter.type === 'identifier') return parameter.text;
  const name = parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier');
  return name?.text;
}

export function enclosingClass(node: PythonNode, file: string): Located | undefined {
  const cls = enclosing(node, ['class_definition']);
  return cls ? { node: cls, file } : undefined;
}
