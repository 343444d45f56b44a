// Whether every caller of a helper has already made its `assert` true: `assert sub_tasks` in
// `def run_fan_out(self, step)` (with `sub_tasks = step.sub_tasks`), where every call of
// run_fan_out in the project sits under `if step.sub_tasks:` or after `if not step.sub_tasks:
// return ...`, or passes a literal the assert holds for. Read with the presence/absence test reader
// (python-presence-tests.ts); anything the reader cannot follow (a caller it cannot see, a value
// reassigned or awaited on between the test and the call, a condition of another kind) leaves the
// assert to workflow-throws-plain-error.

import type { PythonNode } from './parse-python.js';
import type { ParameterArguments } from './python-parameter-arguments.js';
import { joinedParts, presenceTestOf, presenceTests, rootName, type PresenceTest } from './python-presence-tests.js';
import { parameterName } from './python-local-values.js';
import { namedChildrenOf, unparenthesize } from './python-syntax.js';

export type ArgumentsOf = (fn: PythonNode, name: string) => ParameterArguments | undefined;

const EXITS = new Set(['return_statement', 'raise_statement', 'continue_statement', 'break_statement']);
const LITERALS = new Set(['string', 'concatenated_string', 'integer', 'float', 'list', 'dictionary', 'tuple', 'set', 'true', 'false', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension']);

/** True when every call of the function holding the assert guarantees its condition (see the file comment). */
export function assertGuaranteedByCallers(assertion: PythonNode, condition: PythonNode, argumentsOf: ArgumentsOf): boolean {
  const fn = assertion.parent ? enclosingScope(assertion) : undefined;
  if (!fn || fn.type !== 'function_definition') return false;
  const tests = presenceTests(condition, true, true);
  if (!tests || tests.length === 0) return false;
  const parameters = new Set(namedChildrenOf(fn.childForFieldName('parameters') ?? fn).map(parameterName).filter((n): n is string => !!n && n !== 'self' && n !== 'cls'));
  return tests.every((test) => {
    const read = parameterPath(test.node, assertion, fn, parameters);
    if (!read) return false;
    const passed = argumentsOf(fn, read.parameter);
    if (!passed || passed.kind !== 'function' || !passed.passed) return false;
    return passed.passed.every((argument) => argument !== 'default' && callerGuarantees(argument.node, read.suffix, test));
  });
}

/** The nearest function or lambda around a node. */
function enclosingScope(node: PythonNode): PythonNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'lambda') return current;
  }
  return undefined;
}

function normalized(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * The asserted value as a parameter of the function and the path after it: `step.sub_tasks` for
 * `step.sub_tasks`, or for a local assigned once from one (`sub_tasks = step.sub_tasks`, before
 * the assert, in a block around it). The parameter is never reassigned, and nothing is awaited
 * before the value is read (a signal handler could change it meanwhile).
 */
function parameterPath(value: PythonNode, assertion: PythonNode, fn: PythonNode, parameters: Set<string>): { parameter: string; suffix: string } | undefined {
  const body = fn.childForFieldName('body');
  const root = rootName(value);
  if (!body || !root) return undefined;
  const suffix = normalized(value.text).slice(root.length);
  let parameter = root;
  let path = suffix;
  let readAt = assertion;
  if (!parameters.has(root)) {
    const writes = assignmentsTo(body, root);
    if (writes.length !== 1) return undefined;
    const write = writes[0]!;
    const right = write.childForFieldName('right');
    const statement = write.parent;
    if (write.type !== 'assignment' || write.childForFieldName('left')?.type !== 'identifier' || !right || statement?.type !== 'expression_statement' || statement.endIndex > assertion.startIndex) return undefined;
    if (!encloses(statement.parent!, assertion)) return undefined;
    const source = unparenthesize(right);
    const sourceRoot = rootName(source);
    if (!sourceRoot || !parameters.has(sourceRoot) || !['identifier', 'attribute', 'subscript'].includes(source.type)) return undefined;
    parameter = sourceRoot;
    path = normalized(source.text).slice(sourceRoot.length) + suffix;
    readAt = statement;
  }
  if (assignmentsTo(body, parameter).length > 0) return undefined;
  if (path && awaitsBetween(body, body.startIndex, readAt.startIndex)) return undefined;
  return { parameter, suffix: path };
}

/** Whether the caller, at the argument it passes, has made the test hold for `argument` + suffix. */
function callerGuarantees(argument: PythonNode, suffix: string, test: PresenceTest): boolean {
  const value = unparenthesize(argument);
  if (!suffix && LITERALS.has(value.type)) return literalHolds(value, test);
  const root = rootName(value);
  if (!root || !['identifier', 'attribute', 'subscript'].includes(value.type)) return false;
  const wanted = normalized(value.text) + suffix;
  const call = argument.parent?.type === 'keyword_argument' ? argument.parent.parent?.parent : argument.parent?.parent;
  if (!call || call.type !== 'call') return false;
  let child: PythonNode = call;
  for (let node = call.parent; node; child = node, node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') return false;
    // Inside `if <tests>:` (or `elif`): each test joined by `and` holds in its block.
    if (node.type === 'block' && (node.parent?.type === 'if_statement' || node.parent?.type === 'elif_clause') && node.parent.childForFieldName('consequence')?.id === node.id) {
      const condition = node.parent.childForFieldName('condition');
      if (condition && holds(condition, true, wanted, test) && unchanged(root, node, condition.endIndex, node.endIndex, call)) return true;
    }
    // After `if <missing tests>: return / raise / continue / break` earlier in a block around the call.
    if (node.type === 'block' || node.type === 'module') {
      for (const statement of namedChildrenOf(node)) {
        if (statement.startIndex >= child.startIndex) break;
        if (statement.type !== 'if_statement' || !exitsEarly(statement)) continue;
        const condition = statement.childForFieldName('condition');
        if (condition && holds(condition, false, wanted, test) && unchanged(root, node, statement.endIndex, child.endIndex, call)) return true;
      }
    }
  }
  return false;
}

/** An `if` with no `elif` or `else` whose block ends by leaving (return, raise, continue, break). */
function exitsEarly(statement: PythonNode): boolean {
  if (namedChildrenOf(statement).some((c) => c.type === 'elif_clause' || c.type === 'else_clause')) return false;
  const block = statement.childForFieldName('consequence');
  const last = block ? namedChildrenOf(block).filter((c) => c.type !== 'comment').at(-1) : undefined;
  return !!last && EXITS.has(last.type);
}

/**
 * Whether a condition makes the wanted test hold: inside its block (present: one of its `and`
 * operands tests it) or after an early exit (absence: one of its `or` operands tests the opposite).
 */
function holds(condition: PythonNode, present: boolean, wanted: string, test: PresenceTest): boolean {
  return joinedParts(condition, present).some((part) => {
    const given = presenceTestOf(part, present, true);
    return !!given && normalized(given.node.text) === wanted && implies(given, test);
  });
}

/** A truthy value is not None; an instance of a type is not None; `x is not None` says nothing of truthiness. */
function implies(given: PresenceTest, wanted: PresenceTest): boolean {
  if (wanted.kind === 'truthy') return given.kind === 'truthy';
  if (wanted.kind === 'not-none') return given.kind === 'truthy' || given.kind === 'not-none' || (given.kind === 'instance' && !/None/.test(given.type ?? 'None'));
  return given.kind === 'instance' && given.type === wanted.type;
}

function literalHolds(value: PythonNode, test: PresenceTest): boolean {
  if (test.kind === 'instance') return false;
  if (test.kind === 'not-none') return true;
  if (value.type === 'true') return true;
  if (value.type === 'integer' || value.type === 'float') return !/^[0._]*(?:[eE].*)?$/.test(value.text.replace(/^[+-]/, '').replace(/[jJ]$/, ''));
  if (value.type === 'string') return value.descendantsOfType('interpolation').length === 0 && !/^[a-zA-Z]*(?:''|""|''''''|"""""")$/.test(value.text);
  if (value.type === 'list' || value.type === 'dictionary' || value.type === 'tuple' || value.type === 'set') return namedChildrenOf(value).some((c) => c.type !== 'comment');
  return false;
}

/**
 * Nothing in [from, to) of the scope assigns the value's root name (`step = ...`, `step.x = ...`,
 * a loop or `with` target), and, for the workflow's own state (`self.x`), nothing there awaits or
 * calls anything but the call itself: a signal handler or a method could change it meanwhile.
 */
function unchanged(root: string, scope: PythonNode, from: number, to: number, call: PythonNode): boolean {
  const inRange = (node: PythonNode) => node.startIndex >= from && node.startIndex < to;
  if (assignmentsTo(scope, root).some(inRange)) return false;
  if (root !== 'self') return true;
  if (awaitsBetween(scope, from, to)) return false;
  return !scope.descendantsOfType('call').some((c) => !!c && inRange(c) && !encloses(call, c) && !encloses(c, call));
}

/** Assignments, augmented assignments, loop, `with` and walrus targets, `del`, `global` of a name (or of a path on it). */
function assignmentsTo(scope: PythonNode, name: string): PythonNode[] {
  const found: PythonNode[] = [];
  for (const node of scope.descendantsOfType(['assignment', 'augmented_assignment', 'for_statement', 'as_pattern', 'named_expression', 'delete_statement', 'global_statement', 'nonlocal_statement'])) {
    if (!node) continue;
    const target =
      node.type === 'assignment' || node.type === 'augmented_assignment' || node.type === 'for_statement'
        ? node.childForFieldName('left')
        : node.type === 'as_pattern'
          ? node.childForFieldName('alias')
          : node.type === 'named_expression'
            ? node.childForFieldName('name')
            : node;
    if (target && targetRoots(target).includes(name)) found.push(node);
  }
  return found;
}

/** The names a target writes: `x`, the root of `x.y` / `x[k]`, each name of a tuple of targets. */
function targetRoots(target: PythonNode): string[] {
  if (target.type === 'identifier' || target.type === 'attribute' || target.type === 'subscript') {
    const root = rootName(target);
    return root ? [root] : [];
  }
  return namedChildrenOf(target).flatMap(targetRoots);
}

function awaitsBetween(scope: PythonNode, from: number, to: number): boolean {
  return scope.descendantsOfType('await').some((node) => !!node && node.startIndex >= from && node.startIndex < to);
}

function encloses(outer: PythonNode, inner: PythonNode): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}
