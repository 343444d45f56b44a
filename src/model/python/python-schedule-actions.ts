// What a Python `ScheduleActionStartWorkflow(...)` belongs to: the `Schedule(...)` that takes it
// as its action (in place, or through a name assigned the action in the same function), that
// schedule's overlap policy as written (absent: the default, SKIP) and the id of the
// `client.create_schedule(id, Schedule(...))` around it. And the values a loop reads from a list of
// dict literals (`for s in SCHEDULES: ScheduleActionStartWorkflow(s["workflow"], ...)`), so the
// workflow types a loop schedules are known.

import type { StaticValue } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { resolvePythonValue } from './python-values.js';
import { callArguments, descendantsInScope, enclosing, fieldPairs, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';

export interface PythonScheduleFacts {
  id: StaticValue | undefined;
  overlap: StaticValue | undefined;
}

/** The schedule the action is given to, or undefined when no `Schedule(...)` call taking it is found. */
export function scheduleOfAction(action: PythonNode, file: string, modules: PythonModules): PythonScheduleFacts | undefined {
  const schedule = scheduleCallTaking(action, file, modules);
  if (!schedule) return undefined;
  return { id: createdId(schedule, file, modules), overlap: overlapOf(schedule, file, modules) };
}

/** `Schedule(action=<action>)` (or the action as the first argument), directly or through a name assigned it in the same function. */
function scheduleCallTaking(action: PythonNode, file: string, modules: PythonModules): PythonNode | undefined {
  let node = action;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  const parent = node.parent;
  if (!parent) return undefined;
  const direct = callTaking(parent, node);
  if (direct) return isScheduleCall(direct, file, modules) ? direct : undefined;
  if (parent.type !== 'assignment' || parent.childForFieldName('right')?.id !== node.id) return undefined;
  const name = parent.childForFieldName('left');
  if (name?.type !== 'identifier') return undefined;
  const scope = enclosing(parent, ['function_definition']) ?? modules.files.get(file)?.tree.rootNode;
  if (!scope) return undefined;
  for (const call of scope.descendantsOfType('call')) {
    if (!call || !isScheduleCall(call, file, modules)) continue;
    const args = callArguments(call);
    const given = args.keywords.get('action') ?? args.positional[0];
    if (given && unparenthesize(given).type === 'identifier' && unparenthesize(given).text === name.text) return call;
  }
  return undefined;
}

/** The call whose `action=` keyword (or first positional argument) is `node`. */
function callTaking(parent: PythonNode, node: PythonNode): PythonNode | undefined {
  if (parent.type === 'keyword_argument') {
    if (parent.childForFieldName('name')?.text !== 'action') return undefined;
    const call = parent.parent?.parent;
    return call?.type === 'call' ? call : undefined;
  }
  if (parent.type === 'argument_list' && namedChildrenOf(parent)[0]?.id === node.id) return parent.parent?.type === 'call' ? parent.parent : undefined;
  return undefined;
}

function isScheduleCall(call: PythonNode, file: string, modules: PythonModules): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  const qualified = modules.qualifiedName(file, callee);
  if (qualified) return qualified === 'temporalio.client.Schedule';
  const last = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee.text;
  return last === 'Schedule';
}

/**
 * `policy=SchedulePolicy(overlap=...)` as written: undefined when the policy or its overlap is not
 * given (the SDK's default, SKIP); unknown when a spread or a value out of sight may set it.
 */
function overlapOf(schedule: PythonNode, file: string, modules: PythonModules): StaticValue | undefined {
  const unknown = (node: PythonNode): StaticValue => ({ kind: 'unknown', text: node.text, location: locateNode(file, node) });
  const args = callArguments(schedule);
  if (args.spreads.length > 0 || args.starred) return unknown(schedule);
  const policy = args.keywords.get('policy') ?? args.positional[2];
  if (!policy) return undefined;
  const target = unparenthesize(policy);
  if (target.type !== 'call') return unknown(target);
  const callee = target.childForFieldName('function');
  const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.text;
  if (name !== 'SchedulePolicy') return unknown(target);
  const policyArgs = callArguments(target);
  if (policyArgs.spreads.length > 0 || policyArgs.starred) return unknown(target);
  const overlap = policyArgs.keywords.get('overlap') ?? policyArgs.positional[0];
  if (!overlap) return undefined;
  const value = resolvePythonValue(overlap, file, modules);
  return value.kind === 'string' || value.kind === 'unknown' ? (value as StaticValue) : unknown(overlap);
}

/** The id of the `create_schedule(id, Schedule(...))` call the schedule is passed to. */
function createdId(schedule: PythonNode, file: string, modules: PythonModules): StaticValue | undefined {
  let node = schedule;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  const list = node.parent?.type === 'keyword_argument' ? node.parent.parent : node.parent;
  const call = list?.type === 'argument_list' ? list.parent : undefined;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : undefined;
  if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'create_schedule') return undefined;
  const args = callArguments(call!);
  const id = args.keywords.get('id') ?? args.positional[0];
  return id ? (resolvePythonValue(id, file, modules) as StaticValue) : undefined;
}

/**
 * The values `item["key"]` (or `item` itself) takes when `item` is the variable of a `for` loop (or
 * of a comprehension's `for`) around it over a list literal written in place, or over a name bound
 * to one: `NAME = [...]` assigned once in the function around the loop, or at module level, and
 * `NAME.append(...)` in that function or at the module's top level (in a top-level loop too).
 * Undefined when the list is built otherwise, when an element is not a dict literal holding the
 * key, or when the loop's turn assigns the variable.
 */
export function loopDictValues(node: PythonNode, file: string, modules: PythonModules): { file: string; values: PythonNode[] } | undefined {
  const target = unparenthesize(node);
  let item: PythonNode | null = target;
  let key: string | undefined;
  if (target.type === 'subscript') {
    item = target.childForFieldName('value');
    const subscript = target.childForFieldName('subscript');
    key = subscript ? stringLiteral(subscript) : undefined;
    if (key === undefined) return undefined;
  }
  if (item?.type !== 'identifier') return undefined;
  let loop: PythonNode | undefined;
  let list: PythonNode | null | undefined;
  for (let current = target.parent; current && current.type !== 'function_definition' && current.type !== 'class_definition' && current.type !== 'lambda'; current = current.parent) {
    if (current.type === 'for_statement' && current.childForFieldName('left')?.type === 'identifier' && current.childForFieldName('left')?.text === item.text) {
      loop = current;
      list = current.childForFieldName('right');
      break;
    }
    if (/^(list_comprehension|generator_expression|set_comprehension)$/.test(current.type)) {
      const clause = namedChildrenOf(current).find((child) => child.type === 'for_in_clause' && child.childForFieldName('left')?.type === 'identifier' && child.childForFieldName('left')?.text === item!.text);
      if (clause) {
        loop = current;
        list = clause.childForFieldName('right');
        break;
      }
    }
  }
  if (!loop || !list) return undefined;
  // A turn that gives the variable another value reads that one.
  const body = loop.type === 'for_statement' ? loop.childForFieldName('body') : undefined;
  if (body?.descendantsOfType(['assignment', 'augmented_assignment']).some((a) => a?.childForFieldName('left')?.text === item!.text)) return undefined;
  if (list.type === 'list' || list.type === 'tuple') return elementValues(namedChildrenOf(list), key, file);
  if (list.type !== 'identifier') return undefined;
  const bound = loop.type === 'for_statement' ? (localList(loop, list.text, file) ?? moduleList(list, file, modules)) : moduleList(list, file, modules);
  if (!bound) return undefined;
  const { dicts, scope, inScope } = bound;
  for (const call of scope.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function');
    if (!call || callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'append' || callee.childForFieldName('object')?.text !== list.text) continue;
    if (!inScope(call)) continue;
    const args = namedChildrenOf(call.childForFieldName('arguments')!);
    if (args.length !== 1) return undefined;
    dicts.push(unparenthesize(args[0]!));
  }
  // A list changed some other way (extend, +=, insert) may hold other entries.
  const changed = scope.descendantsOfType(['call', 'augmented_assignment']).some((other) => {
    if (!other) return false;
    if (other.type === 'augmented_assignment') return other.childForFieldName('left')?.text === list.text;
    const callee = other.childForFieldName('function');
    return callee?.type === 'attribute' && callee.childForFieldName('object')?.text === list.text && /^(extend|insert)$/.test(callee.childForFieldName('attribute')?.text ?? '');
  });
  if (changed) return undefined;
  return elementValues(dicts, key, bound.file);
}

/** The elements themselves, or the value each (a dict literal with no `**` spread) holds under `key`. */
function elementValues(elements: PythonNode[], key: string | undefined, file: string): { file: string; values: PythonNode[] } | undefined {
  if (elements.length === 0 || elements.some((element) => element.type === 'list_splat' || element.type === 'parenthesized_list_splat')) return undefined;
  const values: PythonNode[] = [];
  for (const element of elements) {
    if (key === undefined) {
      values.push(unparenthesize(element));
      continue;
    }
    const dict = unparenthesize(element);
    if (dict.type !== 'dictionary' || namedChildrenOf(dict).some((child) => child.type === 'dictionary_splat')) return undefined;
    const value = fieldPairs(dict).find(([name]) => name === key)?.[1];
    if (!value) return undefined;
    values.push(value);
  }
  return { file, values };
}

interface BoundList {
  file: string;
  /** The elements of the list literal. */
  dicts: PythonNode[];
  /** Where `.append(...)` calls that add to it are looked for. */
  scope: PythonNode;
  inScope: (call: PythonNode) => boolean;
}

/** `name = [...]`, assigned once in the function around the loop (and nowhere else in it). */
function localList(loop: PythonNode, name: string, file: string): BoundList | undefined {
  const fn = enclosing(loop, ['function_definition']);
  const body = fn?.childForFieldName('body');
  if (!fn || !body) return undefined;
  const assignments: PythonNode[] = [];
  descendantsInScope(body, (node) => {
    if (node.type === 'assignment' && node.childForFieldName('left')?.text === name) assignments.push(node);
  });
  const value = assignments.length === 1 ? assignments[0]!.childForFieldName('right') : undefined;
  if (value?.type !== 'list') return undefined;
  return { file, dicts: namedChildrenOf(value), scope: body, inScope: (call) => enclosing(call, ['function_definition', 'class_definition', 'lambda'])?.id === fn.id };
}

/** A module-level `NAME = [...]`, with `.append(...)` calls at the module's top level (in a top-level loop too). */
function moduleList(list: PythonNode, file: string, modules: PythonModules): BoundList | undefined {
  const definition = modules.lookupAt(file, list.text, list);
  if (definition?.kind !== 'assignment' || !definition.value || definition.value.type !== 'list') return undefined;
  const root = modules.files.get(definition.file)?.tree.rootNode;
  if (!root) return undefined;
  return { file: definition.file, dicts: namedChildrenOf(definition.value), scope: root, inScope: (call) => !enclosing(call, ['function_definition', 'class_definition']) };
}
