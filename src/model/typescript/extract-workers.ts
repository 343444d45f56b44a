// Worker.create calls and Runtime.install telemetry: task queue, workflows module, registered
// activities, bundler ignores, workflow failure types, metrics exporter.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { calledFunction, declarationOf } from './declarations.js';
import { locate, nodeText, relativeId } from './locate.js';
import { pathOfExpression, sourceFileForModulePath } from './module-path.js';
import { callSitesOf } from './parameter-values.js';
import { withWritesBeforeCall } from './options-writes.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';
import { bundleCallOf } from './workflow-bundles.js';
import { externalsReplacedBy } from './sandbox/webpack-hook.js';
import type { RuntimeInstall, StaticValue, WorkerDefinition } from './types.js';

export function optionsArgument(call: ts.CallExpression, position: number, ctx: ResolveContext): StaticValue {
  const argument = call.arguments[position];
  return argument ? resolveValue(argument, ctx) : { kind: 'undefined', location: locate(call) };
}

export function property(value: StaticValue | undefined, key: string): StaticValue | undefined {
  return value?.kind === 'object' ? value.properties.get(key) : undefined;
}

export function extractWorker(call: ts.CallExpression, ctx: ResolveContext): WorkerDefinition {
  return workerFromOptions(call, withWritesBeforeCall(call, 0, optionsArgument(call, 0, ctx), ctx), ctx);
}

/** How many calls of a worker factory are read as workers of their own. */
const MAX_FACTORY_CALLS = 20;

/**
 * The workers a Worker.create call creates. Inside a project's worker factory whose parameters
 * the options read (`createWorker(options)` ... `Worker.create({ taskQueue: options.taskQueue,
 * activities: options.activities })`): one worker per call of the factory, its options read with
 * that call's arguments bound to the parameters; plus the worker read without them when the
 * factory is also used as a value (passed on, aliased), so some of its calls are not seen.
 * Otherwise the one worker its options describe.
 */
export function extractWorkers(call: ts.CallExpression, ctx: ResolveContext): WorkerDefinition[] {
  const single = extractWorker(call, ctx);
  const factory = enclosingFunction(call);
  if (!factory || factory.parameters.length === 0 || !readsParameters(call, factory, ctx)) return [single];
  const sites = callSitesOf(factory, ctx.index);
  if (!sites || sites.calls.length === 0 || sites.calls.length > MAX_FACTORY_CALLS) return [single];
  const workers: WorkerDefinition[] = [];
  let complete = sites.complete;
  for (const site of sites.calls) {
    const bindings = argumentBindings(factory, site, ctx);
    if (!bindings) return [single];
    const inner: ResolveContext = { ...ctx, bindings };
    const worker = extractWorker(call, inner);
    // A call inside another wrapper that hands its own parameters on (`temporalManager.createWorker(options)`):
    // what it leaves unread comes from that wrapper's callers, which the worker read without
    // bindings follows for its workflows. That worker stands for such calls.
    // A call whose arguments tell nothing the worker read without them does not (a loop variable).
    const passer = enclosingFunction(site);
    if (!readsMore(worker, single) || (!readsAll(worker) && passer && readsParameters(site, passer, ctx, true))) {
      complete = false;
      continue;
    }
    const location = locate(site);
    workers.push({ ...worker, id: `${single.id}<${relativeId(ctx.index.root, location)}`, factoryCall: { node: site, location } });
  }
  if (workers.length === 0) return [single];
  return complete ? workers : [...workers, single];
}

/** Whether a worker's task queue, workflows or activities were read where the other's were not. */
function readsMore(worker: WorkerDefinition, than: WorkerDefinition): boolean {
  const queueRead = (w: WorkerDefinition) => w.taskQueue !== undefined && w.taskQueue.kind !== 'unknown';
  return (queueRead(worker) && !queueRead(than)) || (!worker.workflowsUnresolved && than.workflowsUnresolved) || (worker.activityNames !== 'unknown' && than.activityNames === 'unknown');
}

/** Whether the task queue, the workflows and the activities of a worker were all read. */
function readsAll(worker: WorkerDefinition): boolean {
  return worker.taskQueue !== undefined && worker.taskQueue.kind !== 'unknown' && !worker.workflowsUnresolved && worker.activityNames !== 'unknown';
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current)) return current;
    if (ts.isClassLike(current) || ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

/**
 * Whether Worker.create's options read a parameter of the factory: in the options argument, or in
 * the initializer of a local const it names (`const workerOptions = { taskQueue: input.taskQueue }`).
 */
function readsParameters(call: ts.CallExpression, factory: ts.FunctionLikeDeclaration, ctx: ResolveContext, everyArgument = false): boolean {
  const parameters = new Set<ts.Node>();
  const collect = (node: ts.Node): void => {
    if (ts.isParameter(node) || ts.isBindingElement(node)) parameters.add(node);
    ts.forEachChild(node, collect);
  };
  factory.parameters.forEach(collect);
  const seen = new Set<ts.Node>();
  let reads = false;
  const visit = (node: ts.Node): void => {
    if (reads || seen.has(node)) return;
    seen.add(node);
    if (ts.isIdentifier(node)) {
      const declaration = declarationOf(node, ctx.index);
      if (declaration && parameters.has(declaration)) reads = true;
      else if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && declaration.pos > factory.pos && declaration.end < factory.end) visit(declaration.initializer);
      return;
    }
    ts.forEachChild(node, visit);
  };
  for (const argument of everyArgument ? call.arguments : call.arguments.slice(0, 1)) visit(argument);
  return reads;
}

/** The factory's parameters bound to one call's arguments (or their defaults); undefined past a spread argument. */
function argumentBindings(factory: ts.FunctionLikeDeclaration, site: ts.CallExpression, ctx: ResolveContext): Map<ts.Node, StaticValue> | undefined {
  if (site.arguments.some(ts.isSpreadElement)) return undefined;
  const bindings = new Map(ctx.bindings);
  const inner: ResolveContext = { ...ctx, bindings };
  for (const [i, parameter] of factory.parameters.entries()) {
    if (parameter.dotDotDotToken) return undefined;
    const argument = site.arguments[i];
    let value: StaticValue = argument ? resolveValue(argument, ctx) : { kind: 'undefined', location: locate(site) };
    if (value.kind === 'undefined' && parameter.initializer) value = resolveValue(parameter.initializer, inner);
    bindings.set(parameter, value);
  }
  return bindings;
}

/** A worker from the options the SDK's Worker.create receives (written there, or by a framework). */
export function workerFromOptions(call: ts.CallExpression, options: StaticValue, ctx: ResolveContext): WorkerDefinition {
  const location = locate(call);
  const activities = property(options, 'activities');
  const bundler = property(options, 'bundlerOptions');
  const workflows = workflowsOf(options, ctx, call);
  return {
    id: relativeId(ctx.index.root, location),
    location,
    node: call,
    options,
    taskQueue: property(options, 'taskQueue'),
    workflowsPath: workflows.path,
    usesBundle: options.kind === 'object' && options.properties.has('workflowBundle'),
    workflowsUnresolved: workflows.unresolved,
    ...(workflows.missing ? { workflowsMissing: workflows.missing, ...(workflows.missingFolder ? { workflowsMissingFolder: true } : {}) } : {}),
    activityNames: activityNames(activities),
    ignoreModules: strings(property(bundler, 'ignoreModules')),
    externalsReplacedAt: externalsReplacedBy(property(bundler, 'webpackConfigHook'), ctx.index),
    ...failureErrorTypes(property(options, 'workflowFailureErrorTypes'), ctx.index),
  };
}

/**
 * The workflow module a worker runs: its workflowsPath, or the workflowsPath given to the
 * bundleWorkflowCode call its workflowBundle comes from. `unresolved` when the worker names
 * workflows (or may, through a spread) that could not be located.
 */
function workflowsOf(options: StaticValue, ctx: ResolveContext, call: ts.CallExpression): { path: string | null; unresolved: boolean; missing?: string; missingFolder?: boolean } {
  if (options.kind !== 'object') return { path: null, unresolved: true };
  const direct = property(options, 'workflowsPath');
  if (direct && direct.kind !== 'undefined') {
    const found = workflowsModule(direct, ctx.index);
    const missing = found === null ? missingModule(direct, ctx.index) : undefined;
    return { path: found, unresolved: found === null, ...(missing ? { missing: missing.path, ...(missing.folder ? { missingFolder: true } : {}) } : {}) };
  }
  const bundle = property(options, 'workflowBundle');
  if (bundle && bundle.kind !== 'undefined') {
    const node = bundle.kind === 'unknown' ? bundle.node : bundleSourceNode(bundle);
    const call = bundleCallOf(node, ctx.index);
    const found = call ? workflowsPathOfBundleCall(call, ctx) : null;
    return { path: found, unresolved: found === null };
  }
  const spread = workflowsPathOfSpreads(call, ctx);
  if (spread) return { path: spread, unresolved: false };
  // A spread whose type names its keys, none of them a workflow option, cannot name workflows.
  return { path: null, unresolved: options.unknownSpreads.some((spread) => !spread.keys || spread.keys.includes('workflowsPath') || spread.keys.includes('workflowBundle')) };
}

/**
 * `...workflowOption()` where the helper picks the workflows by environment
 * (`deployed ? { workflowBundle } : { workflowsPath: require.resolve('./workflows') }`): the one
 * workflow module written in the helper (or in the spread itself); none when a written one does not
 * resolve or two differ. A prebuilt bundle chosen in the other branch is code the review cannot
 * read: the module written is what the worker runs in the configuration the code shows.
 */
function workflowsPathOfSpreads(call: ts.CallExpression, ctx: ResolveContext): string | null {
  const argument = call.arguments[0] ? skipOuterExpressions(call.arguments[0]) : undefined;
  if (!argument || !ts.isObjectLiteralExpression(argument)) return null;
  const found = new Set<string | null>();
  for (const element of argument.properties) {
    if (!ts.isSpreadAssignment(element)) continue;
    const expression = spreadSource(element.expression, ctx.index);
    const helper = ts.isCallExpression(expression) ? calledFunction(expression, ctx.index) : undefined;
    const source = helper?.body ?? expression;
    // null when a workflowsPath written there does not resolve: then the module is unknown.
    if (/\bworkflowsPath\b/.test(source.getText())) found.add(writtenWorkflowsPath(source, ctx));
  }
  return found.size === 1 ? [...found][0]! : null;
}

/**
 * What a spread element spreads: the expression itself, or the initializer of the const it names
 * (`const workflowOptions = workflowOptionsFor(dir); ... { ...workflowOptions }`).
 */
function spreadSource(node: ts.Expression, index: CodeIndex): ts.Node {
  const expression = skipOuterExpressions(node);
  if (!ts.isIdentifier(expression)) return expression;
  const declaration = declarationOf(expression, index);
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isVariableDeclarationList(declaration.parent) && declaration.parent.flags & ts.NodeFlags.Const) {
    return skipOuterExpressions(declaration.initializer);
  }
  return expression;
}

/** The workflow module a bundleWorkflowCode call bundles, when it can be located. */
export function workflowsPathOfBundleCall(call: ts.CallExpression, ctx: ResolveContext): string | null {
  return workflowsModule(property(optionsArgument(call, 0, ctx), 'workflowsPath'), ctx.index);
}

/** `workflowBundle: { code }`: the node of its code (or codePath) property. */
function bundleSourceNode(bundle: StaticValue): ts.Node | undefined {
  if (bundle.kind !== 'object') return undefined;
  for (const key of ['code', 'codePath']) {
    const value = bundle.properties.get(key);
    if (value?.kind === 'unknown') return value.node;
  }
  return undefined;
}

/**
 * The workflow module that every `workflowsPath:` written inside `node` names (in a callback that
 * maps a list of workers, say), or null when there is none, one does not resolve, or they differ.
 */
export function writtenWorkflowsPath(node: ts.Node, ctx: ResolveContext): string | null {
  const found = new Set<string | null>();
  const visit = (current: ts.Node): void => {
    if ((ts.isPropertyAssignment(current) || ts.isShorthandPropertyAssignment(current)) && ts.isIdentifier(current.name) && current.name.text === 'workflowsPath') {
      const value = ts.isPropertyAssignment(current) ? current.initializer : current.name;
      found.add(workflowsModule(resolveValue(value, ctx), ctx.index));
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found.size === 1 ? [...found][0]! : null;
}

function workflowsModule(value: StaticValue | undefined, index: CodeIndex): string | null {
  if (!value) return null;
  let modulePath: string | undefined;
  if (value.kind === 'string') modulePath = path.resolve(path.dirname(value.location.file), value.value);
  else if (value.kind === 'unknown' && value.node) modulePath = pathOfExpression(value.node, index);
  if (!modulePath) return null;
  return sourceFileForModulePath(modulePath, index) ?? null;
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Folders that hold build output, absent from a checkout until the build runs. */
const BUILD_FOLDERS = new Set(['dist', 'build', 'lib', 'out', 'output', 'target', '.next', '.build', 'bundle', 'bundles', 'generated']);

/**
 * The path (relative to the reviewed directory) a workflowsPath names when nothing is there: no
 * file, no folder, no module with a source or compiled extension. Undefined when the path is not
 * anchored at the file that writes it, is not known, lies outside the reviewed directory, or passes through a build-output folder (made by a
 * build the checkout does not hold).
 */
function missingModule(value: StaticValue, index: CodeIndex): { path: string; folder: boolean } | undefined {
  // Only a path anchored at the file (require.resolve, __dirname, import.meta): a plain string is
  // read against the working directory of the process, which the code does not show.
  if (value.kind !== 'unknown' || !value.node || !/\brequire\.resolve\b|__dirname|__filename|import\.meta/.test(value.node.getText())) return undefined;
  const modulePath = pathOfExpression(value.node, index);
  if (!modulePath) return undefined;
  const relative = path.relative(index.root, modulePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  if (relative.split(path.sep).some((segment) => BUILD_FOLDERS.has(segment))) return undefined;
  const withoutExtension = modulePath.replace(/\.(m|c)?[jt]sx?$/, '');
  const extensions = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];
  const shown = relative.split(path.sep).join('/');
  if (isDirectory(modulePath)) {
    // A folder resolves to its index module (or its package.json main); without one, require.resolve
    // throws and the SDK's bundler cannot resolve the entry: the worker cannot start.
    const entries = ['package.json', ...extensions.map((e) => `index${e}`)];
    return entries.some((entry) => fs.existsSync(path.join(modulePath, entry))) ? undefined : { path: shown, folder: true };
  }
  const candidates = [withoutExtension, ...extensions.map((e) => withoutExtension + e)];
  if (candidates.some((candidate) => fs.existsSync(candidate))) return undefined;
  return { path: shown, folder: false };
}

function activityNames(value: StaticValue | undefined): string[] | 'unknown' {
  if (!value || value.kind === 'undefined') return [];
  if (value.kind !== 'object' || value.unknownSpreads.length > 0) return 'unknown';
  return [...value.properties.entries()]
    .filter(([, v]) => v.kind === 'unknown' && !isClassReference(v.node))
    .map(([name]) => name)
    .sort();
}

/** A class exported next to the activities (an error type) is not an activity. */
function isClassReference(node: ts.Node | undefined): boolean {
  if (!node) return false;
  if (ts.isClassLike(node) || (node.parent && ts.isClassLike(node.parent) && node.parent.name === node)) return true;
  return false;
}

function strings(value: StaticValue | undefined): string[] {
  if (value?.kind !== 'array') return [];
  return value.elements.flatMap((e) => (e.kind === 'string' ? [e.value] : []));
}

/**
 * SDK 1.24 takes a record of workflow type (or '*') to error type names; older code passes an
 * array. The flat list is the union, so a check that ignores the per-workflow split stays lenient.
 */
function failureErrorTypes(value: StaticValue | undefined, index: CodeIndex): Pick<WorkerDefinition, 'workflowFailureErrorTypes' | 'workflowFailureErrorTypesByWorkflow'> {
  const byWorkflow: Record<string, string[]> = {};
  if (value?.kind === 'array') byWorkflow['*'] = errorTypeNames(value, index);
  else if (value?.kind === 'object') {
    for (const [workflowType, list] of value.properties) byWorkflow[workflowType] = errorTypeNames(list, index);
  }
  const all = [...new Set(Object.values(byWorkflow).flat())].sort();
  return { workflowFailureErrorTypes: all, workflowFailureErrorTypesByWorkflow: byWorkflow };
}

/** Strings as written, class references by class name. */
function errorTypeNames(value: StaticValue | undefined, index: CodeIndex): string[] {
  if (value?.kind !== 'array') return [];
  const names: string[] = [];
  for (const element of value.elements) {
    if (element.kind === 'string') names.push(element.value);
    else if (element.kind === 'unknown' && element.node) {
      const node = skipOuterExpressions(element.node);
      const declaration = ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) ? declarationOf(node, index) : undefined;
      if (declaration && ts.isClassDeclaration(declaration) && declaration.name) names.push(declaration.name.text);
      else if (ts.isIdentifier(node)) names.push(node.text);
      else if (ts.isPropertyAccessExpression(node)) names.push(node.name.text);
      else names.push(nodeText(node));
    }
  }
  return names;
}

export function extractRuntimeInstall(call: ts.CallExpression, ctx: ResolveContext): RuntimeInstall {
  const options = withWritesBeforeCall(call, 0, optionsArgument(call, 0, ctx), ctx);
  return { location: locate(call), options, metrics: metricsExporter(options) };
}

function metricsExporter(options: StaticValue): RuntimeInstall['metrics'] {
  if (options.kind === 'undefined') return 'none';
  if (options.kind !== 'object') return 'unknown';
  const telemetry = options.properties.get('telemetryOptions');
  if (!telemetry || telemetry.kind === 'undefined') return options.unknownSpreads.length > 0 ? 'unknown' : 'none';
  if (telemetry.kind !== 'object') return 'unknown';
  const metrics = telemetry.properties.get('metrics');
  if (!metrics || metrics.kind === 'undefined') return telemetry.unknownSpreads.length > 0 ? 'unknown' : 'none';
  if (metrics.kind !== 'object') return 'unknown';
  if (isSet(metrics.properties.get('prometheus'))) return 'prometheus';
  if (isSet(metrics.properties.get('otel'))) return 'otel';
  return metrics.unknownSpreads.length > 0 ? 'unknown' : 'none';
}

function isSet(value: StaticValue | undefined): boolean {
  return value !== undefined && value.kind !== 'undefined' && value.kind !== 'null';
}
