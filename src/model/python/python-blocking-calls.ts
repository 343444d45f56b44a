// Calls of well-known blocking APIs that an `async def` activity makes on the worker's event loop:
// in its own body, in helpers of the project it calls directly (two levels deep: plain `def`
// functions, and `async def` ones it awaits right there), and in functions defined inside it that
// it calls. A function handed to `asyncio.to_thread`,
// `loop.run_in_executor` or `anyio.to_thread.run_sync` is passed, not called, so it is not followed;
// nor is a lambda or a decorated helper (`@sync_to_async` runs it on a thread).
//
// Only APIs named through an import of the installed library count (`import requests as r` does;
// a parameter or local variable called `requests`, or a project module of that name, does not),
// and clients only when the same function builds them from the library (`s = requests.Session()`,
// `with httpx.Client() as c`, `s3 = boto3.client("s3")`). A third-party client the review cannot
// know is synchronous is left alone.

import type { BlockingCall, SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import { functionTarget } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, decoratorsOf, descendantsInScope, isAsyncFunction, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

/** Module functions that block the calling thread until the network, a process or a timer answers. */
const BLOCKING_FUNCTIONS = new Set([
  'time.sleep',
  ...HTTP_VERBS.map((verb) => `requests.${verb}`),
  ...[...HTTP_VERBS, 'stream'].map((verb) => `httpx.${verb}`),
  'urllib.request.urlopen',
  'subprocess.run',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'os.system',
  'psycopg2.connect',
  'pymysql.connect',
  'socket.create_connection',
  'socket.getaddrinfo',
  'socket.gethostbyname',
  'socket.gethostbyname_ex',
  'socket.gethostbyaddr',
]);

/** Constructors that connect when given a host. */
const CONNECTING_CONSTRUCTORS = new Set(['smtplib.SMTP', 'smtplib.SMTP_SSL']);

type ClientKind = 'requests' | 'httpx' | 'boto3' | 'smtp';

/** Synchronous client constructors and the kind of client they make. */
const CLIENT_CONSTRUCTORS = new Map<string, ClientKind>([
  ['requests.Session', 'requests'],
  ['requests.session', 'requests'],
  ['requests.sessions.Session', 'requests'],
  ['httpx.Client', 'httpx'],
  ['boto3.client', 'boto3'],
  ['smtplib.SMTP', 'smtp'],
  ['smtplib.SMTP_SSL', 'smtp'],
]);

/** boto3 client methods that do no network I/O. */
const BOTO3_LOCAL = new Set(['get_paginator', 'get_waiter', 'can_paginate', 'generate_presigned_url', 'generate_presigned_post', 'close']);

function blockingMethod(kind: ClientKind, method: string): boolean {
  switch (kind) {
    case 'requests':
      return HTTP_VERBS.includes(method) || method === 'send';
    case 'httpx':
      return HTTP_VERBS.includes(method) || method === 'send' || method === 'stream';
    case 'boto3':
      return !BOTO3_LOCAL.has(method) && !method.startsWith('_');
    case 'smtp':
      return ['connect', 'login', 'starttls', 'ehlo', 'helo', 'sendmail', 'send_message', 'quit'].includes(method);
  }
}

/** For every `async def` activity, the blocking calls it makes on the event loop, first one first. */
export function addBlockingCalls(activities: PythonActivity[], modules: PythonModules): void {
  for (const activity of activities) {
    if (!isAsyncFunction(activity.node)) continue;
    const found: BlockingCall[] = [];
    collect(activity.node, activity.file, modules, [], new Set(), found);
    if (found.length > 0) activity.blockingCalls = found;
  }
}

function collect(fn: PythonNode, file: string, modules: PythonModules, via: SourceLocation[], seen: Set<number>, found: BlockingCall[]): void {
  if (seen.has(fn.id)) return;
  seen.add(fn.id);
  const body = fn.childForFieldName('body');
  if (!body) return;
  const clients = localClients(fn, file, modules);
  const nested = nestedFunctions(body);
  const helpers: { call: PythonNode; node: PythonNode; file: string }[] = [];
  descendantsInScope(body, (node) => {
    if (node.type !== 'call') return;
    const api = blockingApi(node, fn, file, modules, clients);
    if (api) {
      found.push({ api, location: locateNode(file, node), via });
      return;
    }
    if (via.length >= 2) return;
    const callee = node.childForFieldName('function');
    if (!callee) return;
    const local = callee.type === 'identifier' ? nested.get(callee.text) : undefined;
    const target = local ? { file, node: local } : functionTarget(callee, fn, file, modules);
    if (target && followable(target.node, node)) helpers.push({ call: node, ...target });
  });
  for (const helper of helpers) collect(helper.node, helper.file, modules, [...via, locateNode(file, helper.call)], seen, found);
}

/**
 * A function with no decorator but @staticmethod or @classmethod that runs where it is called: a
 * plain `def`, or an `async def` awaited right there (it runs on the same loop).
 */
function followable(fn: PythonNode, call: PythonNode): boolean {
  if (isAsyncFunction(fn) && call.parent?.type !== 'await') return false;
  return decoratorsOf(fn).every((d) => d.expression.type === 'identifier' && (d.expression.text === 'staticmethod' || d.expression.text === 'classmethod'));
}

/** Functions defined in the body's own scope, by name; a name defined twice is left out. */
function nestedFunctions(body: PythonNode): Map<string, PythonNode> {
  const byName = new Map<string, PythonNode>();
  const twice = new Set<string>();
  descendantsInScope(body, (node) => {
    if (node.type !== 'function_definition') return;
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    if (byName.has(name)) twice.add(name);
    byName.set(name, node);
  });
  for (const name of twice) byName.delete(name);
  return byName;
}

/** The blocking API a call makes, as written with its import applied, or undefined. */
function blockingApi(call: PythonNode, fn: PythonNode, file: string, modules: PythonModules, clients: Map<string, ClientKind>): string | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const qualified = libraryName(callee, fn, file, modules);
  if (qualified && BLOCKING_FUNCTIONS.has(qualified)) {
    if (qualified === 'time.sleep' && sleepsZero(call)) return undefined;
    return qualified;
  }
  if (qualified && CONNECTING_CONSTRUCTORS.has(qualified)) {
    const args = callArguments(call);
    return args.positional.length > 0 || args.keywords.has('host') ? qualified : undefined;
  }
  if (callee.type !== 'attribute') return undefined;
  const method = callee.childForFieldName('attribute')?.text;
  const object = callee.childForFieldName('object');
  if (!method || !object) return undefined;
  const receiver = unparenthesize(object);
  // `requests.Session().get(...)`, `boto3.client("s3").put_object(...)`
  if (receiver.type === 'call') {
    const made = clientMade(receiver, fn, file, modules);
    if (made && blockingMethod(made.kind, method)) return `${made.name}().${method}`;
  }
  if (receiver.type === 'identifier') {
    const kind = clients.get(receiver.text);
    if (kind && blockingMethod(kind, method)) return `${CLIENT_LABEL[kind]}.${method}`;
  }
  return undefined;
}

const CLIENT_LABEL: Record<ClientKind, string> = { requests: 'requests.Session', httpx: 'httpx.Client', boto3: 'boto3 client', smtp: 'smtplib.SMTP' };

function sleepsZero(call: PythonNode): boolean {
  const first = callArguments(call).positional[0];
  return first !== undefined && (first.type === 'integer' || first.type === 'float') && Number(first.text) === 0;
}

/** The client a call builds: a known constructor, or `boto3.Session(...).client(...)`. */
function clientMade(call: PythonNode, fn: PythonNode, file: string, modules: PythonModules): { kind: ClientKind; name: string } | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const qualified = libraryName(callee, fn, file, modules);
  const kind = qualified ? CLIENT_CONSTRUCTORS.get(qualified) : undefined;
  if (qualified && kind) return { kind, name: qualified };
  if (callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'client') {
    const object = callee.childForFieldName('object');
    const session = object?.type === 'call' ? object.childForFieldName('function') : undefined;
    const name = session ? libraryName(session, fn, file, modules) : undefined;
    if (name === 'boto3.Session' || name === 'boto3.session.Session') return { kind: 'boto3', name: 'boto3.Session().client' };
  }
  return undefined;
}

/**
 * Names bound in the function to a sync client it builds (`s = requests.Session()`,
 * `with httpx.Client() as c:`); a name bound to anything else too, or a parameter, is left out.
 */
function localClients(fn: PythonNode, file: string, modules: PythonModules): Map<string, ClientKind> {
  const clients = new Map<string, ClientKind>();
  const other = new Set<string>(parameterNames(fn));
  const bind = (target: PythonNode | null | undefined, value: PythonNode | null | undefined) => {
    if (!target) return;
    if (target.type !== 'identifier') {
      for (const name of boundNames(target)) other.add(name);
      return;
    }
    const made = value && unparenthesize(value).type === 'call' ? clientMade(unparenthesize(value), fn, file, modules) : undefined;
    if (!made) other.add(target.text);
    else if (clients.has(target.text) && clients.get(target.text) !== made.kind) other.add(target.text);
    else clients.set(target.text, made.kind);
  };
  const body = fn.childForFieldName('body');
  if (!body) return clients;
  descendantsInScope(body, (node) => {
    if (node.type === 'assignment') bind(node.childForFieldName('left'), node.childForFieldName('right'));
    else if (node.type === 'augmented_assignment' || node.type === 'for_statement' || node.type === 'for_in_clause') {
      for (const name of boundNames(node.childForFieldName('left'))) other.add(name);
    } else if (node.type === 'named_expression') {
      const name = node.childForFieldName('name')?.text;
      if (name) other.add(name);
    } else if (node.type === 'with_item') {
      const value = node.childForFieldName('value');
      if (value?.type === 'as_pattern') {
        const alias = value.childForFieldName('alias');
        const target = alias ? (namedChildrenOf(alias)[0] ?? alias) : undefined;
        bind(target, namedChildrenOf(value)[0]);
      }
    } else if (node.type === 'function_definition' || node.type === 'class_definition') {
      const name = node.childForFieldName('name')?.text;
      if (name) other.add(name);
    }
  });
  for (const name of other) clients.delete(name);
  return clients;
}

/**
 * The dotted library name an expression spells when its first name is an import of an installed
 * package (`r.get` after `import requests as r` is `requests.get`); undefined when that name is a
 * parameter or local variable of the function, a definition of the module, or a project module.
 */
function libraryName(node: PythonNode, fn: PythonNode, file: string, modules: PythonModules): string | undefined {
  const parts: string[] = [];
  let current = node;
  while (current.type === 'attribute') {
    const attribute = current.childForFieldName('attribute')?.text;
    const object = current.childForFieldName('object');
    if (!attribute || !object) return undefined;
    parts.unshift(attribute);
    current = object;
  }
  if (current.type !== 'identifier') return undefined;
  const name = current.text;
  const binding = modules.importBindingAt(file, name, node);
  if (!binding || binding.file !== undefined) return undefined;
  if (bindsLocally(fn, name) || modules.lookup(file, name)) return undefined;
  const head = binding.kind === 'module' ? binding.module : `${binding.module}.${binding.name}`;
  return [head, ...parts].join('.');
}

/** True when the function binds the name itself: a parameter, an assignment, a loop or with target. */
function bindsLocally(fn: PythonNode, name: string): boolean {
  if (parameterNames(fn).includes(name)) return true;
  const body = fn.childForFieldName('body');
  let bound = false;
  if (!body) return false;
  descendantsInScope(body, (node) => {
    if (bound) return;
    let targets: PythonNode | null | undefined;
    if (node.type === 'assignment' || node.type === 'augmented_assignment' || node.type === 'for_statement' || node.type === 'for_in_clause') targets = node.childForFieldName('left');
    else if (node.type === 'named_expression') targets = node.childForFieldName('name');
    else if (node.type === 'as_pattern') targets = node.childForFieldName('alias');
    else if (node.type === 'function_definition' || node.type === 'class_definition') targets = node.childForFieldName('name');
    if (targets && boundNames(targets).includes(name)) bound = true;
  });
  return bound;
}

function parameterNames(fn: PythonNode): string[] {
  const parameters = fn.childForFieldName('parameters');
  if (!parameters) return [];
  const names: string[] = [];
  for (const parameter of namedChildrenOf(parameters)) {
    if (parameter.type === 'identifier') names.push(parameter.text);
    else {
      const named = parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier');
      if (named) names.push(named.text);
    }
  }
  return names;
}

/** The plain names a binding target binds (`a`, `a, b`, `(a, [b, *c])`); attributes and subscripts bind none. */
function boundNames(target: PythonNode | null | undefined): string[] {
  if (!target) return [];
  if (target.type === 'identifier') return [target.text];
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'tuple', 'list', 'list_splat_pattern', 'parenthesized_expression', 'as_pattern_target'].includes(target.type)) {
    return namedChildrenOf(target).flatMap(boundNames);
  }
  return [];
}
