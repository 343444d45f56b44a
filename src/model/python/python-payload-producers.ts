// Whether a credential field that a payload's type allows is ever given a value by the project.
// A type often declares more than its producers fill: `deployments: list[DeploymentRef]` whose
// `snapshot: Optional[Snapshot] = None` (holding a password) no constructor call ever passes, or a
// workflow parameter `access_token: Optional[str] = None` no start passes. Such a field never
// carries a credential into history. Everything the reader cannot follow (a `**` spread, `from_dict`,
// `model_validate`, a value from a parameter nobody visible passes, an attribute write) counts as
// "may carry", so only fields every visible producer leaves unset are dropped. The readers it
// stands on: python-class-constructions.ts (who builds a class), python-written-fields.ts (fields
// set after construction) and python-parameter-arguments.ts (what callers pass a parameter).

import type { PythonNode } from './parse-python.js';
import { functionTarget } from './python-activities.js';
import { emptyDefault, type ClassConstructions, type ClassRef } from './python-class-constructions.js';
import { enclosingClass, localValues, parameterOf } from './python-local-values.js';
import type { ArgumentsOf } from './python-activity-loops.js';
import { isContinueAsNew, returnsOnlyNone } from './python-path-ends.js';
import type { ProjectIndex } from './python-project-index.js';
import { callArguments, decoratorsOf, enclosing, namedChildrenOf, unparenthesize } from './python-syntax.js';
import { writtenFields } from './python-written-fields.js';

export type { ClassRef } from './python-class-constructions.js';

/** One step from a value to the secret: a field of a class, or an element of a collection. */
export type SecretStep = { kind: 'field'; name: string; holder: ClassRef } | { kind: 'element'; element: ClassRef | undefined };

/** The roots a payload value comes from: instances of classes, or a function parameter. */
export type PayloadRoot = { kind: 'classes'; classes: ClassRef[] } | { kind: 'parameter'; fn: PythonNode; file: string; name: string } | { kind: 'unknown' };

export interface ProducerIndex {
  /** True when a value reaching `steps` from `root` may be set by some producer. */
  mayCarry(root: PayloadRoot, steps: SecretStep[]): boolean;
}

export function payloadProducers(index: ProjectIndex, classes: ClassConstructions, argumentsOf: ArgumentsOf): ProducerIndex {
  const { modules } = index;
  const isWritten = writtenFields(index, classes);
  const { projectClass, constructions, fieldDefault, fieldOrder } = classes;

  /** True when any value the expression may hold, followed along the steps, is set. */
  const exprMayCarry = (expr: PythonNode, file: string, steps: SecretStep[], seen: Set<string>): boolean => {
    const node = unparenthesize(expr);
    const key = `${file}:${node.id}:${steps.length}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (node.type === 'none') return false;
    // `x = await self.next_step(...)` of a helper whose every return is None (it ends the run with
    // continue_as_new whenever it has a value): x is None, whatever its annotation allows.
    const called = node.type === 'await' ? unparenthesize(namedChildrenOf(node)[0] ?? node) : node;
    if (called.type === 'call' && returnsNoneOnly(called, file)) return false;
    if (node.type === 'conditional_expression') {
      const [yes, , no] = namedChildrenOf(node);
      return !yes || !no || exprMayCarry(yes, file, steps, seen) || exprMayCarry(no, file, steps, seen);
    }
    if (node.type === 'identifier') {
      const fn = steps.length === 0 ? parameterOf(node) : undefined;
      if (fn) return parameterMayCarry(fn, file, node.text, seen);
      const values = localValues(node, file);
      if (values) return values.some((v) => exprMayCarry(v.node, v.file, steps, seen));
      return steps.length === 0 || byDeclaredType(steps, seen);
    }
    const step = steps[0];
    if (!step) return true;
    const rest = steps.slice(1);
    if (step.kind === 'element') {
      if (['list', 'tuple', 'set'].includes(node.type)) return namedChildrenOf(node).some((e) => e.type === 'list_splat' || exprMayCarry(e, file, rest, seen));
      if (['list_comprehension', 'set_comprehension', 'generator_expression'].includes(node.type)) {
        const body = node.childForFieldName('body');
        return !body || exprMayCarry(body, file, rest, seen);
      }
      return byDeclaredType(steps, seen);
    }
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const cls = callee?.text === 'cls' ? enclosingClass(node, file) : callee ? projectClass(callee, file) : undefined;
      if (cls) return constructionMayCarry(node, file, cls, step.name, rest, seen);
    }
    return byDeclaredType(steps, seen);
  };

  /** A call of a project function or method whose every return gives None. */
  const returnsNoneOnly = (call: PythonNode, file: string): boolean => {
    const callee = call.childForFieldName('function');
    const caller = enclosing(call, ['function_definition']);
    const target = callee && caller ? functionTarget(callee, caller, file, modules) : undefined;
    if (!target || decoratorsOf(target.node).some((d) => !/^(?:staticmethod|classmethod)$/.test(d.expression.text))) return false;
    // A method may be overridden by a subclass the call runs on: only one that ends the run with
    // continue-as-new whenever it has a value is known to give None, not a stub that returns nothing.
    const method = enclosing(target.node, ['class_definition', 'function_definition'])?.type === 'class_definition';
    if (method && !target.node.descendantsOfType('expression_statement').some((s) => s !== null && isContinueAsNew(s, target.file, modules))) return false;
    return returnsOnlyNone(target.node, target.file, modules);
  };

  /** A value the reader cannot follow: any instance of its declared class, as every producer of that class builds it. */
  const byDeclaredType = (steps: SecretStep[], seen: Set<string>): boolean => {
    const step = steps[0];
    if (step?.kind === 'field') return classMayCarry(step.holder, steps, seen);
    if (step?.kind === 'element' && step.element && steps[1]) return classMayCarry(step.element, steps.slice(1), seen);
    return true;
  };

  const constructionMayCarry = (call: PythonNode, file: string, cls: ClassRef, field: string, rest: SecretStep[], seen: Set<string>): boolean => {
    if (isWritten(field)) return true;
    const args = callArguments(call);
    if (args.spreads.length > 0 || args.starred) return true;
    const declared = fieldDefault(cls, field);
    if (!declared || /\balias\b/.test(declared.value?.text ?? '')) return true;
    const given = args.keywords.get(field) ?? args.positional[fieldOrder(cls).indexOf(field)];
    if (given) return exprMayCarry(given, file, rest, seen);
    // Not passed: the field holds its default, which must be empty.
    return !declared.value || !emptyDefault(declared.value);
  };

  const classMayCarry = (cls: ClassRef, steps: SecretStep[], seen: Set<string>): boolean => {
    const key = `class:${cls.file}:${cls.node.id}:${steps.length}`;
    if (seen.has(key)) return false;
    seen.add(key);
    const step = steps[0];
    if (!step || step.kind !== 'field') return true;
    const made = constructions(cls);
    // No visible producer: the value comes from somewhere the reader cannot see.
    if (!made || made.length === 0) return true;
    return made.some((c) => {
      const callee = c.node.childForFieldName('function');
      const actual = callee?.text === 'cls' ? cls : (callee && projectClass(callee, c.file)) ?? cls;
      return constructionMayCarry(c.node, c.file, actual, step.name, steps.slice(1), seen);
    });
  };

  /** Whether any visible caller of `fn` passes a value for its parameter `name`. */
  const parameterMayCarry = (fn: PythonNode, file: string, name: string, seen: Set<string>): boolean => {
    const key = `param:${file}:${fn.id}:${name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    const passed = argumentsOf(fn, name);
    if (!passed?.passed) return true;
    const fallback = passed.fallback;
    return passed.passed.some((given) => (given === 'default' ? !fallback || fallback.type !== 'none' : exprMayCarry(given.node, given.file, [], seen)));
  };

  return {
    mayCarry(root, steps) {
      const seen = new Set<string>();
      if (root.kind === 'unknown') return true;
      if (root.kind === 'parameter') return steps.length > 0 || parameterMayCarry(root.fn, root.file, root.name, seen);
      return root.classes.length === 0 || root.classes.some((cls) => classMayCarry(cls, steps, seen));
    },
  };
}
