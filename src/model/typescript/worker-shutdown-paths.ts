// Shutdown paths that end a worker's process before the worker has drained. In @temporalio/worker
// (1.24, lib/worker.d.ts and lib/worker.js) `Worker.shutdown()` returns void: it only starts the
// shutdown (the worker stops polling, then cancels its running activities after shutdownGraceTime),
// and the promise `worker.run()` returned resolves once the worker has drained (every running
// activity and workflow task finished). Two shapes are read here:
//
// - exit before drain: a function calls `worker.shutdown()` (directly, or through a function it
//   calls) and then `process.exit(...)` without awaiting anything in between, so the process ends
//   while activities are still running;
// - close without shutdown: a signal handler (`process.on('SIGTERM', ...)`) exits the process or
//   closes connections and pools without shutting the worker down and waiting for it, in a process
//   that runs a worker. The SDK's Runtime installs its own SIGINT / SIGTERM / SIGQUIT / SIGUSR2
//   handlers (Runtime options `shutdownSignals`, lib/runtime-options.js) that start the workers'
//   shutdown, so a handler that does nothing lets the worker drain; one that exits or closes what
//   the activities use cuts them off mid-run.
//
// Static only: the calls are followed through the project's own functions, a parameter's values at
// its callers, a destructured result of a call (`const { disconnect } = await getWorker()`) and a
// method a subclass overrides (`this.stop()` in a base class). Any await between the shutdown and
// the exit may be the drain, so it ends the path.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { calledFunction, declarationOf, functionOfDeclaration } from './declarations.js';
import { parameterValues } from './parameter-values.js';
import { returnedExpressions } from './resolve-call.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';
import type { WorkerDefinition } from './types.js';

export interface ShutdownExit {
  /**
   * exit-before-drain: the exit follows worker.shutdown() without a wait; closes-without-shutdown:
   * a signal handler exits or closes and never shuts the worker down; force-exit-timer: a signal
   * handler that shuts the worker down and waits also arms a timer that exits (the check decides
   * whether its delay cuts the drain short).
   */
  kind: 'exit-before-drain' | 'closes-without-shutdown' | 'force-exit-timer';
  /** The call that ends the process or closes a resource: `process.exit(0)`, `pool.end()`. */
  exit: ts.CallExpression;
  /** The function that makes that call. */
  exitFunction: ts.FunctionLikeDeclaration;
  /** exit-before-drain: the `worker.shutdown()` call reached before the exit. */
  shutdown?: ts.CallExpression;
  /**
   * True when the exit and the shutdown (or, for a signal handler, the handler and the closing
   * call) are in the same function or one call apart, each step resolved to one function.
   */
  direct: boolean;
  /** The `process.on(signal, handler)` registration the path starts from, when known. */
  signalHandler?: ts.CallExpression;
  /** Where the worker is: its Worker.create call, a `worker.run()` call, or the field that holds it. */
  worker?: ts.Node;
  /** The model's worker definition, when the worker is one of them. */
  workerDefinition?: WorkerDefinition;
  /**
   * The close call whose callback makes the exit (`server.close(() => process.exit(0))`): the
   * callback runs once that thing has closed, not once the worker has drained.
   */
  closeCallback?: ts.CallExpression;
  /** A `setTimeout(() => process.exit(...), ms)` armed in the exiting function: the force-exit timer. */
  forceExitTimer?: { call: ts.CallExpression; delay: ts.Expression | undefined; delayValues: ts.Expression[] };
}

const SIGNALS = /^(SIGTERM|SIGINT|SIGQUIT|SIGHUP|SIGUSR2)$/;
const CLOSE_METHODS = new Set(['close', 'end', 'disconnect', 'quit', 'destroy', '$disconnect']);
/** Receivers whose closing does not take anything from a running activity. */
const HARMLESS_RECEIVER = /server|http|\bapp\b|health|probe|listener|watcher|timer|interval|logger|\blog\b|tracer|telemetry|otel|sdk|metric|stream|socket\.io|rl\b|readline|file/i;
const MAX_DEPTH = 3;

interface Reach {
  shutdown: ts.CallExpression;
  hops: number;
  /** Every step resolved to a single function. */
  single: boolean;
}

export function workerShutdownExits(files: string[], index: CodeIndex, workers: WorkerDefinition[]): ShutdownExit[] {
  const finder = new ShutdownFinder(index, workers);
  const exits: ShutdownExit[] = [];
  for (const file of files) {
    const sourceFile = index.sourceFile(file);
    if (!sourceFile || !sourceFile.text.includes('process.')) continue;
    exits.push(...finder.exitsBeforeDrain(sourceFile));
    exits.push(...finder.signalHandlersClosing(sourceFile));
    exits.push(...finder.signalHandlersTimed(sourceFile));
  }
  // A handler whose path is reported already carries its timer in that finding.
  const reportedTimers = new Set(exits.filter((exit) => exit.kind !== 'force-exit-timer').flatMap((exit) => [exit.forceExitTimer?.call, exit.signalHandler]));
  const seen = new Set<ts.Node>();
  return exits.filter((exit) => {
    if (exit.kind === 'force-exit-timer' && (reportedTimers.has(exit.forceExitTimer!.call) || reportedTimers.has(exit.signalHandler))) return false;
    if (seen.has(exit.exit)) return false;
    seen.add(exit.exit);
    return true;
  });
}

class ShutdownFinder {
  private readonly workerNodes: Map<ts.Node, WorkerDefinition>;
  private readonly reachCache = new Map<ts.Node, Reach | null>();

  constructor(
    private readonly index: CodeIndex,
    private readonly workers: WorkerDefinition[],
  ) {
    this.workerNodes = new Map(workers.map((worker) => [worker.node as ts.Node, worker]));
  }

  /** `worker.shutdown(); process.exit(0)` in one function, the shutdown maybe in a function it calls. */
  exitsBeforeDrain(sourceFile: ts.SourceFile): ShutdownExit[] {
    const found: ShutdownExit[] = [];
    const done = new Set<ts.Node>();
    for (const exit of processExits(sourceFile)) {
      // `server.close(() => process.exit(0))`: the exit happens where the close is called.
      const closeCallback = closeCallbackAround(exit);
      const anchor = closeCallback ?? exit;
      const fn = enclosingFunctionOf(anchor);
      if (!fn || !fn.body || done.has(fn) || isTimerCallback(fn)) continue;
      for (const call of callsBefore(fn, anchor)) {
        const reach = this.shutdownReach(call, 0);
        if (!reach) continue;
        if (awaitBetween(fn, call, anchor)) break;
        done.add(fn);
        const receiver = workerReceiver(reach.shutdown);
        // A worker kept in a global (`global.temporalWorker.shutdown()`): the one its file creates.
        const definition = (receiver ? this.definitionOf(receiver) : undefined) ?? this.workers.find((worker) => worker.node.getSourceFile() === reach.shutdown.getSourceFile());
        found.push({
          kind: 'exit-before-drain',
          exit,
          exitFunction: fn,
          shutdown: reach.shutdown,
          direct: reach.single && reach.hops <= 1,
          ...optional('signalHandler', signalRegistrationOf(fn, this.index)),
          ...optional('workerDefinition', definition),
          ...optional('worker', definition?.node),
          ...optional('closeCallback', closeCallback),
          ...optional('forceExitTimer', forceExitTimer(fn, this.index)),
        });
        break;
      }
    }
    return found;
  }

  /**
   * `process.on('SIGTERM', handler)` whose handler exits or closes something before any await that
   * could wait for the worker, and reaches no worker shutdown, in a process that runs a worker.
   */
  signalHandlersClosing(sourceFile: ts.SourceFile): ShutdownExit[] {
    const found: ShutdownExit[] = [];
    for (const registration of signalRegistrations(sourceFile)) {
      const handler = this.handlerFunction(registration);
      if (!handler?.body) continue;
      if (this.reachesShutdownAnywhere(handler, 0)) continue;
      const closing = this.firstClosing(handler, 0);
      if (!closing) continue;
      const worker = closing.worker ?? this.workerRunIn(sourceFile);
      if (!worker) continue;
      found.push({
        kind: 'closes-without-shutdown',
        exit: closing.call,
        exitFunction: closing.fn,
        direct: closing.hops <= 1,
        signalHandler: registration,
        worker: worker.node,
        ...optional('workerDefinition', worker.definition),
        ...optional('closeCallback', closeCallbackAround(closing.call)),
        ...optional('forceExitTimer', forceExitTimer(closing.fn, this.index)),
      });
    }
    return found;
  }

  /**
   * `process.on('SIGTERM', handler)` whose handler shuts the worker down (itself or in a function it
   * calls) and also arms `setTimeout(() => process.exit(1), ms)`: the timer ends the process after ms,
   * whether the drain has finished or not.
   */
  signalHandlersTimed(sourceFile: ts.SourceFile): ShutdownExit[] {
    const found: ShutdownExit[] = [];
    for (const registration of signalRegistrations(sourceFile)) {
      const handler = this.handlerFunction(registration);
      if (!handler?.body) continue;
      const timer = forceExitTimer(handler, this.index);
      if (!timer) continue;
      const shutdown = this.firstShutdown(handler, 0);
      if (!shutdown) continue;
      const callback = skipOuterExpressions(timer.call.arguments[0]!) as ts.ArrowFunction | ts.FunctionExpression;
      const exit = callsIn(callback.body, true).find(isProcessExit);
      if (!exit) continue;
      const receiver = workerReceiver(shutdown.call);
      const definition = (receiver ? this.definitionOf(receiver) : undefined) ?? this.workerRunIn(sourceFile)?.definition;
      found.push({
        kind: 'force-exit-timer',
        exit,
        exitFunction: callback,
        shutdown: shutdown.call,
        direct: shutdown.hops <= 1,
        signalHandler: registration,
        ...optional('workerDefinition', definition),
        ...optional('worker', definition?.node),
        forceExitTimer: timer,
      });
    }
    return found;
  }

  /** The first worker.shutdown() the function makes, itself or in a function it calls. */
  private firstShutdown(fn: ts.FunctionLikeDeclaration, depth: number): { call: ts.CallExpression; hops: number } | undefined {
    if (!fn.body || depth > MAX_DEPTH) return undefined;
    for (const call of callsIn(fn.body)) {
      if (this.isWorkerShutdown(call)) return { call, hops: depth };
      const targets = this.targetsOf(call, fn);
      for (const target of [...targets.functions, ...targets.overrides.map((override) => override.method)]) {
        const found = this.firstShutdown(target, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** The function a `process.on` registration runs. */
  private handlerFunction(registration: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
    const argument = registration.arguments[1];
    if (!argument) return undefined;
    const handler = skipOuterExpressions(argument);
    if (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) return handler;
    if (ts.isIdentifier(handler) || ts.isPropertyAccessExpression(handler)) return functionOfDeclaration(declarationOf(handler, this.index));
    return undefined;
  }

  /**
   * The first call in `fn` (in order, before any other await) that exits the process or closes a
   * connection or pool, directly or in a function it calls (a subclass's override of `this.m()`
   * included). With the worker the overriding class holds, when that is how the path was found.
   */
  private firstClosing(
    fn: ts.FunctionLikeDeclaration,
    hops: number,
    worker?: { node: ts.Node; definition?: WorkerDefinition },
  ): { call: ts.CallExpression; fn: ts.FunctionLikeDeclaration; hops: number; worker?: { node: ts.Node; definition?: WorkerDefinition } } | undefined {
    if (!fn.body || hops > 2) return undefined;
    for (const call of callsIn(fn.body)) {
      // `server.close(() => process.exit(0))`: the exit runs once the server has closed.
      const callbackExit = exitInCloseCallback(call);
      if (callbackExit) return { call: callbackExit, fn, hops, ...optional('worker', worker) };
      if (isProcessExit(call) || isClosingCall(call)) return { call, fn, hops, ...optional('worker', worker) };
      // An await of something else may be the wait for the worker: the path ends there.
      const targets = this.targetsOf(call, fn);
      let result: ReturnType<ShutdownFinder['firstClosing']>;
      // `this.stop()` on an instance of a subclass that holds a worker runs the subclass's stop.
      for (const override of targets.overrides) {
        result = this.firstClosing(override.method, hops + 1, override.worker);
        if (result) break;
      }
      if (!result) {
        for (const target of targets.functions) {
          result = this.firstClosing(target, hops + 1, worker);
          if (result) break;
        }
      }
      if (result) return result;
      // `await getClient().then((c) => c.connection.close())`: waits for a close, not for the worker.
      if (isAwaited(call) && !chainClosesSomethingElse(call)) return undefined;
    }
    return undefined;
  }

  /** True when the function, or one it calls (overrides included), calls shutdown() on a worker. */
  private reachesShutdownAnywhere(fn: ts.FunctionLikeDeclaration, depth: number): boolean {
    if (!fn.body || depth > MAX_DEPTH) return false;
    for (const call of callsIn(fn.body)) {
      if (this.isWorkerShutdown(call)) return true;
      const targets = this.targetsOf(call, fn);
      if (targets.functions.some((target) => this.reachesShutdownAnywhere(target, depth + 1))) return true;
      if (targets.overrides.some((override) => this.reachesShutdownAnywhere(override.method, depth + 1))) return true;
    }
    return false;
  }

  /**
   * Whether a call shuts a worker down without waiting for it: it is `worker.shutdown()`, or every
   * function it may call reaches one and awaits nothing after it.
   */
  shutdownReach(call: ts.CallExpression, depth: number): Reach | undefined {
    if (this.isWorkerShutdown(call)) return { shutdown: call, hops: 0, single: true };
    if (depth >= MAX_DEPTH) return undefined;
    const fn = enclosingFunctionOf(call);
    const targets = this.targetsOf(call, fn);
    const reaches = targets.functions.map((target) => this.functionReach(target, depth + 1));
    if (reaches.length === 0 || reaches.some((reach) => !reach)) return undefined;
    const first = reaches[0]!;
    return { shutdown: first.shutdown, hops: Math.max(...reaches.map((reach) => reach!.hops)) + 1, single: reaches.every((reach) => reach!.single) && targets.single };
  }

  private functionReach(fn: ts.FunctionLikeDeclaration, depth: number): Reach | undefined {
    const cached = this.reachCache.get(fn);
    if (cached !== undefined) return cached ?? undefined;
    this.reachCache.set(fn, null);
    let result: Reach | undefined;
    if (fn.body) {
      for (const call of callsIn(fn.body)) {
        const reach = this.shutdownReach(call, depth);
        if (!reach) continue;
        // `worker.shutdown(); await runPromise`: the function waits after the shutdown.
        if (awaitAfter(fn, call)) break;
        result = reach;
        break;
      }
    }
    this.reachCache.set(fn, result ?? null);
    return result;
  }

  /** `x.shutdown()` with no arguments, where x is a Worker of @temporalio/worker. */
  private isWorkerShutdown(call: ts.CallExpression): boolean {
    const receiver = workerReceiver(call);
    return receiver !== undefined && this.isWorker(receiver, 0);
  }

  private isWorker(expression: ts.Expression, depth: number): boolean {
    let target = skipOuterExpressions(expression) as ts.Expression;
    if (ts.isAwaitExpression(target)) target = skipOuterExpressions(target.expression) as ts.Expression;
    if (this.workerNodes.has(target)) return true;
    if (ts.isCallExpression(target)) {
      const callee = skipOuterExpressions(target.expression);
      return ts.isPropertyAccessExpression(callee) && callee.name.text === 'create' && ts.isIdentifier(callee.expression) && isWorkerClassName(callee.expression, callee.expression.getSourceFile());
    }
    if (!ts.isIdentifier(target) && !ts.isPropertyAccessExpression(target)) return false;
    if (depth > 2) return false;
    const declaration = declarationOf(target, this.index) ?? globalDeclaration(target);
    if (!declaration) return this.workerByType(target);
    if ((ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isParameter(declaration) || ts.isPropertySignature(declaration)) && declaration.type) {
      return isWorkerType(declaration.type);
    }
    if ((ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.initializer) return this.isWorker(declaration.initializer, depth + 1);
    return this.workerByType(target);
  }

  /** The checker's type of the expression is the SDK's Worker class. */
  private workerByType(expression: ts.Expression): boolean {
    const checker = this.index.checkerFor(expression.getSourceFile().fileName);
    const symbol = checker?.getTypeAtLocation(expression).getSymbol();
    return !!symbol && symbol.getName() === 'Worker' && !!symbol.declarations?.some((d) => /[\\/]@temporalio[\\/]worker[\\/]/.test(d.getSourceFile().fileName));
  }

  private definitionOf(receiver: ts.Expression): WorkerDefinition | undefined {
    let target = skipOuterExpressions(receiver) as ts.Expression;
    for (let depth = 0; depth < 3; depth++) {
      if (ts.isAwaitExpression(target)) target = skipOuterExpressions(target.expression) as ts.Expression;
      const definition = this.workerNodes.get(target);
      if (definition) return definition;
      if (!ts.isIdentifier(target) && !ts.isPropertyAccessExpression(target)) return undefined;
      const declaration = declarationOf(target, this.index);
      if (!declaration || !(ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) || !declaration.initializer) return undefined;
      target = skipOuterExpressions(declaration.initializer) as ts.Expression;
    }
    return undefined;
  }

  /**
   * The functions a call may run: the declared function; for a parameter, the functions its
   * callers pass; for a name destructured from a call's result, the function under that key in
   * the objects the called function returns. `overrides`: for `this.m()`, the methods m of the
   * subclasses that hold a worker.
   */
  private targetsOf(
    call: ts.CallExpression,
    within: ts.FunctionLikeDeclaration | undefined,
  ): { functions: ts.FunctionLikeDeclaration[]; single: boolean; overrides: { method: ts.FunctionLikeDeclaration; worker: { node: ts.Node; definition?: WorkerDefinition } }[] } {
    const callee = skipOuterExpressions(call.expression);
    const overrides = ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword ? this.overridesOf(callee, within) : [];
    const direct = calledFunction(call, this.index);
    if (direct && direct.getSourceFile().isDeclarationFile === false) return { functions: [direct], single: true, overrides };
    if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return { functions: [], single: false, overrides };
    const declaration = declarationOf(callee, this.index);
    if (!declaration) return { functions: [], single: false, overrides };
    if (ts.isParameter(declaration)) {
      // Every caller must pass something readable: one unknown value and nothing is claimed.
      const values = parameterValues(declaration, this.index) ?? [];
      const resolved = values.map((value) => this.functionsOfValue(value));
      if (values.length === 0 || resolved.some((functions) => functions.length === 0)) return { functions: [], single: false, overrides };
      return { functions: resolved.flat(), single: true, overrides };
    }
    const fromBinding = ts.isBindingElement(declaration) ? this.functionsOfBinding(declaration) : [];
    return { functions: fromBinding, single: fromBinding.length > 0, overrides };
  }

  /** The functions a value may be: a function written in place, a declared one, or the functions under a destructured key. */
  private functionsOfValue(value: ts.Expression): ts.FunctionLikeDeclaration[] {
    const target = skipOuterExpressions(value);
    if (ts.isArrowFunction(target) || ts.isFunctionExpression(target)) return [target];
    if (!ts.isIdentifier(target) && !ts.isPropertyAccessExpression(target)) return [];
    const declaration = declarationOf(target, this.index);
    if (!declaration) return [];
    if (ts.isBindingElement(declaration)) return this.functionsOfBinding(declaration);
    const fn = functionOfDeclaration(declaration);
    return fn ? [fn] : [];
  }

  /**
   * `const { disconnect } = await getWorker()`: the functions under `disconnect` in the object
   * literals getWorker returns. Empty when any of them is not an object literal with that key.
   */
  private functionsOfBinding(binding: ts.BindingElement): ts.FunctionLikeDeclaration[] {
    const pattern = binding.parent;
    if (!ts.isObjectBindingPattern(pattern) || !ts.isVariableDeclaration(pattern.parent) || !pattern.parent.initializer) return [];
    const key = binding.propertyName ?? binding.name;
    if (!ts.isIdentifier(key)) return [];
    let initializer = skipOuterExpressions(pattern.parent.initializer) as ts.Expression;
    if (ts.isAwaitExpression(initializer)) initializer = skipOuterExpressions(initializer.expression) as ts.Expression;
    if (!ts.isCallExpression(initializer)) return [];
    const producer = calledFunction(initializer, this.index);
    const returned = producer?.body ? returnedExpressions(producer.body) : undefined;
    if (!returned || returned.length === 0) return [];
    const functions: ts.FunctionLikeDeclaration[] = [];
    for (const expression of returned) {
      const object = skipOuterExpressions(expression);
      if (!ts.isObjectLiteralExpression(object)) return [];
      const property = object.properties.find((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === key.text);
      if (!property) return [];
      const found = ts.isMethodDeclaration(property) ? [property] : ts.isPropertyAssignment(property) ? this.functionsOfValue(property.initializer) : [];
      if (found.length === 0) return [];
      functions.push(...found);
    }
    return functions;
  }

  /**
   * `this.stop()` in a method of class Base: the `stop` methods of the classes in the reviewed
   * code that extend Base and hold a Worker (a field typed Worker, or a Worker.create in their code).
   */
  private overridesOf(access: ts.PropertyAccessExpression, within: ts.FunctionLikeDeclaration | undefined): { method: ts.FunctionLikeDeclaration; worker: { node: ts.Node; definition?: WorkerDefinition } }[] {
    let base: ts.Node | undefined = within;
    while (base && !ts.isClassDeclaration(base)) base = base.parent;
    if (!base || !ts.isClassDeclaration(base) || !base.name) return [];
    const baseName = base.name.text;
    const name = access.name.text;
    const result: { method: ts.FunctionLikeDeclaration; worker: { node: ts.Node; definition?: WorkerDefinition } }[] = [];
    for (const file of this.index.files) {
      const sourceFile = this.index.sourceFile(file);
      if (!sourceFile || !sourceFile.text.includes(baseName) || !sourceFile.text.includes(name)) continue;
      for (const statement of sourceFile.statements) {
        if (!ts.isClassDeclaration(statement) || statement === base || !extendsClass(statement, base, this.index)) continue;
        const method = statement.members.find((member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && !!member.body && ts.isIdentifier(member.name) && member.name.text === name);
        if (!method) continue;
        const worker = this.workerHeldBy(statement);
        if (worker) result.push({ method, worker });
      }
    }
    return result;
  }

  /** The Worker a class holds: a Worker.create in its code, else a field typed Worker. */
  private workerHeldBy(cls: ts.ClassDeclaration): { node: ts.Node; definition?: WorkerDefinition } | undefined {
    const created = this.workers.find((worker) => worker.node.pos >= cls.pos && worker.node.end <= cls.end && worker.node.getSourceFile() === cls.getSourceFile());
    if (created) return { node: created.node, definition: created };
    const field = cls.members.find((member) => ts.isPropertyDeclaration(member) && member.type && isWorkerType(member.type));
    return field ? { node: field } : undefined;
  }

  /** A `x.run()` call on a Worker, or a model worker created, in the file. */
  private workerRunIn(sourceFile: ts.SourceFile): { node: ts.Node; definition?: WorkerDefinition } | undefined {
    const created = this.workers.find((worker) => worker.node.getSourceFile() === sourceFile);
    if (created) return { node: created.node, definition: created };
    let run: ts.CallExpression | undefined;
    const visit = (node: ts.Node): void => {
      if (run) return;
      if (ts.isCallExpression(node) && node.arguments.length === 0) {
        const callee = skipOuterExpressions(node.expression);
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'run' && this.isWorker(callee.expression, 0)) {
          run = node;
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    if (sourceFile.text.includes('.run(')) visit(sourceFile);
    if (!run) return undefined;
    const definition = this.definitionOf((skipOuterExpressions(run.expression) as ts.PropertyAccessExpression).expression);
    return { node: run, ...optional('definition', definition) };
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** `class Sub extends Base`: by declaration, or by name when the import did not resolve. */
function extendsClass(cls: ts.ClassDeclaration, base: ts.ClassDeclaration, index: CodeIndex): boolean {
  const heritage = cls.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!heritage) return false;
  const expression = skipOuterExpressions(heritage.expression);
  if (!ts.isIdentifier(expression) && !ts.isPropertyAccessExpression(expression)) return false;
  const declaration = declarationOf(expression, index);
  if (declaration) return declaration === base || (declaration.getSourceFile().fileName === base.getSourceFile().fileName && declaration.pos === base.pos);
  const name = ts.isIdentifier(expression) ? expression.text : expression.name.text;
  return name === base.name?.text;
}

/**
 * `global.temporalWorker` when the checker has no Node types to resolve `global`: the
 * `var temporalWorker: Worker` of a `declare global { ... }` block in the same file.
 */
function globalDeclaration(expression: ts.Expression): ts.VariableDeclaration | undefined {
  if (!ts.isPropertyAccessExpression(expression) || !ts.isIdentifier(expression.expression) || !['global', 'globalThis'].includes(expression.expression.text)) return undefined;
  const name = expression.name.text;
  let found: ts.VariableDeclaration | undefined;
  for (const statement of expression.getSourceFile().statements) {
    if (!ts.isModuleDeclaration(statement) || !ts.isIdentifier(statement.name) || statement.name.text !== 'global' || !statement.body || !ts.isModuleBlock(statement.body)) continue;
    for (const inner of statement.body.statements) {
      if (!ts.isVariableStatement(inner)) continue;
      found ??= inner.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
    }
  }
  return found;
}

/** `x.shutdown()` with no arguments: x. */
function workerReceiver(call: ts.CallExpression): ts.Expression | undefined {
  if (call.arguments.length > 0) return undefined;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'shutdown' ? callee.expression : undefined;
}

/** A type annotation naming the Worker class of @temporalio/worker (also under an import alias). */
function isWorkerType(type: ts.TypeNode): boolean {
  if (!ts.isTypeReferenceNode(type)) return false;
  const name = type.typeName;
  if (ts.isIdentifier(name)) return isWorkerClassName(name, type.getSourceFile());
  return ts.isIdentifier(name.left) && name.right.text === 'Worker' && importBindings(type.getSourceFile()).get(name.left.text)?.module === '@temporalio/worker';
}

function isWorkerClassName(name: ts.Identifier, sourceFile: ts.SourceFile): boolean {
  const binding = importBindings(sourceFile).get(name.text);
  return binding?.module === '@temporalio/worker' && binding.imported === 'Worker';
}

function processExits(sourceFile: ts.SourceFile): ts.CallExpression[] {
  const exits: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isProcessExit(node)) exits.push(node);
    ts.forEachChild(node, visit);
  };
  if (sourceFile.text.includes('process.exit')) visit(sourceFile);
  return exits;
}

function isProcessExit(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'exit' && ts.isIdentifier(callee.expression) && callee.expression.text === 'process';
}

/**
 * The `x.close(callback)` (or end / disconnect / quit / destroy) whose callback, written in place,
 * makes this exit directly: `server.close(() => process.exit(0))`.
 */
function closeCallbackAround(exit: ts.CallExpression): ts.CallExpression | undefined {
  const fn = enclosingFunctionOf(exit);
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && CLOSE_METHODS.has(callee.name.text) ? call : undefined;
}

/** The process.exit in the callback of a close call (`server.close(() => process.exit(0))`). */
function exitInCloseCallback(call: ts.CallExpression): ts.CallExpression | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !CLOSE_METHODS.has(callee.name.text)) return undefined;
  for (const argument of call.arguments) {
    const callback = skipOuterExpressions(argument);
    if (!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback)) continue;
    const exit = callsIn(callback.body).find(isProcessExit);
    if (exit && closeCallbackAround(exit) === call) return exit;
  }
  return undefined;
}

/** `pool.end()`, `client.close()`, `this.db.$disconnect()`: a resource closed (not a server or a logger). */
function isClosingCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !CLOSE_METHODS.has(callee.name.text)) return false;
  const receiver = callee.expression.getText();
  return receiver !== 'this' && !HARMLESS_RECEIVER.test(receiver);
}

/** `process.on('SIGTERM', handler)` (also once / addListener, and a signal held in a variable). */
function signalRegistrations(sourceFile: ts.SourceFile): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isSignalRegistration(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  if (/process\.(on|once|addListener)\(/.test(sourceFile.text)) visit(sourceFile);
  return found;
}

function isSignalRegistration(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !['on', 'once', 'addListener'].includes(callee.name.text)) return false;
  if (!ts.isIdentifier(callee.expression) || callee.expression.text !== 'process') return false;
  const signal = call.arguments[0];
  if (!signal) return false;
  if (ts.isStringLiteralLike(signal)) return SIGNALS.test(signal.text);
  return ts.isIdentifier(signal) && /signal|sig/i.test(signal.text);
}

/** The registration whose handler is this function (written in place, or `process.on(sig, () => shutdown(sig))`). */
function signalRegistrationOf(fn: ts.FunctionLikeDeclaration, index: CodeIndex): ts.CallExpression | undefined {
  const parent = fn.parent;
  if (ts.isCallExpression(parent) && isSignalRegistration(parent)) return parent;
  const sourceFile = fn.getSourceFile();
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && isSignalRegistration(node)) {
      const handler = node.arguments[1] ? skipOuterExpressions(node.arguments[1]) : undefined;
      if (handler && (ts.isIdentifier(handler) || ts.isPropertyAccessExpression(handler)) && functionOfDeclaration(declarationOf(handler, index)) === fn) found = node;
      else if (handler && (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler))) {
        for (const call of callsIn(handler.body)) if (calledFunction(call, index) === fn) found = node;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function enclosingFunctionOf(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return current as ts.FunctionLikeDeclaration;
  }
  return undefined;
}

/** `setTimeout(() => process.exit(1), ms)`: the callback of a timer. */
function isTimerCallback(fn: ts.FunctionLikeDeclaration): boolean {
  const parent = fn.parent;
  if (!ts.isCallExpression(parent) || parent.arguments[0] !== fn) return false;
  const callee = skipOuterExpressions(parent.expression);
  return ts.isIdentifier(callee) && callee.text === 'setTimeout';
}

function forceExitTimer(fn: ts.FunctionLikeDeclaration, index: CodeIndex): ShutdownExit['forceExitTimer'] {
  if (!fn.body) return undefined;
  for (const call of callsIn(fn.body)) {
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isIdentifier(callee) || callee.text !== 'setTimeout') continue;
    const callback = call.arguments[0] ? skipOuterExpressions(call.arguments[0]) : undefined;
    if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) continue;
    if (callsIn(callback.body, true).some(isProcessExit)) return { call, delay: call.arguments[1], delayValues: delayValues(call.arguments[1], index) };
  }
  return undefined;
}

/** What a timer's delay may be: the expression, or for a parameter the values its callers pass. */
function delayValues(delay: ts.Expression | undefined, index: CodeIndex): ts.Expression[] {
  if (!delay) return [];
  const target = skipOuterExpressions(delay);
  if (ts.isIdentifier(target)) {
    const declaration = declarationOf(target, index);
    if (declaration && ts.isParameter(declaration)) return parameterValues(declaration, index) ?? [];
  }
  return [delay];
}

/** Calls in a body in source order, nested functions left out (unless `deep`). */
function callsIn(body: ts.Node, deep = false): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (!deep && node !== body && ts.isFunctionLike(node)) return;
    // The callee and arguments run before the call itself.
    ts.forEachChild(node, visit);
    if (ts.isCallExpression(node)) calls.push(node);
  };
  visit(body);
  return calls.sort((a, b) => a.getStart() - b.getStart());
}

/**
 * The calls of `fn` that run before `exit` on every path to it: before it in the source, not in
 * a nested function, and not in a branch (if / else, a catch, a case, a loop body, the right side
 * of && / ||, a conditional expression) that does not also hold the exit.
 */
function callsBefore(fn: ts.FunctionLikeDeclaration, exit: ts.CallExpression): ts.CallExpression[] {
  return callsIn(fn.body!).filter((call) => call.getEnd() <= exit.getStart() && !call.getChildren().includes(exit) && dominates(call, exit, fn));
}

function dominates(call: ts.Node, exit: ts.Node, fn: ts.Node): boolean {
  const exitAncestors = new Set<ts.Node>();
  for (let node: ts.Node | undefined = exit; node && node !== fn; node = node.parent) exitAncestors.add(node);
  for (let node: ts.Node = call; node.parent && node !== fn; node = node.parent) {
    if (exitAncestors.has(node)) return true;
    const parent = node.parent;
    // A catch runs when the try block failed part-way: what the block calls does not come first.
    if (ts.isTryStatement(parent) && node === parent.tryBlock && parent.catchClause && exitAncestors.has(parent.catchClause)) return false;
    if (exitAncestors.has(parent) && !isBranchOf(parent, node)) return true;
    if (isBranchOf(parent, node) && !exitAncestors.has(node)) return false;
  }
  return true;
}

/** `child` is a part of `parent` that runs only on some paths. */
function isBranchOf(parent: ts.Node, child: ts.Node): boolean {
  if (ts.isIfStatement(parent)) return child !== parent.expression;
  if (ts.isConditionalExpression(parent)) return child !== parent.condition;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    return child === parent.right && (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken);
  }
  if (ts.isTryStatement(parent)) return child !== parent.tryBlock;
  return ts.isCatchClause(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isIterationStatement(parent, false);
}

/** An await in `fn` (not in a nested function) after `call` ends and before `exit` starts. */
function awaitBetween(fn: ts.FunctionLikeDeclaration, call: ts.Node, exit: ts.Node): boolean {
  return awaitsIn(fn).some((node) => node.getStart() >= call.getEnd() && node.getEnd() <= exit.getStart() && !closesSomethingElse(node));
}

/**
 * Receivers whose closing cannot be the worker's drain: the connection (NativeConnection.close()
 * even throws while a worker still uses it), a health or HTTP server, a database or queue client.
 * An application's own close (`await app.close()`) may run shutdown hooks that wait for the worker,
 * so it still counts as a possible drain.
 */
const NOT_A_DRAIN = /connection|\bconn\b|health|server|pool|redis|\bdb\b|database|prisma|knex|sequelize|mongo|cache|producer|consumer|kafka|nats|rabbit|amqp|channel/i;
const MAY_DRAIN = /app|nest|worker|module|service|runner/i;

/** `await connection.close()`, `await healthCheck.close()`: an await that waits for something other than the worker. */
function closesSomethingElse(node: ts.Node): boolean {
  if (!ts.isAwaitExpression(node)) return false;
  const call = skipOuterExpressions(node.expression);
  if (ts.isCallExpression(call) && chainClosesSomethingElse(call)) return true;
  if (!ts.isCallExpression(call) || call.arguments.length > 0) return false;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !CLOSE_METHODS.has(callee.name.text)) return false;
  const receiver = callee.expression.getText();
  return NOT_A_DRAIN.test(receiver) && !MAY_DRAIN.test(receiver);
}

const CHAIN_METHODS = new Set(['then', 'catch', 'finally']);

/**
 * `getClient().then((client) => client.connection.close()).catch(() => undefined)`: a promise chain
 * whose callbacks, written in place, do nothing but close a connection, server or client that is not
 * the worker (at least one of them closes), on a promise that is not named like the worker or an
 * application. Awaiting it waits for that close, not for the drain.
 */
function chainClosesSomethingElse(call: ts.CallExpression): boolean {
  let closes = false;
  let current: ts.Expression = call;
  for (;;) {
    current = skipOuterExpressions(current) as ts.Expression;
    if (!ts.isCallExpression(current)) break;
    const callee = skipOuterExpressions(current.expression);
    if (!ts.isPropertyAccessExpression(callee) || !CHAIN_METHODS.has(callee.name.text)) break;
    for (const argument of current.arguments) {
      const callback = skipOuterExpressions(argument);
      if (!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback)) return false;
      for (const inner of callsIn(callback.body, true)) {
        const innerCallee = skipOuterExpressions(inner.expression);
        if (!ts.isPropertyAccessExpression(innerCallee) || !CLOSE_METHODS.has(innerCallee.name.text)) return false;
        const receiver = innerCallee.expression.getText();
        if (!NOT_A_DRAIN.test(receiver) || MAY_DRAIN.test(receiver)) return false;
        closes = true;
      }
    }
    current = callee.expression;
  }
  // The promise the chain starts from: not the worker's run() or an application's close.
  return closes && current !== call && !MAY_DRAIN.test(current.getText());
}

/** An await in `fn` (not in a nested function) after `call`. */
function awaitAfter(fn: ts.FunctionLikeDeclaration, call: ts.Node): boolean {
  return awaitsIn(fn).some((node) => node.getStart() >= call.getEnd());
}

function awaitsIn(fn: ts.FunctionLikeDeclaration): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) found.push(node);
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

function isAwaited(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent))) node = node.parent;
  return !!node.parent && ts.isAwaitExpression(node.parent);
}
