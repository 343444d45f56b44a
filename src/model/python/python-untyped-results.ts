// Activity and child workflow results a Python workflow reads as objects when the SDK hands it a dict.
//
// The SDK fact (temporalio 1.35.0, read in worker/_workflow_instance.py): workflow_start_activity,
// workflow_start_local_activity and workflow_start_child_workflow set `ret_type = result_type`, and
// only when the activity (workflow) is given as a callable do they replace it with the definition's
// return type hint (`defn.ret_type`). Called by its name as a string with no `result_type=`, the call
// has no ret_type, _apply_resolve_activity / _apply_resolve_child_workflow_execution pass no type hint
// to the payload converter, and the JSON converter (converter/_payload_converter.py,
// JSONPlainPayloadConverter.from_payload) returns `json.loads(...)` unchanged: a dataclass or a
// pydantic model comes back as a dict. temporalio.contrib.pydantic's converter does the same
// (PydanticJSONPlainPayloadConverter.from_payload validates against `Any` without a hint). Checked by
// running both converters without and with a type hint (dataclass and BaseModel: dict / the class).
// `result.field` then raises AttributeError in workflow code: not a FailureError, so the workflow
// task fails and is retried until the code changes, or a broad `except` turns every run into its
// failure path.
//
// Read per workflow class: the calls by a string name (a literal, a local holding one, or a dict of
// literals indexed) without result_type whose every named activity (child workflow) of the project
// returns a dataclass or a pydantic model, and the reads of a field or method of that class on the
// result: directly, through locals and attributes of `self` it is stored in, handles awaited later,
// lists of calls gathered with asyncio.gather, loops and comprehensions over the results, and lists
// the results are appended to, and walrus targets. A holder that is also bound to something else
// anywhere in its function (`r = Model(**r)`, `r, n = self._convert(r, n)`, a starred or list
// unpacking, a walrus, a `with` / `except` / loop / match target), a read guarded by hasattr /
// isinstance, or one in a try that catches AttributeError is left alone.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import { className, enclosingTries, escapesTries, exceptClauses } from './python-caught-errors.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { readAnnotation, type PythonType } from './python-type-graph.js';

export interface UntypedResultRead {
  /** The call by name. */
  location: SourceLocation;
  kind: 'activity' | 'child';
  /** `workflow.execute_activity` as written. */
  call: string;
  /** The activity (workflow) types the call can name. */
  targets: string[];
  /** The class its implementation returns, and where the implementation is. */
  returnType: string;
  implementation: SourceLocation;
  /** The first read of the result as an object. */
  read: { location: SourceLocation; text: string; attribute: string };
  /** An `except` around the read takes the AttributeError (Exception, a bare except): the run goes down its failure path. */
  caught: boolean;
  workflow: string;
  /** Other calls of the same workflow whose results reach the same read. */
  others: SourceLocation[];
}

const CALLS: Record<string, 'activity' | 'child'> = {
  execute_activity: 'activity',
  start_activity: 'activity',
  execute_local_activity: 'activity',
  start_local_activity: 'activity',
  execute_child_workflow: 'child',
  start_child_workflow: 'child',
};
/** Dict methods: reading them on the result is reading a dict, which it is. */
const DICT_METHODS = new Set(['get', 'keys', 'items', 'values', 'copy', 'pop', 'popitem', 'update', 'setdefault', 'clear', 'fromkeys']);
const DATACLASS_DECORATORS = new Set(['dataclass', 'dataclasses.dataclass', 'pydantic.dataclasses.dataclass']);
const MODEL_BASES = new Set(['pydantic.BaseModel', 'pydantic.main.BaseModel']);
/** BaseModel's own methods: `r.model_dump()` on a dict raises AttributeError too. */
const PYDANTIC_METHODS = ['model_dump', 'model_dump_json', 'model_copy'];

type Kind = 'handle' | 'single' | 'tasks' | 'list';
interface Value {
  kind: Kind;
  /** Ids of the calls the value comes from. */
  origins: Set<number>;
}
interface Target {
  call: PythonNode;
  kind: 'activity' | 'child';
  member: string;
  targets: string[];
  returnType: string;
  implementation: SourceLocation;
  /** The fields and methods every named implementation's class has. */
  members: Set<string>;
}

export function pythonUntypedResultReads(workflows: PythonWorkflow[], activities: PythonActivity[], modules: PythonModules): UntypedResultRead[] {
  const result: UntypedResultRead[] = [];
  if (ownDecoding(modules)) return result;
  for (const workflow of workflows) {
    const file = workflow.file;
    const calls = new Map<number, Target>();
    for (const call of workflow.node.descendantsOfType('call')) {
      if (!call) continue;
      const target = untypedCall(call, file, workflows, activities, modules);
      if (target) calls.set(call.id, target);
    }
    if (calls.size === 0) continue;
    const holders = trackHolders(workflow.node, calls);
    const reads = new Map<number, { node: PythonNode; attribute: string; caught: boolean }>();
    for (const attribute of workflow.node.descendantsOfType('attribute')) {
      if (!attribute) continue;
      const object = attribute.childForFieldName('object');
      const name = attribute.childForFieldName('attribute')?.text ?? '';
      if (!object || DICT_METHODS.has(name)) continue;
      const value = classify(object, holders, calls);
      if (value?.kind !== 'single') continue;
      const fn = enclosingFunction(attribute);
      if (fn && guarded(fn, object.text)) continue;
      // A query handler's (an update validator's) error goes back to its caller: another failure than this one.
      if (fn && answersCaller(fn, file, modules)) continue;
      const caught = catchOf(attribute, fn?.childForFieldName('body') ?? workflow.node);
      if (caught === 'expected') continue;
      for (const origin of value.origins) {
        if (!calls.get(origin)!.members.has(name)) continue;
        if (!reads.has(origin)) reads.set(origin, { node: attribute, attribute: name, caught: caught === 'caught' });
      }
    }
    // One finding per read: the calls whose results reach it are one fix (give them result_type).
    const byRead = new Map<number, Target[]>();
    for (const [origin, read] of reads) byRead.set(read.node.id, [...(byRead.get(read.node.id) ?? []), calls.get(origin)!]);
    for (const [readId, targets] of byRead) {
      targets.sort((a, b) => a.call.startIndex - b.call.startIndex);
      const [first, ...rest] = targets;
      const read = [...reads.values()].find((r) => r.node.id === readId)!;
      result.push({
        location: locateNode(file, first!.call),
        kind: first!.kind,
        call: `workflow.${first!.member}`,
        targets: first!.targets,
        returnType: first!.returnType,
        implementation: first!.implementation,
        read: { location: locateNode(file, read.node), text: oneLine(read.node.text), attribute: read.attribute },
        caught: read.caught,
        workflow: workflow.name,
        others: rest.map((t) => locateNode(file, t.call)),
      });
    }
  }
  return result.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
}

/**
 * The project decodes payloads its own way: a payload converter class that may restore the type
 * without a hint (pickle, msgpack with class tags). A subclass of EncodingPayloadConverter or
 * PayloadConverter, or of any other *PayloadConverter that overrides from_payload / from_payloads.
 */
function ownDecoding(modules: PythonModules): boolean {
  for (const [, parsed] of modules.files) {
    if (!parsed.text.includes('PayloadConverter')) continue;
    for (const cls of parsed.tree.rootNode.descendantsOfType('class_definition')) {
      const bases = (cls?.childForFieldName('superclasses')?.text ?? '').split(/[(),\s]+/).map((b) => b.slice(b.lastIndexOf('.') + 1));
      if (!bases.some((b) => b.endsWith('PayloadConverter'))) continue;
      if (bases.includes('EncodingPayloadConverter') || bases.includes('PayloadConverter')) return true;
      if (/\bdef\s+from_payloads?\s*\(/.test(cls!.text)) return true;
    }
  }
  return false;
}

/** A call of workflow.execute_activity (and the others) by a string name, without result_type, whose named implementations all return a model class. */
function untypedCall(call: PythonNode, file: string, workflows: PythonWorkflow[], activities: PythonActivity[], modules: PythonModules): Target | undefined {
  const callee = call.childForFieldName('function');
  const qualified = callee ? modules.qualifiedName(file, callee) : undefined;
  const member = qualified?.startsWith('temporalio.workflow.') ? qualified.slice('temporalio.workflow.'.length) : undefined;
  const kind = member ? CALLS[member] : undefined;
  if (!kind || !member) return undefined;
  const args = callArguments(call);
  if (args.keywords.has('result_type') || args.spreads.length > 0) return undefined;
  const first = args.positional[0] ?? args.keywords.get(kind === 'activity' ? 'activity' : 'workflow');
  if (!first) return undefined;
  const names = stringValues(first, file, modules);
  if (!names || names.length === 0) return undefined;
  let returnType: string | undefined;
  let implementation: SourceLocation | undefined;
  let members: Set<string> | undefined;
  for (const name of names) {
    const found = implementationOf(name, kind, workflows, activities, modules);
    if (!found) return undefined;
    const type = modelClass(found.returns, modules);
    if (!type) return undefined;
    returnType ??= type.name;
    implementation ??= found.location;
    members = members ? new Set([...members].filter((m) => type.members.has(m))) : type.members;
  }
  return { call, kind, member, targets: [...new Set(names)], returnType: returnType!, implementation: implementation!, members: members! };
}

/** The return annotation of the activity (the child workflow's run method) of that name, when the project has exactly one. */
function implementationOf(name: string, kind: 'activity' | 'child', workflows: PythonWorkflow[], activities: PythonActivity[], modules: PythonModules) {
  if (kind === 'activity') {
    const found = activities.filter((a) => a.name === name);
    if (found.length !== 1) return undefined;
    const annotation = found[0]!.node.childForFieldName('return_type');
    return annotation ? { returns: readAnnotation(annotation, found[0]!.location.file, modules), location: found[0]!.location } : undefined;
  }
  const found = workflows.filter((w) => w.name === name);
  if (found.length !== 1) return undefined;
  const workflow = found[0]!;
  const run = classMembers(workflow.node).find(
    (m) => m.type === 'function_definition' && decoratorsOf(m).some((d) => modules.qualifiedName(workflow.file, d.expression) === 'temporalio.workflow.run'),
  );
  const annotation = run?.childForFieldName('return_type');
  return annotation ? { returns: readAnnotation(annotation, workflow.file, modules), location: workflow.location } : undefined;
}

/** A dataclass or pydantic model of the project (`X` or `X | None`), with its field and method names. */
function modelClass(type: PythonType, modules: PythonModules): { name: string; members: Set<string> } | undefined {
  let target = type;
  if (target.kind === 'union') {
    const members = target.members.filter((m) => !(m.kind === 'leaf' && m.text === 'None') && !(m.kind === 'generic' && m.name === 'None'));
    if (members.length !== 1) return undefined;
    target = members[0]!;
  }
  if (target.kind !== 'class') return undefined;
  const members = new Set<string>();
  if (!isModel(target.node, target.file, modules, members, 0)) return undefined;
  return { name: target.name, members };
}

function isModel(node: PythonNode, file: string, modules: PythonModules, members: Set<string>, depth: number): boolean {
  if (depth > 6) return false;
  for (const member of classMembers(node)) {
    const definition = member.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
    if (definition?.type === 'function_definition') members.add(definition.childForFieldName('name')?.text ?? '');
    const assignment = member.type === 'expression_statement' ? namedChildrenOf(member)[0] : undefined;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
    if (left?.type === 'identifier') members.add(left.text);
  }
  let model = decoratorsOf(node).some((d) => {
    const name = modules.qualifiedName(file, d.expression) ?? d.expression.text;
    return DATACLASS_DECORATORS.has(name);
  });
  const superclasses = node.childForFieldName('superclasses');
  for (const base of superclasses ? namedChildrenOf(superclasses) : []) {
    if (base.type !== 'identifier' && base.type !== 'attribute') continue;
    const qualified = modules.qualifiedName(file, base) ?? '';
    if (MODEL_BASES.has(qualified)) {
      model = true;
      for (const method of PYDANTIC_METHODS) members.add(method);
    }
    const definition = base.type === 'identifier' ? modules.lookup(file, base.text) : undefined;
    if (definition?.kind === 'class' && isModel(definition.node, definition.file, modules, members, depth + 1)) model = true;
  }
  return model;
}

/**
 * The string names an activity argument holds: a literal, a local assigned literals (or a dict of
 * literals indexed by a key), a module constant. Undefined when any value is something else.
 */
function stringValues(node: PythonNode, file: string, modules: PythonModules, depth = 0): string[] | undefined {
  const target = unparenthesize(node);
  const literal = stringLiteral(target);
  if (literal !== undefined) return [literal];
  if (depth > 3) return undefined;
  if (target.type === 'subscript') {
    const dict = target.childForFieldName('value');
    const values = dict ? assignedValues(dict, file, modules) : undefined;
    if (!values || values.length !== 1 || values[0]!.type !== 'dictionary') return undefined;
    const names: string[] = [];
    for (const pair of namedChildrenOf(values[0]!)) {
      const value = pair.type === 'pair' ? pair.childForFieldName('value') : undefined;
      const text = value ? stringLiteral(value) : undefined;
      if (text === undefined) return undefined;
      names.push(text);
    }
    return names;
  }
  if (target.type !== 'identifier') return undefined;
  const values = assignedValues(target, file, modules);
  if (!values || values.length === 0) return undefined;
  const names: string[] = [];
  for (const value of values) {
    const found = stringValues(value, file, modules, depth + 1);
    if (!found) return undefined;
    names.push(...found);
  }
  return names;
}

/** The values a name is assigned in its function (or, when it is not, as a module constant). */
function assignedValues(name: PythonNode, file: string, modules: PythonModules): PythonNode[] | undefined {
  if (name.type !== 'identifier') return undefined;
  const fn = enclosingFunction(name);
  const values: PythonNode[] = [];
  if (fn) {
    for (const assignment of fn.descendantsOfType('assignment')) {
      const left = assignment?.childForFieldName('left');
      if (left?.type !== 'identifier' || left.text !== name.text) continue;
      const right = assignment!.childForFieldName('right');
      if (!right) return undefined;
      values.push(right);
    }
    for (const loop of fn.descendantsOfType(['for_statement', 'for_in_clause'])) {
      if (loop?.childForFieldName('left')?.text === name.text) return undefined;
    }
    if (values.length) return values;
  }
  const definition = modules.lookup(file, name.text);
  return definition?.kind === 'assignment' && definition.value ? [definition.value] : undefined;
}

/**
 * Which names and attributes of `self` hold results, handles, lists of calls or lists of results,
 * followed to a fixpoint over the workflow class. Keys: `<function id>:<name>` and `self.<attr>`.
 */
function trackHolders(classNode: PythonNode, calls: Map<number, Target>): Map<string, Value> {
  const holders = new Map<string, Value>();
  /** Holders also assigned something that is neither a result nor an empty start value. */
  const other = new Set<string>();
  const bindings: { left: PythonNode; right: PythonNode; loop: boolean }[] = [];
  /** Targets bound to a value the review does not follow (an element of a tuple unpacked from a call, a `with` or `except` alias, a match capture). */
  const rebound: PythonNode[] = [];
  const appends: { receiver: PythonNode; argument: PythonNode; extend: boolean }[] = [];
  for (const node of classNode.descendantsOfType(['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'named_expression', 'as_pattern', 'case_pattern', 'call'])) {
    if (!node) continue;
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
      const argument = callArguments(node).positional[0];
      if ((method === 'append' || method === 'extend') && argument) appends.push({ receiver: callee!.childForFieldName('object')!, argument, extend: method === 'extend' });
      continue;
    }
    if (node.type === 'as_pattern') {
      // `with open(p) as f`, `except E as err`, `case X() as y`: the alias holds something else than the expression.
      const alias = node.childForFieldName('alias');
      if (alias) rebound.push(...bindingTargets(alias));
      continue;
    }
    if (node.type === 'case_pattern') {
      // `case name:` (also inside a sequence or mapping pattern) captures the subject or a part of it.
      const [only, ...more] = namedChildrenOf(node);
      if (only?.type === 'dotted_name' && more.length === 0 && namedChildrenOf(only).length === 1 && only.text !== '_') rebound.push(namedChildrenOf(only)[0]!);
      continue;
    }
    const left = node.type === 'named_expression' ? node.childForFieldName('name') : node.childForFieldName('left');
    let right = node.type === 'named_expression' ? node.childForFieldName('value') : node.childForFieldName('right');
    // `a = b = value`: each target gets the innermost value.
    while (right?.type === 'assignment') right = right.childForFieldName('right');
    if (!left || !right) continue;
    const loop = node.type === 'for_statement' || node.type === 'for_in_clause';
    // A loop gives each element of the iterable to the target: only a single name pairs with it.
    const grouped = TARGET_GROUPS.has(unparenthesize(left).type);
    for (const pair of unpacked(left, loop && grouped ? undefined : right)) {
      if (pair.right) bindings.push({ left: pair.left, right: pair.right, loop });
      else rebound.push(pair.left);
    }
  }
  const add = (key: string | undefined, kind: Kind, origins: Set<number>): boolean => {
    if (!key) return false;
    const existing = holders.get(key);
    if (existing && existing.kind !== kind) return false;
    if (existing && [...origins].every((o) => existing.origins.has(o))) return false;
    holders.set(key, { kind, origins: new Set([...(existing?.origins ?? []), ...origins]) });
    return true;
  };
  for (let changed = true, rounds = 0; changed && rounds < 10; rounds++) {
    changed = false;
    for (const { left, right, loop } of bindings) {
      const value = classify(right, holders, calls);
      const key = keyOf(left);
      if (!value) continue;
      if (loop) {
        if (value.kind === 'list') changed = add(key, 'single', value.origins) || changed;
        else if (value.kind === 'tasks') changed = add(key, 'handle', value.origins) || changed;
      } else changed = add(key, value.kind, value.origins) || changed;
    }
    for (const { receiver, argument, extend } of appends) {
      const value = classify(argument, holders, calls);
      if (!value) continue;
      const key = keyOf(receiver);
      if (!extend && value.kind === 'single') changed = add(key, 'list', value.origins) || changed;
      else if (!extend && value.kind === 'handle') changed = add(key, 'tasks', value.origins) || changed;
      else if (extend && (value.kind === 'list' || value.kind === 'tasks')) changed = add(key, value.kind, value.origins) || changed;
    }
  }
  // A holder also given another value (a model built from the dict, a default) is not read as the raw result.
  for (const { left, right, loop } of bindings) {
    const key = keyOf(left);
    if (!key || !holders.has(key) || classify(right, holders, calls)) continue;
    if (!loop && isEmptyStart(right)) continue;
    other.add(key);
  }
  // Any other binding of the name (`r, n = self._convert(r, n)`) replaces the raw result too.
  for (const target of rebound) {
    const key = keyOf(target);
    if (key && holders.has(key)) other.add(key);
  }
  for (const key of other) holders.delete(key);
  return holders;
}

const TARGET_GROUPS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'tuple', 'list', 'parenthesized_expression', 'as_pattern_target']);
const VALUE_GROUPS = new Set(['expression_list', 'tuple', 'list']);

/**
 * The names and attributes a target binds, each with the expression it is given when the review can
 * tell (`a, b = x, y` pairs them up); an element unpacked from anything else, or starred, has none.
 */
function unpacked(left: PythonNode, right: PythonNode | undefined): { left: PythonNode; right?: PythonNode }[] {
  const target = unparenthesize(left);
  if (!TARGET_GROUPS.has(target.type)) return target.type === 'list_splat_pattern' || target.type === 'list_splat' ? bindingTargets(target).map((t) => ({ left: t })) : [{ left: target, right }];
  const targets = namedChildrenOf(target);
  const value = right ? unparenthesize(right) : undefined;
  const values = value && VALUE_GROUPS.has(value.type) ? namedChildrenOf(value) : undefined;
  const paired =
    values && values.length === targets.length && !values.some((v) => v.type === 'list_splat') && !targets.some((t) => t.type === 'list_splat_pattern' || t.type === 'list_splat');
  return targets.flatMap((t, i) => unpacked(t, paired ? values![i] : undefined));
}

/** Every name and attribute a target binds, however nested. */
function bindingTargets(target: PythonNode): PythonNode[] {
  const node = unparenthesize(target);
  if (TARGET_GROUPS.has(node.type) || node.type === 'list_splat_pattern' || node.type === 'list_splat') return namedChildrenOf(node).flatMap(bindingTargets);
  return [node];
}

function isEmptyStart(node: PythonNode): boolean {
  const value = unparenthesize(node);
  return value.type === 'none' || ((value.type === 'list' || value.type === 'dictionary' || value.type === 'tuple') && namedChildrenOf(value).length === 0);
}

/** `<function id>:<name>` for a name, `self.<attr>` for an attribute of self; undefined otherwise. */
function keyOf(node: PythonNode): string | undefined {
  const target = unparenthesize(node);
  if (target.type === 'identifier') {
    const fn = enclosingFunction(target);
    return fn ? `${fn.id}:${target.text}` : undefined;
  }
  if (target.type === 'attribute' && target.childForFieldName('object')?.text === 'self') return `self.${target.childForFieldName('attribute')?.text}`;
  return undefined;
}

/** What an expression holds: a call's handle (or coroutine), one result, a list of calls, a list of results. */
function classify(node: PythonNode, holders: Map<string, Value>, calls: Map<number, Target>): Value | undefined {
  const expression = unparenthesize(node);
  switch (expression.type) {
    case 'call': {
      if (calls.has(expression.id)) return { kind: 'handle', origins: new Set([expression.id]) };
      const callee = expression.childForFieldName('function');
      const args = namedChildrenOf(expression.childForFieldName('arguments') ?? expression);
      if (callee?.type === 'identifier' && ['list', 'tuple', 'reversed', 'sorted'].includes(callee.text) && args.length === 1) {
        const inner = classify(args[0]!, holders, calls);
        return inner?.kind === 'list' || inner?.kind === 'tasks' ? inner : undefined;
      }
      return undefined;
    }
    case 'await': {
      const inner = namedChildrenOf(expression)[0];
      if (!inner) return undefined;
      const awaited = classify(inner, holders, calls);
      if (awaited?.kind === 'handle') return { kind: 'single', origins: awaited.origins };
      return gathered(unparenthesize(inner), holders, calls);
    }
    case 'list_comprehension':
    case 'generator_expression': {
      const body = expression.childForFieldName('body');
      const inner = body ? classify(body, holders, calls) : undefined;
      if (inner?.kind === 'handle') return { kind: 'tasks', origins: inner.origins };
      if (inner?.kind === 'single') return { kind: 'list', origins: inner.origins };
      return undefined;
    }
    case 'list': {
      const elements = namedChildrenOf(expression).map((e) => classify(e, holders, calls));
      if (elements.length === 0 || elements.some((e) => e?.kind !== 'handle')) return undefined;
      return { kind: 'tasks', origins: new Set(elements.flatMap((e) => [...e!.origins])) };
    }
    case 'subscript': {
      const value = expression.childForFieldName('value');
      const subscript = expression.childForFieldName('subscript');
      const inner = value ? classify(value, holders, calls) : undefined;
      if (subscript?.type === 'slice') return inner?.kind === 'list' || inner?.kind === 'tasks' ? inner : undefined;
      if (inner?.kind === 'list') return { kind: 'single', origins: inner.origins };
      if (inner?.kind === 'tasks') return { kind: 'handle', origins: inner.origins };
      return undefined;
    }
    case 'identifier':
    case 'attribute': {
      const key = keyOf(expression);
      return key ? holders.get(key) : undefined;
    }
    default:
      return undefined;
  }
}

/** `asyncio.gather(*tasks)` or `asyncio.gather(a, b)` of calls: a list of their results. */
function gathered(call: PythonNode, holders: Map<string, Value>, calls: Map<number, Target>): Value | undefined {
  if (call.type !== 'call' || !/(?:^|\.)gather$/.test(call.childForFieldName('function')?.text ?? '')) return undefined;
  const origins = new Set<number>();
  for (const argument of namedChildrenOf(call.childForFieldName('arguments') ?? call)) {
    if (argument.type === 'keyword_argument') continue;
    const splat = argument.type === 'list_splat';
    const inner = classify(splat ? (namedChildrenOf(argument)[0] ?? argument) : argument, holders, calls);
    if (!inner || inner.kind !== (splat ? 'tasks' : 'handle')) return undefined;
    for (const origin of inner.origins) origins.add(origin);
  }
  return origins.size ? { kind: 'list', origins } : undefined;
}

/** A query handler or an update validator (for a nested function: the method it is in). */
function answersCaller(fn: PythonNode, file: string, modules: PythonModules): boolean {
  for (let current: PythonNode | undefined = fn; current; current = enclosingFunction(current)) {
    const decorators = decoratorsOf(current).map((d) => modules.qualifiedName(file, d.expression) ?? d.expression.text);
    if (decorators.some((d) => d === 'temporalio.workflow.query' || d.endsWith('.validator'))) return true;
  }
  return false;
}

function enclosingFunction(node: PythonNode): PythonNode | undefined {
  for (let current = node.parent; current; current = current.parent) if (current.type === 'function_definition') return current;
  return undefined;
}

/** The function tests what the value is (`hasattr(r, "x")`, `isinstance(r, dict)`): it expects either shape. */
function guarded(fn: PythonNode, object: string): boolean {
  const text = fn.text.replace(/\s+/g, '');
  const spelled = object.replace(/\s+/g, '');
  return text.includes(`hasattr(${spelled},`) || text.includes(`isinstance(${spelled},`) || text.includes(`getattr(${spelled},`);
}

/** 'expected' when an except around the read names AttributeError; 'caught' when a broad one takes it. */
function catchOf(node: PythonNode, stop: PythonNode): 'expected' | 'caught' | 'escapes' {
  for (const tryStatement of enclosingTries(node, stop)) {
    if (exceptClauses(tryStatement).some((clause) => clause.classes.map(className).includes('AttributeError'))) return 'expected';
  }
  return escapesTries(['AttributeError', 'Exception', 'BaseException'], node, stop) ? 'escapes' : 'caught';
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 80)}...` : line;
}
