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
  /** The environment variable's name. */
  env: string;
  /** How the code reads it when not `process.env.X`: `os.environ.get("X")`, `os.getenv("X")`. */
  reference?: string;
  /**
   * The variable a deployment sets when it is not `env` as written: a pydantic settings field is
   * read from its name with the class's env_prefix, case-insensitively unless the class says
   * case_sensitive=True. Null when the review cannot read the name (a prefix or alias it cannot resolve).
   */
  variable?: { name: string; caseInsensitive: boolean } | null;
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
  | { kind: 'array'; elements: StaticValue<N>[]; location: SourceLocation; /** A spread whose elements are not known (`[...rows]`) stands as one unknown element: the length is unknown. */ openSpread?: boolean }
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
   * true)` into a `retryable` parameter), or an ApplicationFailure written with `nonRetryable`
   * false (`new ApplicationFailure(msg, 'update_error', false)`, `ApplicationFailure.create({ nonRetryable: false })`):
   * retrying it is what the authors intend.
   */
  retryableByIntent?: boolean;
  /** True when the class groups other failures (`constructor(errors: unknown[])`): as retryable as what it holds. */
  groupsFailures?: boolean;
  /**
   * The library exception classes caught by the `except` clause this raise sits in (Python:
   * `except ClientError: raise StorageError(...)`): the error reports their failure, which may be
   * transient, under a name of the project's own.
   */
  wraps?: string[];
  /**
   * How many calls from the activity (or workflow) the throw sits: 0 in its own body (a callback
   * written there included), 1 in a function it calls directly. Absent when the front-end does not tell.
   */
  callDepth?: number;
  /**
   * True when the throw is a not-found guard: the only reaction to a value the function has just
   * read being missing (`const [row] = await query(); if (!row) throw new RowNotFound()`). Whether
   * the record can be missing depends on data the code does not show.
   */
  guardsMissingRead?: boolean;
  /**
   * The message the error is made with, as written: its literal text, with each computed part
   * (a template placeholder, a concatenated variable, an f-string field) shown as `…`. Absent when
   * no literal text is written (the message is a variable or a call), or the front-end does not tell.
   */
  messageText?: string;
  /** True when the throw sits in a catch (`except`) clause: it reports a failure that was caught. */
  inCatch?: boolean;
  /**
   * Python: the raise names a class the temporalio module does not have (`raise
   * activity.ApplicationError(...)`), so the line raises AttributeError (the `type`) instead. The
   * name as written, and whether `non_retryable=True` was written, which then has no effect.
   */
  missingSdkName?: { text: string; nonRetryableWritten?: boolean };
}

export interface LongRunningSign {
  kind: 'loop-with-await' | 'sleep' | 'stream' | 'poll' | 'child-process' | 'library-wait';
  location: SourceLocation;
  text: string;
  /** The calls from the activity's body into the helper that holds the sign, when it is not in the body itself. */
  via?: SourceLocation[];
  /**
   * For a loop over awaits: the collection it walks, when each turn is a few quick awaited calls
   * (no sleep, poll, nested loop, stream or child process, in the turn or the helpers it calls).
   * Its length decides whether the loop runs long; the code does not say it.
   */
  quickOver?: string;
  /**
   * For a quick loop (quickOver): where its collection comes from when the code shows it finite
   * before the loop starts. 'parameter': a parameter of the function the loop sits in (for the
   * activity's own function, its input, which arrives whole in one payload); 'fetched-once': the
   * result of one call made before the loop, outside any loop, that does not page.
   */
  finiteSource?: 'parameter' | 'fetched-once';
  /**
   * Set by a front-end that reads computed timeouts (Python) when every remote call site builds
   * startToClose from the loop's own bound: 'deadline' for a poll until a deadline made of the same
   * setting or field, 'items' for a loop over an input given a multiple of an input's length.
   */
  attemptSized?: 'deadline' | 'items';
  /**
   * For a child process: true when nothing can stop it early (no timeout option, no abort signal,
   * no kill or timer in the function that starts it), so it outlives a timed-out or cancelled attempt.
   */
  unstoppable?: boolean;
  /**
   * For a child process started synchronously (`execSync`, `execFileSync`, `spawnSync`): the API
   * and what its command says about how long it runs. Such a call blocks the worker's event loop
   * (TypeScript activities run on the main Node.js thread) until the process ends.
   */
  syncProcess?: { api: string } & SyncProcessCommand;
  /**
   * For a loop: the activity heartbeats inside it as the work progresses (in its turns or the
   * helpers they call; a timer callback does not count), so each turn can deliver a cancellation.
   */
  heartbeats?: boolean;
  /**
   * For a loop: what in the code says it runs long (it drains a source until it is exhausted, polls
   * without a short bound, states a large size, streams or waits on a child process, or holds a
   * loop that does). Absent when nothing does: it is long only if its collection is huge.
   */
  evidence?: LoopEvidence;
  /** For a loop without evidence: the collection it walks, when it walks one. */
  over?: string;
  /** For a poll without evidence: the most it waits (its turns times its pause), in milliseconds. */
  waitMs?: number;
  /**
   * For a counted poll without evidence whose bound the code computes before the loop
   * (`for (let i = 0; i < maxScrolls; i++)`, `for _ in range(attempts)`): the bound's text.
   */
  turnsBound?: string;
  /** With turnsBound: the constant pause of one turn in milliseconds, when every sleep in it is a constant. */
  pauseMs?: number;
  /**
   * For a single sleep (kind 'sleep'): its pause in milliseconds when it is a constant, and whether
   * it may run more than once per attempt (it sits in a loop or a callback, here or in a caller).
   */
  sleepMs?: number;
  repeats?: boolean;
}

/** Why a loop is known to run long (the evidence rule of activity-long-loop-without-heartbeat). */
export interface LoopEvidence {
  kind: 'drains' | 'polls' | 'large' | 'stream' | 'child-process' | 'nested';
  /** Plain words for a message: "it runs while `cursor`, which reads ...". */
  detail: string;
  /**
   * For a poll: its turns are capped (`attempt <= MAX`) but its pause is not a constant (a backoff
   * that grows). Long on its own, but not evidence for a loop around it: such a loop is usually a
   * retry of one call.
   */
  capped?: boolean;
}

/** A read or write of a module's top-level Map / Set / WeakMap from an activity's code (its body or the helpers it calls). */
export interface ModuleStateUse {
  /** The variable's name. */
  name: string;
  /** Where the variable is declared: the identity of the state. */
  declaration: SourceLocation;
  op: 'read' | 'write' | 'delete';
  location: SourceLocation;
  /** The key argument, as written (`workflowId`, `input.workflowId`). */
  key?: string;
  /** The calls from the activity's body into the helper that holds the use, when it is not in the body itself. */
  via?: SourceLocation[];
}

/**
 * A use of a path on the worker's own disk from an activity's code (its body, or the helpers and
 * methods of project objects it calls): the file or directory a later activity may look for.
 */
export interface LocalPathUse {
  /** The path as built, each computed part named by its last name: `dumps/{community_id}`. */
  path: string;
  /** Where the path is built (its first assignment): the identity of the path. */
  declaration: SourceLocation;
  /**
   * `write` creates or fills it (open for writing, mkdir, copy to it); `read` reads it (open,
   * listdir, glob, copy from it); `delete` removes it; `passed` hands it to a call the review
   * cannot classify (a library that may write it).
   */
  op: 'write' | 'read' | 'delete' | 'passed';
  location: SourceLocation;
  /** The call, as written, for `passed` uses. */
  call?: string;
  /**
   * For `delete`: the removal does not fail when the path is missing (`rm(p, { force: true })`,
   * `shutil.rmtree(p, ignore_errors=True)`, a removal behind an exists check): a best-effort cleanup.
   */
  tolerant?: boolean;
  /** The calls from the activity's body into the helper that holds the use, when it is not in the body itself. */
  via?: SourceLocation[];
}

/** Where an activity heartbeats, directly or through helpers (the first call chain found). */
export interface HeartbeatEvidence {
  location: SourceLocation;
  via: SourceLocation[];
  /** True when every heartbeat comes from a timer callback (`setInterval(() => heartbeat(), ms)`), none from the work itself. */
  fromTimer?: boolean;
  /** With fromTimer: the timer's period in milliseconds, when it is a constant. */
  timerIntervalMs?: number;
  /**
   * True when the activity heartbeats once per attempt: a single heartbeat call is reached (in its
   * body or the helpers it calls), outside any loop, nested function, callback, task or timer, so
   * everything after it runs without a heartbeat. Absent when it may heartbeat more often, or the
   * front-end does not tell.
   */
  once?: boolean;
}

export interface ActivityTypeUse {
  /** The activity type. */
  name: string;
  location: SourceLocation;
  /**
   * True when the workflow calls this activity and every call sits in a `try` whose catch does not
   * simply rethrow (or has a `.catch` handler): the workflow sees the failure and handles it.
   * Absent when the front-end does not tell.
   */
  handled?: boolean;
  /**
   * True when the front-end took the name from the text of an expression it did not resolve (a
   * Python local variable, parameter or `self.x` holding the activity): the type scheduled may be
   * another one, so a check that needs the exact type does not rely on it.
   */
  guessed?: boolean;
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
  /** A Python call inside a loop, comprehension or nested function of its workflow: where it repeats. */
  repeatedAt?: SourceLocation;
  /**
   * The test or development flag every use of the proxy sits behind (`if (input.testingMode)
   * return testActs;`): its options apply only to runs in that mode.
   */
  testOnly?: { flag: string; location: SourceLocation };
  /**
   * The module-level values every use of the proxy ends in when none is a workflow function (a
   * `defineWorkflow({...})` config object): no workflow Temporal can run reaches the proxy, so it
   * never schedules an activity and its options never apply. Set only when the walk is sure.
   */
  unreachedFrom?: string[];
  /**
   * What the workflow does with a failure of this one call, set by a front-end whose proxies are
   * single calls (Python): 'handled' when a `try` around it catches the activity's failure and does
   * more than re-raise it, 'uncaught' when it reaches the workflow's run method and fails the
   * workflow, 'unknown' when the call sits in a helper or callback whose callers may catch it.
   */
  handling?: ActivityCallHandling;
  /**
   * Python, for a 'handled' call: the `workflow.wait_condition(...)` the workflow always runs after
   * the catch (in the except clause, or after the `try` in the same block with no branch between):
   * after a caught failure the run waits there rather than completing.
   */
  waitsAfterCatch?: SourceLocation;
  /**
   * Set (by a front-end whose proxies are single calls: Python) when the failure of this call cannot
   * fail the workflow run, so a workflow retry policy never retries the run for it. The same rules
   * in both languages (Python: python-contained-failures.ts; TypeScript, per call site:
   * typescript/contained-activity-failures.ts): the call is awaited in the `try` block of a
   * try/catch (try/except taking an ActivityError) written in the workflow function itself (the
   * `@workflow.run` method), whose handler does not fail: no throw or raise in it, nothing awaited
   * in it whose failure is not caught there by a handler that does not fail either, no call of
   * reviewed code that throws or awaits. Unless the handler ends with `return`, nothing reachable
   * after it throws either (a throw after the try in the workflow function or in a loop around the
   * try, or a call there of reviewed code that throws or awaits), as a flag set in the handler may
   * be thrown on later. A handler that fails hands the failure to an enclosing try. When unsure,
   * the failure is not contained.
   */
  failureContained?: true;
  /**
   * Python: the call's activity is a parameter of the helper it sits in (`submit` in
   * `async def sell_then_buy(orders, submit)`), and the activities its callers pass could not all be
   * resolved: the activity is chosen by the callers, not absent from the reviewed code.
   */
  activityParameter?: { helper: string; parameter: string };
  /**
   * Options written at the call with a comment next to them (on the line before, or after the value
   * on the same line), in the engine's names, nested ones dotted (`retry`, `retry.maximumAttempts`).
   * Set by a front-end that keeps no syntax for the checks (Python).
   */
  commentedOptions?: string[];
}

/**
 * What workflow code does with the failure of an activity call: 'uncaught' when no catch is on the
 * way to the workflow function; 'rethrown' when it reaches the workflow function through a catch
 * that cleans up (compensates, logs, writes a status) and then throws on every path, so the workflow
 * still fails; 'handled' when a catch recovers; 'unknown' when the reviewer does not follow where
 * the failure goes (a helper whose callers may catch).
 */
export type ActivityCallHandling = 'uncaught' | 'rethrown' | 'handled' | 'unknown';

/** A call of a blocking API made on an event loop. */
/**
 * What a synchronous child-process call runs, as far as the code shows it. 'long': long-running by
 * its nature (a git clone or fetch, a package install, a build, docker, ffmpeg, curl...); 'quick':
 * a quick local command (cat, ls, find, git rev-parse, which); 'other': a visible command of
 * neither kind; 'unseen': a command the review cannot read.
 */
export interface SyncProcessCommand {
  kind: 'long' | 'quick' | 'other' | 'unseen';
  /** The command's visible text (up to the first part the review cannot read). */
  command?: string;
}

export interface BlockingCall {
  /** The API as written with its import applied (`requests.post`, `time.sleep`, `httpx.Client.get`). */
  api: string;
  location: SourceLocation;
  /** The helper calls from the activity's body to the function that makes the call. */
  via: SourceLocation[];
  /** The helpers those calls name, as written (`run`, `whoop.collect`, `self._fetch`), one for each of `via`. */
  viaNames?: string[];
  /** The call is heavy CPU work (training a model), not a wait on I/O: it holds the thread while it runs. */
  cpu?: true;
  /** The async client of the same library, when it ships one (`AsyncMongoClient`, `redis.asyncio.Redis`). */
  asyncAlternative?: string;
  /**
   * Written as `await <the call>`: the sync call returns a plain value (a str, a result object,
   * None), not an awaitable, so the `await` raises TypeError after the call has run.
   */
  awaited?: true;
}

/**
 * A limit written on an outbound call an activity makes (an HTTP client's timeout, a child
 * process's timeout, `asyncio.wait_for`), or the default of an SDK client created without one:
 * how long that call may wait before it gives up by itself.
 */
export interface CallTimeout {
  /** What waits, for a message: "httpx client", "axios request", "OpenAI client". */
  what: string;
  /** The limit in milliseconds. */
  ms: number;
  /** The limit as written (`timeout=120`, `{ timeout: 120_000 }`), or the SDK default's description. */
  written: string;
  /** True when no timeout is written and the SDK's default applies (OpenAI, Anthropic: 10 minutes). */
  sdkDefault?: boolean;
  /** Where the limit is written (or the client is created). */
  location: SourceLocation;
  /**
   * Where the value comes from when it is written elsewhere: the caller's `{ timeout: 900_000 }`
   * handed down to a helper, a parameter's default, a constant.
   */
  source?: SourceLocation;
  /** The helper calls from the activity's body to the function that holds it. */
  via: SourceLocation[];
  /**
   * True when the front-end checked that no heartbeat can be sent while the call waits: nothing the
   * activity starts runs beside it (no task, thread or heartbeat timer) and the limit does not bound
   * code that heartbeats itself. Absent when that is not known (TypeScript does not tell yet).
   */
  quietWait?: boolean;
  /**
   * Python: whether an except clause on the way from the timed call to the activity's body catches
   * the call's own timeout error and does not raise it again (code that handles the call's
   * timeout). Absent when the front-end does not tell (TypeScript).
   */
  handled?: boolean;
}

/**
 * An outbound call an activity makes (in its body or a project helper it calls) that can wait with
 * no limit of its own: Node's `fetch` with no `signal`, an axios request with no `timeout` (axios
 * waits forever by default), Python `requests.<verb>` with no `timeout=`, `smtplib.SMTP(...)` or
 * `urllib.request.urlopen(...)` with no timeout.
 */
export interface UntimedCall {
  /** The API as the message names it: `fetch`, `axios.post`, `api.get (axios instance)`, `requests.post`. */
  api: string;
  kind: 'fetch' | 'axios' | 'requests' | 'smtplib' | 'urlopen';
  location: SourceLocation;
  /** The helper calls from the activity's body to the function that makes the call. */
  via: SourceLocation[];
}

export interface ActivityImplementationFacts {
  /** The activity type. */
  name: string;
  file: string;
  location: SourceLocation;
  heartbeat: HeartbeatEvidence | null;
  thrownErrors: ThrownError[];
  longRunning: LongRunningSign[];
  /**
   * Where the activity first reacts to cancellation (TypeScript: cancelled(), cancellationSignal...;
   * Python: the first await of an async activity, the def of a sync one the SDK can raise into),
   * null when it never does. Absent when the front-end does not tell.
   */
  cancellation?: SourceLocation | null;
  /** True for a Python activity defined with `def` (not `async def`): it runs on the worker's activity_executor. */
  sync?: boolean;
  /**
   * Calls of well-known blocking APIs (time.sleep, requests, a sync HTTP or database client) that an
   * async activity makes on the worker's event loop, in its body or in helpers it calls, first
   * one first. Set by the Python front-end; absent when there are none.
   */
  blockingCalls?: BlockingCall[];
  /**
   * Python: the activity returns raw pymongo documents (a find / find_one / aggregate result),
   * whose ObjectId `_id` the default payload converter cannot encode. Absent otherwise.
   */
  returnsMongoDocuments?: { method: string; query: SourceLocation; returned: SourceLocation; async?: true };
  /**
   * True when the activity's body reads the heartbeat details of the previous attempt (Python:
   * `activity.info().heartbeat_details`), so a new attempt can resume. Set by front-ends whose
   * syntax trees are gone when the checks run; absent otherwise (the body's text is read then).
   */
  readsHeartbeatDetails?: boolean;
  /**
   * True when the activity never waits on anything (no await, no promise from a call, no Node I/O
   * module), in its body and in the reviewed helpers it calls: a dependency outage cannot fail it.
   * Absent when the front-end does not tell.
   */
  inMemory?: boolean;
  /**
   * Set when the activity cannot fail into Temporal's retry policy: its code, read in full (body,
   * project helpers, constructors, the implementations of interface methods it calls), makes no call
   * that can fail and throws nothing ('no-failing-call'), or swallows every failure of the calls it
   * makes (`await Promise.allSettled(...)` of calls that themselves make no failing call:
   * 'failures-swallowed'). Strict: any unresolved call, package call (but a logger or the standard
   * library), await of code not read, or throw/raise leaves it absent. Absent when the front-end does not tell.
   */
  failureFree?: 'no-failing-call' | 'failures-swallowed';
  /**
   * True when the activity is not failureFree but wraps what can fail in try/catch blocks whose
   * catch cannot fail and does not rethrow (`try { await api.poll() } catch (e) { console.error(e)
   * }`; Python: a `try` whose `except Exception` / bare `except` / `BaseException` clause cannot
   * fail, around everything but imports and statements that cannot fail: pythonCatchesEveryFailure):
   * an outage of what it calls is caught and logged, so an attempt fails only by its timeout (a call
   * that hangs, a worker lost). Absent when the front-end does not tell.
   */
  failuresCaught?: boolean;
  /**
   * Python: true when the activity's body, and the project helpers it calls, never wait (no await,
   * `async for` / `async with`, loop, sleep, subprocess, client or unknown call: only value
   * computations, log lines and the activity's context), so it returns at once. Read by
   * activity-heartbeat-timeout-missing only; the other checks that read inMemory are left as they
   * are for Python. Absent when the front-end does not tell.
   */
  waitsOnNothing?: boolean;
  /**
   * Python: set when the activity's body, and the project helpers it calls, perform no I/O: the
   * waitsOnNothing rule with loops allowed (python-in-memory.ts, pythonPerformsNoIO); an unknown
   * call counts as possible I/O. A dependency outage cannot fail it: a failure repeats on every
   * attempt. Read by activity-retry-policy-missing. Absent when the front-end does not tell.
   */
  performsNoIO?: true;
  /**
   * Calls into the project's own code the front-end could not follow from the activity (a method
   * behind an interface, a function made by a factory): what they throw is not in thrownErrors.
   * Absent when the front-end does not tell.
   */
  unfollowedCalls?: { text: string; location: SourceLocation; callback?: boolean }[];
  /**
   * Python: where the activity, or a project helper it calls, makes the HTTP client raise its status
   * error on an error response (`response.raise_for_status()` of httpx, requests or aiohttp, or
   * aiohttp's `raise_for_status=True`), outside any try that catches it. `type` names the library's
   * error when the project imports exactly one of these libraries, else undefined. Such a raise is
   * not in thrownErrors (the raise is in the library). Absent when there is none.
   */
  httpStatusRaises?: { type?: string; location: SourceLocation }[];
  /**
   * TypeScript, for an activity found not to heartbeat: functions of the project it (or a helper)
   * hands as values to other code whose bodies the review cannot read (an interface method, a
   * function-typed member or parameter: `{ onProgress: this.reporter.tick }`). One may heartbeat
   * when called, so the absence of a heartbeat is not shown. Absent when there is none.
   */
  unreadCallbacks?: { text: string; location: SourceLocation }[];
  /**
   * Timeouts written on the outbound calls the activity makes, in its body and the project
   * functions it calls (two levels), and SDK clients it uses that keep their default. Absent when
   * there are none or the front-end does not tell.
   */
  callTimeouts?: CallTimeout[];
  /**
   * Outbound calls with no limit of their own (no timeout, no abort signal) in the activity's body
   * and the project functions it calls. Absent when there are none or the front-end does not tell.
   */
  untimedCalls?: UntimedCall[];
  /**
   * The first awaited network call (an HTTP request, a method of a client of a remote service) in
   * the activity or the reviewed helpers it calls: where it waits on another system's work, which
   * may take any time. Null when there is none; absent when the front-end does not tell.
   */
  networkCall?: { text: string; location: SourceLocation } | null;
  /**
   * Reads and writes of module-level collections (process memory) in the activity's code. Absent
   * when the front-end does not tell.
   */
  moduleState?: ModuleStateUse[];
  /**
   * Uses of paths on the worker's local disk (relative to its working directory, or under /tmp)
   * in the activity's code. Absent when there are none or the front-end does not tell.
   */
  localPaths?: LocalPathUse[];
  /**
   * A loop of the activity's own body that retries by itself: bounded by a counter, it sleeps a
   * delay that grows with each turn and throws when the tries run out. Absent when there is none
   * or the front-end does not tell.
   */
  manualBackoff?: ManualBackoffFacts;
  /**
   * Retrying inside one attempt, in the activity's body or the helpers it calls: a retry library
   * call, or a counted loop that waits a growing delay between turns. Absent when there is none or
   * the front-end does not tell.
   */
  innerRetries?: InnerRetryFacts[];
  /**
   * Arguments the activity uses as its own deadline: compared with the elapsed time in a loop that
   * sleeps between polls. Absent when there are none or the front-end does not tell.
   */
  deadlineParameters?: DeadlineParameterFacts[];
}

export interface ManualBackoffFacts {
  /** The loop. */
  location: SourceLocation;
  text: string;
  /** The sleep whose delay grows. */
  sleep: SourceLocation;
  /** The throw when the tries run out. */
  giveUp: SourceLocation;
  /** True when that throw is a non-retryable failure: Temporal will not retry it either. */
  nonRetryable: boolean;
}

export interface InnerRetryFacts {
  kind: 'library' | 'loop';
  /** The library call or the loop. */
  location: SourceLocation;
  text: string;
  /** The package, for a library call. */
  library?: string;
  /** For a loop: the call that waits the growing delay. */
  sleep?: SourceLocation;
  /** Tries per activity attempt, when known. */
  tries?: number;
  /** How the tries are counted, in words: `6 tries (retries: 5)`, `` `maxAttempts` tries ``. */
  triesText: string;
  /** For a library call: the sum of the pauses between its tries (no jitter), in milliseconds, when its options resolve. */
  pausesMs?: number;
  /** A cap on the time of all the tries (p-retry's maxRetryTime), in milliseconds. */
  maxMs?: number;
  maxText?: string;
  /** The calls from the activity's body to the helper that holds it (empty: in the body). */
  via: SourceLocation[];
  /**
   * For a loop that waits the same delay every turn (not a growing one): that delay, in
   * milliseconds. Such a loop is reported only when its worst case cannot fit startToCloseTimeout.
   */
  fixedPauseMs?: number;
  /** The per-call timeout each turn sets (`AbortSignal.timeout(60_000)`), in milliseconds, when one resolves. */
  callTimeoutMs?: number;
}

export interface DeadlineParameterFacts {
  /** Index of the parameter. */
  parameter: number;
  /** The property of that parameter (an options object), when the deadline is one of its fields. */
  property?: string;
  /** The comparison with the elapsed time. */
  location: SourceLocation;
  text: string;
}

export interface WorkerFacts {
  /** Stable id: `<relative file>:<line>:<column>`. */
  id: string;
  location: SourceLocation;
  /**
   * Why this worker is never created by code that runs (a message fragment: the function around it
   * is referred to by nothing, see typescript/unrun-code.ts), or that it cannot start (its
   * workflowsPath names no file). Absent: nothing says so.
   */
  notRun?: string;
  /**
   * Why no deployment file or package script starts this worker while they start another one (a
   * message fragment, see src/engine/started-workers.ts): its file is kept but never run. Set by
   * the engine before the checks run; absent when something may start it or nothing says.
   */
  notStarted?: string;
  /** The whole options object, in the engine's vocabulary. */
  options: StaticValue;
  taskQueue: StaticValue | undefined;
  /** Names of activity types registered, or 'unknown'. */
  activityNames: string[] | 'unknown';
  /**
   * The metrics runtimes of the worker's process, when the front-end decided them itself (Python:
   * the runtime of the client the worker is given). Absent: the check works it out (TypeScript).
   */
  runtime?: RuntimeReach;
  /**
   * What names a release in the task queue (`os.environ["GIT_SHA"]`), when the front-end decided it
   * itself (Python): null when nothing does. Absent: the check works it out (TypeScript).
   */
  taskQueueRelease?: string | null;
  /**
   * The files that start the worker's process (scripts that import the worker's module, directly
   * or not), when the front-end decided them itself (Python). Absent: the check works them out.
   */
  entryFiles?: string[];
  /**
   * Set for a per-run worker: its code starts one workflow on the worker's task queue, awaits the
   * result and then stops the worker (TypeScript: see ephemeral-workers.ts; Python: an
   * `async with Worker(...)` block that executes one workflow on the same task queue).
   */
  ephemeral?: { how: 'run-until' | 'shutdown-after-result'; location: SourceLocation };
  /**
   * Python: 'none' when nothing in the worker's process turns SIGTERM into a shutdown of the worker
   * (no signal handler, no framework that handles the signal, no call of the worker's shutdown()).
   * The Python SDK installs no signal handlers, so a deploy's SIGTERM ends the process with its
   * activities in flight. Absent when something may (TypeScript: the SDK's Runtime handles SIGTERM).
   */
  sigtermShutdown?: 'none';
}

/**
 * A place that sets up the SDK runtime (TypeScript `Runtime.install(...)`, Python `Runtime(...)`)
 * and whether it exports metrics. `unknownReason` says why it is 'unknown' when the reason is not
 * the options themselves (a runtime passed in from a caller, a plugin that may set it).
 */
export interface RuntimeInstallFacts {
  location: SourceLocation;
  metrics: 'prometheus' | 'otel' | 'none' | 'unknown';
  unknownReason?: string;
}

/** Which runtime setups run in the process of a worker (see runtime-reach.ts for TypeScript). */
export interface RuntimeReach<I extends RuntimeInstallFacts = RuntimeInstallFacts> {
  /** The installs in the worker's process when that is known. */
  installs: I[];
  /** False when entry points that reach the worker reach different installs: which one runs it is not known. */
  decided: boolean;
  /** The entry points that reach the worker, each with the installs it reaches (sorted by file). */
  entries: { file: string; installs: I[] }[];
}

/** A workflow type as the observability checks read it. */
export interface WorkflowFacts {
  /** The workflow type. */
  name: string;
  file: string;
  location: SourceLocation;
  /** Ids of workers that register it. */
  workerIds: string[];
  /** Set by a front-end that decides it (Python): the workflow upserts search attributes itself. */
  upsertsSearchAttributes?: boolean;
  /**
   * Set by the TypeScript front-end: a synchronous export of a workflow module that returns no
   * promise and that nothing starts by name (an id builder or comparator that starters import).
   * The worker would run it if started, so the determinism checks still read it, but it is not a
   * workflow type to alert on, document or put on a dashboard.
   */
  helperExport?: boolean;
}

export interface SearchAttributeKeyFacts {
  name: string | null;
  /** 'KEYWORD', 'TEXT', ... , or null when unknown. */
  type: string | null;
  location: SourceLocation;
}

export interface StartSearchAttributes {
  /** 'none': no attribute option (or an empty one); 'unknown': an unresolved value or spread may set them. */
  state: 'set' | 'none' | 'unknown';
  /** The option that sets them, when written. */
  option?: 'typedSearchAttributes' | 'searchAttributes';
  /** Attribute names and types found (null for untyped). */
  attributes: { name: string; type: string | null }[];
}

export type StartPurpose =
  /** Why the start is a system workflow, as a message fragment ("a schedule starts it"). */
  | {
      kind: 'system';
      reason: string;
      /** What the input carries, when it carries keys that name no single entity (a batch); absent: no business key. */
      input?: string;
    }
  /** The business key seen in the workflow id or the input, when one was seen. */
  | { kind: 'business'; key?: string; /** True when the workflow id itself is built from the key: one entity's run is found by id. */ inWorkflowId?: boolean };

/** 'schedule': the workflow a `client.schedule.create` action starts, each time the schedule fires. */
export type WorkflowStartMethod = 'start' | 'execute' | 'signalWithStart' | 'executeChild' | 'startChild' | 'schedule';

export interface WorkflowStartFacts {
  location: SourceLocation;
  /** Why no code that runs reaches this start (a message fragment, see typescript/unrun-code.ts). Absent: nothing says so. */
  notRun?: string;
  method: WorkflowStartMethod;
  /** The started workflow type, null when unknown. */
  workflowType: string | null;
  /** Source text of the workflow argument. */
  workflowTypeText: string;
  /**
   * When workflowType is null because the argument is a parameter of a start helper: the types
   * every call of the helper in the reviewed code passes (TypeScript, see extract-starts.ts).
   * Absent: unknown.
   */
  workflowTypeCandidates?: string[];
  /** True for child workflows (started from workflow code). */
  child: boolean;
  options: StaticValue | undefined;
  /** Decided by a front-end that reads them itself (Python); absent: the check works them out. */
  searchAttributes?: StartSearchAttributes;
  /** Decided by a front-end that reads it itself (Python); absent: the check works it out. */
  purpose?: StartPurpose;
  /** How the call is written, for messages (`client.start_workflow(Order)`), when the front-end names it. */
  callText?: string;
  /**
   * For a schedule, when the front-end reads them: its scheduleId and its overlap
   * policy as written (absent: the default SKIP; unknown: a value or spread that does not resolve).
   */
  schedule?: { id: StaticValue | undefined; overlap: StaticValue | undefined };
  /**
   * What names a release in the task queue the start passes, when a front-end reads the queue's
   * expression itself (Python); null: nothing does; absent: the check works it out.
   */
  taskQueueRelease?: string | null;
  /**
   * How the code around the start drops its failure, when a front-end reads it itself (Python): the
   * except clause that takes the errors other than "already started" and does nothing with them;
   * null: no such clause; absent: the check works it out.
   */
  droppedFailure?: DroppedStartFailure | null;
  /**
   * How the workflow id is made, when a front-end reads it itself (Python): random (a fresh value
   * at every call), derived (constant text and stable values) or other; absent: the check works it out.
   */
  idShape?: { kind: 'derived'; text: string } | { kind: 'random'; text: string; keyedPrefix?: true; fallback?: string; origins?: (SourceLocation & { fallback?: string })[] } | { kind: 'other' };
  /**
   * Why the function around the start runs once per request or message (a route decorator, a
   * request parameter), when a front-end reads it itself (Python); null: nothing there says so (the
   * file's place is read by the check); absent: the check works it out.
   */
  requestHandler?: string | null;
  /**
   * When the start's id is a parameter of the function around it (a wrapper, Python): the random
   * ids its callers pass, each with why that caller runs once per request (null: nothing says so).
   */
  forwardedIds?: { location: SourceLocation; text: string; wrapper: string; context: string | null }[];
  /**
   * Why a second start with this start's workflow id meets a running workflow with the same id,
   * when a front-end reads it itself (Python); null: nothing says so; absent: the check works it out.
   */
  idCollision?: IdCollisionFacts | null;
  /**
   * Where the start sits, when a front-end reads it itself (Python); absent: the check works it
   * out (TypeScript, src/model/typescript/workflow-concurrency.ts). See src/model/worker-load.ts.
   */
  placement?: StartPlacement;  /**
   * How the code that starts the workflow awaits its result in the same code path, so a failed run
   * reaches it as an exception (`await client.execute_workflow(...)`, or `handle = await
   * client.start_workflow(...)` then `await handle.result()` in the same block), when a front-end
   * reads it itself (Python); null: it does not (or not visibly); absent: the check works it out
   * (TypeScript, typescript/observability/start-awaits-result.ts).
   */
  awaitedResult?: string | null;
}

/** Where a start sits in the code: what worker-concurrency-implicit needs to bound the runs it makes. */
export interface StartPlacement {
  /**
   * The loop (or comprehension, array callback) around the start in its function, null when none.
   * `fixed`: it walks a collection written in the code (a literal, or a module-level name bound to
   * one), so it runs a known, small number of times.
   */
  repeatedIn: { location: SourceLocation; text: string; fixed: boolean } | null;
  /** For a child start: the workflow whose code holds it; null when it sits in a helper outside any workflow. */
  parentWorkflow: string | null;
  /** Why the function around the start runs once per request or message (a route, a handler), or null. */
  requestHandler: string | null;
}

/**
 * Where a workflow's code runs activities or child workflows beside each other (`Promise.all`,
 * `asyncio.gather`, a task, a child started in a loop, work in a signal or update handler): its
 * own runs then hold more than one activity slot at a time. Sites in helpers outside any workflow
 * of a workflow file are listed for every workflow of that file.
 */
export interface WorkflowConcurrencyFacts {
  workflow: string;
  sites: { location: SourceLocation; text: string }[];
}

/** A start whose workflow id repeats where the start repeats (workflow-id-collision). */
export type IdCollisionFacts =
  /**
   * A child started on each iteration of a loop (`for`, a `.map` callback, a comprehension) while
   * the children of earlier iterations still run, with an id that does not change per iteration.
   */
  | {
      kind: 'child-loop';
      /** The loop, and how it is written (`for (const item of items)`, `items.map(...)`). */
      loop: SourceLocation;
      loopText: string;
      /** The id as written. */
      idText: string;
      /** Why the children of the iterations run at the same time, as a message fragment. */
      overlap: string;
    }
  /** A client start with a constant id in code that runs once per request or message. */
  | { kind: 'client-request'; idText: string; /** Why it runs per request, as a message fragment. */ context: string };

/**
 * A client start that runs inside an open database transaction, after the write of the row the
 * workflow is about and before that write is committed (workflow-start-before-commit). Each
 * front-end reads it from its own syntax (python-start-before-commit.ts,
 * typescript/start-before-commit.ts); the check words both the same way.
 */
export interface StartBeforeCommitFacts {
  /** Where the start runs in the function that holds the transaction: the start, or the call of the function that holds it. */
  location: SourceLocation;
  /** The client start itself. */
  start: SourceLocation;
  /** How messages name the start call (`client.workflow.start`); absent: `client.start_workflow`. */
  startText?: string;
  /** The workflow as the start names it (`WorkTypeSuggestionWorkflow.run`, `fulfilOrder`). */
  workflow: string;
  /** The call at `location` as written, shortened. */
  call: string;
  /** The project functions between the start and `location`, innermost first. */
  through: { function: string; call: SourceLocation }[];
  /** The function that holds the transaction. */
  function: string;
  /** The write not yet committed when the start runs. */
  write: { location: SourceLocation; text: string };
  /**
   * Where the write is committed: the commit call, or the transaction block (Python's `with`, a
   * transaction callback) that commits when it ends; `ends` says how it ends, for messages
   * (absent: "the block ends").
   */
  commit: { location: SourceLocation; text: string; block: boolean; ends?: string };
  /** The name the write and the workflow's input share (`suggestion`). */
  row: string;
  /** The argument of the call at `location` that carries it (`suggestion.id`). */
  argument: string;
}

/** An except (catch) clause around an awaited client start that does nothing for the other errors. */
export interface DroppedStartFailure {
  /** The clause. */
  location: SourceLocation;
  /** True when the code tells "already started" apart (an earlier clause or a test in this one). */
  alreadyStartedTested: boolean;
  /** The comments right above the try and inside the clause. */
  comments: string;
  /** True when the clause logs the failure (or resets state, or returns nothing) and carries on, rather than doing nothing at all. */
  logged?: true;
  /**
   * For a clause that logs and carries on, what retry or redelivery the swallow defeats, when the
   * code around says: `activity <name>` (the clause sits in an activity's body) or `message
   * consumer <name>` (a consumer or subscriber, by its file, class or function name).
   */
  lostRetry?: string;
  /**
   * An except clause earlier in the same function, around the client's connect, that logs a failed
   * connect and returns before the start (Python): the same failure, swallowed one step earlier.
   */
  connectSkipped?: SourceLocation;
  /**
   * When the clause is around a call of the function that holds the start (Python): the functions
   * the failure leaves on its way to the clause, innermost first.
   */
  through?: StartPassage[];
}

/** A function a start's failure leaves: where in it the failure comes from, and the call that runs it. */
/**
 * A signal sent from request-handling code whose failure is dropped (caught and only logged, or
 * not waited for), to a workflow that waits for the state the signal sets
 * (workflow-signal-failure-swallowed). Both front-ends produce it.
 */
export interface SwallowedSignal {
  /** What takes the failure: the except clause or catch, the `.catch` handler, or the unawaited send. */
  location: SourceLocation;
  /** The signal call. */
  signal: SourceLocation;
  /** The signal as written (`handle.signal(ApprovalWorkflow.approve, ...)`). */
  call: string;
  /** The workflow type, and the handler (Python: its method) or signal name (TypeScript). */
  workflow: string;
  handler: string;
  /** What the clause does with the failure. */
  dropped: DroppedStartFailure;
  /** How the failure is dropped: an `except clause` (Python), a `catch`, a `.catch handler`, or `unawaited` (nobody waits for the signal's promise). */
  handling: 'except clause' | 'catch' | '.catch handler' | 'unawaited';
  /** Why the code around runs per request. */
  context: string;
  /**
   * A commit the request handler makes before it sends the signal: the request's change is
   * recorded in the database whether or not the signal arrives, so a lost signal leaves the
   * workflow out of step with it rather than losing the request.
   */
  committedBefore?: SourceLocation;
  /** The wait for the state the handler sets. */
  wait: {
    location: SourceLocation;
    /** The wait as written for a message (`workflow.wait_condition(lambda: self._approved is not None)`, `condition(() => approved, '7 days')`). */
    written: string;
    /** The timeout as written; absent: the wait has none. */
    timeout?: string;
    /**
     * Where the workflow goes when the wait times out (Python: the except clause that takes the
     * TimeoutError; TypeScript: the branch taken when condition() returns false), and the state it
     * sets that the handler sets otherwise (`self._approved = False`).
     */
    timeoutPath?: { location: SourceLocation; sets: string[] };
  };
}

export interface StartPassage {
  /** The function's name. */
  function: string;
  /** The start (or the call of the inner function) inside it. */
  at: SourceLocation;
  /** What runs it: `await`, `asyncio.run`, `loop.run_until_complete`, `async_to_sync`, `return`, `a call`. */
  runner: string;
  /** The call that runs it. */
  call: SourceLocation;
}

/** Where the application hands a value to Temporal as a payload (query results are not recorded). */
export interface PayloadSiteFacts {
  kind: 'activity' | 'workflow' | 'signal' | 'update';
  /** Activity or workflow type, or the signal / update name. */
  name: string;
  direction: 'input' | 'result';
  /** Parameter name for inputs (`args[0]` when unnamed), `result` for results. */
  valueName: string;
  /** The parameter, the return annotation or the function name. */
  location: SourceLocation;
}

/** A list, binary data, a map or a large object graph inside a payload's type. */
export interface CollectionCarrierFacts {
  kind: 'array' | 'binary' | 'map' | 'large-object';
  /** Where in the value: `order.lines`, or the root name itself. */
  path: string;
  /** The type as written, e.g. `OrderLine[]` or `list[OrderLine]`. */
  typeText: string;
  /** The named type (alias, interface, class) that is or holds it, when declared in the reviewed code. */
  declaredIn?: { name: string; location: SourceLocation };
}

/** A credential-looking name in a payload: the parameter, a field at any depth, or a type name. */
export interface SecretFieldFacts {
  /** `input.stripe_api_key`, or the root name itself. */
  path: string;
  name: string;
  typeText: string;
  declaredAt?: SourceLocation;
}

/** Payloads carrying the same credential fields of the same type, in source order; the first is reported. */
export interface SecretCarrierFacts {
  signatures: PayloadSiteFacts[];
  secrets: SecretFieldFacts[];
}

/** A string in a payload whose name says it holds a whole document (Markdown, HTML, a file's contents, base64). */
export interface DocumentFieldFacts {
  /** `input.config.htmlContent`, or the root name itself. */
  path: string;
  /** The field or parameter name; for a result, the document its function's name says it returns (`getTranscript` -> `transcript`). */
  name: string;
  typeText: string;
  /** The type (interface, class, dataclass) that declares the field, when it is a field. */
  declaredIn?: { name: string; location: SourceLocation };
  /**
   * For a name that alone is ambiguous (`content`, `text`, `body`): where the code hands the field's
   * value to a name that says it is a document (`const markdown = config.content`).
   */
  namedBy?: { name: string; location: SourceLocation };
}

/** Payloads carrying documents under the same names: the first is reported, the others related. */
export interface DocumentCarrierFacts {
  signatures: PayloadSiteFacts[];
  /** The document fields of the first payload (one, or several carried by exactly the same payloads). */
  fields: DocumentFieldFacts[];
}

/** A payload codec (or a data converter that cannot be read) configured on a worker or a client. */
export interface PayloadCodecFacts {
  on: 'worker' | 'client';
  codecs: string[];
  unreadable: boolean;
  location: SourceLocation;
}

export type HistoryGrowthKind = 'activity' | 'timer' | 'child workflow' | 'signal wait';

/** A workflow loop that adds to the history with no continue-as-new, and what bounds it. */
export interface HistoryLoopFacts {
  /** The workflow type. */
  workflow: string;
  location: SourceLocation;
  /** The loop's first line. */
  text: string;
  growth: { kind: HistoryGrowthKind; name: string; location: SourceLocation }[];
  bound:
    | { kind: 'none' }
    | { kind: 'grows'; collection: string; at: SourceLocation }
    | {
        kind: 'bounded';
        by: string;
        limit?: number;
        /**
         * Set when the loop goes round only after waiting for a message: every path that repeats
         * passes a wait_condition (no timeout) on state that signal or update handlers set, and
         * some path leaves without waiting. It repeats as fast as people or systems send them.
         */
        pacedBy?: { wait: SourceLocation; handlers: string[] };
      };
  eventsPerIteration: number;
}

/**
 * The payload facts a front-end computes ahead of the checks (the Python one). A TypeScript model
 * leaves them out: its payload checks read the type checker through src/model/typescript/payload-types.
 */
export interface PayloadFacts {
  collections: { site: PayloadSiteFacts; carrier: CollectionCarrierFacts }[];
  secrets: SecretCarrierFacts[];
  /** Absent from a front-end that does not read them. */
  documents?: DocumentCarrierFacts[];
  codecs: PayloadCodecFacts[];
  historyLoops: HistoryLoopFacts[];
}

/** A signal, update or query the application sends to a workflow (workflow-signal-unhandled). */
export interface MessageSendFacts {
  kind: 'signal' | 'update' | 'query';
  /** The signal or update name, resolved to a constant. */
  name: string;
  location: SourceLocation;
  /** How the call is written, for messages (`handle.signal('pause')`). */
  call: string;
  /** The workflow types the handle targets; empty when the reviewer cannot tell. */
  targets: string[];
  /**
   * How the targets were found: 'typed' (a typed handle), 'started' (the handle a start
   * returned), 'with-start' (the call itself starts the workflow: a signal-with-start) or 'id' (the
   * handle's id has the shape of the workflowId a start sets).
   */
  targetBy?: 'typed' | 'started' | 'with-start' | 'id';
}

/** What signal and update names one workflow handles. */
export interface WorkflowMessageHandling {
  workflow: string;
  location: SourceLocation;
  handles: { kind: 'signal' | 'query' | 'update'; name: string }[];
  /**
   * Why the workflow may handle names not listed (a dynamic or default handler, a handler whose
   * name does not resolve, handlers inherited from a class out of sight), per kind.
   */
  open: { kind: 'signal' | 'update' | 'query'; reason: string; location: SourceLocation }[];
}

/** Sent messages and the workflows' handlers (workflow-signal-unhandled). */
export interface MessageFacts {
  sends: MessageSendFacts[];
  workflows: WorkflowMessageHandling[];
  /** Names handled by handler code the reviewer did not tie to one workflow. */
  handledOutside: { kind: 'signal' | 'update' | 'query'; name: string }[];
  /** Why any workflow may handle any name (a handler out of any workflow whose name does not resolve); absent when nothing says so. */
  openEverywhere?: { reason: string; location: SourceLocation };
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
  /**
   * 'parse-error': code the area depends on does not parse (what the model lacks is unknown, not
   * absent). 'no-worker' / 'no-workflow': this language's code has none; the engine drops the gap
   * when another language's model in the same review has them (src/model/presence-gaps.ts).
   */
  cause?: 'parse-error' | 'no-worker' | 'no-workflow';
}

/** What every front-end's model offers the checks that run on any language. */
/**
 * A path on one worker's local disk that workflow code hands to two or more activities or child
 * workflows, or the local path one activity returns that the workflow hands to another.
 */
export interface LocalPathHandoff {
  workflow: string;
  /** The expression as the workflow writes it where it hands the path over (`manifest_local`). */
  expression: string;
  /** The path's text with each computed part named (`/tmp/ingest/{workflow_id}/m.json`), when the workflow builds it. */
  path?: string;
  /** Where the workflow builds the path or receives it from the producing call. */
  declaration: SourceLocation;
  /** The activity or child workflow whose result holds the path, when it is one. */
  producer?: { name: string; kind: 'activity' | 'child'; location: SourceLocation; how: string };
  /** The calls the workflow hands the path to, in source order. */
  receivers: LocalPathReceiver[];
}

export interface LocalPathReceiver {
  name: string;
  kind: 'activity' | 'child';
  location: SourceLocation;
  /** The call names a task queue computed at run time (a worker-specific queue may be meant). */
  computedQueue: boolean;
  /** What the receiving activity's code does with the path, when the review can read it. */
  ops?: LocalPathUse['op'][];
}

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
  /**
   * Schedule actions a front-end reads but does not list in `starts` (Python's
   * `ScheduleActionStartWorkflow(...)`): a check that must see every start of a workflow counts them.
   */
  scheduleActions?: WorkflowStartFacts[];
  /** Local paths workflow code hands between activities (a front-end that reads them itself: Python). */
  localPathHandoffs?: LocalPathHandoff[];
  /**
   * Workflows that only tests (or hand-run hooks) start, each with why, as a message fragment;
   * findings that sit in them are lowered to info (src/engine/test-only-findings.ts). Absent when
   * the front-end does not tell.
   */
  testOnlyWorkflows?: { name: string; reason: string }[];
  /**
   * Functions and methods no code in the project refers to (absolute file, 1-based lines): findings
   * that sit inside are lowered to info (src/engine/unrun-findings.ts). Python fills it for the
   * private functions of workflow and activity modules (python/python-unreferenced-code.ts).
   */
  unreferencedFunctions?: { name: string; file: string; start: number; end: number }[];
  /**
   * Why none of the model's workflows can run from this project, when nothing in it makes a worker
   * or a client (Python: no Worker(...), no start, and no file, tests included, imports
   * temporalio.client, temporalio.worker or temporalio.testing, in a review that holds the
   * project's root: a pyproject.toml or requirements.txt above the workflow files). Findings inside the workflow
   * classes are lowered to info (src/engine/unrun-findings.ts). Absent when something may run them.
   */
  workflowsRunNowhere?: string;
  /** Workflow types (the observability checks read them); front-ends that find them fill it. */
  workflows?: WorkflowFacts[];
  /** Runtime setups (TypeScript Runtime.install, Python Runtime(...)). */
  runtimeInstalls?: RuntimeInstallFacts[];
  /** Search attribute keys the code defines. */
  searchAttributeKeys?: SearchAttributeKeyFacts[];
  gaps: ModelGap[];
  /** Payload facts computed by the front-end, when it computes them ahead of the checks (Python). */
  payloadFacts?: PayloadFacts;
  /** Files that failed to parse, with the first syntax error. */
  parseErrors: { file: string; line: number; message: string }[];
  /** Signals and updates sent, and the workflows' handlers, when a front-end computes them ahead of the checks (Python). */
  messageFacts?: MessageFacts;
  /**
   * What in each workflow's code can keep a run open with no bound of its own, when a front-end
   * computes it ahead of the checks (Python); TypeScript reads it from its model
   * (typescript/workflow-run-shape.ts).
   */
  runShapes?: WorkflowRunShapeFacts[];
  /**
   * Where each workflow runs work beside itself, when a front-end computes it ahead of the checks
   * (Python); TypeScript reads it from its model (typescript/workflow-concurrency.ts).
   */
  workflowConcurrency?: WorkflowConcurrencyFacts[];
  /**
   * Python: the top-level modules the reviewed files import that the project does not hold
   * (temporalio left out), installed packages and standard library modules apart. Their
   * exceptions reach activities through calls the review does not follow. With the names of the
   * classes the project defines at module level, which are its own and not a package's. Absent
   * for TypeScript.
   */
  pythonImports?: { packages: string[]; standard: string[]; projectClasses: string[] };
}

/**
 * What in a workflow's code (its function or class and the helpers it reaches) can keep a run open
 * with no bound of its own; each list holds where it is, with a short description for messages.
 */
export interface WorkflowRunShapeFacts {
  workflow: string;
  /** `condition(fn)` / `workflow.wait_condition(fn)` with no timeout, an awaited Trigger. */
  untimedWaits: { location: SourceLocation; text: string }[];
  /** continue-as-new: the run ends, but the chain it starts goes on. */
  continuesAsNew: { location: SourceLocation }[];
  /** Child workflows started with no execution or run timeout written (text: the child's type). */
  untimedChildren: { location: SourceLocation; text: string }[];
  /** Loops that grow the history with nothing bounding them (`while (true)`, a collection that grows). */
  unboundedLoops: { location: SourceLocation; text: string }[];
}
