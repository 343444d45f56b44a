// Workflow code that schedules commands in the order of a set of strings. Python salts the hash of
// str (and of what hashes like one: an Enum member, a tuple of strings) per process
// (PYTHONHASHSEED), so a set of strings iterates in another order in another worker process, or in
// the same worker after a restart; temporalio's sandbox does nothing about it (it neither sets the
// seed nor restricts set). A replay matches the commands to the history by position: one activity
// type per element fails with a non-determinism error, one type with the element as argument hands
// each call the result recorded for another element. Asked of temporalio 1.35.0 on a real worker
// and Replayer: test/model/python/python-sdk-set-order-facts.test.ts.
//
// Read narrowly: the value must be seen to be a set (a set literal or comprehension, set() /
// frozenset(), an operator or method on a set, a `set[...]` / `Set[...]` annotation, an attribute
// only ever assigned sets), its elements must not be ints (int hashes are not salted), and the
// order must reach commands: a loop over it (or over a list built from it: a comprehension,
// list(s), next(iter(s)), s.pop(), appends in a loop over it, a helper's return value) schedules an
// activity, a child workflow or a timer and uses the element. sorted(s) and order-free uses
// (sum, any, all, len, min, max, membership, building another set) are fine.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import { functionTarget } from './python-activities.js';
import { parameterName } from './python-local-values.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, enclosing, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';

export interface SetOrderIteration {
  /** The first place the set's order is taken (a `for`, a comprehension, list(s), next(iter(s)), s.pop()). */
  location: SourceLocation;
  /** The set as written where it is iterated (`remaining_tools`). */
  set: string;
  /** Where the set is made, when it is a name assigned in the function (or an attribute). */
  madeAt?: SourceLocation;
  /** What the set is made of, when the review can tell: strings. */
  elements: 'str' | 'unknown';
  /** How its order is taken first (`a list comprehension`). */
  how: string;
  /** The loop or comprehension that schedules commands in that order, and the command call. */
  schedules: { loop: SourceLocation; command: SourceLocation; name: string };
  /** Other places the same set's order is taken that reach the same commands. */
  others: SourceLocation[];
  workflows: string[];
}

const ACTIVITY = /^temporalio\.workflow\.(?:execute|start)_(?:local_)?activity(?:_method|_class)?$/;
const CHILD = /^temporalio\.workflow\.(?:execute|start)_child_workflow$/;
const TIMERS = new Set(['asyncio.sleep', 'temporalio.workflow.sleep']);
const SET_TYPE = /^(?:typing\.|collections\.abc\.)?(?:set|Set|frozenset|FrozenSet|AbstractSet|MutableSet)\s*(?:\[(.*)\])?$/s;
/** Consumers whose result does not depend on the order they read. */
const ORDER_FREE = new Set(['sum', 'any', 'all', 'len', 'min', 'max', 'set', 'frozenset', 'sorted', 'Counter', 'collections.Counter']);
const COMPREHENSIONS = ['list_comprehension', 'generator_expression', 'dictionary_comprehension'];
const HELPER_DEPTH = 4;

interface SetInfo {
  madeAt?: SourceLocation;
  elements: 'str' | 'int' | 'unknown';
}

interface Origin {
  file: string;
  site: PythonNode;
  set: string;
  info: SetInfo;
  how: string;
}

interface Sink {
  origins: Origin[];
  loop: SourceLocation;
  command: SourceLocation;
  name: string;
}

interface Seeds {
  sets: Map<string, SetInfo>;
  ordered: Map<string, Origin[]>;
}

interface Analysis {
  sinks: Sink[];
  returned: Origin[];
}

export function pythonSetOrders(modules: PythonModules, workflows: PythonWorkflow[]): SetOrderIteration[] {
  const scheduleMemo = new Map<number, { node: PythonNode; name: string; file: string } | null>();
  const analysisMemo = new Map<string, Analysis>();
  const classSets = new Map<number, Map<string, SetInfo>>();

  /** The command a node schedules (an activity, a child workflow, a timer), directly or through project helpers. */
  const scheduleIn = (node: PythonNode, file: string, fn: PythonNode, depth: number): { node: PythonNode; name: string; file: string } | undefined => {
    for (const call of [...(node.type === 'call' ? [node] : []), ...node.descendantsOfType('call')]) {
      if (!call) continue;
      const callee = call.childForFieldName('function');
      if (!callee) continue;
      const name = modules.qualifiedName(file, callee) ?? '';
      if (ACTIVITY.test(name) || CHILD.test(name) || TIMERS.has(name)) return { node: call, name: name.replace(/^temporalio\./, ''), file };
      if (name === 'temporalio.workflow.wait_condition') {
        const args = callArguments(call);
        if (args.keywords.has('timeout') || args.positional.length > 1) return { node: call, name: 'workflow.wait_condition', file };
        continue;
      }
      if (depth >= HELPER_DEPTH) continue;
      const target = functionTarget(callee, fn, file, modules);
      if (!target) continue;
      const found = helperSchedules(target.node, target.file, depth + 1);
      // The SDK call itself, in the helper that makes it.
      if (found) return found;
    }
    return undefined;
  };
  const helperSchedules = (fn: PythonNode, file: string, depth: number) => {
    if (scheduleMemo.has(fn.id)) return scheduleMemo.get(fn.id) ?? undefined;
    scheduleMemo.set(fn.id, null);
    const body = fn.childForFieldName('body');
    const found = body ? scheduleIn(body, file, fn, depth) : undefined;
    scheduleMemo.set(fn.id, found ?? null);
    return found;
  };

  /** Attributes of a class (`self.pending`) that are sets wherever they are assigned. */
  const setAttributes = (classNode: PythonNode, file: string): Map<string, SetInfo> => {
    const cached = classSets.get(classNode.id);
    if (cached) return cached;
    const found = new Map<string, SetInfo>();
    const notSets = new Set<string>();
    classSets.set(classNode.id, found);
    for (const member of classMembers(classNode)) {
      // `pending: set[str] = set()` in the class body (a dataclass field, or an annotation of the instance attribute).
      const assignment = member.type === 'expression_statement' ? namedChildrenOf(member)[0] : undefined;
      if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.type === 'identifier') {
        const info = annotationSet(assignment.childForFieldName('type'), file, assignment);
        if (info) found.set(`self.${assignment.childForFieldName('left')!.text}`, info);
      }
      if (member.type !== 'function_definition') continue;
      for (const node of member.descendantsOfType('assignment')) {
        const left = node?.childForFieldName('left');
        if (!node || left?.type !== 'attribute' || left.childForFieldName('object')?.text !== 'self') continue;
        const key = left.text;
        const right = node.childForFieldName('right');
        const info = annotationSet(node.childForFieldName('type'), file, node) ?? (right ? literalSet(right, file, node, new Map()) : undefined);
        if (info) {
          if (!found.has(key)) found.set(key, info);
        } else if (right) notSets.add(key);
      }
    }
    for (const key of notSets) found.delete(key);
    return found;
  };

  const analyze = (fn: PythonNode, file: string, seeds: Seeds, depth: number): Analysis => {
    const key = `${fn.id}|${[...seeds.sets.keys()].join(',')}|${[...seeds.ordered].map(([k, v]) => `${k}:${v.map((o) => o.site.id).join('+')}`).join(',')}`;
    const memo = analysisMemo.get(key);
    if (memo) return memo;
    const result: Analysis = { sinks: [], returned: [] };
    analysisMemo.set(key, result);
    const body = fn.childForFieldName('body');
    if (!body) return result;
    const classNode = enclosing(fn, ['class_definition']);
    const sets = new Map<string, SetInfo>([...(classNode ? setAttributes(classNode, file) : new Map<string, SetInfo>()), ...seeds.sets]);
    const ordered = new Map<string, Origin[]>(seeds.ordered);
    const nodes = scopeNodes(body);

    // Parameters annotated as sets.
    for (const parameter of namedChildrenOf(fn.childForFieldName('parameters') ?? fn)) {
      const name = parameterName(parameter);
      const info = annotationSet(parameter.childForFieldName('type'), file, parameter);
      if (name && info) sets.set(name, info);
    }
    // Local names: sets when every assignment makes a set.
    const assigned = new Map<string, PythonNode[]>();
    for (const node of nodes) {
      if (node.type !== 'assignment' && node.type !== 'augmented_assignment') continue;
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier') assigned.set(left.text, [...(assigned.get(left.text) ?? []), node]);
    }
    for (let round = 0; round < 2; round++) {
      for (const [name, writes] of assigned) {
        if (seeds.sets.has(name)) continue;
        let info: SetInfo | undefined;
        let all = true;
        for (const write of writes) {
          const annotated = annotationSet(write.childForFieldName('type'), file, write);
          const right = write.childForFieldName('right');
          const here = annotated ?? (write.type === 'assignment' && right ? literalSet(right, file, write, sets) : undefined);
          // `s |= other`, `s -= other` keep a set a set.
          if (!here && write.type === 'augmented_assignment' && /^[|&^-]=$/.test(write.childForFieldName('operator')?.text ?? '')) continue;
          if (!here) { all = false; break; }
          info ??= here;
        }
        if (all && info) sets.set(name, info.elements === 'unknown' ? { ...info, elements: addedElements(name, nodes) ?? 'unknown' } : info);
        else if (!all) sets.delete(name);
      }
    }
    // Lists sorted in place, anywhere in the function, keep no set order.
    const sortedInPlace = new Set<string>();
    for (const node of nodes) {
      if (node.type !== 'call') continue;
      const callee = node.childForFieldName('function');
      if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'sort') sortedInPlace.add(callee.childForFieldName('object')?.text ?? '');
    }

    const setOf = (node: PythonNode): SetInfo | undefined => {
      const target = unparenthesize(node);
      const info = target.type === 'identifier' || target.type === 'attribute' ? sets.get(target.text) : literalSet(target, file, target, sets);
      return info && info.elements !== 'int' ? info : undefined;
    };
    const addOrdered = (name: string, origins: Origin[]) => {
      if (!name || sortedInPlace.has(name) || origins.length === 0) return false;
      const existing = ordered.get(name) ?? [];
      const added = origins.filter((o) => !existing.some((e) => e.site.id === o.site.id));
      if (added.length === 0) return false;
      ordered.set(name, [...existing, ...added]);
      return true;
    };
    const origin = (site: PythonNode, setNode: PythonNode, info: SetInfo, how: string): Origin => ({ file, site, set: unparenthesize(setNode).text, info, how });
    /** The set orders a value carries (a list built from a set, a name holding one). */
    const valueOrigins = (node: PythonNode, depthHere: number): Origin[] => {
      const target = unparenthesize(node);
      if (target.type === 'identifier' || target.type === 'attribute') return ordered.get(target.text) ?? [];
      if (COMPREHENSIONS.includes(target.type)) {
        const clause = namedChildrenOf(target).find((c) => c.type === 'for_in_clause');
        const right = clause?.childForFieldName('right');
        if (!clause || !right || orderFree(target) || !usesLoopVariable(clause, target)) return [];
        const info = setOf(right);
        if (info) return [origin(target, right, info, target.type === 'dictionary_comprehension' ? 'a dict comprehension' : 'a comprehension')];
        return valueOrigins(right, depthHere);
      }
      if (target.type === 'list' || target.type === 'tuple' || target.type === 'binary_operator') return namedChildrenOf(target).flatMap((c) => valueOrigins(c, depthHere));
      if (target.type === 'subscript') {
        const value = target.childForFieldName('value');
        return value ? valueOrigins(value, depthHere) : [];
      }
      if (target.type !== 'call') return [];
      const callee = target.childForFieldName('function');
      const args = callArguments(target);
      const first = args.positional[0];
      if (callee?.type === 'identifier' && (callee.text === 'list' || callee.text === 'tuple') && first && !modules.lookup(file, callee.text)) {
        const info = setOf(first);
        return info ? [origin(target, first, info, `${callee.text}(...)`)] : valueOrigins(first, depthHere);
      }
      // next(iter(s)): the first element in hash order.
      if (callee?.type === 'identifier' && callee.text === 'next' && first && unparenthesize(first).type === 'call' && unparenthesize(first).childForFieldName('function')?.text === 'iter') {
        const inner = callArguments(unparenthesize(first)).positional[0];
        const info = inner ? setOf(inner) : undefined;
        return info && inner ? [origin(target, inner, info, 'next(iter(...))')] : [];
      }
      if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'pop' && args.positional.length === 0) {
        const object = callee.childForFieldName('object');
        const info = object ? setOf(object) : undefined;
        return info && object ? [origin(target, object, info, '.pop()')] : [];
      }
      if (!callee || depthHere >= HELPER_DEPTH) return [];
      const helper = functionTarget(callee, fn, file, modules);
      if (!helper) return [];
      return analyze(helper.node, helper.file, { sets: new Map(), ordered: new Map() }, depthHere + 1).returned;
    };
    /** A `for` over a set (or over a value that carries a set's order) whose body uses its loop variable. */
    const orderedLoop = (node: PythonNode) => {
      const right = node.childForFieldName('right');
      const left = node.childForFieldName('left');
      const loopBody = node.childForFieldName('body');
      if (!right || !left || !loopBody) return undefined;
      const info = setOf(loopSource(right));
      const origins = info ? [origin(node, loopSource(right), info, 'a for loop')] : valueOrigins(loopSource(right), depth);
      if (origins.length === 0 || !usesNames(left, loopBody)) return undefined;
      return { left, loopBody, info, origins };
    };
    const sink = (origins: Origin[], loop: PythonNode, command: { node: PythonNode; name: string; file: string }) => {
      result.sinks.push({ origins, loop: locateNode(file, loop), command: locateNode(command.file, command.node), name: command.name });
    };
    /** A project helper given an ordered value or a set as an argument: what it does with it. */
    const passOn = (call: PythonNode) => {
      if (depth >= HELPER_DEPTH) return;
      const callee = call.childForFieldName('function');
      const helper = callee ? functionTarget(callee, fn, file, modules) : undefined;
      if (!helper) return;
      const parameters = namedChildrenOf(helper.node.childForFieldName('parameters') ?? helper.node).map((p) => (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' ? undefined : parameterName(p)));
      const offset = parameters[0] === 'self' || parameters[0] === 'cls' ? 1 : 0;
      const args = callArguments(call);
      const seedsThere: Seeds = { sets: new Map(), ordered: new Map() };
      const bind = (name: string | undefined, value: PythonNode) => {
        if (!name) return;
        const info = setOf(value);
        if (info) seedsThere.sets.set(name, info);
        const origins = valueOrigins(value, depth);
        if (origins.length) seedsThere.ordered.set(name, origins);
      };
      args.positional.forEach((value, index) => bind(parameters[index + offset], value));
      for (const [name, value] of args.keywords) if (parameters.includes(name)) bind(name, value);
      if (seedsThere.sets.size === 0 && seedsThere.ordered.size === 0) return;
      const there = analyze(helper.node, helper.file, seedsThere, depth + 1);
      result.sinks.push(...there.sinks);
      if (there.returned.length) passedResults.set(call.id, there.returned);
    };
    const passedResults = new Map<number, Origin[]>();

    // Propagate until nothing changes (a list filled in a loop, then walked by a later loop).
    for (let round = 0, changed = true; changed && round < 4; round++) {
      changed = false;
      for (const node of nodes) {
        if (node.type === 'assignment' || node.type === 'augmented_assignment') {
          const left = node.childForFieldName('left');
          const right = node.childForFieldName('right');
          if (left && right && (left.type === 'identifier' || left.type === 'attribute') && !sets.has(left.text)) {
            const passed = unparenthesize(right).type === 'call' ? passedResults.get(unparenthesize(right).id) ?? [] : [];
            if (addOrdered(left.text, [...valueOrigins(right, depth), ...passed])) changed = true;
          }
        } else if (node.type === 'call') {
          const callee = node.childForFieldName('function');
          const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
          const object = callee?.childForFieldName('object');
          if (method && object && ['append', 'extend', 'insert'].includes(method) && !sets.has(object.text)) {
            const args = callArguments(node).positional;
            if (addOrdered(object.text, args.flatMap((a) => valueOrigins(a, depth)))) changed = true;
          }
        } else if (node.type === 'for_statement') {
          const loop = orderedLoop(node);
          if (!loop) continue;
          const { left, loopBody, info, origins } = loop;
          // Elements of a list of lists built from a set: walking one walks the set's order too.
          if (!info) for (const name of left.descendantsOfType('identifier')) if (name && addOrdered(name.text, origins)) changed = true;
          // Lists filled in the loop take its order.
          for (const call of loopBody.descendantsOfType('call')) {
            const callee = call?.childForFieldName('function');
            const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
            const object = callee?.childForFieldName('object');
            if (call && method && object && ['append', 'extend', 'insert'].includes(method) && !sets.has(object.text) && enclosing(call, ['function_definition'])?.id === fn.id) {
              if (addOrdered(object.text, origins)) changed = true;
            }
          }
        }
      }
    }
    // Then the places the order reaches commands.
    const sunk = new Set<number>();
    for (const node of nodes) {
      if (node.type === 'for_statement') {
        const loop = orderedLoop(node);
        if (!loop) continue;
        const { loopBody, origins } = loop;
        const command = scheduleIn(loopBody, file, fn, depth);
        if (command) { sink(origins, node, command); sunk.add(node.id); }
      } else if (COMPREHENSIONS.includes(node.type)) {
        const clause = namedChildrenOf(node).find((c) => c.type === 'for_in_clause');
        const element = namedChildrenOf(node)[0];
        const right = clause?.childForFieldName('right');
        if (!clause || !element || !right || orderFree(node) || !usesLoopVariable(clause, node)) continue;
        const origins = valueOrigins(node, depth);
        if (origins.length === 0) continue;
        const command = scheduleIn(element, file, fn, depth);
        if (command) sink(origins, node, command);
      } else if (node.type === 'call') {
        passOn(node);
      } else if (node.type === 'return_statement') {
        const value = namedChildrenOf(node)[0];
        if (value) {
          const passed = unparenthesize(value).type === 'call' ? passedResults.get(unparenthesize(value).id) ?? [] : [];
          for (const o of [...valueOrigins(value, depth), ...passed]) if (!result.returned.includes(o)) result.returned.push(o);
        }
      }
    }
    return result;
  };

  // Every function the workflows reach, each read on its own (its own sets), with the workflows that reach it.
  const reached = new Map<number, { fn: PythonNode; file: string; workflows: Set<string> }>();
  const reach = (fn: PythonNode, file: string, workflow: string, depth: number) => {
    const entry = reached.get(fn.id);
    if (entry?.workflows.has(workflow)) return;
    if (entry) entry.workflows.add(workflow);
    else reached.set(fn.id, { fn, file, workflows: new Set([workflow]) });
    if (depth >= HELPER_DEPTH) return;
    for (const call of fn.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      const target = callee ? functionTarget(callee, fn, file, modules) : undefined;
      if (target) reach(target.node, target.file, workflow, depth + 1);
    }
  };
  for (const workflow of workflows) {
    for (const member of classMembers(workflow.node)) if (member.type === 'function_definition') reach(member, workflow.file, workflow.name, 0);
  }

  const found = new Map<string, SetOrderIteration & { siteIds: Set<number> }>();
  for (const { fn, file, workflows: names } of reached.values()) {
    for (const s of analyze(fn, file, { sets: new Map(), ordered: new Map() }, 0).sinks) {
      for (const o of s.origins) {
        const made = o.info.madeAt;
        const key = `${o.file}|${made ? `${made.line}:${made.column}` : o.set}|${enclosing(o.site, ['function_definition'])?.id ?? ''}`;
        const at = locateNode(o.file, o.site);
        const existing = found.get(key);
        if (existing) {
          for (const w of names) if (!existing.workflows.includes(w)) existing.workflows.push(w);
          if (existing.siteIds.has(o.site.id)) continue;
          existing.siteIds.add(o.site.id);
          if (at.line < existing.location.line) {
            existing.others.push(existing.location);
            existing.location = at;
            existing.how = o.how;
          } else existing.others.push(at);
          continue;
        }
        found.set(key, {
          location: at,
          set: o.set,
          ...(made ? { madeAt: made } : {}),
          elements: o.info.elements === 'str' ? 'str' : 'unknown',
          how: o.how,
          schedules: { loop: s.loop, command: s.command, name: s.name },
          others: [],
          workflows: [...names],
          siteIds: new Set([o.site.id]),
        });
      }
    }
  }
  return [...found.values()]
    .map(({ siteIds: _ids, ...rest }) => ({ ...rest, others: rest.others.sort((a, b) => a.line - b.line), workflows: rest.workflows.sort() }))
    .sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line);
}

/** The nodes of a function body, not entering nested function or class definitions (comprehensions and lambdas included). */
function scopeNodes(body: PythonNode): PythonNode[] {
  const out: PythonNode[] = [];
  const walk = (node: PythonNode) => {
    for (const child of namedChildrenOf(node)) {
      if (child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'decorated_definition') continue;
      out.push(child);
      walk(child);
    }
  };
  walk(body);
  return out;
}

/** `enumerate(s)` walks s in its order. */
function loopSource(right: PythonNode): PythonNode {
  const target = unparenthesize(right);
  if (target.type === 'call' && target.childForFieldName('function')?.text === 'enumerate') return callArguments(target).positional[0] ?? target;
  return target;
}

/** The loop's body reads a name the loop binds: otherwise each round does the same and the order cannot show. */
function usesNames(left: PythonNode, body: PythonNode): boolean {
  const names = new Set(left.descendantsOfType('identifier').map((n) => n?.text).concat(left.type === 'identifier' ? [left.text] : []).filter((n): n is string => !!n && n !== '_'));
  return body.descendantsOfType('identifier').some((n) => n !== null && names.has(n.text));
}

function usesLoopVariable(clause: PythonNode, comprehension: PythonNode): boolean {
  const left = clause.childForFieldName('left');
  const element = namedChildrenOf(comprehension)[0];
  return !!left && !!element && usesNames(left, element);
}

/** A comprehension handed to a consumer that does not depend on order: sum(...), any(...), set(...), sorted(...). */
function orderFree(comprehension: PythonNode): boolean {
  let node = comprehension;
  if (node.parent?.type === 'argument_list') node = node.parent;
  const call = node.type === 'argument_list' ? node.parent : node.type === 'generator_expression' && node.parent?.type === 'call' ? node.parent : undefined;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : undefined;
  if (!callee) return false;
  if (ORDER_FREE.has(callee.text)) return true;
  // `", ".join(...)`: a string, often a message; an id or key built from it is rare enough to leave alone.
  return callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'join';
}

/** A `set[...]` / `Set[...]` annotation: a set of what. */
function annotationSet(type: PythonNode | null | undefined, file: string, at: PythonNode): SetInfo | undefined {
  if (!type) return undefined;
  const match = SET_TYPE.exec(type.text.trim());
  if (!match) return undefined;
  const element = (match[1] ?? '').trim();
  return { madeAt: locateNode(file, at), elements: element === 'int' ? 'int' : element === 'str' ? 'str' : 'unknown' };
}

/** A set made where it is written: a literal, a comprehension, set(...) / frozenset(...), an operator or method on a set. */
function literalSet(node: PythonNode, file: string, at: PythonNode, sets: Map<string, SetInfo>): SetInfo | undefined {
  const target = unparenthesize(node);
  const made = locateNode(file, at);
  if (target.type === 'identifier' || target.type === 'attribute') {
    const known = sets.get(target.text);
    return known ? { ...known, madeAt: made } : undefined;
  }
  if (target.type === 'set') return { madeAt: made, elements: elementsOf(namedChildrenOf(target)) };
  if (target.type === 'set_comprehension') {
    const element = namedChildrenOf(target)[0];
    return { madeAt: made, elements: element ? elementsOf([element]) : 'unknown' };
  }
  if (target.type === 'binary_operator' && /^[|&^-]$/.test(target.childForFieldName('operator')?.text ?? '')) {
    const left = target.childForFieldName('left');
    const known = left ? literalSet(left, file, at, sets) : undefined;
    return known ? { ...known, madeAt: made } : undefined;
  }
  if (target.type !== 'call') return undefined;
  const callee = target.childForFieldName('function');
  const first = callArguments(target).positional[0];
  if (callee?.type === 'identifier' && (callee.text === 'set' || callee.text === 'frozenset')) {
    if (!first) return { madeAt: made, elements: 'unknown' };
    const source = unparenthesize(first);
    if (source.type === 'call' && source.childForFieldName('function')?.text === 'range') return { madeAt: made, elements: 'int' };
    if (source.type === 'list' || source.type === 'tuple') return { madeAt: made, elements: elementsOf(namedChildrenOf(source)) };
    if (source.type === 'generator_expression' || source.type === 'list_comprehension') {
      const element = namedChildrenOf(source)[0];
      return { madeAt: made, elements: element ? elementsOf([element]) : 'unknown' };
    }
    const known = sets.get(source.text);
    return { madeAt: made, elements: known?.elements ?? 'unknown' };
  }
  if (callee?.type === 'attribute' && ['union', 'difference', 'intersection', 'symmetric_difference', 'copy'].includes(callee.childForFieldName('attribute')?.text ?? '')) {
    const object = callee.childForFieldName('object');
    const known = object ? literalSet(object, file, at, sets) : undefined;
    return known ? { ...known, madeAt: made } : undefined;
  }
  return undefined;
}

/** What the written elements are: all ints, any string, or unknown. */
function elementsOf(elements: PythonNode[]): SetInfo['elements'] {
  if (elements.length === 0) return 'unknown';
  const kinds = elements.map((e) => {
    const node = unparenthesize(e);
    if (node.type === 'integer') return 'int';
    if (node.type === 'string' || node.type === 'concatenated_string') return 'str';
    if (node.type === 'call') {
      const callee = node.childForFieldName('function')?.text;
      if (callee === 'int' || callee === 'len' || callee === 'ord') return 'int';
      if (callee === 'str') return 'str';
    }
    return 'unknown';
  });
  if (kinds.every((k) => k === 'int')) return 'int';
  return kinds.includes('str') ? 'str' : 'unknown';
}

/** `s = set()` then `s.add(x)`: what is added, when the review can tell. */
function addedElements(name: string, nodes: PythonNode[]): SetInfo['elements'] | undefined {
  const added: PythonNode[] = [];
  for (const node of nodes) {
    if (node.type !== 'call') continue;
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'attribute' || callee.childForFieldName('object')?.text !== name || callee.childForFieldName('attribute')?.text !== 'add') continue;
    const first = callArguments(node).positional[0];
    if (first) added.push(first);
  }
  return added.length ? elementsOf(added) : undefined;
}
