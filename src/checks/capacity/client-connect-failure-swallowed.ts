// Keeps a service from running for good without its Temporal client. A framework start-up hook
// (NestJS onModuleInit / onApplicationBootstrap) connects to Temporal in a try whose catch only
// logs, and nothing else in the class ever connects again: when the server is unreachable while the
// service starts (it starts before Temporal, a network blip, a wrong address for a moment), the
// client stays unset for the life of the process. Every later start, signal or query through it
// fails, while the process looks healthy and nothing restarts it.

import ts from 'typescript';
import { defineCheck } from '../define-check.js';
import { functionName, functionOfDeclaration } from '../../model/typescript/declarations.js';
import { importBindings, skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import { onlyLogsAfterLocals } from '../../model/typescript/only-logs.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { TemporalModel } from '../../model/typescript/types.js';

/** Hooks the framework calls once, at start-up. */
const STARTUP_HOOKS = new Set(['onModuleInit', 'onApplicationBootstrap']);

export default defineCheck({
  id: 'client-connect-failure-swallowed',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A failed connection to Temporal is kept for the life of the process: a start-up hook (onModuleInit, onApplicationBootstrap) connects in a try whose catch only logs and nothing connects again, or a lazy getter caches the connect promise and never clears it when the promise rejects',
  run(ctx) {
    const python = pythonModelOf(ctx.model);
    for (const cache of python?.cachedConnects ?? []) {
      const related = [{ ...cache.connect, message: 'the connection whose failure stays cached' }];
      if (cache.kind === 'memoised-coroutine') {
        ctx.report({
          location: cache.location,
          message:
            `\`${cache.decorator}\` memoises the async function ${cache.name}(), which connects to Temporal (Client.connect): functools caches the coroutine object the call returns, not the client. ` +
            'The first caller awaits that coroutine; every later call gets the same one, already awaited, and raises RuntimeError ("cannot reuse already awaited coroutine"), whether the connection succeeded or failed, until the process is restarted.',
          fix: `Cache the client itself once connected (a module variable set after \`await Client.connect(...)\`, guarded by an asyncio.Lock), or use a cache made for coroutines that does not keep failures (async_lru's @alru_cache).`,
          related,
          data: { shape: 'memoised-coroutine', cache: cache.name },
        });
        continue;
      }
      ctx.report({
        location: cache.location,
        message:
          `\`${cache.name}\` caches a task of a connection to Temporal (Client.connect) the first time it is needed, and nothing clears it when that task fails. ` +
          'When the server is unreachable at that moment (Temporal starting after this process, a restart of its frontend, a network blip), the failed task stays cached and raises the same exception at every later await: ' +
          'every later caller gets the old connection error, without trying again, until the process is restarted.',
        fix: `Clear the cache when the connection fails (\`except Exception: ${cache.name} = None; raise\` around the await), or cache the client only once \`await Client.connect(...)\` has succeeded.`,
        related,
        data: { shape: 'cached-task', cache: cache.name },
      });
    }
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const cache of cachedConnectPromises(model)) {
      ctx.report({
        location: model.locate(cache.assignment),
        message:
          `\`${cache.name}\` caches the promise of a connection to Temporal (${cache.connectText}) the first time it is needed, and nothing clears it when that promise rejects. ` +
          'When the server is unreachable at that moment (Temporal starting after this process, a restart of its frontend, a network blip), the rejected promise stays cached: ' +
          `every later call that awaits \`${cache.name}\` gets the same connection error, without trying again, until the process is restarted.`,
        fix: `Clear the cache when the connection fails, so the next call connects again: \`${cache.name} = connect().catch((err) => { ${cache.name} = null; throw err; })\`, or cache the client only once the connection has succeeded.`,
        related: [{ ...model.locate(cache.connect), message: 'the connection whose failure stays cached' }],
        data: { shape: 'cached-promise', cache: cache.name },
      });
    }
    for (const site of swallowedConnects(model)) {
      const cls = site.className ? `${site.className}` : 'the class';
      const props = site.properties.map((p) => `this.${p}`).join(' and ');
      const use = site.uses[0]!;
      ctx.report({
        location: model.locate(site.catchClause),
        message:
          `${site.hook}() connects to Temporal (${site.connectText}) and sets ${props}, but this catch only logs a failure, and nothing in ${cls} connects again. ` +
          `When the server is unreachable while the service starts, ${props} stay${site.properties.length > 1 ? '' : 's'} unset for the life of the process: ` +
          `every later call that needs ${site.properties.length > 1 ? 'them' : 'it'} (${use.method}() first) fails or does nothing until the process is restarted, and nothing restarts it, since the process itself stays up.`,
        fix:
          'Let the failure end start-up (rethrow, so the orchestrator restarts the service until Temporal is reachable), or connect again when the client is needed (on use, or on a timer with backoff) and report the missing client in the readiness check.',
        related: [
          { ...model.locate(site.connect), message: 'the connection made only once, at start-up' },
          ...site.uses.slice(0, 3).map((u) => ({ ...model.locate(u.node), message: `${u.method}() needs this.${u.property}` })),
        ],
        data: { hook: site.hook, properties: site.properties, uses: site.uses.map((u) => u.method) },
      });
    }
  },
});

interface Use {
  method: string;
  property: string;
  node: ts.Node;
}

interface SwallowedConnect {
  hook: string;
  className: string | undefined;
  catchClause: ts.CatchClause;
  connect: ts.CallExpression;
  connectText: string;
  properties: string[];
  uses: Use[];
}

function swallowedConnects(model: TemporalModel): SwallowedConnect[] {
  const found: SwallowedConnect[] = [];
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !sourceFile.text.includes('.connect(') || !/onModuleInit|onApplicationBootstrap/.test(sourceFile.text)) continue;
    const connectors = connectionBindings(sourceFile);
    if (connectors.size === 0) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isClassLike(node)) found.push(...inClass(node, connectors));
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

/** Local names of Connection / NativeConnection imported from @temporalio/*. */
function connectionBindings(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const [local, binding] of importBindings(sourceFile)) {
    if (!binding.module.startsWith('@temporalio/') || binding.typeOnly) continue;
    if (binding.imported === 'Connection' || binding.imported === 'NativeConnection') names.add(local);
  }
  return names;
}

function inClass(cls: ts.ClassLikeDeclaration, connectors: Set<string>): SwallowedConnect[] {
  const found: SwallowedConnect[] = [];
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member) || !member.body || !ts.isIdentifier(member.name) || !STARTUP_HOOKS.has(member.name.text)) continue;
    const hook = member.name.text;
    for (const tryStatement of ownTries(member.body)) {
      const catchClause = tryStatement.catchClause;
      if (!catchClause || !onlyLogsAfterLocals(catchClause.block)) continue;
      const connect = connectCall(tryStatement.tryBlock, connectors);
      if (!connect) continue;
      const properties = assignedThisProperties(tryStatement.tryBlock);
      if (properties.length === 0) continue;
      // Connected again elsewhere (a lazy getter, a reconnect timer, the hook called again): not for good.
      if (assignedElsewhere(cls, tryStatement.tryBlock, properties) || hookCalledAgain(cls, hook)) continue;
      const uses = usesOutside(cls, member, properties);
      if (uses.length === 0) continue;
      const callee = skipOuterExpressions(connect.expression);
      found.push({
        hook,
        className: cls.name?.text,
        catchClause,
        connect,
        connectText: `${ts.isPropertyAccessExpression(callee) ? callee.expression.getText() : 'Connection'}.connect`,
        properties,
        uses,
      });
    }
  }
  return found;
}

/** The try statements of a body, not those of functions nested in it. */
function ownTries(body: ts.Block): ts.TryStatement[] {
  const tries: ts.TryStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    // a try in a loop is tried again (a retry loop around the connection)
    if (ts.isIterationStatement(node, false)) return;
    if (ts.isTryStatement(node)) tries.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return tries;
}

/** `Connection.connect(...)` in the try block, outside nested functions. */
function connectCall(block: ts.Block, connectors: Set<string>): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'connect') {
        const receiver = skipOuterExpressions(callee.expression);
        if (ts.isIdentifier(receiver) && connectors.has(receiver.text)) {
          found = node;
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

/** `this.x = <value>` in the block, with a value that is not null or undefined. */
function assignedThisProperties(block: ts.Node): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    const property = thisAssignment(node);
    if (property && !names.includes(property)) names.push(property);
    ts.forEachChild(node, visit);
  };
  visit(block);
  return names;
}

function thisAssignment(node: ts.Node): string | undefined {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const left = skipOuterExpressions(node.left);
  if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const right = skipOuterExpressions(node.right);
  if (right.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(right) && right.text === 'undefined')) return undefined;
  return left.name.text;
}

/** One of the properties is set to a value anywhere in the class outside the block. */
function assignedElsewhere(cls: ts.ClassLikeDeclaration, block: ts.Block, properties: string[]): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node === block) return;
    const property = thisAssignment(node);
    if (property && properties.includes(property)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(cls, visit);
  return found;
}

/** `this.onModuleInit()` somewhere in the class: the hook is run again. */
function hookCalledAgain(cls: ts.ClassLikeDeclaration, hook: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword && callee.name.text === hook) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(cls, visit);
  return found;
}

/** Reads of the properties in the class's other methods (not the hook, not a shutdown hook that closes them). */
function usesOutside(cls: ts.ClassLikeDeclaration, hook: ts.MethodDeclaration, properties: string[]): Use[] {
  const uses: Use[] = [];
  for (const member of cls.members) {
    if (member === hook || !ts.isMethodDeclaration(member) || !member.body || !ts.isIdentifier(member.name)) continue;
    const method = member.name.text;
    if (/^(onModuleDestroy|onApplicationShutdown|beforeApplicationShutdown|close|disconnect|shutdown|dispose)$/.test(method)) continue;
    let use: Use | undefined;
    const visit = (node: ts.Node): void => {
      if (use) return;
      if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword && properties.includes(node.name.text)) {
        use = { method, property: node.name.text, node };
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(member.body);
    if (use) uses.push(use);
  }
  return uses;
}

interface CachedConnect {
  name: string;
  assignment: ts.BinaryExpression;
  connect: ts.CallExpression;
  connectText: string;
}

/**
 * `if (!clientPromise) clientPromise = (async () => { ... await Connection.connect(...) ... })()`:
 * a module variable (or `this.x`) that a lazy getter sets to the promise of a Temporal connection
 * (the connect itself, a chain on it, an async function written in place, or a call of the project's
 * own function that connects), with no assignment of it that may run when the promise rejects.
 */
function cachedConnectPromises(model: TemporalModel): CachedConnect[] {
  const found: CachedConnect[] = [];
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !/\.connect\(/.test(sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      const site = cacheAssignment(node, model);
      if (site) found.push(site);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

function cacheAssignment(node: ts.Node, model: TemporalModel): CachedConnect | undefined {
  if (!ts.isBinaryExpression(node)) return undefined;
  const op = node.operatorToken.kind;
  if (op !== ts.SyntaxKind.EqualsToken && op !== ts.SyntaxKind.QuestionQuestionEqualsToken && op !== ts.SyntaxKind.BarBarEqualsToken) return undefined;
  const target = cacheTarget(node.left);
  if (!target) return undefined;
  const value = skipOuterExpressions(node.right) as ts.Expression;
  // `x = await connect()` keeps the client once connected: a failure leaves x unset.
  if (ts.isAwaitExpression(value) || awaitsOutsideFunctions(value)) return undefined;
  const connect = connectIn(value, model);
  if (!connect || retried(connect)) return undefined;
  const fn = enclosingFunction(node);
  if (!fn) return undefined; // a top-level connect is made once, at start-up
  if (op === ts.SyntaxKind.EqualsToken && !guardedBy(node, fn, target.text)) return undefined;
  const scope = target.scope;
  if (mayBeClearedOnFailure(scope, node, target.text)) return undefined;
  const callee = skipOuterExpressions(connect.expression);
  return {
    name: target.text,
    assignment: node,
    connect,
    connectText: `${ts.isPropertyAccessExpression(callee) ? callee.expression.getText() : 'Connection'}.connect`,
  };
}

/** A module-level `let` / `var`, or `this.x` in a class: the text to match, and where to look for its writes. */
function cacheTarget(left: ts.Expression): { text: string; scope: ts.Node } | undefined {
  const target = skipOuterExpressions(left);
  if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
    let cls: ts.Node | undefined = target.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    return cls ? { text: target.getText(), scope: cls } : undefined;
  }
  if (!ts.isIdentifier(target)) return undefined;
  const sourceFile = target.getSourceFile();
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement) || statement.declarationList.flags & ts.NodeFlags.Const) continue;
    if (statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === target.text)) return { text: target.text, scope: sourceFile };
  }
  return undefined;
}

/** The Temporal connect call the value's promise waits for: in the expression, in functions written in it, or one call away. */
function connectIn(value: ts.Expression, model: TemporalModel): ts.CallExpression | undefined {
  const connectors = connectionBindings(value.getSourceFile());
  const direct = deepConnect(value, connectors);
  if (direct) return direct;
  // `clientPromise = createClient()`: the project's own function that connects.
  const head = promiseHead(value);
  if (!head) return undefined;
  const callee = skipOuterExpressions(head.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const fn = functionOfDeclaration(model.declarationOf(callee));
  if (!fn?.body || fn.getSourceFile().isDeclarationFile) return undefined;
  return deepConnect(fn.body, connectionBindings(fn.getSourceFile()));
}

/** The call a promise chain starts from: `createClient().then(...)` → `createClient()`. */
function promiseHead(value: ts.Expression): ts.CallExpression | undefined {
  let current = skipOuterExpressions(value);
  while (ts.isCallExpression(current)) {
    const callee = skipOuterExpressions(current.expression);
    if (ts.isPropertyAccessExpression(callee) && ['then', 'catch', 'finally'].includes(callee.name.text)) {
      current = skipOuterExpressions(callee.expression);
      continue;
    }
    return current;
  }
  return undefined;
}

function deepConnect(node: ts.Node, connectors: Set<string>): ts.CallExpression | undefined {
  if (connectors.size === 0) return undefined;
  let found: ts.CallExpression | undefined;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(child)) {
      const callee = skipOuterExpressions(child.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'connect') {
        const receiver = skipOuterExpressions(callee.expression);
        if (ts.isIdentifier(receiver) && connectors.has(receiver.text)) {
          found = child;
          return;
        }
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/** `new Client({ connection: await Connection.connect() })`: the value is made once the await succeeded. */
function awaitsOutsideFunctions(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, (child) => awaitsOutsideFunctions(child) || undefined) ?? false;
}

/** A connect inside a loop, or in a function handed to a retry helper: it may never reject, or only after its retries. */
function retried(connect: ts.Node): boolean {
  for (let current = connect.parent; current; current = current.parent) {
    if (ts.isIterationStatement(current, false)) return true;
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && ts.isCallExpression(current.parent) && current.parent.arguments.includes(current)) {
      const callee = skipOuterExpressions(current.parent.expression).getText();
      if (/retry|retries|backoff|attempt/i.test(callee)) return true;
    }
  }
  return false;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return current as ts.FunctionLikeDeclaration;
  }
  return undefined;
}

/** The assignment runs only when the cache is empty: `if (!x)`, `x ?? (x = ...)`, `if (x) return x;` before it. */
function guardedBy(assignment: ts.Node, fn: ts.FunctionLikeDeclaration, text: string): boolean {
  for (let current: ts.Node = assignment; current !== fn && current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && current !== parent.expression && mentions(parent.expression, text)) return true;
    if (ts.isConditionalExpression(parent) && current !== parent.condition && mentions(parent.condition, text)) return true;
    if (ts.isBinaryExpression(parent) && current === parent.right && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(parent.operatorToken.kind) && mentions(parent.left, text)) return true;
  }
  // `if (x) return x;` earlier in the function
  let early = false;
  const visit = (node: ts.Node): void => {
    if (early || node.getStart() >= assignment.getStart() || (node !== fn && ts.isFunctionLike(node))) return;
    if (ts.isIfStatement(node) && mentions(node.expression, text) && containsReturn(node.thenStatement)) early = true;
    ts.forEachChild(node, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return early;
}

function containsReturn(node: ts.Node): boolean {
  if (ts.isReturnStatement(node)) return true;
  return ts.forEachChild(node, (child) => (ts.isFunctionLike(child) ? undefined : containsReturn(child) || undefined)) ?? false;
}

function mentions(node: ts.Node, text: string): boolean {
  if ((ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) && node.getText() === text) return true;
  return ts.forEachChild(node, (child) => mentions(child, text) || undefined) ?? false;
}

/**
 * Another write of the cache that may run after a failed connection: any write in a catch clause, a
 * finally block, a `.catch()` / `.then(ok, failed)` callback, or in a function that does not first
 * await the cached promise itself (a reset function the callers' error paths may call). A close
 * function that awaits the promise and then clears it runs only after a successful connection.
 */
function mayBeClearedOnFailure(scope: ts.Node, cacheWrite: ts.Node, text: string): boolean {
  let cleared = false;
  const visit = (node: ts.Node): void => {
    if (cleared) return;
    if (node !== cacheWrite && ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind) && skipOuterExpressions(node.left).getText() === text) {
      if (!onlyAfterSuccess(node, text)) {
        cleared = true;
        return;
      }
    }
    // `delete this.cache` / a Map's clear is out of scope: any delete of it counts as a reset.
    if (ts.isDeleteExpression(node) && skipOuterExpressions(node.expression).getText() === text) {
      cleared = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return cleared;
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsToken || kind === ts.SyntaxKind.QuestionQuestionEqualsToken || kind === ts.SyntaxKind.BarBarEqualsToken;
}

/** Functions that close the client at shutdown: clearing the cache there is not a retry. */
const CLOSE_FUNCTION = /^(close|shutdown|disconnect|dispose|destroy|teardown|stop|onModuleDestroy|onApplicationShutdown|beforeApplicationShutdown)|(close|shutdown|disconnect|teardown)/i;

/** A write that comes after an `await <cache>` in its own function, outside any catch or rejection callback. */
function onlyAfterSuccess(write: ts.Node, text: string): boolean {
  for (let current: ts.Node | undefined = write.parent; current; current = current.parent) {
    if (ts.isCatchClause(current)) return false;
    if (ts.isTryStatement(current) && current.finallyBlock && write.getStart() >= current.finallyBlock.getStart() && write.getEnd() <= current.finallyBlock.getEnd()) return false;
    if (ts.isFunctionLike(current)) {
      const parent = current.parent;
      if (parent && ts.isCallExpression(parent)) {
        const callee = skipOuterExpressions(parent.expression);
        if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'catch' || callee.name.text === 'finally' || (callee.name.text === 'then' && parent.arguments.indexOf(current as ts.Expression) > 0))) return false;
      }
      const fn = current as ts.FunctionLikeDeclaration;
      // `closeTemporalClient()`: a close at shutdown, not a reset on an error path.
      if (CLOSE_FUNCTION.test(functionName(fn) ?? '')) return true;
      let awaited = false;
      const visit = (node: ts.Node): void => {
        if (awaited || node.getStart() >= write.getStart() || (node !== fn && ts.isFunctionLike(node))) return;
        if (ts.isAwaitExpression(node) && skipOuterExpressions(node.expression).getText() === text && !insideTry(node, fn)) awaited = true;
        ts.forEachChild(node, visit);
      };
      if (fn.body) ts.forEachChild(fn.body, visit);
      return awaited;
    }
  }
  return false;
}

function insideTry(node: ts.Node, fn: ts.Node): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (ts.isTryStatement(current) && node.getStart() >= current.tryBlock.getStart() && node.getEnd() <= current.tryBlock.getEnd()) return true;
  }
  return false;
}
