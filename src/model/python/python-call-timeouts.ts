// Limits written on the outbound calls a Python activity makes, in its body and in the project
// functions it calls (two levels deep, as for blocking calls), read only where they are constants
// (resolvePythonValue; a value read from the environment, a parameter or a setting is left alone):
// `httpx.Client/AsyncClient(timeout=s)` and `httpx.Timeout(s)`, `httpx.<verb>(..., timeout=s)`,
// `requests.<verb>(..., timeout=s)` (the read part of a `(connect, read)` pair),
// `aiohttp.ClientTimeout(total=s)`, `subprocess.run(..., timeout=s)` and its siblings,
// `asyncio.wait_for(..., timeout=s)`, `asyncio.timeout(s)`, and the OpenAI and Anthropic clients
// with their `timeout`, or their default when none is written (600 s per request in both SDKs,
// `DEFAULT_TIMEOUT = httpx.Timeout(timeout=600.0, connect=5.0)`, each retried twice). A client
// made outside the function (a module variable, `self.client` set once in the class) counts where
// the activity calls a method on it; a request's own `timeout=` replaces its client's.
//
// Helpers are followed as module functions, `self.method(...)`, and methods of an instance of a
// project class the function makes once (`nmap = NmapTool(); await nmap.scan(...)`). A limit
// written as a helper's parameter (`asyncio.wait_for(..., timeout=timeout)` in
// `async def scan(self, ..., timeout: int = 300)`) is read from the call that reaches it: the
// argument it passes when that is a constant, else the parameter's default when it passes none.
//
// Each limit also says whether a heartbeat can be sent while the call waits (`quietWait`): not
// when the activity's code starts anything that runs beside it (a task, a thread, gather), when a
// heartbeat sits in a nested function or lambda (a callback, a background loop), when the activity
// has a decorator of the project (an auto-heartbeater), or when the limit bounds code that
// heartbeats itself (`asyncio.wait_for(work_that_heartbeats(), 600)`, an `asyncio.timeout` block
// with a heartbeat inside). A single awaited call cannot heartbeat otherwise.

import type { CallTimeout, SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import { functionHeartbeat, functionTarget, isHeartbeatCall } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import { resolvePythonValue } from './python-values.js';
import { escapesTries } from './python-caught-errors.js';
import { callArguments, classMembers, decoratorsOf, descendantsInScope, enclosing, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';

/** The OpenAI and Anthropic SDKs' default per-request timeout, in seconds. */
export const LLM_SDK_DEFAULT_TIMEOUT_S = 600;

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

/** Client constructors whose `timeout=` bounds each request they make, with how messages name them. */
const CLIENTS = new Map<string, { label: string; llm: boolean }>([
  ['httpx.Client', { label: 'httpx client', llm: false }],
  ['httpx.AsyncClient', { label: 'httpx client', llm: false }],
  ['openai.OpenAI', { label: 'OpenAI client', llm: true }],
  ['openai.AsyncOpenAI', { label: 'OpenAI client', llm: true }],
  ['openai.AzureOpenAI', { label: 'OpenAI client', llm: true }],
  ['openai.AsyncAzureOpenAI', { label: 'OpenAI client', llm: true }],
  ['anthropic.Anthropic', { label: 'Anthropic client', llm: true }],
  ['anthropic.AsyncAnthropic', { label: 'Anthropic client', llm: true }],
]);

/** Module functions with a `timeout=` keyword (and its position, when it may be passed positionally). */
const TIMEOUT_FUNCTIONS = new Map<string, { label: string; position?: number; keyword: string }>([
  ...HTTP_VERBS.map((verb): [string, { label: string; keyword: string }] => [`requests.${verb}`, { label: `requests.${verb} call`, keyword: 'timeout' }]),
  ...[...HTTP_VERBS, 'stream'].map((verb): [string, { label: string; keyword: string }] => [`httpx.${verb}`, { label: `httpx.${verb} call`, keyword: 'timeout' }]),
  ['subprocess.run', { label: 'subprocess.run', keyword: 'timeout' }],
  ['subprocess.call', { label: 'subprocess.call', keyword: 'timeout' }],
  ['subprocess.check_call', { label: 'subprocess.check_call', keyword: 'timeout' }],
  ['subprocess.check_output', { label: 'subprocess.check_output', keyword: 'timeout' }],
  ['asyncio.wait_for', { label: 'asyncio.wait_for', position: 1, keyword: 'timeout' }],
  ['asyncio.timeout', { label: 'asyncio.timeout block', position: 0, keyword: 'delay' }],
  ['aiohttp.ClientTimeout', { label: 'aiohttp ClientTimeout', position: 0, keyword: 'total' }],
]);

type Found = Omit<CallTimeout, 'via'> & { client?: string; overrides?: string; wraps?: PythonNode };

/** What a helper's parameter holds on the path the review follows: the caller's argument or the default. */
interface Bound {
  node: PythonNode;
  file: string;
}
type Params = Map<string, Bound>;

/** Calls that run code beside the awaiting one (a heartbeat loop may be among it). */
const CONCURRENT = new Set(['asyncio.create_task', 'asyncio.ensure_future', 'asyncio.gather', 'asyncio.TaskGroup', 'asyncio.to_thread', 'asyncio.wait', 'threading.Thread', 'threading.Timer']);
const CONCURRENT_METHODS = new Set(['create_task', 'ensure_future', 'start_soon', 'run_in_executor', 'submit', 'gather', 'spawn']);

export function addCallTimeouts(activities: PythonActivity[], modules: PythonModules): void {
  for (const activity of activities) {
    const found: (CallTimeout & { wraps?: PythonNode; at: string })[] = [];
    const seen = new Set<string>();
    const overridden = new Set<string>();
    const clientEntries = new Map<CallTimeout, string>();
    const visited: { fn: PythonNode; file: string }[] = [];
    collect(activity.node, activity.file, modules, [], new Set(), new Map(), visited, (entry, via, at) => {
      const { client, overrides, ...rest } = entry;
      if (overrides) overridden.add(overrides);
      const key = `${rest.location.file}:${rest.location.line}:${rest.location.column}`;
      if (seen.has(key)) return;
      seen.add(key);
      const timeout = { ...rest, via, at };
      if (client) clientEntries.set(timeout, client);
      found.push(timeout);
    });
    const kept = found.filter((timeout) => !overridden.has(clientEntries.get(timeout) ?? ''));
    if (kept.length === 0) continue;
    const besides = runsBeside(activity, visited, modules);
    activity.callTimeouts = kept.map(({ wraps, at, ...timeout }) => ({
      ...timeout,
      ...(besides || (wraps && reachesHeartbeat(wraps, at, modules)) ? {} : { quietWait: true }),
    }));
  }
}

function collect(fn: PythonNode, file: string, modules: PythonModules, via: SourceLocation[], seenFunctions: Set<number>, params: Params, visited: { fn: PythonNode; file: string }[], report: (entry: Found, via: SourceLocation[], file: string) => void): void {
  walkFunctions(fn, file, modules, via, seenFunctions, params, visited, (call, caller, callerFile, callerParams, callerVia, calls) => {
    const entries = timeoutsAt(call, caller, callerFile, modules, callerParams);
    if (entries.length === 0) return;
    // The call's own timeout error is caught on the way to the activity's body (and not raised again):
    // that except clause is the code that handles it.
    const handled = !escapesTries(TIMEOUT_ERRORS, call, caller) || calls.some((reaching) => !escapesTries(TIMEOUT_ERRORS, reaching.call, reaching.caller));
    for (const entry of entries) report({ ...entry, handled }, callerVia, callerFile);
  });
}

/**
 * Visits the calls of a function and of the project functions it reaches, two levels deep: module
 * functions, `self.method(...)`, and methods of an instance of a project class the function makes
 * (instanceMethod). `visited` receives every function reached, with the calls that lead to it.
 */
function walkFunctions(
  fn: PythonNode,
  file: string,
  modules: PythonModules,
  via: SourceLocation[],
  seenFunctions: Set<number>,
  params: Params,
  visited: { fn: PythonNode; file: string; via?: SourceLocation[]; calls?: ReachingCall[] }[],
  onCall: (call: PythonNode, fn: PythonNode, file: string, params: Params, via: SourceLocation[], calls: ReachingCall[]) => void,
  calls: ReachingCall[] = [],
): void {
  if (seenFunctions.has(fn.id)) return;
  seenFunctions.add(fn.id);
  visited.push({ fn, file, via, calls });
  const body = fn.childForFieldName('body');
  if (!body) return;
  const helpers: { call: PythonNode; node: PythonNode; file: string; method: boolean }[] = [];
  descendantsInScope(body, (node) => {
    if (node.type !== 'call') return;
    onCall(node, fn, file, params, via, calls);
    if (via.length >= 2) return;
    const callee = node.childForFieldName('function');
    const target = callee ? functionTarget(callee, fn, file, modules) : undefined;
    if (target) helpers.push({ call: node, ...target, method: callee?.type === 'attribute' && ['self', 'cls'].includes(callee.childForFieldName('object')?.text ?? '') });
    else {
      const method = callee ? instanceMethod(callee, fn, file, modules) : undefined;
      if (method) helpers.push({ call: node, ...method, method: true });
    }
  });
  for (const helper of helpers) {
    const bound = bindParameters(helper.call, helper.node, helper.method, file, params, helper.file);
    walkFunctions(helper.node, helper.file, modules, [...via, locateNode(file, helper.call)], seenFunctions, bound, visited, onCall, [...calls, { call: helper.call, caller: fn }]);
  }
}

/** A call on the way from an activity to a function it reaches, and the function that makes it. */
export interface ReachingCall {
  call: PythonNode;
  caller: PythonNode;
}

/** A function an activity reaches (itself included), with the calls from the activity's body that lead to it. */
export interface ReachedFunction {
  fn: PythonNode;
  file: string;
  via: SourceLocation[];
  calls: ReachingCall[];
}

/** The activity's function and the project functions it reaches, as call timeouts follow them (two levels deep). */
export function reachedFunctions(activity: PythonActivity, modules: PythonModules): ReachedFunction[] {
  const visited: { fn: PythonNode; file: string; via?: SourceLocation[]; calls?: ReachingCall[] }[] = [];
  walkFunctions(activity.node, activity.file, modules, [], new Set(), new Map(), visited, () => {});
  return visited.map(({ fn, file, via, calls }) => ({ fn, file, via: via ?? [], calls: calls ?? [] }));
}

/**
 * The exceptions a call's own timeout raises, with their bases, across the clients read here:
 * asyncio's and the builtin TimeoutError, httpx's TimeoutException family, requests' Timeout,
 * aiohttp's ServerTimeoutError, the OpenAI and Anthropic SDKs' APITimeoutError.
 */
const TIMEOUT_ERRORS = [
  'TimeoutError', 'CancelledError', 'OSError', 'TimeoutException', 'ReadTimeout', 'ConnectTimeout', 'WriteTimeout', 'PoolTimeout', 'TransportError', 'RequestError', 'HTTPError',
  'Timeout', 'RequestException', 'ServerTimeoutError', 'ClientError', 'APITimeoutError', 'APIConnectionError', 'APIError', 'OpenAIError', 'AnthropicError', 'Exception', 'BaseException',
];

/** Decorators that retry the function they wrap and otherwise call it unchanged. */
const RETRY_DECORATOR = /^(?:tenacity\.(?:retry|asyncio\.retry)|backoff\.on_(?:exception|predicate))$/;

/**
 * `x.method(...)` where the function binds `x` once to an instance of a project class
 * (`nmap = NmapTool()`, the class imported at the top or inside the function), or
 * `NmapTool().method(...)`: the method the class itself defines (an inherited one is not looked for).
 */
function instanceMethod(callee: PythonNode, fn: PythonNode, file: string, modules: PythonModules): { file: string; node: PythonNode } | undefined {
  if (callee.type !== 'attribute') return undefined;
  const object = callee.childForFieldName('object');
  const name = callee.childForFieldName('attribute')?.text;
  if (!object || !name) return undefined;
  let made: PythonNode | undefined;
  if (object.type === 'call') made = object;
  else if (object.type === 'identifier') {
    const values = localBindings(fn, object.text);
    const value = values.length === 1 && values[0] ? unparenthesize(values[0]) : undefined;
    if (value?.type === 'call') made = value;
  }
  const classCallee = made?.childForFieldName('function');
  if (!classCallee) return undefined;
  const definition = classCallee.type === 'identifier' ? modules.lookupAt(file, classCallee.text, classCallee) : undefined;
  if (definition?.kind !== 'class') return undefined;
  for (const member of classMembers(definition.node)) {
    const method = member.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
    if (method?.type === 'function_definition' && method.childForFieldName('name')?.text === name) {
      // A static method has no `self` to skip; a property or another decorator changes the call,
      // except a retry decorator (tenacity, backoff), which calls the method as it is, again.
      const decorators = decoratorsOf(method);
      if (decorators.some((d) => d.expression.text !== 'staticmethod' && !RETRY_DECORATOR.test(modules.qualifiedName(definition.file, d.expression) ?? ''))) return undefined;
      return { file: definition.file, node: method };
    }
  }
  return undefined;
}

/**
 * What each parameter of a helper holds when the call reaches it: the argument written at the call
 * (a caller's own parameter passed on keeps the caller's binding), or the parameter's default when
 * the call passes none. A call with `*args` or `**kwargs` binds nothing.
 */
function bindParameters(call: PythonNode, helper: PythonNode, method: boolean, callerFile: string, callerParams: Params, helperFile: string): Params {
  const bound: Params = new Map();
  const args = callArguments(call);
  if (args.starred || args.spreads.length > 0) return bound;
  const parameters = helper.childForFieldName('parameters');
  let list = parameters ? namedChildrenOf(parameters) : [];
  const isStatic = decoratorsOf(helper).some((d) => d.expression.text === 'staticmethod');
  if (method && !isStatic) list = list.slice(1);
  let index = 0;
  let positionalOpen = true;
  for (const parameter of list) {
    if (parameter.type === 'list_splat_pattern' || parameter.type === 'keyword_separator' || parameter.type === 'dictionary_splat_pattern') {
      positionalOpen = false;
      continue;
    }
    if (parameter.type === 'positional_separator') continue;
    const nameNode = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier'));
    const name = nameNode?.text;
    const position = positionalOpen ? index++ : -1;
    if (!name) continue;
    const argument = args.keywords.get(name) ?? (position >= 0 ? args.positional[position] : undefined);
    if (argument) {
      const target = unparenthesize(argument);
      const passedOn = target.type === 'identifier' ? callerParams.get(target.text) : undefined;
      bound.set(name, passedOn ?? { node: argument, file: callerFile });
      continue;
    }
    const fallback = parameter.type === 'default_parameter' || parameter.type === 'typed_default_parameter' ? parameter.childForFieldName('value') : null;
    if (fallback) bound.set(name, { node: fallback, file: helperFile });
  }
  return bound;
}

/**
 * True when something the activity starts may run beside an awaited call (a task, a thread, a
 * gather), when a heartbeat sits in a nested function or lambda of its code (a background loop, a
 * progress callback), or when the activity has a project decorator (an auto-heartbeater): then a
 * heartbeat may well be sent while a call waits.
 */
function runsBeside(activity: PythonActivity, visited: { fn: PythonNode; file: string }[], modules: PythonModules): boolean {
  if (decoratorsOf(activity.node).some((d) => modules.qualifiedName(activity.file, d.expression) !== 'temporalio.activity.defn')) return true;
  for (const { fn, file } of visited) {
    const body = fn.childForFieldName('body');
    if (!body) continue;
    let found = false;
    const visit = (node: PythonNode, nested: boolean): void => {
      for (const child of namedChildrenOf(node)) {
        if (found) return;
        if (child.type === 'call') {
          const callee = child.childForFieldName('function');
          const qualified = callee ? modules.qualifiedName(file, callee) : undefined;
          if (qualified && CONCURRENT.has(qualified)) found = true;
          if (callee?.type === 'attribute' && CONCURRENT_METHODS.has(callee.childForFieldName('attribute')?.text ?? '')) found = true;
          if (nested && isHeartbeatCall(child, file, modules)) found = true;
        }
        visit(child, nested || child.type === 'function_definition' || child.type === 'lambda');
      }
    };
    visit(body, false);
    if (found) return true;
  }
  return false;
}

/** Whether code bounded by a limit heartbeats: a heartbeat call in it, or a project function it calls that does. */
function reachesHeartbeat(code: PythonNode, file: string, modules: PythonModules): boolean {
  const fn = enclosing(code, ['function_definition']);
  let found = false;
  const check = (node: PythonNode): void => {
    if (found || node.type !== 'call') return;
    if (isHeartbeatCall(node, file, modules)) {
      found = true;
      return;
    }
    const callee = node.childForFieldName('function');
    if (!callee || !fn) return;
    const target = functionTarget(callee, fn, file, modules) ?? instanceMethod(callee, fn, file, modules);
    if (target && functionHeartbeat(target.node, target.file, modules)) found = true;
  };
  check(code);
  descendantsInScope(code, check);
  // A coroutine handed over by name (a task, a variable): what it runs is not read.
  return found || (code.type !== 'call' && code.type !== 'block');
}

/** Seconds written as a constant, in milliseconds; undefined for anything else (None: no limit). */
function constantMs(node: PythonNode | undefined, file: string, modules: PythonModules): number | undefined {
  if (!node) return undefined;
  const value = resolvePythonValue(node, file, modules);
  if (value.kind !== 'number' || value.configurable || !Number.isFinite(value.value) || value.value <= 0) return undefined;
  return value.value * 1000;
}

/** A `timeout=` value: seconds, an `httpx.Timeout(...)` (its read limit), or a `(connect, read)` pair for requests. */
function timeoutValueMs(node: PythonNode, file: string, modules: PythonModules, pair: boolean): number | undefined {
  const target = unparenthesize(node);
  if (target.type === 'call') {
    const callee = target.childForFieldName('function');
    if (callee && modules.qualifiedName(file, callee) === 'httpx.Timeout') return httpxTimeoutMs(target, file, modules);
    return undefined;
  }
  if (pair && target.type === 'tuple') {
    const parts = namedChildrenOf(target);
    return parts.length === 2 ? constantMs(parts[1], file, modules) : undefined;
  }
  return constantMs(target, file, modules);
}

/** `httpx.Timeout(60.0, read=120.0)`: how long a response may keep the caller waiting (the read limit). */
function httpxTimeoutMs(call: PythonNode, file: string, modules: PythonModules): number | undefined {
  const args = callArguments(call);
  if (args.spreads.length > 0 || args.starred) return undefined;
  const read = args.keywords.get('read');
  if (read) return constantMs(read, file, modules);
  return constantMs(args.positional[0] ?? args.keywords.get('timeout'), file, modules);
}

/** A parameter of the function replaced by what the followed call binds it to. */
function substitute(node: PythonNode, file: string, params: Params): { node: PythonNode; file: string; source?: SourceLocation } {
  const target = unparenthesize(node);
  const bound = target.type === 'identifier' ? params.get(target.text) : undefined;
  return bound ? { node: bound.node, file: bound.file, source: locateNode(bound.file, bound.node) } : { node, file };
}

function timeoutsAt(call: PythonNode, fn: PythonNode, file: string, modules: PythonModules, params: Params = new Map()): Found[] {
  const callee = call.childForFieldName('function');
  if (!callee) return [];
  const qualified = modules.qualifiedName(file, callee);
  if (qualified === 'httpx.Timeout') {
    // Counted where a client takes it (visited first); alone, as a limit someone passes on.
    const ms = httpxTimeoutMs(call, file, modules);
    return ms === undefined ? [] : [{ what: 'httpx timeout', ms, written: short(call.text), location: locateNode(file, call) }];
  }
  const known = qualified ? TIMEOUT_FUNCTIONS.get(qualified) : undefined;
  if (known) {
    const args = callArguments(call);
    const value = args.keywords.get(known.keyword) ?? (known.position !== undefined ? args.positional[known.position] : undefined);
    const read = value ? substitute(value, file, params) : undefined;
    // A parameter of the activity itself comes from the workflow: not read.
    if (read && !read.source && unparenthesize(value!).type === 'identifier' && isParameter(fn, unparenthesize(value!).text)) return [];
    const ms = read ? timeoutValueMs(read.node, read.file, modules, qualified!.startsWith('requests.')) : undefined;
    // What the limit bounds: the coroutine `asyncio.wait_for` awaits, the body of an `asyncio.timeout` block.
    const wraps = qualified === 'asyncio.wait_for' ? (args.positional[0] ?? args.keywords.get('fut')) : qualified === 'asyncio.timeout' ? withBody(call) : undefined;
    return ms === undefined
      ? []
      : [{ what: known.label, ms, written: `${value!.parent?.type === 'keyword_argument' ? `${known.keyword}=` : ''}${short(value!.text)}`, location: locateNode(file, value!), ...(read!.source ? { source: read!.source } : {}), ...(wraps ? { wraps: unparenthesize(wraps) } : qualified === 'asyncio.timeout' ? { wraps: call.parent ?? call } : {}) }];
  }
  const client = qualified ? CLIENTS.get(qualified) : undefined;
  if (client) {
    const entry = clientEntry(call, client, file, modules);
    return entry ? [entry] : [];
  }
  // A method of a client made elsewhere: `client.chat.completions.create(...)`, `self.http.post(...)`.
  if (callee.type !== 'attribute') return [];
  const receiver = receiverClient(callee, fn, file, modules);
  if (!receiver) return [];
  const method = callee.childForFieldName('attribute')?.text ?? '';
  const requestTimeout = callArguments(call).keywords.get('timeout') ?? receiver.withOptions;
  if (requestTimeout) {
    const ms = timeoutValueMs(requestTimeout, file, modules, false);
    if (ms === undefined) return [];
    return [{ what: `${receiver.info.label.replace(' client', '')} request`, ms, written: `timeout=${short(requestTimeout.text)}`, location: locateNode(file, requestTimeout), overrides: receiver.key }];
  }
  // Only requests: an LLM resource method (`chat.completions.create`), an HTTP verb of an httpx client.
  const request = receiver.info.llm ? receiver.depth >= 1 : receiver.depth === 0 && (HTTP_VERBS.includes(method) || method === 'stream' || method === 'send');
  if (!request) return [];
  const entry = clientEntry(receiver.made, receiver.info, receiver.file, modules);
  return entry ? [entry] : [];
}

/** The block of the `async with` statement a call opens, when it is one. */
function withBody(call: PythonNode): PythonNode | undefined {
  const statement = enclosing(call, ['with_statement', 'block']);
  return statement?.type === 'with_statement' ? (statement.childForFieldName('body') ?? undefined) : undefined;
}

function isParameter(fn: PythonNode, name: string): boolean {
  const parameters = fn.childForFieldName('parameters');
  return (parameters ? namedChildrenOf(parameters) : []).some((parameter) => {
    const named = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier'));
    return named?.text === name;
  });
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

/** A client's own limit: its `timeout=`, or for an LLM SDK client without one, the SDK default. */
function clientEntry(call: PythonNode, client: { label: string; llm: boolean }, file: string, modules: PythonModules): Found | undefined {
  const args = callArguments(call);
  const key = `${file}:${call.id}`;
  const timeout = args.keywords.get('timeout');
  if (!timeout) {
    // `**kwargs` may carry a timeout; httpx's own default (5 s) is short.
    if (!client.llm || args.spreads.length > 0) return undefined;
    return { what: client.label, ms: LLM_SDK_DEFAULT_TIMEOUT_S * 1000, written: 'no timeout (SDK default 600 s, retried twice)', sdkDefault: true, location: locateNode(file, call), client: key };
  }
  const ms = timeoutValueMs(timeout, file, modules, false);
  if (ms === undefined) return undefined;
  return { what: client.label, ms, written: `timeout=${short(timeout.text)}`, location: locateNode(file, timeout), client: key };
}

interface ReceiverClient {
  made: PythonNode;
  file: string;
  info: { label: string; llm: boolean };
  key: string;
  /** Attribute steps between the client and the method (`client.chat.completions.create`: 2). */
  depth: number;
  /** `client.with_options(timeout=30)` on the way: that request's own limit. */
  withOptions?: PythonNode;
}

/**
 * The client a method call's receiver chain starts at, when the review can be sure: a name the
 * function does not bind that is a module variable assigned once to a client constructor, a name
 * the function itself binds once to one (`async with httpx.AsyncClient(...) as client`), or
 * `self.<field>` assigned once in the class, to a client constructor.
 */
function receiverClient(callee: PythonNode, fn: PythonNode, file: string, modules: PythonModules): ReceiverClient | undefined {
  let head = callee.childForFieldName('object');
  let depth = 0;
  let withOptions: PythonNode | undefined;
  while (head) {
    const node = unparenthesize(head);
    if (node.type === 'call') {
      // `client.with_options(timeout=30).chat...`
      const inner = node.childForFieldName('function');
      if (inner?.type !== 'attribute' || inner.childForFieldName('attribute')?.text !== 'with_options') return undefined;
      withOptions = callArguments(node).keywords.get('timeout') ?? withOptions;
      head = inner.childForFieldName('object');
      continue;
    }
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      if (object?.type === 'identifier' && object.text === 'self') {
        const made = selfAttribute(node, fn, file, modules);
        return made ? { ...made, depth, ...(withOptions ? { withOptions } : {}) } : undefined;
      }
      head = object;
      depth++;
      continue;
    }
    if (node.type === 'identifier') {
      const made = nameClient(node, fn, file, modules);
      return made ? { ...made, depth, ...(withOptions ? { withOptions } : {}) } : undefined;
    }
    return undefined;
  }
  return undefined;
}

function clientCall(value: PythonNode | undefined | null, file: string, modules: PythonModules): { made: PythonNode; info: { label: string; llm: boolean } } | undefined {
  if (!value) return undefined;
  const node = unparenthesize(value);
  if (node.type !== 'call') return undefined;
  const callee = node.childForFieldName('function');
  const info = callee ? CLIENTS.get(modules.qualifiedName(file, callee) ?? '') : undefined;
  return info ? { made: node, info } : undefined;
}

/** What a plain name holds: one binding in the function, or a module variable assigned once. */
function nameClient(name: PythonNode, fn: PythonNode, file: string, modules: PythonModules): Omit<ReceiverClient, 'depth'> | undefined {
  const local = localBindings(fn, name.text);
  if (local.length > 1) return undefined;
  if (local.length === 1) {
    const made = clientCall(local[0], file, modules);
    return made ? { ...made, file, key: `${file}:${made.made.id}` } : undefined;
  }
  const definition = modules.lookup(file, name.text);
  if (definition?.kind !== 'assignment' || !definition.value) return undefined;
  if (moduleAssignments(definition.file, name.text, modules) !== 1) return undefined;
  const made = clientCall(definition.value, definition.file, modules);
  return made ? { ...made, file: definition.file, key: `${definition.file}:${made.made.id}` } : undefined;
}

/** The values a function binds a name to (null for a binding the review does not follow: a parameter, a loop target). */
function localBindings(fn: PythonNode, name: string): (PythonNode | null)[] {
  const values: (PythonNode | null)[] = [];
  const parameters = fn.childForFieldName('parameters');
  for (const parameter of parameters ? namedChildrenOf(parameters) : []) {
    const named = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier'));
    if (named?.text === name) values.push(null);
  }
  const body = fn.childForFieldName('body');
  if (!body) return values;
  descendantsInScope(body, (node) => {
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier' && left.text === name) values.push(node.childForFieldName('right'));
      else if (left && left.type !== 'identifier' && left.type !== 'attribute' && left.type !== 'subscript' && left.text.split(/[^A-Za-z0-9_]+/).includes(name)) values.push(null);
    } else if (node.type === 'with_item') {
      const value = node.childForFieldName('value');
      if (value?.type === 'as_pattern') {
        const alias = value.childForFieldName('alias');
        const target = alias ? (namedChildrenOf(alias)[0] ?? alias) : undefined;
        if (target?.text === name) values.push(namedChildrenOf(value)[0] ?? null);
      }
    } else if (node.type === 'for_statement' || node.type === 'augmented_assignment' || node.type === 'named_expression') {
      const target = node.type === 'named_expression' ? node.childForFieldName('name') : node.childForFieldName('left');
      if (target?.text.split(/[^A-Za-z0-9_]+/).includes(name)) values.push(null);
    } else if ((node.type === 'function_definition' || node.type === 'class_definition') && node.childForFieldName('name')?.text === name) values.push(null);
  });
  return values;
}

/** How many times a module assigns the name at its top level or in functions declaring it global (0 when only elsewhere). */
function moduleAssignments(file: string, name: string, modules: PythonModules): number {
  const root = modules.files.get(file)?.tree.rootNode;
  if (!root) return 0;
  let count = 0;
  const visit = (node: PythonNode): void => {
    for (const child of namedChildrenOf(node)) {
      if (child.type === 'assignment' || child.type === 'augmented_assignment') {
        const left = child.childForFieldName('left');
        if (left?.text.split(/[^A-Za-z0-9_]+/).includes(name)) {
          const owner = enclosing(child, ['function_definition', 'class_definition']);
          if (!owner || (owner.type === 'function_definition' && declaresGlobal(owner, name))) count++;
        }
      }
      visit(child);
    }
  };
  visit(root);
  return count;
}

function declaresGlobal(fn: PythonNode, name: string): boolean {
  let found = false;
  const body = fn.childForFieldName('body');
  if (body) descendantsInScope(body, (node) => {
    if (node.type === 'global_statement' && namedChildrenOf(node).some((n) => n.text === name)) found = true;
  });
  return found;
}

/** `self.client`: the one assignment to it in the class's methods (or class body), when it makes a client. */
function selfAttribute(attribute: PythonNode, fn: PythonNode, file: string, modules: PythonModules): Omit<ReceiverClient, 'depth'> | undefined {
  const name = attribute.childForFieldName('attribute')?.text;
  const owner = enclosing(fn, ['class_definition']) ?? enclosing(attribute, ['class_definition']);
  if (!name || !owner) return undefined;
  const values: (PythonNode | null)[] = [];
  for (const member of classMembers(owner)) {
    if (member.type === 'expression_statement') {
      const assignment = namedChildrenOf(member)[0];
      if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === name) values.push(assignment.childForFieldName('right'));
      continue;
    }
    const definition = member.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
    const body = definition?.type === 'function_definition' ? definition.childForFieldName('body') : undefined;
    if (!body) continue;
    descendantsInScope(body, (node) => {
      if (node.type !== 'assignment' && node.type !== 'augmented_assignment') return;
      const left = node.childForFieldName('left');
      if (left?.text === `self.${name}`) values.push(node.type === 'assignment' ? node.childForFieldName('right') : null);
      else if (left && left.type !== 'attribute' && left.text.includes(`self.${name}`)) values.push(null);
    });
  }
  if (values.length !== 1) return undefined;
  const made = clientCall(values[0], file, modules);
  return made ? { ...made, file, key: `${file}:${made.made.id}` } : undefined;
}
