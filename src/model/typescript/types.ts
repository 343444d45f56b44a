// The Temporal model of a TypeScript code base: what checks query. Built once per run by
// buildTemporalModel(); plain data plus a few query helpers. Paths are absolute unless noted.

import type ts from 'typescript';
import type { ShutdownExit } from './worker-shutdown-paths.js';
import type * as Neutral from '../types.js';
import type {
  ActivityImplementationFacts,
  ActivityProxyFacts,
  CodeModel,
  ModelGap,
  ModuleStateUse,
  LocalPathUse,
  RuntimeInstallFacts,
  SourceLocation,
  ThrownError,
  WorkerFacts,
  WorkflowFacts,
  WorkflowStartFacts,
} from '../types.js';

// The plain-data part of the model is language-neutral (src/model/types.ts); re-exported here so
// code that reads the TypeScript model keeps one import.
export type {
  ActivityTypeUse,
  CodeModel,
  Configurable,
  HeartbeatEvidence,
  LongRunningSign,
  ModelArea,
  ModelGap,
  ModuleStateUse,
  LocalPathUse,
  SourceLanguage,
  SourceLocation,
  ThrownError,
  WorkflowStartMethod,
} from '../types.js';

/**
 * A statically resolved value. Resolution follows literals, consts, imports, spreads, object
 * merges, helper functions returning object literals and `process.env.X ?? default`. Anything
 * else is `unknown` with its source text and node: checks treat it as "cannot tell".
 */
export type StaticValue = Neutral.StaticValue<ts.Node>;
export type StaticObject = Neutral.StaticObject<ts.Node>;

export type WorkflowHandlerKind = 'signal' | 'query' | 'update';

export interface WorkflowHandler {
  kind: WorkflowHandlerKind;
  /** The name given to defineSignal/defineQuery/defineUpdate, when known. */
  name: string | null;
  /** The setHandler call. */
  location: SourceLocation;
  /** The defineSignal/defineQuery/defineUpdate call. */
  definitionLocation?: SourceLocation;
  /** Type of each argument from the define*<Args, Ret> type arguments (for payload checks). */
  argTypes: ts.Type[];
  resultType?: ts.Type;
}

export interface WorkflowDefinition extends WorkflowFacts {
  /** The workflow type: the exported function name. */
  name: string;
  file: string;
  location: SourceLocation;
  /** The function declaration / arrow function. */
  node: ts.FunctionLikeDeclaration;
  handlers: WorkflowHandler[];
  /**
   * Handler registrations that may take names not in `handlers`: a setHandler whose definition does
   * not resolve to a define* call with a constant name, or a setDefault*Handler.
   */
  openHandlers?: { kind: WorkflowHandlerKind; reason: string; location: SourceLocation }[];
  /** Ids of workers whose workflowsPath (or bundle) exports this workflow. */
  workerIds: string[];
}

export interface ActivityProxy extends ActivityProxyFacts {
  origin: 'proxy' | 'override';
  /** The options as written (for overrides: the merge of the base options and the override). */
  options: StaticValue;
  /** Files named by the type argument (`proxyActivities<typeof activities>`), when resolvable. */
  implementationFiles: string[];
  node: ts.CallExpression;
}

export interface ActivityImplementation extends ActivityImplementationFacts {
  /** The activity type: the exported name. */
  name: string;
  node: ts.FunctionLikeDeclaration;
  /** Where it first reacts to cancellation (cancelled(), cancellationSignal, activity sleep, the worker's client), directly or through helpers; null when it never does. */
  cancellation: SourceLocation | null;
  parameterTypes: ts.Type[];
  returnType: ts.Type | undefined;
}

export interface WorkerDefinition extends WorkerFacts {
  node: ts.CallExpression;
  /** The whole options object passed to Worker.create (for a framework worker: what the framework passes). */
  options: StaticValue;
  /**
   * The call of the project's worker factory this worker stands for, when Worker.create's options
   * come from the factory's parameters (`createWorker({ taskQueue: 'billing', activities })`): one
   * worker per call, its options read with that call's arguments.
   */
  factoryCall?: { node: ts.CallExpression; location: SourceLocation };
  /** The framework package that creates this worker from a module registration (`nestjs-temporal-core`), if any. */
  framework?: string;
  taskQueue: StaticValue | undefined;
  /** The resolved workflows module (`require.resolve('./workflows')`, a path string), when known. */
  workflowsPath: string | null;
  /** True when the worker uses a prebuilt `workflowBundle`. */
  usesBundle: boolean;
  /**
   * True when the worker names workflows (workflowsPath, workflowBundle, or an options spread that
   * may carry them) that could not be located statically.
   */
  workflowsUnresolved: boolean;
  /**
   * The workflowsPath written, relative to the reviewed directory, when nothing exists at that path
   * (no file, folder or module; not in a build-output folder), or it names a folder without an index
   * module: the SDK cannot load it, so the worker cannot start.
   */
  workflowsMissing?: string;
  /** True when workflowsMissing names a folder that holds no index module (nor a package.json). */
  workflowsMissingFolder?: boolean;
  /** Names of activity types registered (from the `activities` object), or 'unknown'. */
  activityNames: string[] | 'unknown';
  /** Module specifiers listed in bundlerOptions.ignoreModules. */
  ignoreModules: string[];
  /**
   * Where bundlerOptions.webpackConfigHook replaces webpack's `externals`, which switches off the
   * SDK's check for disallowed modules (see sandbox/webpack-hook.ts); null when it does not.
   */
  externalsReplacedAt: SourceLocation | null;
  /**
   * Names listed in workflowFailureErrorTypes (resolved strings; class references by name). SDK
   * 1.24 takes a record keyed by workflow type or '*': this is the union of all its lists.
   */
  workflowFailureErrorTypes: string[];
  /** workflowFailureErrorTypes per workflow type; '*' applies to every workflow (an array form is '*'). */
  workflowFailureErrorTypesByWorkflow: Record<string, string[]>;
  /**
   * Set for a per-run worker (see ephemeral-workers.ts): its function starts one workflow on the
   * worker's task queue and awaits it, then stops the worker (`shutdown-after-result`, at the
   * shutdown call), or passes the result to `worker.runUntil` (`run-until`, at that call).
   */
  ephemeral?: { how: 'run-until' | 'shutdown-after-result'; location: SourceLocation };
}

export interface RuntimeInstall extends RuntimeInstallFacts {
  location: SourceLocation;
  options: StaticValue;
  metrics: 'prometheus' | 'otel' | 'none' | 'unknown';
}

export interface WorkflowStart extends WorkflowStartFacts {
  /** The started workflow type (function reference name or string), null when unknown. */
  workflowType: string | null;
  /** Source text of the first argument. */
  workflowTypeText: string;
  /** True for executeChild/startChild (from workflow code). */
  child: boolean;
  /** The start options (for a schedule: its `action`, which carries the same taskQueue, workflowId and search attributes). */
  options: StaticValue | undefined;
  node: ts.CallExpression;
}

export interface SearchAttributeKey {
  name: string | null;
  /** 'KEYWORD', 'TEXT', ... as written (SearchAttributeType.X), or null when unknown. */
  type: string | null;
  location: SourceLocation;
  /** The variable the key is assigned to, when any. */
  variable: ts.Declaration | undefined;
}

export interface ImportEdge {
  from: string;
  /** The module specifier as written. */
  specifier: string;
  /** Resolved absolute path, or null for bare Node built-ins / unresolved modules. */
  resolved: string | null;
  typeOnly: boolean;
  /** True when the module is loaded as the importing file loads: a static import or re-export, or a require() outside any function (not a dynamic import()). */
  atLoad: boolean;
  location: SourceLocation;
}

export interface ProjectInfo {
  /** The tsconfig.json, or null when the files were reviewed with default options. */
  tsconfig: string | null;
  program: ts.Program;
  checker: ts.TypeChecker;
}

export interface TemporalModel extends CodeModel {
  /** Absolute path of the reviewed directory. */
  root: string;
  projects: ProjectInfo[];
  /** Every production source file reviewed (absolute paths, no .d.ts, no node_modules, no test code). */
  files: string[];
  /** Test code (see test-code.ts): skipped by the code checks unless config `tests.review`; no-replay-test reads it. */
  testFiles: string[];
  workflows: WorkflowDefinition[];
  activityProxies: ActivityProxy[];
  activities: ActivityImplementation[];
  workers: WorkerDefinition[];
  runtimeInstalls: RuntimeInstall[];
  starts: WorkflowStart[];
  searchAttributeKeys: SearchAttributeKey[];
  /**
   * Files that run in the workflow sandbox: every file reachable by value imports from a
   * worker's workflowsPath, or, without workers, from files that import @temporalio/workflow.
   */
  workflowFiles: Set<string>;
  /** Value and type imports of each reviewed file (including into node_modules when resolvable). */
  importsOf(file: string): ImportEdge[];
  /** The SourceFile and checker for a file of the model. */
  sourceFile(file: string): ts.SourceFile | undefined;
  checkerFor(file: string): ts.TypeChecker | undefined;
  /** 1-based location of a node. */
  locate(node: ts.Node): SourceLocation;
  /** What the model could not see (see ModelGap). */
  gaps: ModelGap[];
  /** Files that failed to parse, with the first syntax error. */
  parseErrors: { file: string; line: number; message: string }[];
  /** Resolves an expression statically (same rules as the options in this model). */
  resolveValue(node: ts.Expression): StaticValue;
  /** The declaration an identifier or property access refers to, across files and imports. */
  declarationOf(node: ts.Node): ts.Declaration | undefined;
  /** A module's exports by name, each resolved to its declaring node (`export *` included). */
  exportsOf(file: string): Map<string, ts.Declaration>;
  /** The Temporal SDK API an expression names (`proxyActivities`, `wf.sleep`), by import specifier. */
  temporalApiOf(node: ts.Node): TemporalApi | undefined;
  /** Every `throw` in a function and in the helpers it calls, classified like activity errors. */
  thrownErrorsOf(fn: ts.FunctionLikeDeclaration): ThrownError[];
  /** Shutdown paths that exit or close resources before a worker has drained (worker-shutdown-paths.ts); computed on first use. */
  workerShutdownExits(): ShutdownExit[];
}

export interface TemporalApi {
  /** `@temporalio/workflow`, `@temporalio/activity`, ... */
  module: string;
  /** The exported name, e.g. `proxyActivities`. */
  name: string;
}
