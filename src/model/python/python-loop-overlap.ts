// Which code of a Python workflow class can run while one of its loops runs. A workflow runs its
// `@workflow.run` method as one chain of awaits: while a loop in a method of that chain runs, the
// only other code that runs is what the loop calls, signal / update / query handlers (between the
// loop's awaits), and tasks started without being awaited on the spot (`asyncio.create_task`,
// `asyncio.gather`). A method the chain awaits before the loop starts (a phase that fills a list)
// has finished by then, and one it awaits after has not started: neither runs during the loop.

import type { PythonNode } from './parse-python.js';
import { classMembers, enclosing, isAsyncFunction, namedChildrenOf } from './python-syntax.js';

/**
 * A test for nodes of the workflow class: can this code run while `loop` runs? True for code in
 * the loop, in what the loop calls (methods of the class, followed to any depth), in handlers and
 * what they call, in functions and lambdas (callbacks run when something else decides), and in
 * methods that may run as tasks beside the chain; for all code but `__init__` when the loop itself
 * may run beside other code (it sits in a handler, a task, a nested function, or a method nothing in
 * the class calls). False for `__init__` (it runs before the workflow does) and for the rest of the
 * chain: the loop's own method outside the loop, and methods the chain awaits in turn.
 */
export function runsDuringLoop(loop: PythonNode, classNode: PythonNode): (node: PythonNode) => boolean {
  const members = new Map<string, PythonNode>();
  for (const member of classMembers(classNode)) {
    const name = member.type === 'function_definition' ? member.childForFieldName('name')?.text : undefined;
    if (name && !members.has(name)) members.set(name, member);
  }
  const memberOf = (node: PythonNode): PythonNode | undefined => [...members.values()].find((m) => m.startIndex <= node.startIndex && node.endIndex <= m.endIndex);
  const references = methodReferences(members);
  const concurrent = concurrentMethods(members, references);
  const reachable = reachableFrom(loop, members);
  const loopMember = memberOf(loop);
  const loopConcurrent = !loopMember || nestedFunction(loop, loopMember) || concurrent.has(loopMember.childForFieldName('name')?.text ?? '');
  return (node) => {
    if (node.startIndex >= loop.startIndex && node.endIndex <= loop.endIndex) return true;
    const member = memberOf(node);
    if (!member) return true;
    const name = member.childForFieldName('name')?.text ?? '';
    if (name === '__init__') return false;
    return nestedFunction(node, member) || reachable.has(name) || concurrent.has(name) || loopConcurrent;
  };
}

interface Reference {
  /** The method the reference is in. */
  from: string;
  /** `await self.m(...)` (or `self.m(...)` of a plain method) in the method's own body: it runs to completion there. */
  inTurn: boolean;
}

/** For each method, where the class names it as `self.<method>`. */
function methodReferences(members: Map<string, PythonNode>): Map<string, Reference[]> {
  const references = new Map<string, Reference[]>();
  for (const [from, member] of members) {
    for (const attribute of member.descendantsOfType('attribute')) {
      if (!attribute || attribute.childForFieldName('object')?.text !== 'self') continue;
      const name = attribute.childForFieldName('attribute')?.text ?? '';
      const target = members.get(name);
      if (!target) continue;
      const call = attribute.parent?.type === 'call' && attribute.parent.childForFieldName('function')?.id === attribute.id ? attribute.parent : undefined;
      let outer = call;
      while (outer?.parent?.type === 'parenthesized_expression') outer = outer.parent;
      const inTurn = !!call && !nestedFunction(attribute, member) && (!isAsyncFunction(target) || outer?.parent?.type === 'await');
      references.set(name, [...(references.get(name) ?? []), { from, inTurn }]);
    }
  }
  return references;
}

/**
 * Methods that may run beside the `@workflow.run` chain: handlers, methods started without being
 * awaited on the spot (or named without a call: a callback), methods nothing in the class names
 * (called from elsewhere), and methods any of those call.
 */
function concurrentMethods(members: Map<string, PythonNode>, references: Map<string, Reference[]>): Set<string> {
  const concurrent = new Set<string>();
  for (const [name, member] of members) {
    const decorators = member.parent?.type === 'decorated_definition' ? namedChildrenOf(member.parent).filter((d) => d.type === 'decorator').map((d) => d.text) : [];
    if (decorators.some((d) => /\bworkflow\.run\b|^@run\b/.test(d)) || name === '__init__') continue;
    const named = references.get(name) ?? [];
    if (decorators.some((d) => /\bworkflow\.(?:signal|update|query)\b|^@(?:signal|update|query)\b/.test(d)) || named.length === 0 || named.some((r) => !r.inTurn)) concurrent.add(name);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, named] of references) {
      if (concurrent.has(name) || !named.some((r) => concurrent.has(r.from))) continue;
      concurrent.add(name);
      changed = true;
    }
  }
  return concurrent;
}

/** Methods the loop calls or names, and those they do in turn. */
function reachableFrom(loop: PythonNode, members: Map<string, PythonNode>): Set<string> {
  const reachable = new Set<string>();
  const visit = (node: PythonNode): void => {
    for (const attribute of node.descendantsOfType('attribute')) {
      if (!attribute || attribute.childForFieldName('object')?.text !== 'self') continue;
      const name = attribute.childForFieldName('attribute')?.text ?? '';
      const member = members.get(name);
      if (!member || reachable.has(name)) continue;
      reachable.add(name);
      visit(member);
    }
  };
  visit(loop);
  return reachable;
}

/** The node sits in a function or lambda nested in `member`. */
function nestedFunction(node: PythonNode, member: PythonNode): boolean {
  const fn = enclosing(node, ['function_definition', 'lambda']);
  return !!fn && fn.id !== member.id;
}
