// Python clients connected per request, per message or per activity execution, for
// client-connection-per-call: a `Client.connect(...)` (temporalio.client.Client, followed through
// imports) whose result is kept nowhere, made in a function that runs once per request or message
// (a FastAPI/Flask route, a Django REST framework view method, a Celery task, a Django signal
// receiver, an `@activity.defn`), directly or through a project helper that returns the client
// (`return await Client.connect(...)`, `client = ...; return client`, `return Wrapper(client)`), one
// or two helpers deep, or a helper FastAPI resolves per request (`Depends(get_client)`).
//
// A client kept for reuse is left alone: assigned to an attribute (`self._client`, `cls._client`,
// `app.state.client`), to a module variable (`global _client`), made at module scope, or made in a
// memoised function (`@lru_cache`, `@cache`, `@alru_cache`). So is a client made in a function
// nothing shows runs per request (a script's `main()`, a worker's start-up, a lifespan hook).
//
// One more shape, with no caller to read: a module-level start helper nothing in the project refers
// to (`async def start_workflow(workflow_type, workflow_id, args)` that connects, starts a workflow
// with the new client and keeps the client nowhere). It takes a workflow's inputs, so it is written
// to be called once per start, by code outside the project or not yet written: each start through
// it opens a connection (kind `uncalled`, a note). Left alone: a helper the project calls (its
// callers say how often, as above), one with a decorator (a CLI command, a registered hook), one
// taking no inputs (an entry point named in packaging), and tool code (scripts, examples).

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { functionCalled, qualifiedNameOf } from './python-origins.js';
import { pythonRequestContext } from './python-start-ids.js';
import { callArguments, decoratorsOf, descendantsInScope, enclosing, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';
import { isToolCode } from '../tool-code.js';
import path from 'node:path';

export interface PythonPerCallSite {
  location: SourceLocation;
  /** The function that runs per request, message or activity execution. */
  function: string;
  /** Why it runs that often, as a message fragment. */
  context: string;
  /** The handler shape is certain (a route decorator, a view class, an activity); false when read from a parameter's name or type. */
  certain: boolean;
}

export interface PythonPerCallConnection {
  /** The `Client.connect(...)` call. */
  location: SourceLocation;
  /** The function that calls Client.connect. */
  function: string;
  /**
   * How the new client reaches the per-use code: made there (`direct`), returned by the function
   * to callers that run per use (`returned`), or used by the function, which such callers call
   * (`called`); or a start helper nothing in the project calls (`uncalled`, no sites).
   */
  kind: 'direct' | 'returned' | 'called' | 'uncalled';
  /** For `uncalled`: the client call the helper makes with the new client (`client.start_workflow(...)`). */
  use?: SourceLocation;
  /** The project functions between the connect and the per-use code (the connecting function included when it is not the handler). */
  helpers: string[];
  /** Where a new client is made per use. */
  sites: PythonPerCallSite[];
}

const CLIENT_CONNECT = 'temporalio.client.Client.connect';
const ACTIVITY_DEFN = 'temporalio.activity.defn';
const MAX_HELPERS = 2;

/** Decorators of functions that handle one request or message per call (the last name of the decorator). */
const ROUTE_DECORATORS = new Set(['get', 'post', 'put', 'patch', 'delete', 'route', 'api_route', 'websocket', 'action', 'task', 'shared_task', 'receiver', 'subscriber']);
/** Base classes whose methods serve requests: Django REST framework view sets and API views, Django class-based views. */
const VIEW_BASES = /(?:^|\.)(?:\w*ViewSet|\w*APIView|View|TemplateView|FormView|CreateView|UpdateView|DeleteView|ListView|DetailView|HTTPEndpoint|HTTPMethodView|MethodView)$/;
/** Memoising decorators: the function's result is made once and reused. */
const MEMO_DECORATORS = /(?:^|\.)(?:lru_cache|cache|cached|alru_cache|memoize|memoized|cached_property|async_lru_cache)$/;

export function pythonPerCallConnections(files: string[], modules: PythonModules, root?: string): PythonPerCallConnection[] {
  const found: PythonPerCallConnection[] = [];
  for (const file of files) {
    const tree = modules.files.get(file)?.tree;
    if (!tree || !tree.rootNode.text.includes('connect')) continue;
    for (const call of tree.rootNode.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      if (!call || !callee || !callee.text.endsWith('connect') || qualifiedNameOf(callee, file, modules) !== CLIENT_CONNECT) continue;
      const helpers: string[] = [];
      const sites = perUseSites(call, file, modules, 0, helpers, new Set());
      if (sites.length === 0) {
        const helper = root !== undefined ? uncalledStartHelper(call, file, modules, root) : undefined;
        if (helper) found.push(helper);
        continue;
      }
      const fn = enclosingFunction(call)!;
      const location = locateNode(file, call);
      const kind = returnsResult(call, fn) ? 'returned' : sites.length === 1 && sites[0]!.location.line === location.line && sites[0]!.location.file === file ? 'direct' : 'called';
      found.push({ location, function: fn.childForFieldName('name')?.text ?? 'this function', kind, helpers: helpers.filter((helper) => helper !== fn.childForFieldName('name')?.text), sites });
    }
  }
  return found;
}

/** The places where the client the expression makes is made anew per request, message or activity execution. */
function perUseSites(expression: PythonNode, file: string, modules: PythonModules, depth: number, helpers: string[], seen: Set<string>): PythonPerCallSite[] {
  const fn = enclosingFunction(expression);
  // Module scope: once per process.
  if (!fn) return [];
  if (keptForReuse(expression, fn)) return [];
  if (returnsResult(expression, fn)) {
    const name = fn.childForFieldName('name')?.text;
    const key = `${file}:${fn.startIndex}`;
    if (!name || depth >= MAX_HELPERS || seen.has(key)) return [];
    seen.add(key);
    if (!helpers.includes(name)) helpers.push(name);
    const sites: PythonPerCallSite[] = [];
    for (const use of usesOf(fn, file, name, modules)) {
      if (use.kind === 'depends') {
        sites.push({ location: locateNode(use.file, use.node), function: name, context: `FastAPI resolves \`Depends(${name})\` on every request`, certain: true });
      } else {
        sites.push(...perUseSites(use.node, use.file, modules, depth + 1, helpers, seen));
      }
    }
    return sites;
  }
  const context = perRequestContext(fn, file, modules);
  if (context) return [{ location: locateNode(file, expression), ...context }];
  return callersPerUse(fn, file, modules, depth, helpers, seen);
}

/**
 * A function that connects and uses the client itself, with nothing showing it runs per request:
 * its callers (one or two levels up) that do (`signal_poll_now()` awaited in a route handler).
 */
function callersPerUse(fn: PythonNode, file: string, modules: PythonModules, depth: number, helpers: string[], seen: Set<string>): PythonPerCallSite[] {
  const name = fn.childForFieldName('name')?.text;
  const key = `${file}:${fn.startIndex}`;
  if (!name || depth >= MAX_HELPERS || seen.has(key) || name.startsWith('_main') || name === 'main') return [];
  seen.add(key);
  const sites: PythonPerCallSite[] = [];
  for (const use of usesOf(fn, file, name, modules)) {
    if (use.kind !== 'call') continue;
    const caller = enclosingFunction(use.node);
    if (!caller) continue;
    const context = perRequestContext(caller, use.file, modules);
    if (context) {
      if (!helpers.includes(name)) helpers.push(name);
      sites.push({ location: locateNode(use.file, use.node), ...context });
    } else {
      const before = sites.length;
      sites.push(...callersPerUse(caller, use.file, modules, depth + 1, helpers, seen));
      if (sites.length > before && !helpers.includes(name)) helpers.push(name);
    }
  }
  return sites;
}

/** The function definition a node sits in directly (not through a lambda or a class body). */
export function enclosingFunction(node: PythonNode): PythonNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition') return current;
    if (current.type === 'lambda' || current.type === 'class_definition') return undefined;
  }
  return undefined;
}

/** The node the value of the call ends up as: through `await` and parentheses. */
function valueOf(call: PythonNode): PythonNode {
  let node = call;
  while (node.parent && (node.parent.type === 'await' || node.parent.type === 'parenthesized_expression')) node = node.parent;
  return node;
}

/**
 * The result outlives the call: stored in an attribute or a module variable (`global`), or the
 * function memoises its result.
 */
function keptForReuse(call: PythonNode, fn: PythonNode): boolean {
  if (decoratorsOf(fn).some((decorator) => MEMO_DECORATORS.test(decorator.expression.text))) return true;
  const node = valueOf(call);
  const parent = node.parent;
  if (parent && (parent.type === 'assignment' || parent.type === 'augmented_assignment') && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    if (!left) return false;
    if (left.type === 'attribute' || left.type === 'subscript') return true;
    if (left.type === 'identifier') return declaredOuter(fn, left.text);
  }
  return false;
}

/** `global name` or `nonlocal name` in the function. */
function declaredOuter(fn: PythonNode, name: string): boolean {
  let found = false;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  descendantsInScope(body, (node) => {
    if ((node.type === 'global_statement' || node.type === 'nonlocal_statement') && namedChildrenOf(node).some((child) => child.text === name)) found = true;
  });
  return found;
}

/**
 * The function hands the new client to its caller: `return await Client.connect(...)`, or the
 * local it is bound to is returned, alone or wrapped (`return cls(client, queue)`).
 */
function returnsResult(call: PythonNode, fn: PythonNode): boolean {
  const node = valueOf(call);
  const parent = node.parent;
  if (parent?.type === 'return_statement') return true;
  if (!parent || parent.type !== 'assignment' || parent.childForFieldName('right')?.id !== node.id) return false;
  const left = parent.childForFieldName('left');
  if (!left || left.type !== 'identifier') return false;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  let returned = false;
  descendantsInScope(body, (statement) => {
    if (statement.type !== 'return_statement') return;
    const value = namedChildrenOf(statement)[0];
    if (!value) return;
    const inner = unparenthesize(value);
    if (inner.type === 'identifier' && inner.text === left.text) returned = true;
    if (inner.type === 'call' && callArguments(inner).positional.concat([...callArguments(inner).keywords.values()]).some((argument) => unparenthesize(argument).text === left.text)) returned = true;
  });
  return returned;
}

type Use = { kind: 'call'; node: PythonNode; file: string } | { kind: 'depends'; node: PythonNode; file: string };

/** Calls of the helper in the project, and `Depends(helper)` references. */
export function usesOf(fn: PythonNode, fnFile: string, name: string, modules: PythonModules): Use[] {
  const uses: Use[] = [];
  const same = (target: PythonNode, file: string): boolean => {
    const resolved = functionCalled(target, file, modules);
    return resolved !== undefined && resolved.file === fnFile && resolved.fn.id === fn.id;
  };
  for (const [file, parsed] of modules.files) {
    const tree = parsed.tree;
    if (!tree.rootNode.text.includes(name)) continue;
    for (const call of tree.rootNode.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      if (!call || !callee) continue;
      const last = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee.text;
      if (last === name && same(callee, file)) uses.push({ kind: 'call', node: call, file });
      else if (last === 'Depends') {
        const argument = callArguments(call).positional[0] ?? callArguments(call).keywords.get('dependency');
        if (argument && argument.text.endsWith(name) && (argument.type === 'identifier' || argument.type === 'attribute') && same(argument, file)) uses.push({ kind: 'depends', node: call, file });
      }
    }
  }
  return uses;
}

/**
 * The places in request-handling code that run the function per HTTP request: the function itself
 * (a route handler, a view method), or its callers one or two project functions up. Activities,
 * task-queue consumers and signal receivers are left out: they are not HTTP requests.
 */
export function pythonHttpRequestSites(fn: PythonNode, file: string, modules: PythonModules, at: PythonNode): { sites: PythonPerCallSite[]; helpers: string[] } {
  const isRequest = (context: { context: string }) => !/ is an activity |handles messages|@[\w.]*\b(?:task|shared_task|receiver|subscriber)\b|`(?:event|evt|message|msg|job)`/.test(context.context);
  const own = perRequestContext(fn, file, modules);
  if (own) return isRequest(own) ? { sites: [{ location: locateNode(file, at), ...own }], helpers: [] } : { sites: [], helpers: [] };
  const helpers: string[] = [];
  const sites = callersPerUse(fn, file, modules, 0, helpers, new Set()).filter(isRequest);
  return { sites, helpers: sites.length > 0 ? helpers : [] };
}

/** Why the function (or one around it) runs once per request, message or activity execution. */
export function perRequestContext(fn: PythonNode, file: string, modules: PythonModules): { function: string; context: string; certain: boolean } | undefined {
  for (let current: PythonNode | undefined = fn; current; current = enclosing(current, ['function_definition'])) {
    const name = current.childForFieldName('name')?.text ?? 'the function around it';
    for (const decorator of decoratorsOf(current)) {
      const expression = decorator.expression;
      if (modules.qualifiedName(file, expression) === ACTIVITY_DEFN || qualifiedNameOf(expression, file, modules) === ACTIVITY_DEFN) {
        return { function: name, context: `${name} is an activity (@${expression.text}): it runs on every activity execution`, certain: true };
      }
      const last = expression.type === 'attribute' ? expression.childForFieldName('attribute')?.text : expression.type === 'identifier' ? expression.text : undefined;
      if (last && ROUTE_DECORATORS.has(last) && expression.type === 'attribute') {
        return { function: name, context: `${name} handles requests or messages (@${expression.text})`, certain: true };
      }
      if (last && (last === 'shared_task' || last === 'receiver')) return { function: name, context: `${name} handles messages (@${expression.text})`, certain: true };
    }
    const classNode = current.parent?.type === 'block' ? current.parent.parent : current.parent?.type === 'decorated_definition' && current.parent.parent?.type === 'block' ? current.parent.parent.parent : undefined;
    if (classNode?.type === 'class_definition') {
      const bases = classNode.childForFieldName('superclasses');
      const view = bases ? namedChildrenOf(bases).find((base) => VIEW_BASES.test(base.text)) : undefined;
      const className = classNode.childForFieldName('name')?.text ?? 'the class';
      if (view && !name.startsWith('__')) return { function: name, context: `${name} is a method of the view ${className}(${view.text}): it runs per request`, certain: true };
    }
  }
  // pythonRequestContext reads the functions around a node: start inside this one.
  const context = pythonRequestContext(fn.childForFieldName('body') ?? fn);
  if (!context) return undefined;
  const name = fn.childForFieldName('name')?.text ?? 'the function around it';
  return { function: name, context, certain: false };
}

/** Client methods that act on one workflow: a function calling one of them with its own new client does so per start. */
const PER_WORKFLOW_METHODS = new Set([
  'start_workflow',
  'execute_workflow',
  'get_workflow_handle',
  'get_workflow_handle_for',
  'start_update_with_start_workflow',
  'execute_update_with_start_workflow',
]);

/**
 * A module-level function, with no decorator and with parameters, that binds a new client to a
 * local, uses it for a per-workflow call and keeps it nowhere, and that nothing in the project
 * refers to by name: a start helper written for callers the review cannot see.
 */
function uncalledStartHelper(call: PythonNode, file: string, modules: PythonModules, root: string): PythonPerCallConnection | undefined {
  const fn = enclosingFunction(call);
  if (!fn || fn.parent?.type !== 'module') return undefined;
  const name = fn.childForFieldName('name')?.text;
  if (!name || /^_?main$|^cli$/.test(name)) return undefined;
  if (isToolCode(path.relative(root, file).split(path.sep).join('/'))) return undefined;
  if (keptForReuse(call, fn) || returnsResult(call, fn)) return undefined;
  const inputs = namedChildrenOf(fn.childForFieldName('parameters') ?? fn).filter(
    (parameter) => parameter.type !== 'keyword_separator' && parameter.type !== 'positional_separator' && !/^(self|cls)$/.test(parameterText(parameter)),
  );
  if (inputs.length === 0) return undefined;
  const node = valueOf(call);
  const assignment = node.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== node.id) return undefined;
  const local = assignment.childForFieldName('left');
  if (local?.type !== 'identifier') return undefined;
  let use: PythonNode | undefined;
  descendantsInScope(fn.childForFieldName('body') ?? fn, (candidate) => {
    if (use || candidate.type !== 'call') return;
    const callee = candidate.childForFieldName('function');
    if (callee?.type !== 'attribute' || callee.childForFieldName('object')?.text !== local.text) return;
    if (PER_WORKFLOW_METHODS.has(callee.childForFieldName('attribute')?.text ?? '')) use = candidate;
  });
  if (!use || referencedElsewhere(fn, file, name, modules)) return undefined;
  return { location: locateNode(file, call), function: name, kind: 'uncalled', helpers: [], sites: [], use: locateNode(file, use) };
}

function parameterText(parameter: PythonNode): string {
  const inner = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? namedChildrenOf(parameter)[0] ?? parameter);
  return inner.text;
}

/**
 * The name of a module-level function appears somewhere in the project besides its definition: a
 * call, an import, a reference handed on (`asyncio.run(f(...))`, `app.add_task(f)`, `{"x": f}`), or
 * `module.f` on an imported module. An attribute of another object (`client.start_workflow`) is
 * not the function; a string naming it (a dotted path loaded by name) counts.
 */
function referencedElsewhere(fn: PythonNode, fnFile: string, name: string, modules: PythonModules): boolean {
  const own = fn.childForFieldName('name');
  for (const [file, parsed] of modules.files) {
    const rootNode = parsed.tree.rootNode;
    if (!rootNode.text.includes(name)) continue;
    for (const identifier of rootNode.descendantsOfType('identifier')) {
      if (!identifier || identifier.text !== name || (file === fnFile && identifier.id === own?.id)) continue;
      const parent = identifier.parent;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) {
        const object = parent.childForFieldName('object');
        // `module.f` on an imported module (or one whose binding the review cannot read) is a reference.
        if (object?.type === 'identifier' && modules.importBindingAt(file, object.text, identifier)?.kind === 'module') return true;
        continue;
      }
      // A keyword argument's name (`f(start_workflow=True)`) or a parameter of that name in another function is not a use.
      if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === identifier.id) continue;
      return true;
    }
    for (const literal of rootNode.descendantsOfType('string')) {
      if (literal && new RegExp(`(^|[.:'"])${name}(['"]|$)`).test(literal.text)) return true;
    }
  }
  return false;
}
