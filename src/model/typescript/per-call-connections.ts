// Temporal connections opened and closed inside one function call: `Connection.connect` (or
// `NativeConnection.connect`) bound to a local variable that the same function closes again. Each
// call then pays a new gRPC connection (DNS, TCP, TLS, the server's per-connection state); when the
// function runs per activity or per request, connections churn. A connection kept in a module
// variable or field, one made at module scope, and one made by a function the file itself calls
// at module scope (a script's `main()`) live as long as the process and are not reported.

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { ActivityImplementation, TemporalModel } from './types.js';

export interface PerCallConnection {
  /** The `X.connect(...)` call. */
  call: ts.CallExpression;
  /** `Connection` or `NativeConnection`. */
  api: string;
  /** The function whose every call opens and closes it. */
  fn: ts.FunctionLikeDeclaration;
  /** Its name, when it has one (`clientFactory` for the closure a factory returns). */
  name: string | undefined;
  /** The `.close()` call on the same connection; absent when the function hands the connection out (`leaks`). */
  close?: ts.CallExpression;
  /**
   * The function returns the connection (or a Client made on it) and closes nothing: a factory
   * that opens one more connection on every call, which callers that do not keep the result
   * never close. Set only when some call site does not store the result for reuse.
   */
  leaks?: { callSites: ts.CallExpression[] };
  /**
   * The function opens the connection, uses it (directly or through a client it makes on it in a
   * local) and neither closes it on any path nor hands it out: every call leaves one more open
   * connection behind. Holds every call of the function in the reviewed files.
   */
  dropped?: { callSites: ts.CallExpression[] };
  /** Activities that reach the function through direct calls. */
  activities: ActivityImplementation[];
}

const CONNECTIONS = ['Connection', 'NativeConnection'];

export function perCallConnections(model: TemporalModel): PerCallConnection[] {
  const found: PerCallConnection[] = [];
  for (const file of model.files) {
    if (model.workflowFiles.has(file)) continue;
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !/\.connect\s*\(/.test(sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const connection = perCallConnection(node, model);
        if (connection) found.push(connection);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

function perCallConnection(call: ts.CallExpression, model: TemporalModel): PerCallConnection | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'connect') return undefined;
  const api = model.temporalApiOf(callee.expression);
  if (!api || !CONNECTIONS.includes(api.name)) return undefined;
  const fn = enclosingFunction(call);
  if (!fn?.body) return undefined;
  const variable = boundVariable(call);
  if (!variable || !isLocalTo(variable, fn)) return undefined;
  const close = closeCallIn(fn.body, variable, model);
  const returned = !close && returnsConnection(fn.body, variable, model);
  // Neither closed nor handed out: left open, when nothing else can reach it (no close on any path, no escape).
  const dropped = !close && !returned && !closedAnywhere(fn.body, variable, model) && !escapes(fn.body, variable, model, 0);
  if (!close && !returned && !dropped) return undefined;
  if (calledAtModuleScope(fn, model)) return undefined;
  let leaks: PerCallConnection['leaks'];
  if (dropped) {
    const tokens = injectionTokens(outermostFunction(fn), model);
    const activities = model.activities.filter((activity) => reaches(activity.node, fn, tokens, model));
    return { call, api: api.name, fn, name: functionName(fn), dropped: { callSites: callSitesOf(fn, model) }, activities };
  }
  if (!close) {
    // A factory: each call opens a connection for its caller. Only callers that use the result
    // without keeping it (in a module variable or a field) open one per use.
    const sites = callSitesOf(fn, model);
    const fresh = sites.filter((site) => !keptForReuse(site, model));
    if (fresh.length === 0) return undefined;
    leaks = { callSites: fresh };
  }
  const tokens = injectionTokens(outermostFunction(fn), model);
  const activities = model.activities.filter((activity) => reaches(activity.node, fn, tokens, model));
  return { call, api: api.name, fn, name: functionName(fn), ...(close ? { close } : {}), ...(leaks ? { leaks } : {}), activities };
}

/**
 * The function returns the connection, or a client built on it: `return connection`,
 * `return new Client({ connection })`, `const client = new Client({ connection }); return client`.
 */
function returnsConnection(body: ts.Node, variable: ts.Identifier, model: TemporalModel): boolean {
  const target = model.declarationOf(variable);
  const isConnection = (node: ts.Node): boolean => ts.isIdentifier(node) && node.text === variable.text && model.declarationOf(node) === target;
  const carries = (expression: ts.Node, depth: number): boolean => {
    const node = skipOuterExpressions(expression);
    if (isConnection(node)) return true;
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      return (node.arguments ?? []).some((argument) => {
        const value = skipOuterExpressions(argument);
        if (isConnection(value)) return true;
        return ts.isObjectLiteralExpression(value) && value.properties.some((property) =>
          (ts.isShorthandPropertyAssignment(property) && isConnection(property.name)) || (ts.isPropertyAssignment(property) && isConnection(skipOuterExpressions(property.initializer))),
        );
      });
    }
    if (ts.isIdentifier(node) && depth < 2) {
      const declaration = model.declarationOf(node);
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return carries(declaration.initializer, depth + 1);
    }
    return false;
  };
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== body && ts.isFunctionLike(node))) return;
    if (ts.isReturnStatement(node) && node.expression && carries(node.expression, 0)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** Calls of the function (by its name) in the reviewed files. */
export function callSitesOf(fn: ts.FunctionLikeDeclaration, model: TemporalModel): ts.CallExpression[] {
  const name = functionNameNode(fn);
  if (!name) return [];
  const target = model.declarationOf(name);
  const pattern = new RegExp(`\\b${name.text}\\s*\\(`);
  const sites: ts.CallExpression[] = [];
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !pattern.test(sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = skipOuterExpressions(node.expression);
        const id = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
        if (id && id.text === name.text && functionOfDeclaration(model.declarationOf(callee)) === fn) sites.push(node);
        else if (id && id.text === name.text && model.declarationOf(callee) === target) sites.push(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return sites;
}

/**
 * The call's result is stored where it outlives the call: a variable declared outside the
 * function that makes the call (`client ??= await getClient()`, `cached = await getClient()`), a
 * field (`this.client = ...`), or the call runs at module scope.
 */
function keptForReuse(site: ts.CallExpression, model: TemporalModel): boolean {
  let node: ts.Node = site;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent))) node = node.parent;
  const caller = enclosingFunction(site);
  if (!caller) return true;
  const parent = node.parent;
  if (parent && ts.isBinaryExpression(parent) && parent.right === node && isAssignment(parent.operatorToken.kind)) {
    const left = skipOuterExpressions(parent.left);
    if (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) return true;
    if (ts.isIdentifier(left)) {
      const declaration = model.declarationOf(left);
      return declaration !== undefined && enclosingFunction(declaration) !== caller;
    }
  }
  // `promise ??= getClient()` kept in a closure-level cache, or returned from a memoising wrapper.
  return false;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsToken || kind === ts.SyntaxKind.QuestionQuestionEqualsToken || kind === ts.SyntaxKind.BarBarEqualsToken;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current)) {
      return current;
    }
    if (ts.isClassStaticBlockDeclaration(current) || ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

/** The variable the (awaited) connection is stored in: `const c = await X.connect()` or `c = await X.connect()`. */
function boundVariable(call: ts.CallExpression): ts.Identifier | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name)) return parent.name;
  if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node && ts.isIdentifier(parent.left)) {
    return parent.left;
  }
  return undefined;
}

/** True when the variable is declared inside the function (not a module variable or closure cache). */
function isLocalTo(variable: ts.Identifier, fn: ts.FunctionLikeDeclaration): boolean {
  const declaration = ts.isVariableDeclaration(variable.parent) ? variable.parent : undefined;
  const declared = declaration ?? declarationInScope(variable, fn);
  return declared !== undefined && enclosingFunction(declared) === fn;
}

function declarationInScope(variable: ts.Identifier, fn: ts.FunctionLikeDeclaration): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  const visit = (node: ts.Node): void => {
    if (found || (node !== fn.body && ts.isFunctionLike(node))) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === variable.text) found = node;
    else ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/**
 * `variable.close()` (optionally `variable?.close()`) on the function's normal path: not in a
 * callback it hands on (a `close` it returns keeps the connection open), not only in a `catch`
 * (closing after a failed setup is not churn).
 */
function closeCallIn(body: ts.Node, variable: ts.Identifier, model: TemporalModel): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || (node !== body && ts.isFunctionLike(node)) || ts.isCatchClause(node)) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'close') {
        const target = skipOuterExpressions(callee.expression);
        if (ts.isIdentifier(target) && target.text === variable.text && model.declarationOf(target) === model.declarationOf(variable)) found = node;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/**
 * A function its own file calls at module scope (`main().catch(...)`, `void run()`): a script's
 * one run, or the outer function of a closure made once at startup.
 */
function calledAtModuleScope(fn: ts.FunctionLikeDeclaration, model: TemporalModel): boolean {
  const outer = outermostFunction(fn);
  const name = functionNameNode(outer);
  if (!name) return false;
  const target = model.declarationOf(name);
  let called = false;
  const visit = (node: ts.Node): void => {
    if (called || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isIdentifier(callee) && callee.text === name.text && model.declarationOf(callee) === target) called = true;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(outer.getSourceFile(), visit);
  return called;
}

function outermostFunction(fn: ts.FunctionLikeDeclaration): ts.FunctionLikeDeclaration {
  let outer = fn;
  for (let current = fn.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current)) outer = current;
  }
  return outer;
}

/** The name a function is declared or stored under. */
function functionNameNode(fn: ts.FunctionLikeDeclaration): ts.Identifier | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name;
  const parent = skipParents(fn);
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name;
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name;
  return undefined;
}

function skipParents(node: ts.Node): ts.Node {
  let current = node.parent;
  while (current && (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current))) current = current.parent;
  return current;
}

/** The function's own name, or for a closure the name of the function that returns it. */
function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  return functionNameNode(fn)?.text ?? functionNameNode(outermostFunction(fn))?.text;
}

const MAX_DEPTH = 4;

/**
 * True when `from` calls `target`, directly or through up to MAX_DEPTH reviewed helpers, or
 * resolves it from a dependency-injection container by one of its tokens (`injector.resolve(T)`).
 */
function reaches(from: ts.FunctionLikeDeclaration, target: ts.FunctionLikeDeclaration, tokens: Set<string>, model: TemporalModel): boolean {
  const seen = new Set<ts.Node>([from]);
  let frontier = [from];
  for (let depth = 0; depth <= MAX_DEPTH && frontier.length > 0; depth++) {
    const next: ts.FunctionLikeDeclaration[] = [];
    for (const current of frontier) {
      if (current === target || contains(current, target)) return true;
      let resolved = false;
      const visit = (node: ts.Node): void => {
        if (resolved) return;
        if (ts.isCallExpression(node) && resolvesToken(node, tokens)) resolved = true;
        else if (ts.isCallExpression(node)) {
          const callee = functionOfDeclaration(model.declarationOf(skipOuterExpressions(node.expression)));
          if (callee && !seen.has(callee) && !callee.getSourceFile().isDeclarationFile) {
            seen.add(callee);
            next.push(callee);
          }
        }
        ts.forEachChild(node, visit);
      };
      if (current.body) visit(current.body);
      if (resolved) return true;
    }
    frontier = next;
  }
  return false;
}

const RESOLVERS = new Set(['resolve', 'get', 'inject', 'getInstance']);

/** `container.resolve(Token.X)`: a lookup by one of the tokens. */
function resolvesToken(call: ts.CallExpression, tokens: Set<string>): boolean {
  if (tokens.size === 0 || call.arguments.length !== 1) return false;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && RESOLVERS.has(callee.name.text) && tokens.has(call.arguments[0]!.getText());
}

/** Property names under which a provider registration names the function that makes the value. */
const FACTORY_KEYS = new Set(['factory', 'useFactory']);
const TOKEN_KEYS = new Set(['token', 'provide']);

/**
 * The tokens a dependency-injection provider registers the function under, as written:
 * `{ token: Token.TemporalClient, provide: { factory: clientFactory } }` (typed-inject) or
 * `{ provide: TEMPORAL_CLIENT, useFactory: clientFactory }` (NestJS).
 */
function injectionTokens(fn: ts.FunctionLikeDeclaration, model: TemporalModel): Set<string> {
  const tokens = new Set<string>();
  const name = functionNameNode(fn);
  if (!name) return tokens;
  const target = model.declarationOf(name);
  const pattern = new RegExp(`\\b${name.text}\\b`);
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !pattern.test(sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && node.text === name.text && node !== name && ts.isPropertyAssignment(node.parent) && node.parent.initializer === node) {
        const key = node.parent.name;
        if (ts.isIdentifier(key) && FACTORY_KEYS.has(key.text) && model.declarationOf(node) === target) {
          const token = tokenOf(node.parent.parent);
          if (token) tokens.add(token);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return tokens;
}

/** The token property of the provider object, or of the object one level up (`provide: { factory }`). */
function tokenOf(provider: ts.ObjectLiteralExpression): string | undefined {
  for (let object: ts.Node | undefined = provider, level = 0; object && ts.isObjectLiteralExpression(object) && level < 2; level++) {
    for (const property of object.properties) {
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name) || !TOKEN_KEYS.has(property.name.text)) continue;
      if (!ts.isObjectLiteralExpression(skipOuterExpressions(property.initializer))) return property.initializer.getText();
    }
    object = ts.isPropertyAssignment(object.parent) ? object.parent.parent : undefined;
  }
  return undefined;
}

/** A closure declared inside the function (`withClient` returned by a factory) runs when it runs. */
function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end && inner.getSourceFile() === outer.getSourceFile();
}

/** `variable.close()` anywhere in the function, callbacks and catch clauses included. */
function closedAnywhere(body: ts.Node, variable: ts.Identifier, model: TemporalModel): boolean {
  const target = model.declarationOf(variable);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'close') {
      const object = skipOuterExpressions(node.expression);
      if (ts.isIdentifier(object) && object.text === variable.text && model.declarationOf(object) === target) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

const CLIENTS = /^(Client|WorkflowClient|ScheduleClient|AsyncCompletionClient)$/;

/**
 * The connection (or a client made on it) can outlive the call: any use other than calling a
 * method on it (`client.workflow.start(...)`) or handing it to `new Client({ connection })` stored
 * in a local. Stored in a field, passed to a function, returned, captured by a closure that is
 * handed on: all count as escapes, so the review does not claim a leak it cannot see.
 */
function escapes(body: ts.Node, variable: ts.Identifier, model: TemporalModel, depth: number): boolean {
  const target = model.declarationOf(variable);
  let escaped = false;
  const visit = (node: ts.Node): void => {
    if (escaped) return;
    if (ts.isIdentifier(node) && node !== variable && node.text === variable.text && model.declarationOf(node) === target) {
      if (!allowedUse(node, body, model, depth)) escaped = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return escaped;
}

function allowedUse(reference: ts.Identifier, body: ts.Node, model: TemporalModel, depth: number): boolean {
  let node: ts.Node = reference;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isAsExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  // `client.workflow.start(...)`, `connection.workflowService.x(...)`: a use, not a hand-off.
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
    // `client.connection.close()` closes it after all.
    if (parent.name.text === 'connection' && ts.isPropertyAccessExpression(parent.parent) && parent.parent.name.text === 'close') return false;
    return parent.name.text !== 'close';
  }
  // `new Client({ connection, namespace })` kept in a local whose uses are allowed too.
  if (depth > 0) return false;
  const property = ts.isShorthandPropertyAssignment(parent) ? parent : ts.isPropertyAssignment(parent) && parent.initializer === node ? parent : undefined;
  const literal = property?.parent;
  const created = literal && ts.isObjectLiteralExpression(literal) ? literal.parent : undefined;
  if (!created || !ts.isNewExpression(created) || !CLIENTS.test(skipOuterExpressions(created.expression).getText().split('.').pop() ?? '')) return false;
  let holder: ts.Node = created;
  while (holder.parent && ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
  const declaration = holder.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.initializer !== holder || !ts.isIdentifier(declaration.name)) return false;
  if (enclosingFunction(declaration) !== enclosingFunction(reference)) return false;
  return !escapes(body, declaration.name, model, depth + 1);
}
