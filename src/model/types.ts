// The language-neutral part of the Temporal model: plain data that a front-end (TypeScript in
// src/model/typescript, Python in src/model/python) fills and the checks read. Nothing here
// refers to a compiler; a front-end's own model extends these types with its syntax nodes.

export interface SourceLocation {
  /** Absolute path. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** The languages a front-end reads. */
export type SourceLanguage = 'typescript' | 'python';

/**
 * Marks a value that came from configuration: `process.env.X ?? default` (TypeScript) or
 * `os.environ.get("X", default)` (Python) resolves to the default.
 */
export interface Configurable {
  env: string;
}

/**
 * A statically resolved value. Anything a front-end cannot resolve is `unknown` with its source
 * text: checks treat it as "cannot tell". `N` is the front-end's syntax node type (kept so it can
 * explain where an unknown value came from). Values may be shared between uses: read-only.
 * `written` is the value as the source spells it when that differs from the plain value (a Python
 * `timedelta(minutes=5)` read as 300000 ms).
 */
export type StaticValue<N = unknown> =
  | { kind: 'string'; value: string; location: SourceLocation; configurable?: Configurable; written?: string }
  | { kind: 'number'; value: number; location: SourceLocation; configurable?: Configurable; written?: string }
  | { kind: 'boolean'; value: boolean; location: SourceLocation; configurable?: Configurable; written?: string }
  | { kind: 'undefined'; location: SourceLocation }
  | { kind: 'null'; location: SourceLocation }
  | { kind: 'array'; elements: StaticValue<N>[]; location: SourceLocation }
  | StaticObject<N>
  | { kind: 'unknown'; text: string; location: SourceLocation; /** The expression that did not resolve. */ node?: N };

export interface StaticObject<N = unknown> {
  kind: 'object';
  /** Own properties after spreads and merges were applied, in source order of their last write. */
  properties: Map<string, StaticValue<N>>;
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
  maybeProperties?: Map<string, StaticValue<N>>;
  location: SourceLocation;
}

export interface ThrownError {
  /**
   * The error type the server sees: the class name for `throw new X()` / `raise X()`, the `type`
   * of an ApplicationFailure / ApplicationError; null when it cannot be determined.
   */
  type: string | null;
  /** true when thrown non-retryable (ApplicationFailure.nonRetryable, nonRetryable: true, non_retryable=True). */
  nonRetryable: boolean | 'unknown';
  how: 'class' | 'application-failure-create' | 'application-failure-non-retryable' | 'application-failure-retryable' | 'application-failure-new' | 'rethrow' | 'unknown';
  location: SourceLocation;
  /** True when the class extends ApplicationFailure (its type is still the class name unless set). */
  extendsApplicationFailure?: boolean;
  /**
   * The thrown class and its base classes by name, nearest first (`['GitError', 'PentestError',
   * 'Error']`), when known: what an `instanceof` test around a rethrow matches.
   */
  classChain?: string[];
  /**
   * True when the error's own constructor flag marks it retryable (`new PentestError(msg, 'git',
   * true)` into a `retryable` parameter): retrying it is what the authors intend.
   */
  retryableByIntent?: boolean;
  /** True when the class groups other failures (`constructor(errors: unknown[])`): as retryable as what it holds. */
  groupsFailures?: boolean;
}

export interface LongRunningSign {
  kind: 'loop-with-await' | 'sleep' | 'stream' | 'poll' | 'child-process';
  location: SourceLocation;
  text: string;
}

/** Where an activity heartbeats, directly or through helpers (the first call chain found). */
export interface HeartbeatEvidence {
  location: SourceLocation;
  via: SourceLocation[];
}

export interface ActivityTypeUse {
  /** The activity type. */
  name: string;
  location: SourceLocation;
}

/**
 * One place that fixes the options of activities a workflow schedules: a TypeScript
 * proxyActivities call (or an executeWithOptions override), or one Python
 * `workflow.execute_activity(...)` call, whose keyword arguments are its options.
 */
export interface ActivityProxyFacts {
  /** Stable id: `<relative file>:<line>:<column>`. */
  id: string;
  kind: 'remote' | 'local';
  /**
   * `proxy` for proxyActivities/proxyLocalActivities, `override` for executeWithOptions, `call`
   * for an SDK call that schedules one activity with its own options (Python).
   */
  origin: 'proxy' | 'override' | 'call';
  /** The SDK function as the source names it (`workflow.execute_activity`), for messages; TypeScript proxies leave it out. */
  call?: string;
  /** The language of the source, when not TypeScript. */
  language?: SourceLanguage;
  /** For overrides: the id of the proxy whose options are merged under the override. */
  baseProxyId?: string;
  location: SourceLocation;
  /** The options as written, in the engine's vocabulary (for overrides: the merge of the base options and the override). */
  options: StaticValue;
  /** Files that implement the activity types it names, when resolvable. */
  implementationFiles: string[];
  /** Activity types this proxy is used for; `all` when the proxy escapes and every exposed type counts. */
  usedActivityTypes: ActivityTypeUse[] | 'all';
  /** Every activity type the proxy exposes. */
  exposedActivityTypes: string[];
  /** Names of workflows whose code uses this proxy (empty when it is module-level and unused). */
  workflowNames: string[];
}

export interface ActivityImplementationFacts {
  /** The activity type. */
  name: string;
  file: string;
  location: SourceLocation;
  heartbeat: HeartbeatEvidence | null;
  thrownErrors: ThrownError[];
  longRunning: LongRunningSign[];
}

export interface WorkerFacts {
  /** Stable id: `<relative file>:<line>:<column>`. */
  id: string;
  location: SourceLocation;
  /** The whole options object, in the engine's vocabulary. */
  options: StaticValue;
  taskQueue: StaticValue | undefined;
  /** Names of activity types registered, or 'unknown'. */
  activityNames: string[] | 'unknown';
}

/** 'schedule': the workflow a `client.schedule.create` action starts, each time the schedule fires. */
export type WorkflowStartMethod = 'start' | 'execute' | 'signalWithStart' | 'executeChild' | 'startChild' | 'schedule';

export interface WorkflowStartFacts {
  location: SourceLocation;
  method: WorkflowStartMethod;
  /** The started workflow type, null when unknown. */
  workflowType: string | null;
  /** Source text of the workflow argument. */
  workflowTypeText: string;
  /** True for child workflows (started from workflow code). */
  child: boolean;
  options: StaticValue | undefined;
}

export type ModelArea = 'determinism' | 'retries' | 'timeouts' | 'payloads' | 'capacity' | 'observability';

/**
 * Something the model could not see that some areas' verdicts depend on: no worker found in a
 * project that runs Temporal, worker options built at run time, workers whose workflows could not
 * be located, a front-end that does not review an area yet. Those areas are `not-verified` unless
 * a finding fails them.
 */
export interface ModelGap {
  areas: ModelArea[];
  /** What was not seen and what to do about it, one sentence or two. */
  message: string;
  location?: SourceLocation;
  /** 'parse-error': code the area depends on does not parse (what the model lacks is unknown, not absent). */
  cause?: 'parse-error';
}

/** What every front-end's model offers the checks that run on any language. */
export interface CodeModel {
  /** Absolute path of the reviewed directory. */
  root: string;
  /** The front-end that built it; absent means TypeScript. */
  language?: SourceLanguage;
  /** Every production source file reviewed (absolute paths). */
  files: string[];
  activityProxies: ActivityProxyFacts[];
  activities: ActivityImplementationFacts[];
  workers: WorkerFacts[];
  starts: WorkflowStartFacts[];
  gaps: ModelGap[];
  /** Files that failed to parse, with the first syntax error. */
  parseErrors: { file: string; line: number; message: string }[];
}
