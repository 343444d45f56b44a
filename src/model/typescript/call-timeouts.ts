// Limits written on the outbound calls an activity makes, read where the review can read them as
// constants (resolveValue; a value read from the environment or a parameter is left alone):
// `AbortSignal.timeout(ms)`, axios `{ timeout }` on a request or on `axios.create`, got
// `{ timeout: { request } }`, child_process `{ timeout }`, and the clients of the OpenAI and
// Anthropic SDKs with their `timeout` option, or their default when none is written (10 minutes
// per request in both, each retried twice by the SDK). A client made outside the activity (a
// module constant, a class field) counts where the activity calls a method on it.

import ts from 'typescript';
import { declarationOf } from './declarations.js';
import { isChildProcessCall } from './long-running-calls.js';
import { locate, nodeSnippet } from './locate.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';
import type { CallTimeout, SourceLocation } from '../types.js';
import type { StaticValue } from './types.js';

/** OpenAI's and Anthropic's default per-request timeout (`DEFAULT_TIMEOUT = 600000` in both SDKs). */
export const LLM_SDK_DEFAULT_TIMEOUT_MS = 600_000;

const LLM_SDKS: Record<string, { modules: string[]; classes: string[]; label: string }> = {
  openai: { modules: ['openai'], classes: ['OpenAI', 'AzureOpenAI', 'default'], label: 'OpenAI client' },
  anthropic: { modules: ['@anthropic-ai/sdk'], classes: ['Anthropic', 'default'], label: 'Anthropic client' },
};

const AXIOS_BODY_VERBS = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);
const AXIOS_PLAIN_VERBS = new Set(['get', 'delete', 'head', 'options']);
const PROCESS_FUNCTIONS = new Set(['exec', 'execFile', 'execSync', 'execFileSync', 'spawn', 'spawnSync']);

export type FoundTimeout = Omit<CallTimeout, 'via'> & {
  /** For a client's own limit: the client, by where it is made. */
  client?: string;
  /** For a request's own `timeout` option: the client whose limit it replaces for that request. */
  overrides?: string;
};

/** The limits one call or `new` expression writes or implies, usually none. */
export function callTimeoutsAt(node: ts.Node, ctx: ResolveContext): FoundTimeout[] {
  if (ts.isNewExpression(node)) {
    const made = llmClient(node, ctx);
    return made ? [made] : [];
  }
  if (!ts.isCallExpression(node)) return [];
  const callee = skipOuterExpressions(node.expression);
  const found: FoundTimeout[] = [];
  // `setTimeout(() => controller.abort(), ms)`, `setTimeout(() => reject(new Error('timeout')), ms)`: the wait gives up after ms.
  const timer = timerGivingUp(node, callee, ctx);
  if (timer) return [timer];
  // `AbortSignal.timeout(ms)`
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'timeout' && ts.isIdentifier(callee.expression) && callee.expression.text === 'AbortSignal') {
    const ms = node.arguments[0] ? constantMs(resolveValue(node.arguments[0], ctx)) : undefined;
    if (ms !== undefined) found.push({ what: 'AbortSignal.timeout', ms, written: nodeSnippet(node), location: locate(node) });
    return found;
  }
  const axios = axiosOptions(node, callee);
  if (axios) {
    const entry = numberOption(axios.options, 'timeout', ctx);
    if (entry) found.push({ what: axios.what, ms: entry.ms, written: entry.written, location: locate(entry.node), ...(entry.source ? { source: entry.source } : {}) });
    return found;
  }
  const got = gotOptions(node, callee);
  if (got) {
    const entry = gotTimeout(got, ctx);
    if (entry) found.push({ what: 'got request', ms: entry.ms, written: entry.written, location: locate(entry.node) });
    return found;
  }
  if (isProcessCall(node, callee, ctx)) {
    for (const argument of node.arguments) {
      const entry = numberOption(argument, 'timeout', ctx);
      if (entry) {
        found.push({ what: `child process (${nodeSnippet(node.expression, 30)})`, ms: entry.ms, written: entry.written, location: locate(entry.node), ...(entry.source ? { source: entry.source } : {}) });
        break;
      }
    }
    return found;
  }
  // A method called on a client made elsewhere: `openai.chat.completions.create(...)`, `api.get(...)`.
  const client = clientOfReceiver(callee, ctx);
  if (client) {
    const override = requestOverride(node, client, ctx);
    if (override) found.push(override);
    else if (client.entry) found.push(client.entry);
  }
  return found;
}

/**
 * A ResolveContext in which the helper's parameters hold what the call hands them, read in the
 * caller's context (a parameter destructured in the body, `const { timeout = 300_000 } = options`,
 * follows).
 */
export function bindArguments(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression, outer: ResolveContext): ResolveContext {
  const bindings = new Map(outer.bindings);
  const inner: ResolveContext = { ...outer, bindings };
  fn.parameters.forEach((parameter, i) => {
    if (parameter.dotDotDotToken || call.arguments.some(ts.isSpreadElement)) return;
    const argument = call.arguments[i];
    let value: StaticValue = argument ? resolveValue(argument, outer) : { kind: 'undefined', location: locate(call) };
    if (value.kind === 'undefined' && parameter.initializer) value = resolveValue(parameter.initializer, inner);
    bindings.set(parameter, value);
  });
  return inner;
}

/**
 * A timer that makes a wait give up: `setTimeout(() => controller.abort(), ms)` (the request
 * handed the controller's signal is aborted) or, inside a promise executor,
 * `setTimeout(() => reject(new Error('timeout')), ms)` (a race against the call).
 */
function timerGivingUp(call: ts.CallExpression, callee: ts.Node, ctx: ResolveContext): FoundTimeout | undefined {
  if (!ts.isIdentifier(callee) || callee.text !== 'setTimeout' || call.arguments.length < 2) return undefined;
  const callback = skipOuterExpressions(call.arguments[0]!);
  let gives: 'abort' | 'reject' | undefined;
  if (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) {
    const visit = (node: ts.Node): void => {
      if (gives) return;
      if (ts.isCallExpression(node)) {
        const inner = skipOuterExpressions(node.expression);
        if (ts.isPropertyAccessExpression(inner) && inner.name.text === 'abort') gives = 'abort';
        else if (ts.isIdentifier(inner) && rejectsExecutor(inner, call)) gives = 'reject';
      }
      ts.forEachChild(node, visit);
    };
    visit(callback.body);
  } else if (ts.isIdentifier(callback) && rejectsExecutor(callback, call)) gives = 'reject';
  if (!gives) return undefined;
  const value = resolveValue(call.arguments[1]!, ctx);
  const ms = constantMs(value);
  if (ms === undefined) return undefined;
  const location = locate(call);
  const elsewhere = value.location.file !== location.file || value.location.line !== location.line;
  return { what: gives === 'abort' ? 'request (aborted by a timer)' : 'wait (a timer rejects it)', ms, written: nodeSnippet(call, 60), location, ...(elsewhere ? { source: value.location } : {}) };
}

/** `reject` is the second parameter of the `new Promise((resolve, reject) => ...)` executor around the timer. */
function rejectsExecutor(name: ts.Identifier, timer: ts.Node): boolean {
  for (let current: ts.Node | undefined = timer.parent; current; current = current.parent) {
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && current.parent && ts.isNewExpression(current.parent)) {
      const promise = skipOuterExpressions(current.parent.expression);
      const second = current.parameters[1];
      return ts.isIdentifier(promise) && promise.text === 'Promise' && second !== undefined && ts.isIdentifier(second.name) && second.name.text === name.text;
    }
    if (ts.isFunctionDeclaration(current) || ts.isMethodDeclaration(current) || ts.isSourceFile(current)) return false;
  }
  return false;
}

/** A number of milliseconds written as a constant (not read from the environment). */
function constantMs(value: StaticValue): number | undefined {
  if (value.kind !== 'number' || value.configurable || !Number.isFinite(value.value) || value.value <= 0) return undefined;
  return value.value;
}

/** `{ timeout: 120_000 }` in an options argument, when it is a constant. */
function numberOption(argument: ts.Expression | undefined, name: string, ctx: ResolveContext): { ms: number; written: string; node: ts.Node; source?: SourceLocation } | undefined {
  if (!argument) return undefined;
  const value = resolveValue(argument, ctx);
  if (value.kind !== 'object') return undefined;
  const field = value.properties.get(name);
  const ms = field ? constantMs(field) : undefined;
  if (!field || ms === undefined) return undefined;
  const node = writtenNode(argument, name) ?? argument;
  const here = locate(node);
  const elsewhere = field.location.file !== here.file || field.location.line !== here.line;
  return { ms, written: `${name}: ${field.kind === 'number' && field.written ? field.written : ms}`, node, ...(elsewhere ? { source: field.location } : {}) };
}

/** The property node `name: value` in the object literal written at the call, for its line. */
function writtenNode(argument: ts.Expression, name: string): ts.Node | undefined {
  const object = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  return object.properties.find((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
}

function importedFrom(identifier: ts.Node, modules: string[], names?: string[]): boolean {
  if (!ts.isIdentifier(identifier)) return false;
  const binding = importBindings(identifier.getSourceFile()).get(identifier.text);
  if (!binding || !modules.includes(binding.module) || binding.typeOnly) return false;
  return !names || names.includes(binding.imported) || binding.imported === '*';
}

/** The options object of an axios call made through the import (`axios.get(url, options)`, `axios.create(options)`, `axios(config)`). */
export function axiosOptions(call: ts.CallExpression, callee: ts.Node): { options: ts.Expression | undefined; what: string } | undefined {
  if (importedFrom(callee, ['axios'], ['default'])) {
    const first = call.arguments[0];
    const config = first && ts.isObjectLiteralExpression(skipOuterExpressions(first)) ? first : call.arguments[1];
    return { options: config, what: 'axios request' };
  }
  if (!ts.isPropertyAccessExpression(callee) || !importedFrom(callee.expression, ['axios'], ['default'])) return undefined;
  const verb = callee.name.text;
  if (verb === 'create') return { options: call.arguments[0], what: 'axios client' };
  return axiosVerbOptions(call, verb);
}

export function axiosVerbOptions(call: ts.CallExpression, verb: string): { options: ts.Expression | undefined; what: string } | undefined {
  if (verb === 'request') return { options: call.arguments[0], what: 'axios request' };
  if (AXIOS_PLAIN_VERBS.has(verb)) return { options: call.arguments[1], what: 'axios request' };
  if (AXIOS_BODY_VERBS.has(verb)) return { options: call.arguments[2], what: 'axios request' };
  return undefined;
}

/** The options object of a got call made through the import (`got(url, options)`, `got.post(url, options)`, `got.extend(options)`). */
function gotOptions(call: ts.CallExpression, callee: ts.Node): ts.Expression | undefined {
  const head = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  if (!importedFrom(head, ['got'], ['default', 'got'])) return undefined;
  const first = call.arguments[0];
  if (first && ts.isObjectLiteralExpression(skipOuterExpressions(first))) return first;
  return call.arguments[1];
}

/** got's `timeout: { request: ms }` (or a plain number, in got 11 and before, for the whole request). */
function gotTimeout(options: ts.Expression, ctx: ResolveContext): { ms: number; written: string; node: ts.Node } | undefined {
  const value = resolveValue(options, ctx);
  if (value.kind !== 'object') return undefined;
  const timeout = value.properties.get('timeout');
  if (!timeout) return undefined;
  const node = writtenNode(options, 'timeout') ?? options;
  if (timeout.kind === 'number') {
    const ms = constantMs(timeout);
    return ms === undefined ? undefined : { ms, written: `timeout: ${ms}`, node };
  }
  if (timeout.kind !== 'object') return undefined;
  const request = timeout.properties.get('request');
  const ms = request ? constantMs(request) : undefined;
  return ms === undefined ? undefined : { ms, written: `timeout: { request: ${ms} }`, node };
}

function isProcessCall(call: ts.CallExpression, callee: ts.Node, ctx: ResolveContext): boolean {
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  if (!PROCESS_FUNCTIONS.has(name)) {
    // `const run = promisify(execFile)`: isChildProcessCall follows the wrapper.
    if (!ts.isIdentifier(callee)) return false;
  }
  return isChildProcessCall(call, ctx);
}

/** `new OpenAI({ timeout })`, `new Anthropic()`: the client's per-request limit, written or the SDK's default. */
function llmClient(node: ts.NewExpression, ctx: ResolveContext): FoundTimeout | undefined {
  const callee = skipOuterExpressions(node.expression);
  const head = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  for (const sdk of Object.values(LLM_SDKS)) {
    const matches = ts.isIdentifier(head) && (name ? importedFrom(head, sdk.modules, ['*', 'default']) && sdk.classes.includes(name) : importedFrom(head, sdk.modules, sdk.classes));
    if (!matches) continue;
    const client = clientKey(node);
    const options = node.arguments?.[0];
    if (!options) return { what: sdk.label, ms: LLM_SDK_DEFAULT_TIMEOUT_MS, written: 'no timeout (SDK default 10 minutes, retried twice)', sdkDefault: true, location: locate(node), client };
    const value = resolveValue(options, ctx);
    if (value.kind !== 'object') return undefined;
    const timeout = value.properties.get('timeout');
    if (!timeout) {
      // A spread the review cannot read may carry a timeout.
      if (value.unknownSpreads.length > 0) return undefined;
      return { what: sdk.label, ms: LLM_SDK_DEFAULT_TIMEOUT_MS, written: 'no timeout (SDK default 10 minutes, retried twice)', sdkDefault: true, location: locate(node), client };
    }
    const ms = constantMs(timeout);
    if (ms === undefined) return undefined;
    return { what: sdk.label, ms, written: `timeout: ${timeout.kind === 'number' && timeout.written ? timeout.written : ms}`, location: locate(writtenNode(options, 'timeout') ?? node), client };
  }
  return undefined;
}

interface ClientOfReceiver {
  kind: 'llm' | 'axios';
  /** Where the client is made. */
  key: string;
  /** The client's own limit (written or default); undefined when it is not a constant. */
  entry: FoundTimeout | undefined;
  /** The expression that makes the client. */
  made: ts.NewExpression | ts.CallExpression;
}

/**
 * The client a method call is made on, when the receiver chain starts at a name (or `this.field`)
 * whose one declaration makes a client: `const openai = new OpenAI()`, `private api = axios.create({...})`.
 */
function clientOfReceiver(callee: ts.Node, ctx: ResolveContext): ClientOfReceiver | undefined {
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  let head: ts.Expression = callee.expression;
  let steps = 0;
  while (ts.isPropertyAccessExpression(head) && !(head.expression.kind === ts.SyntaxKind.ThisKeyword)) {
    head = head.expression;
    steps++;
  }
  const declaration = ts.isIdentifier(head) || ts.isPropertyAccessExpression(head) ? declarationOf(head, ctx.index) : undefined;
  const made = declaration ? madeBy(declaration) : undefined;
  if (!made) return undefined;
  if (ts.isNewExpression(made)) {
    // A request method of a resource (`openai.chat.completions.create`), not `openai.withOptions(...)`.
    if (steps === 0 && callee.name.text === 'withOptions') return undefined;
    const entry = llmClient(made, ctx);
    return isLlmClient(made) ? { kind: 'llm', key: clientKey(made), entry, made } : undefined;
  }
  const madeCallee = skipOuterExpressions(made.expression);
  if (ts.isPropertyAccessExpression(madeCallee) && madeCallee.name.text === 'create' && importedFrom(madeCallee.expression, ['axios'], ['default'])) {
    // Only the request methods of the instance itself (`api.get`), not `api.interceptors.request.use`.
    if (steps > 0 || !(AXIOS_PLAIN_VERBS.has(callee.name.text) || AXIOS_BODY_VERBS.has(callee.name.text) || callee.name.text === 'request')) return undefined;
    const entry = numberOption(made.arguments[0], 'timeout', ctx);
    const key = clientKey(made);
    return { kind: 'axios', key, entry: entry ? { what: 'axios client', ms: entry.ms, written: entry.written, location: locate(entry.node), client: key } : undefined, made };
  }
  return undefined;
}

/** A request's own `timeout` option, which replaces the client's for that request. */
function requestOverride(call: ts.CallExpression, client: ClientOfReceiver, ctx: ResolveContext): FoundTimeout | undefined {
  const callee = skipOuterExpressions(call.expression) as ts.PropertyAccessExpression;
  const options = client.kind === 'llm' ? call.arguments[1] : axiosVerbOptions(call, callee.name.text)?.options;
  const entry = numberOption(options, 'timeout', ctx);
  if (!entry) return undefined;
  return { what: client.kind === 'llm' ? `${client.entry?.what.replace(' client', '') ?? 'SDK'} request` : 'axios request', ms: entry.ms, written: entry.written, location: locate(entry.node), overrides: client.key };
}

function clientKey(made: ts.Node): string {
  return `${made.getSourceFile().fileName}:${made.getStart()}`;
}

function isLlmClient(node: ts.NewExpression): boolean {
  const callee = skipOuterExpressions(node.expression);
  const head = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return Object.values(LLM_SDKS).some((sdk) => ts.isIdentifier(head) && (name ? importedFrom(head, sdk.modules, ['*', 'default']) && sdk.classes.includes(name) : importedFrom(head, sdk.modules, sdk.classes)));
}

/** The client construction a declaration holds: `const x = new OpenAI()`, a class field set once. */
function madeBy(declaration: ts.Declaration): ts.NewExpression | ts.CallExpression | undefined {
  let initializer: ts.Expression | undefined;
  if (ts.isVariableDeclaration(declaration)) {
    // `let client` reassigned elsewhere may hold another client.
    const list = declaration.parent;
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
    initializer = declaration.initializer;
  } else if (ts.isPropertyDeclaration(declaration)) {
    initializer = declaration.initializer ?? constructorAssignment(declaration);
  }
  if (!initializer) return undefined;
  const value = skipOuterExpressions(initializer);
  return ts.isNewExpression(value) || ts.isCallExpression(value) ? value : undefined;
}

/** `this.client = new OpenAI(...)`, the one assignment of a field without initializer in its class's constructor. */
function constructorAssignment(property: ts.PropertyDeclaration): ts.Expression | undefined {
  const name = property.name;
  if (!ts.isIdentifier(name)) return undefined;
  const owner = property.parent;
  if (!ts.isClassLike(owner)) return undefined;
  const assignments: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      node.left.name.text === name.text
    ) {
      assignments.push(node.right);
    }
    ts.forEachChild(node, visit);
  };
  for (const member of owner.members) if (!ts.isPropertyDeclaration(member) || member !== property) visit(member);
  const inConstructor = assignments.filter((a) => enclosingConstructor(a, owner));
  return assignments.length === 1 && inConstructor.length === 1 ? assignments[0] : undefined;
}

function enclosingConstructor(node: ts.Node, owner: ts.ClassLikeDeclaration): boolean {
  for (let current = node.parent; current && current !== owner; current = current.parent) if (ts.isConstructorDeclaration(current)) return true;
  return false;
}

/**
 * A request made on an axios instance (`api.get(url, options)` where `const api = axios.create({...})`
 * is the instance's one declaration): the `axios.create` call and the request's options argument.
 */
export function axiosInstanceRequest(call: ts.CallExpression, ctx: ResolveContext): { created: ts.CallExpression; options: ts.Expression | undefined } | undefined {
  const callee = skipOuterExpressions(call.expression);
  const client = clientOfReceiver(callee, ctx);
  if (!client || client.kind !== 'axios' || !ts.isCallExpression(client.made) || !ts.isPropertyAccessExpression(callee)) return undefined;
  return { created: client.made, options: axiosVerbOptions(call, callee.name.text)?.options };
}
