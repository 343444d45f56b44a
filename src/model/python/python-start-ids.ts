// Two facts of a Python client start that workflow-start-id-random reads: how its workflow id is
// made, and whether the function around it runs once per request or message. The same reading as
// the TypeScript front-end's workflow-id-shape.ts and request-context.ts, in Python's syntax.
//
// - The id (`id=`) is random when a part of it is a fresh value at every call: `uuid.uuid4()`,
//   `uuid4().hex[:12]`, `str(uuid4())`, `secrets.token_hex()`, `time.time()`, `datetime.now()`,
//   written in an f-string, a `+` concatenation or a `"-".join([...])`, held in a name the function
//   assigns once, or returned by a project function (three levels). Constant text beside values
//   that are not random makes it derived.
// - The function runs per request or message when it (or a function around it) is decorated as a
//   route, a task or a signal receiver (`@router.post(...)`, `@app.route(...)`, `@shared_task`,
//   `@receiver(...)`), or takes a parameter named `request`, `event`, `message`, `job`, `webhook`...
//   or typed as a request (`HttpRequest`, `Request`). The file's place is read by the check, for
//   both languages.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, decoratorsOf, enclosing, locateNode, moduleStatements, namedChildrenOf, unparenthesize } from './python-syntax.js';

export type PythonIdShape = { kind: 'derived'; text: string } | { kind: 'random'; text: string; keyedPrefix?: true; fallback?: string } | { kind: 'other' };

/** Calls that return a new value each time, by the name they are called by (the TypeScript list and Python's own). */
const RANDOM_CALLS = new Set([
  'uuid', 'uuid1', 'uuid4', 'uuid7', 'uuidv4', 'v4', 'v7', 'nanoid', 'ulid', 'cuid', 'createId',
  'random', 'randint', 'randbytes', 'token_hex', 'token_urlsafe', 'token_bytes', 'now', 'utcnow', 'time_ns',
]);
/** Clocks that go by a name too common to trust alone. */
const RANDOM_QUALIFIED = new Set(['time.time', 'time.monotonic', 'time.perf_counter']);
/**
 * Generators under any local name (`from uuid import uuid4 as new_id`, `nanoid.generate()`,
 * `ulid.new()`, `shortuuid.random()`), by the dotted name the imports give them.
 */
const RANDOM_QUALIFIED_PATTERN = /^(uuid\.uuid[1467]|secrets\.(token_\w+|randbelow|choice)|random\.\w+|nanoid\.(generate|non_secure_generate)|ulid\.(new|ulid|ULID)|python_ulid\.ULID|shortuuid\.(uuid|random|ShortUUID)|cuid\.cuid|cuid2\.\w+)$/;
/** Helpers named as generators: `generate_uuid()`, `new_uuid()`, `make_ulid()`, `generateUUIDv4()`. */
const RANDOM_NAME = /^(generate|gen|create|make|new|random)_?(random_?|unique_?)?(uuid|guid|nanoid|ulid|cuid|shortuuid)(_?v?[1467])?$/i;
/** `generate_id()`, `new_id()`: a generator when called without a key. */
const ID_GENERATOR = /^(generate|gen|make|new)_?(random_?|unique_?)?id$/i;

const MAX_DEPTH = 3;

const HANDLER_DECORATORS = new Set(['get', 'post', 'put', 'patch', 'delete', 'route', 'api_route', 'websocket', 'task', 'shared_task', 'receiver', 'action']);
const REQUEST_PARAMETERS = new Set(['req', 'request', 'event', 'evt', 'message', 'msg', 'job', 'webhook']);
const REQUEST_TYPES = /\b(Request|HttpRequest|WSGIRequest|ASGIRequest|WebSocket)\b/;

export function pythonWorkflowIdShape(call: PythonNode, file: string, modules: PythonModules): PythonIdShape {
  const id = callArguments(call).keywords.get('id');
  if (!id) return { kind: 'other' };
  const trace: { fallback?: string } = {};
  const kind = shapeOf(id, file, modules, 0, trace);
  if (kind === 'other') return { kind };
  const text = id.text.replace(/\s+/g, ' ');
  if (kind === 'derived') return { kind, text };
  const fallback = trace.fallback ? { fallback: trace.fallback } : {};
  // f"sync-{tenant_id}-{uuid4()}": random per run, but one tenant's runs share the prefix.
  if (hasStablePart(id, file, modules, 0)) return { kind, text, keyedPrefix: true, ...fallback };
  return { kind, text, ...fallback };
}

/** How any id expression is made (the id passed to get_workflow_handle): 'random' when a part is a fresh value at every call. */
export function pythonIdExpressionShape(expression: PythonNode, file: string, modules: PythonModules): 'derived' | 'random' | 'other' {
  return shapeOf(expression, file, modules, 0);
}

/** Whether the id has a variable part that is not random (a key), written in the id or in the name it is assigned to. */
function hasStablePart(expression: PythonNode, file: string, modules: PythonModules, depth: number): boolean {
  const node = unparenthesize(expression);
  let parts: PythonNode[] = [];
  if (node.type === 'string') parts = node.descendantsOfType('interpolation').filter((field): field is PythonNode => field !== null);
  else if (node.type === 'binary_operator' && node.childForFieldName('operator')?.type === '+') parts = concatenated(node).filter((part) => part.type !== 'string');
  else if (node.type === 'identifier' && depth < MAX_DEPTH) {
    const value = onlyAssignment(node);
    return value ? hasStablePart(value, file, modules, depth + 1) : false;
  }
  return parts.some((part) => !containsRandom(part, file, modules));
}

function shapeOf(expression: PythonNode, file: string, modules: PythonModules, depth: number, trace?: { fallback?: string }): 'derived' | 'random' | 'other' {
  const node = unparenthesize(expression);
  if (node.type === 'string') {
    const fields = node.descendantsOfType('interpolation').filter((field): field is PythonNode => field !== null);
    if (fields.length === 0) return 'other';
    const constant = node.descendantsOfType('string_content').some((part) => (part?.text ?? '') !== '');
    return partsShape(fields, constant, file, modules, depth, trace);
  }
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.type === '+') {
    const parts = concatenated(node);
    const constant = parts.some((part) => part.type === 'string' && part.text.length > 2);
    return partsShape(parts.filter((part) => part.type !== 'string' || part.descendantsOfType('interpolation').length > 0), constant, file, modules, depth, trace);
  }
  // `run_id or f"wf-{uuid4()}"`: random whenever the left side is missing (None or empty).
  if (node.type === 'boolean_operator' && node.childForFieldName('operator')?.type === 'or') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return 'other';
    const leftShape = shapeOf(left, file, modules, depth, trace);
    if (leftShape === 'random') return 'random';
    const rightShape = shapeOf(right, file, modules, depth, trace);
    if (rightShape === 'random') {
      if (trace && !trace.fallback) trace.fallback = left.text.replace(/\s+/g, ' ');
      return 'random';
    }
    return leftShape === 'derived' && rightShape === 'derived' ? 'derived' : 'other';
  }
  if (node.type === 'call') {
    if (isRandomCall(node, file, modules)) return 'random';
    const callee = node.childForFieldName('function');
    const args = callArguments(node);
    // `str(uuid4())`, `"-".join(["order", key])`.
    if (callee?.type === 'identifier' && callee.text === 'str' && args.positional.length === 1) return containsRandom(args.positional[0]!, file, modules) ? 'random' : 'other';
    if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'join' && callee.childForFieldName('object')?.type === 'string') {
      const list = args.positional[0] ? unparenthesize(args.positional[0]) : undefined;
      if (list?.type === 'list' || list?.type === 'tuple') {
        const elements = namedChildrenOf(list);
        return partsShape(elements.filter((e) => e.type !== 'string'), elements.some((e) => e.type === 'string' && e.text.length > 2), file, modules, depth, trace);
      }
      return 'other';
    }
    if (depth >= MAX_DEPTH || callee?.type !== 'identifier') return 'other';
    const definition = modules.lookupAt(file, callee.text, node);
    if (definition?.kind !== 'function') return 'other';
    const returned = returnedValues(definition.node);
    const shapes = returned.map((value) => shapeOf(value, definition.file, modules, depth + 1, trace));
    // A helper without parameters that draws a random or clock value in its body makes a new id each call.
    const parameters = definition.node.childForFieldName('parameters');
    const body = definition.node.childForFieldName('body');
    if (parameters && namedChildrenOf(parameters).length === 0 && body && !shapes.includes('derived') && containsRandom(body, definition.file, modules)) return 'random';
    if (shapes.length === 0) return 'other';
    if (shapes.includes('random')) return 'random';
    return shapes.every((shape) => shape === 'derived') ? 'derived' : 'other';
  }
  // `uuid4().hex`, `uuid4().hex[:12]`.
  if ((node.type === 'attribute' || node.type === 'subscript') && containsRandom(node, file, modules)) return 'random';
  if (node.type === 'identifier' && depth < MAX_DEPTH) {
    const value = onlyAssignment(node);
    if (value) return shapeOf(value, file, modules, depth + 1, trace);
  }
  return 'other';
}

function partsShape(parts: PythonNode[], constant: boolean, file: string, modules: PythonModules, depth = MAX_DEPTH, trace?: { fallback?: string }): 'derived' | 'random' | 'other' {
  // A part that is a project helper's result (`{unique_stamp()}`, where `unique_stamp` returns `f"{time.time()}"`), a name or a fallback.
  const followed = (part: PythonNode) => {
    const inner = unparenthesize(part.type === 'interpolation' ? (namedChildrenOf(part)[0] ?? part) : part);
    return ['call', 'identifier', 'boolean_operator'].includes(inner.type) ? inner : undefined;
  };
  const isRandom = (part: PythonNode) => {
    if (containsRandom(part, file, modules)) return true;
    const inner = depth < MAX_DEPTH ? followed(part) : undefined;
    return inner !== undefined && shapeOf(inner, file, modules, depth + 1, trace) === 'random';
  };
  if (parts.some(isRandom)) return 'random';
  return constant ? 'derived' : 'other';
}

function concatenated(node: PythonNode): PythonNode[] {
  const inner = unparenthesize(node);
  if (inner.type === 'binary_operator' && inner.childForFieldName('operator')?.type === '+') {
    return [...concatenated(inner.childForFieldName('left')!), ...concatenated(inner.childForFieldName('right')!)];
  }
  return [inner];
}

function isRandomCall(call: PythonNode, file: string, modules: PythonModules): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  const name = callee.type === 'identifier' ? callee.text : callee.type === 'attribute' ? (callee.childForFieldName('attribute')?.text ?? '') : '';
  if (RANDOM_CALLS.has(name) || RANDOM_NAME.test(name)) return true;
  if (ID_GENERATOR.test(name) && callArguments(call).positional.length === 0 && callArguments(call).keywords.size === 0) return true;
  const qualified = modules.qualifiedName(file, callee);
  return qualified !== undefined && (RANDOM_QUALIFIED.has(qualified) || RANDOM_QUALIFIED_PATTERN.test(qualified));
}

function containsRandom(node: PythonNode, file: string, modules: PythonModules): boolean {
  if (node.type === 'call' && isRandomCall(node, file, modules)) return true;
  return namedChildrenOf(node).some((child) => containsRandom(child, file, modules));
}

/** The value of a name its function assigns exactly once (`workflow_id = f"..."`). */
function onlyAssignment(name: PythonNode): PythonNode | undefined {
  const fn = enclosing(name, ['function_definition']);
  if (!fn) return undefined;
  const values: PythonNode[] = [];
  let other = false;
  for (const assignment of fn.descendantsOfType(['assignment', 'augmented_assignment'])) {
    const left = assignment?.childForFieldName('left');
    if (left?.type !== 'identifier' || left.text !== name.text) continue;
    const value = assignment!.childForFieldName('right');
    if (assignment!.type === 'augmented_assignment' || !value) other = true;
    else values.push(value);
  }
  return !other && values.length === 1 ? values[0] : undefined;
}

/** What a function returns, outside nested functions; `return None` is left out. */
function returnedValues(fn: PythonNode): PythonNode[] {
  const values: PythonNode[] = [];
  const visit = (node: PythonNode): void => {
    if (node.id !== fn.id && (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition')) return;
    if (node.type === 'return_statement') {
      const value = namedChildrenOf(node)[0];
      if (value && value.type !== 'none') values.push(value);
    }
    namedChildrenOf(node).forEach(visit);
  };
  visit(fn);
  return values;
}

/** Why the start runs once per request or message, read from the functions around it; null when none says so. */
export function pythonRequestContext(call: PythonNode): string | null {
  for (let fn = enclosing(call, ['function_definition']); fn; fn = enclosing(fn, ['function_definition'])) {
    const name = fn.childForFieldName('name')?.text ?? 'the function around it';
    for (const decorator of decoratorsOf(fn)) {
      const expression = decorator.expression;
      const last = expression.type === 'attribute' ? expression.childForFieldName('attribute')?.text : expression.type === 'identifier' ? expression.text : undefined;
      if (last && HANDLER_DECORATORS.has(last)) return `${name} handles requests or messages: @${expression.text}`;
    }
    const parameters = fn.childForFieldName('parameters');
    for (const parameter of parameters ? namedChildrenOf(parameters) : []) {
      const identifier = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier'));
      if (identifier && REQUEST_PARAMETERS.has(identifier.text)) return `${name} takes the request or message \`${identifier.text}\``;
      const type = parameter.childForFieldName('type')?.text;
      if (type && REQUEST_TYPES.test(type)) return `${name} takes a request or message of type \`${type}\``;
    }
    const callback = consumerCallback(fn, name);
    if (callback) return callback;
  }
  return consumerLoop(call);
}

/**
 * Python message consumers, read narrowly: the module imports the broker's client library and the
 * code has the handler's shape for it. A redelivered message runs the handler again.
 */
const CONSUMER_LIBRARIES: [RegExp, string][] = [
  [/^(aiokafka|kafka|confluent_kafka)$/, 'kafka'],
  [/^nats$/, 'nats'],
  [/^(aio_pika|pika|aiormq)$/, 'rabbitmq'],
  [/^(redis|aioredis)$/, 'redis'],
  [/^(boto3|aioboto3|aiobotocore)$/, 'sqs'],
];

function importedLibraries(node: PythonNode): Set<string> {
  let root = node;
  while (root.parent) root = root.parent;
  const found = new Set<string>();
  for (const statement of moduleStatements(root)) {
    const modules = statement.type === 'import_statement' ? statement.descendantsOfType('dotted_name').map((n) => n?.text ?? '') : statement.type === 'import_from_statement' ? [statement.childForFieldName('module_name')?.text ?? ''] : [];
    for (const module of modules) {
      const top = module.split('.')[0] ?? '';
      for (const [pattern, library] of CONSUMER_LIBRARIES) if (pattern.test(top)) found.add(library);
    }
  }
  return found;
}

/** Calls in a receive loop that fetch the next messages, per library. */
const RECEIVE_CALLS: Record<string, RegExp> = { kafka: /^(poll|getone|getmany|consume)$/, redis: /^xreadgroup$/, sqs: /^receive_message$/ };

/** The consumer loop around the call: `async for msg in consumer:` (Kafka, NATS `sub.messages`, aio-pika `queue.iterator()`), or a `while` loop that polls. */
function consumerLoop(call: PythonNode): string | null {
  const libraries = importedLibraries(call);
  if (libraries.size === 0) return null;
  let child: PythonNode = call;
  for (let current = call.parent; current; child = current, current = current.parent) {
    if (current.type === 'for_statement' && current.childForFieldName('body')?.id === child.id) {
      const iterable = current.childForFieldName('right')?.text ?? '';
      const isAsync = current.children.some((c) => c?.type === 'async');
      const fn = enclosing(current, ['function_definition']);
      if (libraries.has('kafka') && /consumer/i.test(iterable)) return `it runs once per message of the Kafka consumer loop \`for ... in ${iterable}\``;
      if (libraries.has('nats') && isAsync && /\.messages$/.test(iterable)) return `it runs once per message of the NATS subscription loop \`async for ... in ${iterable}\``;
      if (libraries.has('rabbitmq') && isAsync && (/\.iterator\(/.test(iterable) || (fn?.text.includes('.iterator(') ?? false))) return `it runs once per message of the RabbitMQ queue iterator \`async for ... in ${iterable}\``;
    }
    if (current.type === 'while_statement' && current.childForFieldName('body')?.id === child.id) {
      for (const library of ['kafka', 'redis', 'sqs']) {
        if (!libraries.has(library)) continue;
        const receive = current.childForFieldName('body')!.descendantsOfType('call').find((c) => {
          const callee = c?.childForFieldName('function');
          return callee?.type === 'attribute' && RECEIVE_CALLS[library]!.test(callee.childForFieldName('attribute')?.text ?? '');
        });
        if (receive) return `it runs once per message of the ${library === 'kafka' ? 'Kafka' : library === 'redis' ? 'Redis stream' : 'SQS'} receive loop around ${receive.childForFieldName('function')!.text}(...)`;
      }
    }
  }
  return null;
}

/** A function the module hands to a broker as its message callback: `basic_consume(on_message_callback=f)`, `nc.subscribe(subject, cb=f)`, `queue.consume(f)`. */
function consumerCallback(fn: PythonNode, name: string): string | null {
  const libraries = importedLibraries(fn);
  if (!libraries.has('rabbitmq') && !libraries.has('nats')) return null;
  let root = fn;
  while (root.parent) root = root.parent;
  const refers = (value: PythonNode | undefined) => value !== undefined && (value.text === name || value.text === `self.${name}`);
  for (const candidate of root.descendantsOfType('call')) {
    const callee = candidate?.childForFieldName('function');
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
    if (!candidate || !method) continue;
    const args = callArguments(candidate);
    if (libraries.has('rabbitmq') && method === 'basic_consume' && (refers(args.keywords.get('on_message_callback')) || args.positional.some(refers))) return `${name} is the RabbitMQ message callback given to ${callee!.text}(...)`;
    if (libraries.has('rabbitmq') && method === 'consume' && (refers(args.positional[0]) || refers(args.keywords.get('callback')))) return `${name} is the RabbitMQ message callback given to ${callee!.text}(...)`;
    if (libraries.has('nats') && method === 'subscribe' && refers(args.keywords.get('cb'))) return `${name} is the NATS subscription callback given to ${callee!.text}(...)`;
  }
  return null;
}

/** A random workflow id a caller hands to a project's start wrapper (`start(id=str(uuid4()))`). */
export interface PythonForwardedId {
  /** The argument the caller passes. */
  location: SourceLocation;
  text: string;
  /** The wrapper the id is handed to. */
  wrapper: string;
  /** Why the caller runs once per request or message (read from the functions around the call); null: nothing there says so. */
  context: string | null;
}

const callsByName = new WeakMap<PythonModules, Map<string, { node: PythonNode; file: string }[]>>();
const definitionsByName = new WeakMap<PythonModules, Map<string, PythonNode[]>>();

/**
 * When the start's `id=` is a parameter of the function around it (a wrapper), the random ids
 * its callers pass for that parameter. A module-level function's callers are the calls that
 * resolve to it by name and import; a method's are `x.method(...)` calls that name the parameter
 * as a keyword (or `self.method(...)` in its class), when no other function of the project has that
 * name. One level: a caller that hands on its own parameter is not followed.
 */
export function pythonForwardedIds(call: PythonNode, file: string, modules: PythonModules): PythonForwardedId[] {
  const id = callArguments(call).keywords.get('id');
  const name = id ? unparenthesize(id) : undefined;
  if (name?.type !== 'identifier') return [];
  const fn = enclosing(call, ['function_definition']);
  const wrapper = fn?.childForFieldName('name')?.text;
  if (!fn || !wrapper) return [];
  const slot = parameterSlot(fn, name.text);
  if (!slot) return [];
  // The parameter is the id only while the function does not assign it.
  if (fn.descendantsOfType(['assignment', 'augmented_assignment']).some((a) => a?.childForFieldName('left')?.text === name.text)) return [];
  const method = slot.method;
  // A method is found by its name alone: only when no other function of the project has it.
  if (method && (definitionIndex(modules).get(wrapper) ?? []).length !== 1) return [];
  const owner = method ? enclosing(fn, ['class_definition']) : undefined;
  const found: PythonForwardedId[] = [];
  for (const candidate of callIndex(modules).get(wrapper) ?? []) {
    if (enclosing(candidate.node, ['function_definition'])?.id === fn.id) continue;
    const callee = candidate.node.childForFieldName('function');
    const args = callArguments(candidate.node);
    let argument = args.keywords.get(name.text);
    if (method) {
      if (callee?.type !== 'attribute') continue;
      const onSelf = callee.childForFieldName('object')?.text === 'self' && owner !== undefined && enclosing(candidate.node, ['class_definition'])?.id === owner.id;
      if (!argument && onSelf && slot.position !== undefined) argument = args.positional[slot.position];
    } else {
      if (callee?.type !== 'identifier') continue;
      const definition = modules.lookupAt(candidate.file, wrapper, candidate.node);
      if (definition?.kind !== 'function' || definition.node.id !== fn.id) continue;
      if (!argument && slot.position !== undefined && !args.starred) argument = args.positional[slot.position];
    }
    if (!argument || shapeOf(argument, candidate.file, modules, 0) !== 'random') continue;
    found.push({ location: locateNode(candidate.file, argument), text: argument.text.replace(/\s+/g, ' '), wrapper, context: pythonRequestContext(candidate.node) });
  }
  return found;
}

/** The parameter of `fn` with that name: its position among the positional parameters (after self or cls), and whether fn is a method. */
function parameterSlot(fn: PythonNode, name: string): { position?: number; method: boolean } | undefined {
  const parameters = fn.childForFieldName('parameters');
  if (!parameters) return undefined;
  const method = fn.parent?.type === 'block' && fn.parent.parent?.type === 'class_definition' ||
    (fn.parent?.type === 'decorated_definition' && fn.parent.parent?.type === 'block' && fn.parent.parent.parent?.type === 'class_definition');
  let position = 0;
  let keywordOnly = false;
  for (const [index, parameter] of namedChildrenOf(parameters).entries()) {
    if (parameter.type === 'list_splat_pattern' || parameter.type === 'keyword_separator' || parameter.text === '*') {
      keywordOnly = true;
      continue;
    }
    if (parameter.type === 'dictionary_splat_pattern' || parameter.type === 'positional_separator') continue;
    const identifier = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier'));
    // `self` or `cls` (a static method has neither).
    if (method && index === 0 && !decoratorsOf(fn).some((d) => d.expression.text === 'staticmethod')) continue;
    if (identifier?.text === name) return { position: keywordOnly ? undefined : position, method };
    position += 1;
  }
  return undefined;
}

function callIndex(modules: PythonModules): Map<string, { node: PythonNode; file: string }[]> {
  let index = callsByName.get(modules);
  if (index) return index;
  index = new Map();
  callsByName.set(modules, index);
  for (const [file, parsed] of modules.files) {
    for (const call of parsed.tree.rootNode.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.type === 'identifier' ? callee.text : undefined;
      if (!call || !name) continue;
      const list = index.get(name) ?? [];
      list.push({ node: call, file });
      index.set(name, list);
    }
  }
  return index;
}

function definitionIndex(modules: PythonModules): Map<string, PythonNode[]> {
  let index = definitionsByName.get(modules);
  if (index) return index;
  index = new Map();
  definitionsByName.set(modules, index);
  for (const parsed of modules.files.values()) {
    for (const definition of parsed.tree.rootNode.descendantsOfType('function_definition')) {
      const name = definition?.childForFieldName('name')?.text;
      if (!definition || !name) continue;
      index.set(name, [...(index.get(name) ?? []), definition]);
    }
  }
  return index;
}
