// Members the code reads from the SDK's client objects that no release of the class has:
// `client.get_service_client()` on a temporalio.client.Client (the attribute is `service_client`),
// `handle.get_result()` on a WorkflowHandle. Python finds out only when the line runs: an
// AttributeError. The value counts as a Client or a WorkflowHandle only when every place it may
// come from says so (python-origins.ts): `await Client.connect(...)` or `Client(...)`, a project
// function returning one (followed through its returns, or trusted on a `-> Client` annotation),
// a parameter or a class attribute annotated `Client` (also `Optional[Client]`, `Client | None`),
// and, for handles, `client.get_workflow_handle(...)`, `client.get_workflow_handle_for(...)` or
// `await client.start_workflow(...)` on such a client. The members are every attribute of the
// class in any published release (temporalio-members.ts), so an old pinned SDK is never told a
// member it has is missing. Only public names are checked (no leading underscore).

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { catchesAll, className, enclosingTries, exceptClauses } from './python-caught-errors.js';
import { parameterName, parameterOf } from './python-local-values.js';
import { functionCalled, originsOf, qualifiedNameOf, returnValues, type Origin } from './python-origins.js';
import { classMembers, enclosing, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';
import { TEMPORALIO_MEMBERS } from './temporalio-members.js';

export const SDK_CLIENT = 'temporalio.client.Client';
export const SDK_WORKFLOW_HANDLE = 'temporalio.client.WorkflowHandle';
type SdkClass = typeof SDK_CLIENT | typeof SDK_WORKFLOW_HANDLE;

export interface MissingSdkMember {
  location: SourceLocation;
  /** `temporalio.client.Client` */
  className: SdkClass;
  /** The member the class does not have, e.g. `get_service_client`. */
  name: string;
  /** The attribute as written (`client.get_service_client`). */
  text: string;
  /** The members of the class nearest to the name (`service_client`), best first. */
  nearest: string[];
  /** Where the value is made: the first place it comes from (`Client.connect(...)` at a file and line). */
  madeAt?: { location: SourceLocation; text: string };
  /** Where it runs: inside a workflow class, an activity, or other code. */
  context: 'workflow' | 'activity' | 'other';
  /** A broad `except` around the read that takes the AttributeError, and the rest of its try block. */
  caught?: { clause: string; line: number; restFrom?: number; restTo?: number };
}

const MEMBERS = new Map(Object.entries(TEMPORALIO_MEMBERS).map(([name, members]) => [name, new Set(members)]));
const PUBLIC = (name: string) => !name.startsWith('_');
const HANDLE_MAKERS = new Set(['get_workflow_handle', 'get_workflow_handle_for', 'start_workflow']);

export function missingSdkMembers(files: string[], modules: PythonModules, contextOf: (node: PythonNode, file: string) => MissingSdkMember['context']): MissingSdkMember[] {
  const found: MissingSdkMember[] = [];
  const cache = new Map<string, Established | undefined>();
  const client = MEMBERS.get(SDK_CLIENT)!;
  const handle = MEMBERS.get(SDK_WORKFLOW_HANDLE)!;
  const returning = functionsReturningSdkValues(files, modules);
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root || !mayHoldSdkValues(file, root, modules, returning)) continue;
    for (const node of root.descendantsOfType('attribute')) {
      if (!node) continue;
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute')?.text;
      if (!object || !attribute || !PUBLIC(attribute)) continue;
      // cheap test first: a name both classes have is never a finding
      if (client.has(attribute) && handle.has(attribute)) continue;
      if (assignedTo(node)) continue;
      const established = establishedType(object, file, modules, cache);
      if (!established || MEMBERS.get(established.type)!.has(attribute)) continue;
      if (featureTest(node)) continue;
      found.push({
        location: locateNode(file, node),
        className: established.type,
        name: attribute,
        text: node.text.replace(/\s+/g, ''),
        context: contextOf(node, file),
        nearest: nearestMembers(attribute, [...MEMBERS.get(established.type)!].filter(PUBLIC)),
        ...(established.madeAt ? { madeAt: established.madeAt } : {}),
        ...caughtBroadly(node),
      });
    }
  }
  return found;
}

const SDK_TEXT = /\b(?:Client|WorkflowHandle|get_workflow_handle|get_workflow_handle_for|start_workflow)\b/;

/**
 * The names of the project's functions and methods that return a Client or a WorkflowHandle: read
 * first in the files that name the SDK's classes, then in the files that call one of the functions
 * found, until no more are found (a function returning a client is made from one of these).
 */
function functionsReturningSdkValues(files: string[], modules: PythonModules): Set<string> {
  const names = new Set<string>();
  const done = new Set<string>();
  let pending = files.filter((file) => SDK_TEXT.test(modules.files.get(file)?.tree.rootNode.text ?? ''));
  while (pending.length) {
    const before = names.size;
    for (const file of pending) {
      done.add(file);
      const root = modules.files.get(file)?.tree.rootNode;
      if (!root || !root.text.includes('return')) continue;
      for (const fn of root.descendantsOfType('function_definition')) {
        const name = fn?.childForFieldName('name')?.text;
        if (fn && name && !names.has(name) && returnTypeOf(fn, file, modules, 0)) names.add(name);
      }
    }
    if (names.size === before) break;
    pending = files.filter((file) => !done.has(file) && [...names].some((name) => modules.files.get(file)?.tree.rootNode.text.includes(name)));
  }
  return names;
}

/**
 * Whether a file can hold a Client or a WorkflowHandle at all: it names the SDK's classes or a
 * handle maker, calls a project function that returns one, or imports a module variable that
 * holds one. Files that cannot are not read attribute by attribute.
 */
function mayHoldSdkValues(file: string, root: PythonNode, modules: PythonModules, returning: Set<string>): boolean {
  const text = root.text;
  if (SDK_TEXT.test(text)) return true;
  for (const name of returning) if (text.includes(name)) return true;
  for (const [local, binding] of modules.importsOf(file)) {
    if (binding.kind !== 'name' || !binding.file) continue;
    const definition = modules.lookup(file, local);
    if (definition?.kind === 'assignment' && definition.value && typeOfValue(definition.value, definition.file, modules, 0)) return true;
  }
  return false;
}

interface Established {
  type: SdkClass;
  madeAt?: { location: SourceLocation; text: string };
}

/** The SDK class every origin of the value is (None aside), or undefined. */
function establishedType(object: PythonNode, file: string, modules: PythonModules, cache: Map<string, Established | undefined>): Established | undefined {
  const target = unparenthesize(object);
  // a module (`os.path`, `logging.info`) or a name imported from a library is not the project's client
  if (target.type === 'identifier') {
    const binding = modules.importBindingAt(file, target.text, target);
    if (binding && (binding.kind === 'module' || !binding.file) && !localBinding(target)) return undefined;
    // a name no function binds and no module variable holds: nothing to follow (a class, a builtin)
    if (!boundAround(target) && !moduleVariables(target.tree.rootNode).has(target.text) && modules.lookup(file, target.text)?.kind !== 'assignment') return undefined;
  }
  // A local name has the same origins anywhere in its function; `self.x` anywhere in its class.
  const key =
    target.type === 'identifier'
      ? `${file}:${enclosing(target, ['function_definition'])?.id ?? 'module'}:${target.text}`
      : target.type === 'attribute' && target.childForFieldName('object')?.text === 'self'
        ? `${file}:${enclosing(target, ['class_definition'])?.id ?? 'module'}:${target.text}`
        : undefined;
  if (key && cache.has(key)) return cache.get(key);
  const result = typeOfValue(target, file, modules, 0);
  if (key) cache.set(key, result);
  return result;
}

function typeOfValue(value: PythonNode, file: string, modules: PythonModules, depth: number): Established | undefined {
  if (depth > 4) return undefined;
  const target = unparenthesize(value);
  if (!['identifier', 'attribute', 'call', 'await'].includes(target.type)) return undefined;
  // `self`, `cls` and imported modules are never a client
  if (target.type === 'identifier' && (target.text === 'self' || target.text === 'cls')) return undefined;
  // a parameter: its annotation says what callers pass (`client: Optional[Client] = None`)
  if (target.type === 'identifier' && parameterOf(target)) return parameterType(target, file, modules, depth);
  // node ids are unique within one tree; a call is keyed by its file too
  const types = new Map<string, Established>();
  const isTarget = (call: PythonNode, callFile: string): boolean => {
    const type = typeOfCall(call, callFile, modules, depth);
    if (type) {
      types.set(`${callFile}:${call.id}`, type);
      return true;
    }
    // a project function: what it returns, read once per function (its parameters unbound)
    const callee = call.childForFieldName('function');
    const fn = callee ? functionCalled(callee, callFile, modules) : undefined;
    if (!fn) return false;
    const returned = returnTypeOf(fn.fn, fn.file, modules, depth);
    if (returned) types.set(`${callFile}:${call.id}`, returned);
    return true;
  };
  const origins = originsOf(target, file, modules, isTarget);
  let found: Established | undefined;
  let made: Established['madeAt'];
  for (const origin of origins) {
    if (origin.kind === 'none') continue;
    const type = origin.kind === 'target' ? types.get(`${origin.file}:${origin.node.id}`) : annotatedOrigin(origin, modules);
    if (!type || (found && found.type !== type.type)) return undefined;
    found = found ?? type;
    made = made ?? type.madeAt;
  }
  return found ? { type: found.type, ...(made ? { madeAt: made } : {}) } : undefined;
}

// Per tree: what each project function returns, when every return statement gives the same SDK class (or None).
const returnTypes = new WeakMap<object, Map<number, Established | null>>();

function returnTypeOf(fn: PythonNode, file: string, modules: PythonModules, depth: number): Established | undefined {
  let byFunction = returnTypes.get(fn.tree);
  if (!byFunction) returnTypes.set(fn.tree, (byFunction = new Map()));
  if (byFunction.has(fn.id)) return byFunction.get(fn.id) ?? undefined;
  byFunction.set(fn.id, null); // a recursive function reads as unknown while it is being read
  let found: Established | undefined;
  const values = returnValues(fn).filter((value) => unparenthesize(value).type !== 'none');
  for (const value of values) {
    const type = typeOfValue(value, file, modules, depth + 1);
    if (!type || (found && found.type !== type.type)) {
      found = undefined;
      break;
    }
    found = found ?? type;
  }
  byFunction.set(fn.id, found ?? null);
  return found;
}

/** The SDK class a call returns, when the call says so: Client.connect, Client(...), a handle maker on a client, a project function annotated to return one. */
function typeOfCall(call: PythonNode, file: string, modules: PythonModules, depth: number): Established | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const madeAt = { location: locateNode(file, call), text: shortCall(call) };
  const name = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee.type === 'identifier' ? callee.text : undefined;
  if (name === 'connect' || name === 'Client') {
    const qualified = qualifiedNameOf(callee, file, modules);
    if (qualified === `${SDK_CLIENT}.connect` || qualified === SDK_CLIENT) return { type: SDK_CLIENT, madeAt };
  }
  if (name && HANDLE_MAKERS.has(name) && callee.type === 'attribute') {
    // `start_workflow` is a coroutine: only its awaited result is the handle
    if (name === 'start_workflow' && call.parent?.type !== 'await') return undefined;
    const receiver = callee.childForFieldName('object');
    const owner = receiver ? typeOfValue(receiver, file, modules, depth + 1) : undefined;
    if (owner?.type === SDK_CLIENT) return { type: SDK_WORKFLOW_HANDLE, madeAt };
    return undefined;
  }
  const fn = functionCalled(callee, file, modules);
  const returns = fn?.fn.childForFieldName('return_type');
  const type = returns ? annotatedType(returns, fn!.file, modules) : undefined;
  return type ? { type, madeAt: { location: locateNode(fn!.file, fn!.fn), text: `${fn!.fn.childForFieldName('name')?.text ?? 'a function'}() -> ${returns!.text}` } } : undefined;
}

/** An origin the search could not follow that an annotation types: a parameter `client: Client`, a class attribute `client: Client`. */
function annotatedOrigin(origin: Origin, modules: PythonModules, rebindingsRead = false): Established | undefined {
  if (origin.kind !== 'unknown') return undefined;
  const node = origin.node;
  if (node.type === 'identifier') {
    // the search stops at a parameter before the values the function assigns to it again
    if (!rebindingsRead && rebindings(node, enclosing(node, ['function_definition'])?.childForFieldName('body'))?.length !== 0) return undefined;
    const fn = parameterOf(node);
    const parameters = fn?.childForFieldName('parameters');
    if (!fn || !parameters) return undefined;
    const parameter = namedChildrenOf(parameters).find((p) => parameterName(p) === node.text);
    const annotation = parameter?.childForFieldName('type');
    const type = annotation ? annotatedType(annotation, origin.file, modules) : undefined;
    return type ? { type, madeAt: { location: locateNode(origin.file, parameter!), text: `the parameter ${parameter!.text.replace(/\s+/g, ' ')}` } } : undefined;
  }
  if (node.type === 'attribute' && /^(self|cls)$/.test(node.childForFieldName('object')?.text ?? '')) {
    const attribute = node.childForFieldName('attribute')?.text;
    const classNode = enclosing(node, ['class_definition']);
    if (!attribute || !classNode) return undefined;
    for (const member of classMembers(classNode)) {
      const statement = member.type === 'expression_statement' ? namedChildrenOf(member)[0] : member;
      if (statement?.type !== 'assignment' || statement.childForFieldName('left')?.text !== attribute) continue;
      const annotation = statement.childForFieldName('type');
      const type = annotation ? annotatedType(annotation, origin.file, modules) : undefined;
      if (type) return { type, madeAt: { location: locateNode(origin.file, statement), text: `the class attribute ${statement.text.split('\n')[0]!}` } };
    }
  }
  return undefined;
}

/**
 * A parameter's type: its annotation, when every value the function assigns to it again is of the
 * same class (`if client is None: client = await get_client()`) or None. Bound any other way (a
 * `for` target, `with ... as`), it is not read.
 */
function parameterType(name: PythonNode, file: string, modules: PythonModules, depth: number): Established | undefined {
  const annotated = annotatedOrigin({ kind: 'unknown', node: name, file, why: '' }, modules, true);
  if (!annotated) return undefined;
  const values = rebindings(name, enclosing(name, ['function_definition'])?.childForFieldName('body'));
  if (!values) return undefined;
  for (const value of values) {
    if (unparenthesize(value).type === 'none') continue;
    if (typeOfValue(value, file, modules, depth + 1)?.type !== annotated.type) return undefined;
  }
  return annotated;
}

/** The values a function assigns to a name (`name = value`), or undefined when it binds the name otherwise. */
function rebindings(name: PythonNode, body: PythonNode | null | undefined): PythonNode[] | undefined {
  const values: PythonNode[] = [];
  if (!body) return values;
  for (const use of body.descendantsOfType('identifier')) {
    if (use?.text !== name.text || !use.parent) continue;
    const parent = use.parent;
    if (parent.type === 'assignment' && parent.childForFieldName('left')?.id === use.id) {
      const right = parent.childForFieldName('right');
      if (!right) return undefined;
      values.push(right);
    } else if (parent.type === 'augmented_assignment' && parent.childForFieldName('left')?.id === use.id) return undefined;
    else if (parent.type === 'named_expression' && parent.childForFieldName('name')?.id === use.id) return undefined;
    else if ((parent.type === 'for_statement' || parent.type === 'for_in_clause') && parent.childForFieldName('left')?.id === use.id) return undefined;
    else if (['as_pattern_target', 'pattern_list', 'tuple_pattern', 'global_statement', 'nonlocal_statement'].includes(parent.type)) return undefined;
  }
  return values;
}

/** `Client`, `Optional[Client]`, `Client | None`, `"Client"`, `WorkflowHandle[Any, str]`, when the name is the SDK's class. */
function annotatedType(annotation: PythonNode, file: string, modules: PythonModules): SdkClass | undefined {
  let node = unparenthesize(annotation);
  if (node.type === 'type') node = namedChildrenOf(node)[0] ?? node;
  node = unparenthesize(node);
  switch (node.type) {
    case 'identifier':
    case 'attribute': {
      const qualified = qualifiedNameOf(node, file, modules);
      return qualified === SDK_CLIENT || qualified === SDK_WORKFLOW_HANDLE ? qualified : undefined;
    }
    case 'string': {
      const inner = node.text.replace(/^[rbuRBU]*(['"])(.*)\1$/s, '$2').trim();
      const match = /^([A-Za-z_]\w*)((?:\.\w+)*)$/.exec(inner);
      if (!match) return undefined;
      const binding = modules.importBindingAt(file, match[1]!, node);
      const head = binding?.kind === 'name' ? `${binding.module}.${binding.name}` : binding?.kind === 'module' ? binding.module : undefined;
      const qualified = head ? `${head}${match[2]}` : undefined;
      return qualified === SDK_CLIENT || qualified === SDK_WORKFLOW_HANDLE ? qualified : undefined;
    }
    case 'binary_operator': {
      // `Client | None`
      const sides = [node.childForFieldName('left'), node.childForFieldName('right')].filter((side): side is PythonNode => !!side);
      const types = sides.filter((side) => side.type !== 'none').map((side) => annotatedType(side, file, modules));
      return types.length === 1 ? types[0] : undefined;
    }
    case 'generic_type':
    case 'subscript': {
      const head = node.type === 'subscript' ? node.childForFieldName('value') : namedChildrenOf(node)[0];
      if (!head) return undefined;
      const headName = qualifiedNameOf(head, file, modules) ?? head.text;
      const args = node.type === 'subscript' ? node.childrenForFieldName('subscript').filter((a): a is PythonNode => !!a) : namedChildrenOf(namedChildrenOf(node).find((c) => c.type === 'type_parameter') ?? node).filter((a) => a.id !== head.id);
      if (headName === SDK_WORKFLOW_HANDLE) return SDK_WORKFLOW_HANDLE;
      // `Optional[Client]`, `Union[Client, None]`
      if (/(^|\.)Optional$/.test(headName) && args.length === 1) return annotatedType(args[0]!, file, modules);
      if (/(^|\.)Union$/.test(headName)) {
        const types = args.filter((arg) => unparenthesize(arg).text !== 'None').map((arg) => annotatedType(arg, file, modules));
        return types.length === 1 ? types[0] : undefined;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The name is a parameter of, or assigned in, one of the functions around it. */
function boundAround(name: PythonNode): boolean {
  for (let fn = enclosing(name, ['function_definition']); fn; fn = enclosing(fn, ['function_definition'])) {
    const parameters = fn.childForFieldName('parameters');
    if (parameters && namedChildrenOf(parameters).some((p) => parameterName(p) === name.text)) return true;
    if ((rebindings(name, fn.childForFieldName('body'))?.length ?? 1) > 0) return true;
  }
  return false;
}

// Per tree: node ids are addresses in the tree's memory, reused once a tree is deleted.
const moduleVariableCache = new WeakMap<object, Set<string>>();

/** Names assigned outside functions and classes, or declared global in a function (a superset of what origins follow). */
function moduleVariables(root: PythonNode): Set<string> {
  let names = moduleVariableCache.get(root.tree);
  if (names) return names;
  names = new Set();
  const visit = (node: PythonNode) => {
    for (const child of namedChildrenOf(node)) {
      if (child.type === 'global_statement') for (const id of namedChildrenOf(child)) names!.add(id.text);
      if (child.type === 'function_definition' || child.type === 'class_definition') {
        for (const statement of child.descendantsOfType('global_statement')) for (const id of statement ? namedChildrenOf(statement) : []) names!.add(id.text);
        continue;
      }
      if (child.type === 'assignment') {
        const left = child.childForFieldName('left');
        if (left?.type === 'identifier') names!.add(left.text);
      }
      visit(child);
    }
  };
  visit(root);
  moduleVariableCache.set(root.tree, names);
  return names;
}

/** The name is a parameter of its function or assigned in it (it shadows an import). */
function localBinding(name: PythonNode): boolean {
  const fn = enclosing(name, ['function_definition']);
  if (!fn) return false;
  return !!parameterOf(name) || (rebindings(name, fn.childForFieldName('body'))?.length ?? 1) > 0;
}

/** The attribute is written, not read: `client.x = ...`, `del client.x`. */
function assignedTo(node: PythonNode): boolean {
  let current = node;
  while (current.parent && ['pattern_list', 'tuple_pattern', 'tuple', 'list'].includes(current.parent.type)) current = current.parent;
  const parent = current.parent;
  if (!parent) return false;
  if ((parent.type === 'assignment' || parent.type === 'augmented_assignment') && parent.childForFieldName('left')?.id === current.id) return true;
  return parent.type === 'delete_statement';
}

/** A read inside a try that names AttributeError: the code tests for the member on purpose. */
function featureTest(node: PythonNode): boolean {
  const fn = enclosing(node, ['function_definition']) ?? node.tree.rootNode;
  return enclosingTries(node, fn).some((tryStatement) => exceptClauses(tryStatement).some((clause) => clause.classes.some((c) => className(c) === 'AttributeError')));
}

/** The innermost try around the read whose handler takes every exception, and the statements of its block after the read's. */
function caughtBroadly(node: PythonNode): { caught?: MissingSdkMember['caught'] } {
  const fn = enclosing(node, ['function_definition']) ?? node.tree.rootNode;
  for (const tryStatement of enclosingTries(node, fn)) {
    const clause = exceptClauses(tryStatement).find(catchesAll);
    if (!clause) continue;
    const body = tryStatement.childForFieldName('body');
    const statements = body ? namedChildrenOf(body) : [];
    const index = statements.findIndex((statement) => node.startIndex >= statement.startIndex && node.endIndex <= statement.endIndex);
    const rest = statements.slice(index + 1);
    const written = clause.classes.length === 0 ? 'except:' : `except ${clause.classes.map((c) => c.text).join(', ')}`;
    return {
      caught: {
        clause: written,
        line: clause.node.startPosition.row + 1,
        ...(rest.length ? { restFrom: rest[0]!.startPosition.row + 1, restTo: rest[rest.length - 1]!.endPosition.row + 1 } : {}),
      },
    };
  }
  return {};
}

/** Members whose names are close to the one read: one name holding the other (`get_service_client`, `service_client`), or an edit distance within a quarter of the length. */
export function nearestMembers(name: string, members: string[]): string[] {
  const scored = members
    .map((member) => {
      const distance = editDistance(name, member);
      const holds = Math.min(member.length, name.length) >= 4 && (name.includes(member) || member.includes(name));
      return { member, distance, close: holds || distance <= Math.max(2, Math.floor(name.length / 4)) };
    })
    .filter((entry) => entry.close)
    .sort((a, b) => a.distance - b.distance || a.member.localeCompare(b.member));
  return scored.slice(0, 3).map((entry) => entry.member);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

function shortCall(call: PythonNode): string {
  const callee = call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? 'call';
  return `${callee}(...)`;
}
