// Whether the value a workflow converts back into an Enum (`Signal(value)`) is the result of one of
// the project's own activities that only ever returns a value of that same Enum
// (`return Signal.DONE.value`, `return decide(...).value` where `decide` returns members): the
// conversion cannot meet a value the Enum does not have, so it cannot raise ValueError.

import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import { functionTarget } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import { descendantsInScope, namedChildrenOf, unparenthesize } from './python-syntax.js';
import { executedActivity, type PythonWorkflow } from './python-temporal-calls.js';
import { classDefinition } from './python-type-graph.js';

interface Context {
  modules: PythonModules;
  workflows: PythonWorkflow[];
  activities: PythonActivity[];
}

/**
 * True when `value`, converted with `Enum(value)` in `fn`, is the awaited result of a project
 * activity whose every return is `<member of Enum>.value`: directly the await, or a local name every
 * assignment of which is such an await.
 */
export function isOwnEnumActivityResult(value: PythonNode, enumCallee: PythonNode, fn: PythonNode, file: string, context: Context): boolean {
  const enumClass = classDefinition(enumCallee, file, context.modules);
  if (enumClass?.kind !== 'class') return false;
  const sources = originsOf(value, fn);
  return (
    sources !== undefined &&
    sources.every((source) => {
      const call = awaitedCall(source);
      const activity = call ? executedActivity(call, file, context.modules, context.workflows, context.activities) : undefined;
      const implementation = activity?.implementation;
      return implementation !== undefined && returnsOnly(implementation.node, implementation.file, (returned, at) => isMemberValue(returned, at, enumClass.node, context.modules));
    })
  );
}

/** The expressions the value comes from: itself, or every value assigned to the local name (undefined when a parameter or unassigned). */
function originsOf(value: PythonNode, fn: PythonNode): PythonNode[] | undefined {
  const expression = unparenthesize(value);
  if (expression.type !== 'identifier') return [expression];
  const parameters = fn.childForFieldName('parameters');
  if (parameters && namedChildrenOf(parameters).some((p) => (p.type === 'identifier' ? p.text : p.childForFieldName('name')?.text ?? namedChildrenOf(p).find((c) => c.type === 'identifier')?.text) === expression.text)) return undefined;
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  const values: PythonNode[] = [];
  let other = false;
  descendantsInScope(body, (node) => {
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier' && left.text === expression.text) {
        const right = node.childForFieldName('right');
        if (right && node.type === 'assignment') values.push(right);
        else other = true;
      } else if (left && left.type !== 'identifier' && left.text.split(/\W+/).includes(expression.text)) other = true;
    } else if ((node.type === 'for_statement' || node.type === 'with_item' || node.type === 'named_expression') && node.text.includes(expression.text)) {
      const target = node.childForFieldName('left') ?? node.childForFieldName('name') ?? node.childForFieldName('alias');
      if (target?.text.split(/\W+/).includes(expression.text)) other = true;
    }
  });
  return other || values.length === 0 ? undefined : values;
}

function awaitedCall(expression: PythonNode): PythonNode | undefined {
  const node = unparenthesize(expression);
  if (node.type !== 'await') return undefined;
  const inner = namedChildrenOf(node)[0];
  return inner?.type === 'call' ? inner : undefined;
}

/**
 * True when every return of the function passes `accepts` and the function cannot end without one
 * (its last statement is a return or a raise).
 */
function returnsOnly(fn: PythonNode, file: string, accepts: (returned: PythonNode, at: { fn: PythonNode; file: string }) => boolean): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  const statements = namedChildrenOf(body).filter((s) => s.type !== 'comment');
  const last = statements[statements.length - 1];
  if (!last || (last.type !== 'return_statement' && last.type !== 'raise_statement')) return false;
  let ok = true;
  let any = false;
  descendantsInScope(body, (node) => {
    if (node.type === 'yield') ok = false;
    if (node.type !== 'return_statement') return;
    const returned = namedChildrenOf(node).find((c) => c.type !== 'comment');
    any = true;
    if (!returned || !accepts(returned, { fn, file })) ok = false;
  });
  return ok && any;
}

/** `<member>.value` where the member is one of the Enum's (see isMember). */
function isMemberValue(returned: PythonNode, at: { fn: PythonNode; file: string }, enumNode: PythonNode, modules: PythonModules): boolean {
  const expression = unparenthesize(returned);
  if (expression.type !== 'attribute' || expression.childForFieldName('attribute')?.text !== 'value') return false;
  const object = expression.childForFieldName('object');
  return object !== null && isMember(object, at, enumNode, modules, 0);
}

/**
 * A member of the Enum: `Enum.NAME`, `Enum(x)` (which raises rather than return anything else), a
 * local every assignment of which is a member, or a call of a project function every return of
 * which is a member.
 */
function isMember(node: PythonNode, at: { fn: PythonNode; file: string }, enumNode: PythonNode, modules: PythonModules, depth: number): boolean {
  if (depth > 3) return false;
  const expression = unparenthesize(node);
  const sameClass = (candidate: PythonNode | null) => {
    if (!candidate || (candidate.type !== 'identifier' && candidate.type !== 'attribute')) return false;
    const definition = classDefinition(candidate, at.file, modules);
    return definition?.kind === 'class' && definition.node.id === enumNode.id;
  };
  if (expression.type === 'attribute') {
    const object = expression.childForFieldName('object');
    return /^[A-Z_][A-Z0-9_]*$/.test(expression.childForFieldName('attribute')?.text ?? '') && sameClass(object);
  }
  if (expression.type === 'call') {
    const callee = expression.childForFieldName('function');
    if (sameClass(callee)) return true;
    const target = callee ? functionTarget(callee, at.fn, at.file, modules) : undefined;
    return target !== undefined && returnsOnly(target.node, target.file, (returned, inner) => isMember(returned, inner, enumNode, modules, depth + 1));
  }
  if (expression.type === 'identifier') {
    const origins = originsOf(expression, at.fn);
    return origins !== undefined && origins.every((origin) => isMember(origin, at, enumNode, modules, depth + 1));
  }
  return false;
}
