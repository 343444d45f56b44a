// Builds the Temporal model of a TypeScript code base: discovers the projects, builds one
// program each, and extracts workflows, activity proxies, activities, workers, starts and
// search attribute keys. Built once per run; checks only query it.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { Diagnostic } from '../../engine/types.js';
import { UsageError } from '../../engine/errors.js';
import { thrownErrorsOf } from './activity-behaviour.js';
import { functionsReachedFrom } from './call-reach.js';
import { createCodeIndex } from './code-index.js';
import { workerShutdownExits, type ShutdownExit } from './worker-shutdown-paths.js';
import { declarationOf, exportsOf } from './declarations.js';
import { discoverProjects } from './discover-projects.js';
import { markEphemeralWorkers } from './ephemeral-workers.js';
import { markHelperExports } from './helper-exports.js';
import { reportUnknownActivitySets } from './activity-registration.js';
import { extractActivities } from './extract-activities.js';
import { extractEach, reportFailuresTo } from './extraction-guard.js';
import { extractFrameworkWorkers, frameworkRegistrationsIn } from './extract-framework-workers.js';
import { extractProxies } from './extract-proxies.js';
import { resolveByRegistration, type RegisteredResolution } from './registered-implementations.js';
import { extractSearchAttributeKey, extractStart } from './extract-starts.js';
import { extractRuntimeInstall, extractWorkers, optionsArgument, property, workflowsPathOfBundleCall } from './extract-workers.js';
import { modulesFromEveryPackage, pathsPassedByCallers, sourceFileForModulePath, workingDirectoryRelativePath } from './module-path.js';
import { extractWorkflows, workflowModulesWithoutWorker, workflowsModuleUnknown, type WorkflowSources } from './extract-workflows.js';
import { locate, nodeSnippet, relativePath } from './locate.js';
import { modelGaps } from './model-gaps.js';
import { createImportGraph } from './module-imports.js';
import { buildPrograms, type BuiltProject } from './program.js';
import { workspacePath } from './workspace-packages.js';
import { createResolveContext, resolveValue, type ResolveContext } from './resolve-value.js';
import { collectTemporalCalls } from './temporal-calls.js';
import { temporalApiOf } from './temporal-api.js';
import type { StaticValue, TemporalModel, WorkerDefinition, WorkflowStart } from './types.js';
import type { CodeIndex } from './code-index.js';
import { bundleCallsIn } from './workflow-bundles.js';
import { startupInitialisers } from './startup-initialisers.js';
import { createUnrunCode, insideWorkspace, publishedPackage } from './unrun-code.js';
import { createDeadModules } from './dead-modules.js';
import { createTestCodeFilter, type TestCodeOptions } from './test-code.js';
import { reachableByValueImports } from './workflow-files.js';
import { testOnlyWorkflows } from './test-only-workflows.js';

/** An import, export-from, require or dynamic import of an SDK package (not a mention in a comment). */
const TEMPORAL_IMPORT = /(?:\bfrom|\bimport|\brequire\s*\()\s*\(?\s*['"]@temporalio\//;

export interface BuildModelOptions {
  /** The reviewed directory. */
  root: string;
  /** Explicit tsconfig paths (`-p`); default: every tsconfig.json under root. */
  projects?: string[];
  /** Globs relative to root. */
  include?: string[];
  exclude?: string[];
  /** What counts as test code, and whether to review it (default: skipped by the code checks). */
  tests?: TestCodeOptions;
}

export function buildTemporalModel(options: BuildModelOptions): { model: TemporalModel; diagnostics: Diagnostic[] } {
  const root = path.resolve(options.root);
  const discovered = discoverProjects(options);
  const diagnostics: Diagnostic[] = [...discovered.diagnostics];
  const projects = buildPrograms(discovered.projects, root);
  const index = createCodeIndex(root, projects);
  const parseErrors = collectParseErrors(index.files, (file) => index.projectFor(file)!.program, root, diagnostics);
  const broken = new Set(parseErrors.map((e) => e.file));

  if (!index.files.some((file) => TEMPORAL_IMPORT.test(index.sourceFile(file)?.text ?? ''))) {
    throw new UsageError(`${options.root}: no Temporal code found (no file imports @temporalio/*)`);
  }

  const graph = createImportGraph(index);
  const isTestCode = createTestCodeFilter(root, options.tests);
  const testFiles = index.files.filter((file) => isTestCode(file, index.sourceFile(file)?.text));
  const tests = new Set(testFiles);
  const files = index.files.filter((file) => !broken.has(file) && !tests.has(file));
  reportUnresolvedImports(files, graph.importsOf, root, diagnostics);
  const model = assembleModel({ root, projects, index, graph, files, testFiles, parseErrors, diagnostics });
  // Workers a factory makes per call share their Worker.create line: one note there is enough.
  const noted = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = JSON.stringify([d.kind, d.file, d.line, d.message]);
    if (noted.has(key)) return false;
    noted.add(key);
    return true;
  });
  diagnostics.splice(0, diagnostics.length, ...unique);
  diagnostics.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.message.localeCompare(b.message));
  return { model, diagnostics };
}

export interface ModelParts {
  root: string;
  projects: BuiltProject[];
  index: CodeIndex;
  graph: ReturnType<typeof createImportGraph>;
  /** The files whose Temporal calls are modelled. */
  files: string[];
  testFiles: string[];
  parseErrors: TemporalModel['parseErrors'];
  /** Notes on what could not be modelled are added here. */
  diagnostics: Diagnostic[];
  /**
   * The workflow modules, when the caller knows them (one file an editor says is workflow code);
   * by default they come from the workers' workflowsPath, as in a review.
   */
  workflowRoots?: string[];
}

/** Extracts the Temporal model from programs already built, over the given files. */
export function assembleModel(parts: ModelParts): TemporalModel {
  const { root, projects, index, graph, files, testFiles, parseErrors, diagnostics } = parts;
  const broken = new Set(parseErrors.map((e) => e.file));
  const importers = importersIndex(files, graph.importsOf);

  const ctx = createResolveContext(index);
  const calls = collectTemporalCalls(index, files);
  const failed = reportFailuresTo(root, diagnostics);
  const workers = [
    ...extractEach(calls.workerCreates, (call) => call, 'Worker.create', failed, (call) => extractWorkers(call, ctx)).flat(),
    ...extractEach(frameworkRegistrationsIn(files, index), (r) => r.call, 'framework worker registration', failed, (r) => extractFrameworkWorkers(r, ctx)).flat(),
  ];
  const workflowSources: WorkflowSources = parts.workflowRoots ? { modules: parts.workflowRoots.map((file) => ({ file })), guessed: [] } : locateWorkflowSources(workers, files, index, ctx);
  const workflows = extractWorkflows(workflowSources, files, ctx, failed);
  for (const worker of workers.filter((w) => w.workflowsUnresolved && !w.workflowsMissing)) {
    const where = `${relativePath(root, worker.location.file)}:${worker.location.line}`;
    diagnostics.push({
      kind: 'note',
      file: relativePath(root, worker.location.file),
      line: worker.location.line,
      message: `${where}: the workflow module of this worker could not be located statically; ${howWorkflowsWereFound(worker, workflowSources, root)}`,
    });
  }
  const workflowsReaching = new Map<ts.Node, string[]>();
  for (const workflow of workflows) {
    for (const fn of functionsReachedFrom(workflow.node, index)) workflowsReaching.set(fn, [...(workflowsReaching.get(fn) ?? []), workflow.name]);
  }
  const proxyEnvironment = {
    ctx,
    workflowsReaching,
    importersOf: (file: string) => importers.get(file) ?? [],
    ...(workflowSources.guessed.length === 0 && workflows.length > 0 && !workers.some((w) => w.workflowsUnresolved) ? { workflowNodes: new Set<ts.Node>(workflows.map((w) => w.node)) } : {}),
  };
  const activityProxies = extractEach(calls.proxies, (p) => p.call, 'activity proxy', failed, (p) => extractProxies([p], proxyEnvironment)).flat();
  // A workflow function is never an activity, whatever a proxy's type argument seemed to name.
  const workflowNodes = new Set<ts.Node>(workflows.map((w) => w.node));
  ctx.initialisedAtStartup = startupInitialisers(workers, index);
  const activities = extractActivities(activityProxies, workers, ctx, failed, files).filter((a) => !workflowNodes.has(a.node));
  const registered = resolveByRegistration(activityProxies, workflows, workers, files, ctx);
  reportUnresolvedActivityTypes(activityProxies, registered, root, diagnostics);
  const starts = [
    ...extractEach(calls.clientStarts, (s) => s.call, 'workflow start', failed, ({ call, method }) => extractStart(call, method, ctx)),
    ...extractEach(calls.childStarts, (s) => s.call, 'child workflow start', failed, ({ call, method }) => extractStart(call, method, ctx)),
  ];
  markEphemeralWorkers(workers, starts);
  markHelperExports(workflows, starts, index);
  markUnrunCode(workers, starts, index, graph.importsOf, root, diagnostics, new Set<ts.Node>([...workflows.map((w) => w.node), ...activities.map((a) => a.node)]));
  dropUnrunFactoryCalls(workers);
  // Starts in test code, read only to tell which workflows nothing but tests start.
  const testCalls = collectTemporalCalls(index, testFiles.filter((file) => !broken.has(file)));
  const ignore = () => undefined;
  const testStarts = [
    ...extractEach(testCalls.clientStarts, (s) => s.call, 'workflow start', ignore, ({ call, method }) => extractStart(call, method, ctx)),
    ...extractEach(testCalls.childStarts, (s) => s.call, 'child workflow start', ignore, ({ call, method }) => extractStart(call, method, ctx)),
  ];

  const workflowRoots = [...new Set([...workflowSources.modules.map((m) => m.file), ...workflowSources.guessed])];
  const reviewed = new Set(index.files);
  const workflowFiles = reachableByValueImports(workflowRoots, graph.importsOf, (file) => reviewed.has(file));
  // workflow code that does not parse: its workflows are unknown, not missing
  const brokenWorkflowFiles = parseErrors.filter((error) => workflowFiles.has(error.file) || workflowRoots.includes(error.file));
  for (const file of broken) workflowFiles.delete(file);

  const byLocation = <T extends { location: { file: string; line: number; column: number } }>(items: T[]) =>
    items.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);

  let shutdownExits: ShutdownExit[] | undefined;
  const model: TemporalModel = {
    root,
    projects: projects.map((p) => ({ tsconfig: p.tsconfig, program: p.program, checker: p.checker })),
    files,
    testFiles,
    workflows,
    activityProxies: byLocation(activityProxies),
    activities,
    workers: byLocation(workers),
    runtimeInstalls: byLocation(extractEach(calls.runtimeInstalls, (c) => c, 'Runtime.install', failed, (call) => extractRuntimeInstall(call, ctx))),
    starts: byLocation(starts),
    testOnlyWorkflows: testOnlyWorkflows(workflows, starts, testStarts, files, (file) => index.sourceFile(file), root),
    searchAttributeKeys: byLocation(extractEach(calls.searchAttributeKeys, (c) => c, 'search attribute key', failed, (call) => extractSearchAttributeKey(call, ctx))),
    workflowFiles,
    importsOf: graph.importsOf,
    sourceFile: graph.sourceFileAnywhere,
    checkerFor: index.checkerFor,
    locate,
    gaps: modelGaps({ root, workers, workflows, activityProxies, activities, starts, brokenWorkflowFiles }),
    parseErrors,
    resolveValue: (node) => resolveValue(node, createResolveContext(index)),
    declarationOf: (node) => declarationOf(node, index),
    exportsOf: (file) => exportsOf(file, index),
    temporalApiOf: (node) => temporalApiOf(node, index),
    thrownErrorsOf: (fn) => thrownErrorsOf(fn, createResolveContext(index)),
    workerShutdownExits: () => (shutdownExits ??= workerShutdownExits(files, index, workers)),
  };
  reportUnknownActivitySets(model, root, diagnostics);
  return model;
}

/**
 * Workers and starts that no running code reaches: a worker whose workflowsPath names nothing
 * cannot start (a diagnostic says so), and one created, or a workflow started, in a function that
 * nothing refers to is never created or started. Checks and the engine lower findings there to notes.
 */
function markUnrunCode(
  workers: WorkerDefinition[],
  starts: WorkflowStart[],
  index: CodeIndex,
  importsOf: TemporalModel['importsOf'],
  root: string,
  diagnostics: Diagnostic[],
  registered: Set<ts.Node>,
): void {
  const imported = importKinds(index, importsOf);
  const workspace = insideWorkspace(path.dirname(root));
  const dead = createDeadModules(
    root,
    index.files,
    (file) => index.sourceFile(file),
    (file) => imported.has(file),
    registered,
    (file) => workspace || publishedPackage(file),
    () => index.files.flatMap((file) => importsOf(file).filter((edge) => !edge.resolved && /^[.@~#/]/.test(edge.specifier)).map((edge) => edge.specifier)),
  );
  const unrun = createUnrunCode(root, index.files, (file) => index.sourceFile(file), (file) => index.checkerFor(file), (file) => imported.get(file) ?? 'none', registered);
  for (const worker of workers) {
    const where = `${relativePath(root, worker.location.file)}:${worker.location.line}`;
    if (worker.workflowsMissing) {
      const what = worker.workflowsMissingFolder ? 'a folder with no index module' : 'where there is no file or folder';
      worker.notRun = `it cannot start: its workflowsPath names ${worker.workflowsMissing}, ${what}`;
      const fails = worker.workflowsMissingFolder ? 'the module cannot be resolved there (require.resolve and the workflow bundler need an index file)' : 'Worker.create would fail there';
      diagnostics.push({
        kind: 'note',
        file: relativePath(root, worker.location.file),
        line: worker.location.line,
        message: `${where}: this worker's workflowsPath names ${worker.workflowsMissing}, ${what}: ${fails}, so the worker cannot start. Its findings are notes.`,
      });
      continue;
    }
    if (worker.framework) continue;
    // A worker made for one call of a factory runs only when that call does.
    const reason = unrun.reason(worker.node) ?? (worker.factoryCall ? unrun.reason(worker.factoryCall.node) : undefined);
    if (reason) worker.notRun = reason;
  }
  for (const start of starts) {
    // A start in a module nothing loads (a helper left behind): never run. Workers are left to
    // the function-level reading: a job runner may load a worker module by its folder.
    const reason = unrun.reason(start.node) ?? dead.reason(start.node.getSourceFile().fileName);
    if (reason) start.notRun = reason;
  }
}

/**
 * A worker made for a call of a factory that no running code reaches, when other calls of the same
 * factory do run: it is never created, and its findings would sit on the Worker.create line the
 * running ones share (where lowering them would lower theirs too). Left out of the model.
 */
function dropUnrunFactoryCalls(workers: WorkerDefinition[]): void {
  const running = new Set(workers.filter((w) => !w.notRun).map((w) => w.node));
  for (let i = workers.length - 1; i >= 0; i--) {
    const worker = workers[i]!;
    if (worker.factoryCall && worker.notRun && !worker.workflowsMissing && running.has(worker.node)) workers.splice(i, 1);
  }
}

/**
 * How each reviewed file is imported by the others: 'whole' when some file takes all its exports
 * at once (`import * as x`, `export * from`, require, a dynamic import), else 'named' when some
 * file imports it as a value.
 */
function importKinds(index: CodeIndex, importsOf: TemporalModel['importsOf']): Map<string, 'whole' | 'named'> {
  const kinds = new Map<string, 'whole' | 'named'>();
  for (const file of index.files) {
    const targets = new Map<string, string>();
    for (const edge of importsOf(file)) if (edge.resolved && !edge.typeOnly && edge.resolved !== file) targets.set(edge.specifier, edge.resolved);
    if (targets.size === 0) continue;
    const source = index.sourceFile(file);
    const whole = new Set<string>();
    const visit = (node: ts.Node): void => {
      let specifier: ts.Expression | undefined;
      if (ts.isImportDeclaration(node) && node.importClause?.namedBindings && ts.isNamespaceImport(node.importClause.namedBindings)) specifier = node.moduleSpecifier;
      else if (ts.isExportDeclaration(node) && (!node.exportClause || ts.isNamespaceExport(node.exportClause))) specifier = node.moduleSpecifier;
      else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) specifier = node.moduleReference.expression;
      else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) specifier = node.arguments[0];
      if (specifier && ts.isStringLiteralLike(specifier)) whole.add(specifier.text);
      ts.forEachChild(node, visit);
    };
    if (source) visit(source);
    for (const [specifier, target] of targets) {
      if (whole.has(specifier)) kinds.set(target, 'whole');
      else if (!kinds.has(target)) kinds.set(target, 'named');
    }
  }
  return kinds;
}

/** What the note on a worker whose workflow module is not written in place says was read instead. */
function howWorkflowsWereFound(worker: WorkerDefinition, sources: WorkflowSources, root: string): string {
  const own = sources.modules.filter((m) => m.workerId === worker.id);
  const fallback =
    sources.guessed.length > 0
      ? 'workflows were recognised as the exported async functions of modules that call @temporalio/workflow.'
      : sources.modules.some((m) => !m.workerId)
        ? 'workflows were taken from the bundleWorkflowCode calls of the code base.'
        : 'no workflow module was found for it.';
  if (own.some((m) => m.via === 'working-directory') || (own.length === 0 && sources.modules.some((m) => !m.workerId && m.via === 'working-directory'))) {
    return 'its workflowsPath is relative to the working directory, so it was read as the module at that path in each package of the workspace.';
  }
  const { nodes: unfollowed, missing } = sources.unfollowed?.get(worker.id) ?? { nodes: [], missing: [] };
  const stopped =
    (unfollowed.length > 0 ? ` Following the callers stopped at ${placesOf(unfollowed, root)}, so a module passed there is not reviewed.` : '') +
    (missing.length > 0 ? ` No module was found at ${missing.map((m) => relativePath(root, m)).sort().join(', ')}, which a caller passes.` : '');
  const byCallers = own.length > 0 ? own : sources.modules.filter((m) => !m.workerId);
  if (byCallers.some((m) => m.via === 'callers')) {
    const modules = byCallers.filter((m) => m.via === 'callers').map((m) => relativePath(root, m.file)).sort().join(', ');
    return `its workflowsPath comes from the callers of the function that creates it, so the modules they pass were read (${modules}).${stopped}`;
  }
  if (stopped) {
    return `its workflowsPath comes from the callers of the function that creates it, and no module they pass could be located.${stopped} ${capitalise(fallback)}`;
  }
  return fallback;
}

function placesOf(nodes: ts.Node[], root: string): string {
  const places = [...new Set(nodes.map((node) => {
    const location = locate(node);
    return `${relativePath(root, location.file)}:${location.line}`;
  }))].sort();
  return places.length > 3 ? `${places.slice(0, 3).join(', ')} and ${places.length - 3} more` : places.join(', ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Worker modules first; when some worker's module cannot be located, the workflowsPath of every
 * bundleWorkflowCode call (build scripts included); only when that finds nothing either, the
 * modules that use @temporalio/workflow.
 */
function locateWorkflowSources(workers: WorkerDefinition[], files: string[], index: CodeIndex, ctx: ResolveContext): WorkflowSources {
  const modules: WorkflowSources['modules'] = workers.flatMap((w) => (w.workflowsPath ? [{ file: w.workflowsPath, workerId: w.id }] : []));
  if (!workflowsModuleUnknown(workers)) return { modules, guessed: [] };
  const bundled = bundleCallsIn(files, index).flatMap((call): WorkflowSources['modules'] => {
    const workflowsPath = workflowsPathOfBundleCall(call, ctx);
    if (workflowsPath) return [{ file: workflowsPath }];
    return indirectWorkflowModules(property(optionsArgument(call, 0, ctx), 'workflowsPath'), index);
  });
  const unfollowed = new Map<string, { nodes: ts.Node[]; missing: string[] }>();
  const unresolvedWorkers = workers
    .filter((w) => w.workflowsUnresolved)
    .flatMap((w) => indirectWorkflowModules(property(w.options, 'workflowsPath'), index, w.id, (nodes) => unfollowed.set(w.id, nodes)));
  const found = [...bundled, ...unresolvedWorkers];
  if (found.length > 0) return { modules: [...modules, ...found], guessed: [], unfollowed };
  return { modules, guessed: workflowModulesWithoutWorker(files, index), unfollowed };
}

/**
 * The modules a workflowsPath names that is not written as a path of the code base: relative to the
 * working directory (`path.resolve('./src/workflows')` in a worker package every service starts
 * from its own directory: the module at that path in each package), or a worker factory's
 * parameter (`options.workflowsPath ?? default`: the module each caller passes).
 */
function indirectWorkflowModules(
  value: StaticValue | undefined,
  index: CodeIndex,
  workerId?: string,
  onUnfollowed?: (stopped: { nodes: ts.Node[]; missing: string[] }) => void,
): WorkflowSources['modules'] {
  if (value?.kind !== 'unknown' || !value.node) return [];
  const relative = workingDirectoryRelativePath(value.node);
  if (relative) return modulesFromEveryPackage(relative, index).map((file) => ({ file, ...(workerId ? { workerId } : {}), via: 'working-directory' as const }));
  const passed = pathsPassedByCallers(value.node, index);
  const files: string[] = [];
  const missing: string[] = [];
  for (const modulePath of [...passed.paths, ...passed.fallbacks]) {
    const file = sourceFileForModulePath(modulePath, index);
    if (file && index.sourceFile(file)) files.push(file);
    else if (passed.paths.includes(modulePath)) missing.push(modulePath);
  }
  // Only a value that came from a wrapper's parameter is something callers pass; the worker's own
  // unreadable expression (a config lookup) says nothing about callers.
  if (passed.fromCallers) onUnfollowed?.({ nodes: passed.unfollowed, missing });
  return [...new Set(files)].map((file) => ({ file, ...(workerId ? { workerId } : {}), via: 'callers' as const }));
}


function reportUnresolvedActivityTypes(proxies: TemporalModel['activityProxies'], registered: RegisteredResolution[], root: string, diagnostics: Diagnostic[]): void {
  // A local interface or alias names its own file, and was never reported: only a type literal that named no file is.
  const local = new Map(registered.filter((r) => !r.namedFiles).map((r) => [r.proxy, r.unresolved]));
  for (const proxy of proxies) {
    const typeArgument = proxy.origin === 'proxy' ? proxy.node.typeArguments?.[0] : undefined;
    if (!typeArgument) continue;
    const relative = relativePath(root, proxy.location.file);
    const unresolved = local.get(proxy);
    if (registered.some((r) => r.proxy === proxy && r.namedFiles)) continue;
    if (unresolved) {
      // A type declared beside the proxy: its members were matched by name with what the workers running its workflows register.
      if (unresolved.length === 0) continue;
      const listed = unresolved.length > 4 ? `${unresolved.slice(0, 4).join(', ')} and ${unresolved.length - 4} more` : unresolved.join(', ');
      diagnostics.push({
        kind: 'unresolved-import',
        file: relative,
        line: proxy.location.line,
        message:
          `${relative}:${proxy.location.line}: the activity type ${typeText(typeArgument)} of this proxy names no implementation module, and ${unresolved.length === 1 ? 'its activity' : 'its activities'} ${listed} ` +
          `could not be matched to a single function that the workers running its workflows register under that name, so heartbeats, thrown errors and payload types of ${unresolved.length === 1 ? 'that activity were' : 'those activities were'} not reviewed.`,
      });
      continue;
    }
    if (proxy.implementationFiles.length > 0) continue;
    diagnostics.push({
      kind: 'unresolved-import',
      file: relative,
      line: proxy.location.line,
      message:
        `${relative}:${proxy.location.line}: the activity type ${typeText(typeArgument)} of this proxy could not be resolved to its implementation, ` +
        'so heartbeats, thrown errors and payload types of its activities were not reviewed (check tsconfig paths, or review the package that implements them).',
    });
  }
}

/** A proxy's type argument as messages quote it: an inline type literal by its member names. */
function typeText(type: ts.TypeNode): string {
  if (!ts.isTypeLiteralNode(type)) return nodeSnippet(type);
  const names = type.members.flatMap((m) => (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? [m.name.text] : []));
  return `{ ${names.length > 4 ? `${names.slice(0, 4).join(', ')}, ...` : names.join(', ')} } (written inline)`;
}

function collectParseErrors(files: string[], programOf: (file: string) => ts.Program, root: string, diagnostics: Diagnostic[]): TemporalModel['parseErrors'] {
  const errors: TemporalModel['parseErrors'] = [];
  for (const file of files) {
    const program = programOf(file);
    const sourceFile = program.getSourceFile(file);
    if (!sourceFile) continue;
    const [first] = program.getSyntacticDiagnostics(sourceFile);
    if (!first) continue;
    const line = first.start !== undefined ? sourceFile.getLineAndCharacterOfPosition(first.start).line + 1 : 1;
    const message = ts.flattenDiagnosticMessageText(first.messageText, ' ');
    errors.push({ file, line, message });
    const relative = relativePath(root, file);
    diagnostics.push({ kind: 'parse-error', file: relative, line, message: `${relative}:${line}: ${message}` });
  }
  return errors;
}

function reportUnresolvedImports(files: string[], importsOf: TemporalModel['importsOf'], root: string, diagnostics: Diagnostic[]): void {
  for (const file of files) {
    for (const edge of importsOf(file)) {
      if (edge.resolved !== null) continue;
      if (!edge.specifier.startsWith('.')) {
        // A package of this workspace (by its package.json name) whose sources could not be found
        // from its entry fields: what the file imports from it is not seen.
        const directory = workspacePath(root, edge.specifier);
        if (!directory) continue;
        const relative = relativePath(root, file);
        diagnostics.push({
          kind: 'unresolved-import',
          file: relative,
          line: edge.location.line,
          message: `${relative}:${edge.location.line}: cannot find the sources of workspace package '${edge.specifier}' (${relativePath(root, directory)}); what this file imports from it is not reviewed`,
        });
        continue;
      }
      // Assets the compiler does not resolve (`./data.json`, `./styles.css`) are not missing.
      if (fs.existsSync(path.resolve(path.dirname(file), edge.specifier))) continue;
      const relative = relativePath(root, file);
      diagnostics.push({
        kind: 'unresolved-import',
        file: relative,
        line: edge.location.line,
        message: `${relative}:${edge.location.line}: cannot find module '${edge.specifier}'`,
      });
    }
  }
}

function importersIndex(files: string[], importsOf: TemporalModel['importsOf']): Map<string, string[]> {
  const importers = new Map<string, string[]>();
  for (const file of files) {
    for (const edge of importsOf(file)) {
      if (!edge.resolved) continue;
      const list = importers.get(edge.resolved) ?? [];
      if (!list.includes(file)) list.push(file);
      importers.set(edge.resolved, list);
    }
  }
  return importers;
}

/** The error buildTemporalModel gives for a directory with no TypeScript Temporal code (fine when it has Python). */
export function isNoTypeScriptTemporalCode(error: unknown): boolean {
  return error instanceof UsageError && /no TypeScript files found|no Temporal code found/.test(error.message);
}
