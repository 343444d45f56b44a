// The Temporal model of a TypeScript code base: what checks query. Built once per run by
// buildTemporalModel(); plain data plus a few query helpers. Paths are absolute unless noted.

import type ts from 'typescript';

export interface SourceLocation {
  /** Absolute path. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Marks a value that came from configuration: `process.env.X ?? default` resolves to the default. */
export interface Configurable {
  env: string;
}

/**
 * A statically resolved value. Resolution follows literals, consts, imports, spreads, object
 * merges, helper functions returning object literals and `process.env.X ?? default`. Anything
 * else is `unknown` with its source text: checks treat it as "cannot tell". Values of module-level
 * consts are shared between their uses: treat every StaticValue as read-only.
 */
export type StaticValue =
  | { kind: 'string'; value: string; location: SourceLocation; configurable?: Configurable }
  | { kind: 'number'; value: number; location: SourceLocation; configurable?: Configurable }
  | { kind: 'boolean'; value: boolean; location: SourceLocation; configurable?: Configurable }
  | { kind: 'undefined'; location: SourceLocation }
  | { kind: 'null'; location: SourceLocation }
  | { kind: 'array'; elements: StaticValue[]; location: SourceLocation }
  | StaticObject
  | { kind: 'unknown'; text: string; location: SourceLocation; /** The expression that did not resolve. */ node?: ts.Node };

export interface StaticObject {
  kind: 'object';
  /** Own properties after spreads and merges were applied, in source order of their last write. */
  properties: Map<string, StaticValue>;
  /** Spreads that could not be resolved: any property not listed above may come from them. */
  unknownSpreads: {
    text: string;
    location: SourceLocation;
    /** The only keys the spread can carry, from its declared type (`Pick<WorkerOptions, 'a' | 'b'>`); absent when any key may come. */
    keys?: string[];
  }[];
  /**
   * Properties written after the literal on some paths only (`if (x) opts.key = value`): each may
   * hold this value or stay unset. Only options objects passed to a call fill it.
   */
  maybeProperties?: Map<string, StaticValue>;
  location: SourceLocation;
}

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

export interface WorkflowDefinition {
  /** The workflow type: the exported function name. */
  name: string;
  file: string;
  location: SourceLocation;
  /** The function declaration / arrow function. */
  node: ts.FunctionLikeDeclaration;
  handlers: WorkflowHandler[];
  /** Ids of workers whose workflowsPath (or bundle) exports this workflow. */
  workerIds: string[];
}

export interface ActivityTypeUse {
  /** The activity type: the property name taken from the proxy. */
  name: string;
  location: SourceLocation;
}

export interface ActivityProxy {
  /** Stable id: `<relative file>:<line>:<column>`. */
  id: string;
  kind: 'remote' | 'local';
  /** `proxy` for proxyActivities/proxyLocalActivities, `override` for executeWithOptions. */
  origin: 'proxy' | 'override';
  /** For overrides: the id of the proxy whose options are merged under the override. */
  baseProxyId?: string;
  location: SourceLocation;
  /** The options as written (for overrides: the merge of the base options and the override). */
  options: StaticValue;
  /** Files named by the type argument (`proxyActivities<typeof activities>`), when resolvable. */
  implementationFiles: string[];
  /**
   * Activity types this proxy is actually used for: destructured names and property accesses.
   * `all` when the proxy object escapes (passed around, spread), then every type of
   * the implementation module counts.
   */
  usedActivityTypes: ActivityTypeUse[] | 'all';
  /** Every activity type the type argument exposes (from the checker). */
  exposedActivityTypes: string[];
  /** Names of workflows whose code uses this proxy (empty when it is module-level and unused). */
  workflowNames: string[];
  node: ts.CallExpression;
}

export interface ThrownError {
  /**
   * The error type the server sees: the class name for `throw new X()`, the `type` of an
   * ApplicationFailure; null when it cannot be determined.
   */
  type: string | null;
  /** true when thrown with nonRetryable (ApplicationFailure.nonRetryable or nonRetryable: true). */
  nonRetryable: boolean | 'unknown';
  how: 'class' | 'application-failure-create' | 'application-failure-non-retryable' | 'application-failure-retryable' | 'application-failure-new' | 'rethrow' | 'unknown';
  location: SourceLocation;
  /** True when the class extends ApplicationFailure (its type is still the class name unless set). */
  extendsApplicationFailure?: boolean;
}

export interface LongRunningSign {
  kind: 'loop-with-await' | 'sleep' | 'stream' | 'poll' | 'child-process';
  location: SourceLocation;
  text: string;
}

export interface ActivityImplementation {
  /** The activity type: the exported name. */
  name: string;
  file: string;
  location: SourceLocation;
  node: ts.FunctionLikeDeclaration;
  /** Where it heartbeats, directly or through helpers (the first call chain found). */
  heartbeat: { location: SourceLocation; via: SourceLocation[] } | null;
  thrownErrors: ThrownError[];
  longRunning: LongRunningSign[];
  parameterTypes: ts.Type[];
  returnType: ts.Type | undefined;
}

export interface WorkerDefinition {
  /** Stable id: `<relative file>:<line>:<column>`. */
  id: string;
  location: SourceLocation;
  node: ts.CallExpression;
  /** The whole options object passed to Worker.create (for a framework worker: what the framework passes). */
  options: StaticValue;
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
  /** Names of activity types registered (from the `activities` object), or 'unknown'. */
  activityNames: string[] | 'unknown';
  /** Module specifiers listed in bundlerOptions.ignoreModules. */
  ignoreModules: string[];
  /**
   * Names listed in workflowFailureErrorTypes (resolved strings; class references by name). SDK
   * 1.24 takes a record keyed by workflow type or '*': this is the union of all its lists.
   */
  workflowFailureErrorTypes: string[];
  /** workflowFailureErrorTypes per workflow type; '*' applies to every workflow (an array form is '*'). */
  workflowFailureErrorTypesByWorkflow: Record<string, string[]>;
}

export interface RuntimeInstall {
  location: SourceLocation;
  options: StaticValue;
  metrics: 'prometheus' | 'otel' | 'none' | 'unknown';
}

/** 'schedule': the workflow a `client.schedule.create` action starts, each time the schedule fires. */
export type WorkflowStartMethod = 'start' | 'execute' | 'signalWithStart' | 'executeChild' | 'startChild' | 'schedule';

export interface WorkflowStart {
  location: SourceLocation;
  method: WorkflowStartMethod;
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
  location: SourceLocation;
}

export interface ProjectInfo {
  /** The tsconfig.json, or null when the files were reviewed with default options. */
  tsconfig: string | null;
  program: ts.Program;
  checker: ts.TypeChecker;
}

/**
 * Something the model could not see that some areas' verdicts depend on: no worker found in a
 * project that runs Temporal, worker options built at run time, workers whose workflows could not
 * be located. Those areas are `not-verified` unless a finding fails them.
 */
export interface ModelGap {
  areas: ('determinism' | 'retries' | 'timeouts' | 'payloads' | 'capacity' | 'observability')[];
  /** What was not seen and what to do about it, one sentence or two. */
  message: string;
  location?: SourceLocation;
  /** 'parse-error': code the area depends on does not parse (what the model lacks is unknown, not absent). */
  cause?: 'parse-error';
}

export interface TemporalModel {
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
}

export interface TemporalApi {
  /** `@temporalio/workflow`, `@temporalio/activity`, ... */
  module: string;
  /** The exported name, e.g. `proxyActivities`. */
  name: string;
}
