// What the workflow code of a Python project does that determinism depends on: the methods of
// `@workflow.defn` classes and the project functions they call (across imports), read for calls
// the SDK's sandbox rejects at run time (datetime.now(), time.time(), random, uuid4, I/O, threads)
// or lets through when it is off or bypassed, for the sandbox switched off (`sandboxed=False`,
// `UnsandboxedWorkflowRunner()`), and for exceptions raised that would fail the workflow task
// instead of the workflow. The facts are in test/model/python/python-sdk-determinism-facts.test.ts.
// Requests on client objects (a pymongo collection, a SQLAlchemy session, an httpx client) whose
// type the blocking-call model can establish are workflow code's network I/O too (kind `client`).

import path from 'node:path';
import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import { classify, functionTarget, readsOnlyParameters, type PythonActivity } from './python-activities.js';
import { classChain, handledAround, type Reraise } from './python-caught-errors.js';
import { clientIoCall, type ClientIoCall } from './python-blocking-calls.js';
import { parameterName } from './python-local-values.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, enclosing, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import type { PythonWorker, PythonWorkflow } from './python-temporal-calls.js';
import { missingPythonActivityResult, missingPythonAssertedResult, type PythonMissingResult } from './python-null-results.js';
import { pythonSetOrders, type SetOrderIteration } from './python-set-order.js';
import { testsPresence } from './python-presence-tests.js';
import { assertGuaranteedByCallers, type ArgumentsOf } from './python-caller-guarantees.js';

/**
 * How the sandbox treats a call: `sandboxed` (rejected: RestrictedWorkflowAccessError fails the
 * workflow task), or let through because the workflow runs without the sandbox (`sandbox-off`),
 * the code is a module passed through (`passed-through`) or runs inside
 * `workflow.unsafe.sandbox_unrestricted()` (`unrestricted`); `lifted` when the worker's own
 * SandboxRestrictions remove the module's restriction (`del children["datetime"]`), `custom` when
 * the worker's runner is built in a way the reviewer cannot read (the restrictions may differ).
 */
export type SandboxState = 'sandboxed' | 'sandbox-off' | 'passed-through' | 'unrestricted' | 'lifted' | 'custom';

/** `client`: a request on a client object (a pymongo collection, a SQLAlchemy session, an httpx client), see `client` below. */
export type NondeterministicKind = 'clock' | 'sleep' | 'random' | 'uuid' | 'thread' | 'process' | 'file' | 'network' | 'environment' | 'client';

export interface NondeterministicCall {
  location: SourceLocation;
  /** The dotted name as the SDK's restrictions spell it (`datetime.datetime.now`, `os.environ`). */
  name: string;
  /** The source text (`datetime.now()`). */
  text: string;
  kind: NondeterministicKind;
  state: SandboxState;
  /** Workflow types whose code reaches it. */
  workflows: string[];
  /** The call sites from the workflow method to the helper that makes the call, when not direct. */
  via: SourceLocation[];
  /**
   * On every path, an enclosing `except Exception` (or bare `except`) of the workflow code takes
   * what the call raises: a sandbox rejection does not fail the task, the workflow's own failure
   * path runs instead, on every run.
   */
  caught?: true;
  /**
   * For kind `client`: the request made on a client object whose type the review can establish
   * (python-blocking-calls.ts, clientIoCall): what it is (`a MongoDB query`), the client and method
   * (`name` holds the same), and whether the client is an async one.
   */
  client?: { service: string; async: boolean; rejected?: string };
}

export interface SandboxOff {
  location: SourceLocation;
  how: 'sandboxed=False' | 'UnsandboxedWorkflowRunner' | 'passthrough_all_modules';
  /** Workflow types it affects (for a worker: those it registers; empty when unknown). */
  workflows: string[];
}

export interface WorkflowRaise {
  location: SourceLocation;
  /** The raised class name. */
  type: string;
  text: string;
  workflows: string[];
  /** Whether `workflow_failure_exception_types` / `failure_exception_types` turn it into a workflow failure. */
  coverage: 'covered' | 'uncovered' | 'unknown';
  /**
   * Reached only from `@workflow.update` handlers (their method names), not from the run method or a
   * signal handler: the exception still fails the workflow task (temporalio 1.35.0), not only the update.
   */
  updateHandlers?: string[];
  /**
   * The raise is the whole reaction to a test that a value the workflow did not get as input is
   * missing (`if row is None: raise ValueError(...)`): the TypeScript check's null guard, info.
   */
  nullGuard?: boolean;
  /**
   * For a null guard: the activity whose result it tests, when that activity's implementation
   * returns None on a path the review can see (python-null-results.ts): the guard is reachable.
   */
  missingResult?: PythonMissingResult;
  /**
   * Written in the run method itself, and every test around it (`if`, `elif`, conditional
   * expression) reads only the run method's parameters (`if not request.day: raise ...`): only a
   * start with bad input gets there. The condition as written.
   */
  inputDetermined?: string;
  /** The `raise` statements of `except` clauses that catch it and raise it again on every path (`except Exception: ...; raise`). */
  reraisedAt?: SourceLocation[];
  /** The calls from the workflow's method to the function that raises, when not direct. */
  via?: SourceLocation[];
  /** The class as written when its temporalio module lacks it (`workflow.ApplicationError`): the line raises AttributeError. */
  missingSdkName?: string;
  /** An `assert` statement (type AssertionError): it raises when its condition is false. */
  assertion?: true;
}

export interface PythonWorkflowCode {
  calls: NondeterministicCall[];
  sandboxOff: SandboxOff[];
  raises: WorkflowRaise[];
  /** Commands scheduled in the order of a set of strings, which differs between worker processes (python-set-order.ts). */
  setOrders: SetOrderIteration[];
}

/** Standard-library calls the sandbox restricts at run time (SandboxRestrictions.invalid_module_members_default), by exact name or module prefix. */
const EXACT: Record<string, NondeterministicKind> = {
  'datetime.datetime.now': 'clock',
  'datetime.datetime.utcnow': 'clock',
  'datetime.datetime.today': 'clock',
  'datetime.date.today': 'clock',
  'time.time': 'clock',
  'time.time_ns': 'clock',
  'time.monotonic': 'clock',
  'time.monotonic_ns': 'clock',
  'time.perf_counter': 'clock',
  'time.perf_counter_ns': 'clock',
  'time.process_time': 'clock',
  'time.localtime': 'clock',
  'time.sleep': 'sleep',
  'uuid.uuid1': 'uuid',
  'uuid.uuid4': 'uuid',
  open: 'file',
  input: 'file',
  'os.getenv': 'environment',
  'os.putenv': 'environment',
  'os.system': 'process',
  'os.popen': 'process',
  'os.urandom': 'random',
  'os.listdir': 'file',
  'os.remove': 'file',
  'os.makedirs': 'file',
};

const PREFIXES: [string, NondeterministicKind][] = [
  ['random.', 'random'],
  ['secrets.', 'random'],
  ['threading.', 'thread'],
  ['concurrent.futures.', 'thread'],
  ['multiprocessing.', 'process'],
  ['subprocess.', 'process'],
  ['socket.', 'network'],
  ['urllib.request.', 'network'],
  ['http.client.', 'network'],
  ['shutil.', 'file'],
  ['tempfile.', 'file'],
  ['glob.', 'file'],
  // Network clients: in the sandbox their socket use is restricted (and the workflow's event loop has no network I/O).
  ['requests.', 'network'],
  ['httpx.', 'network'],
  ['aiohttp.', 'network'],
];

/** Names under a restricted prefix that are deterministic (a seeded generator, a UUID from a name, exceptions). */
const ALLOWED = new Set(['random.Random', 'random.seed', 'secrets.compare_digest', 'uuid.uuid3', 'uuid.uuid5']);

/** Modules whose restrictions apply even when passed through (the SDK passes the standard library through by default and still restricts it). */
const STDLIB_HEADS = new Set(['datetime', 'time', 'random', 'secrets', 'uuid', 'threading', 'concurrent', 'multiprocessing', 'subprocess', 'socket', 'urllib', 'http', 'shutil', 'tempfile', 'glob', 'os', 'open', 'input']);

const IMPORTS_PASSED_THROUGH = 'temporalio.workflow.unsafe.imports_passed_through';
const SANDBOX_UNRESTRICTED = 'temporalio.workflow.unsafe.sandbox_unrestricted';
const IS_REPLAYING = 'temporalio.workflow.unsafe.is_replaying';
const UNSANDBOXED_RUNNER = 'temporalio.worker.UnsandboxedWorkflowRunner';
const SANDBOXED_RUNNER = 'temporalio.worker.workflow_sandbox.SandboxedWorkflowRunner';
/** Raising these fails or cancels the workflow: temporalio's FailureError family and asyncio's cancellation. */
const FAILURE_PREFIX = 'temporalio.exceptions.';
const NOT_FAILURES = new Set(['temporalio.exceptions.TemporalError']);

/** The dotted name a call or attribute spells when it is restricted, else undefined. */
function restrictedKind(name: string): NondeterministicKind | undefined {
  if (ALLOWED.has(name)) return undefined;
  if (EXACT[name]) return EXACT[name];
  for (const [prefix, kind] of PREFIXES) {
    if (!name.startsWith(prefix)) continue;
    const member = name.slice(prefix.length);
    // Exceptions and types (`requests.RequestException`, `threading.Event` is a call, not this) are not calls that do anything non-deterministic.
    if (/(?:Error|Exception|Warning)$/.test(member)) return undefined;
    return kind;
  }
  return undefined;
}

interface Walk {
  workflows: Set<string>;
  state: SandboxState;
  via: SourceLocation[];
  /** Exception classes the callers' enclosing try statements catch ('all' for a bare except, Exception or BaseException). */
  caught: string[] | 'all';
  /** The helper runs only when the workflow is not replaying. */
  replayGuarded: boolean;
  /** Some worker registering the workflow runs it with its own SandboxedWorkflowRunner(restrictions=...). */
  customRunner: boolean;
  /** The `@workflow.update` handler the walk started from (its method name), if it did. */
  update?: string;
  /** The workflow's own method the walk started from (its parameters are the workflow's input). */
  entry: PythonNode;
  /** In the callers: except clauses that catch an exception and raise it again on every path. */
  reraises: { node: PythonNode; file: string; classes: string[] | 'all' }[];
}

export function extractWorkflowCode(modules: PythonModules, workflows: PythonWorkflow[], workers: PythonWorker[], activities: PythonActivity[], argumentsOf?: ArgumentsOf): PythonWorkflowCode {
  const calls = new Map<string, NondeterministicCall>();
  const raises = new Map<string, WorkflowRaise & { chain: string[] }>();
  const activityNodes = new Set(activities.map((a) => a.node.id));
  const passedThroughCache = new Map<string, Set<string>>();
  const workerFacts = readWorkers(modules, workers);
  const passthroughModules = workerFacts.passthroughModules;

  /** Local names a file binds by imports inside `with workflow.unsafe.imports_passed_through():`. */
  const passedThroughNames = (file: string): Set<string> => {
    let names = passedThroughCache.get(file);
    if (names) return names;
    names = new Set();
    passedThroughCache.set(file, names);
    const root = modules.files.get(file)?.tree.rootNode;
    for (const statement of root?.descendantsOfType('with_statement') ?? []) {
      if (!statement || !withCalls(statement, IMPORTS_PASSED_THROUGH, file, modules)) continue;
      for (const item of statement.childForFieldName('body')?.descendantsOfType(['import_statement', 'import_from_statement']) ?? []) {
        if (!item) continue;
        for (const name of boundNames(item)) names.add(name);
      }
    }
    return names;
  };

  const isPassedThrough = (callee: PythonNode, file: string): boolean => {
    const head = headIdentifier(callee);
    if (!head || STDLIB_HEADS.has(head.text)) return false;
    if (passedThroughNames(file).has(head.text)) return true;
    const binding = modules.importsOf(file).get(head.text);
    return binding !== undefined && passthroughModules.some((m) => binding.module === m || binding.module.startsWith(`${m}.`));
  };

  /** Client requests, by location; `queryOnly` while only query handlers and update validators reach them. */
  const clientCalls = new Map<string, NondeterministicCall & { queryOnly: boolean; site?: ClientIoCall['site'] }>();
  const clientScopes = new Map<string, unknown>();

  const seen = new Set<string>();
  const visit = (fn: PythonNode, file: string, method: PythonNode, walk: Walk, raisesToo: boolean) => {
    const key = `${fn.id}:${walk.state}:${walk.caught}:${walk.replayGuarded}:${raisesToo}:${walk.update ?? ''}:${[...walk.workflows].join(',')}:${walk.reraises.map((r) => r.node.id).join(',')}`;
    if (seen.has(key) || walk.via.length > 6) return;
    seen.add(key);
    const body = fn.childForFieldName('body');
    if (!body) return;
    const locals = localNames(fn);
    const stateAt = (node: PythonNode): SandboxState => (walk.state === 'sandboxed' && insideWith(node, body, SANDBOX_UNRESTRICTED, file, modules) ? 'unrestricted' : walk.state);
    for (const node of body.descendantsOfType(['call', 'attribute', 'raise_statement', 'assert_statement'])) {
      if (!node || insideTypeChecking(node)) continue;
      if (node.type === 'raise_statement' || node.type === 'assert_statement') {
        if (raisesToo) {
          const here = handledAround(node, body);
          const caught = mergeCaught(walk.caught, here.caught);
          const reraises = [...walk.reraises, ...withFile(here.reraises, file)];
          if (node.type === 'raise_statement') noteRaise(node, file, walk, caught, reraises);
          else noteAssert(node, file, walk, caught, reraises);
        }
        continue;
      }
      if (node.type === 'attribute') {
        // `os.environ` is restricted on access, whatever is done with it next.
        if (modules.qualifiedName(file, node) === 'os.environ' && importBound(node, file, locals, modules)) note(node, 'os.environ', 'environment', file, stateAt(node), walk);
        continue;
      }
      const callee = node.childForFieldName('function');
      if (!callee) continue;
      const name = modules.qualifiedName(file, callee);
      const kind = name && !name.startsWith('os.environ') ? restrictedKind(name) : undefined;
      if (name && kind && (importBound(callee, file, locals, modules) || ((name === 'open' || name === 'input') && !locals.has(name) && !modules.lookup(file, name)))) {
        const state = stateAt(node);
        note(node, name, kind, file, state === 'sandboxed' && isPassedThrough(callee, file) ? 'passed-through' : state, walk);
        continue;
      }
      // A request on a client object, made by the function itself (not by a function or lambda defined in it).
      const io = enclosing(node, ['function_definition', 'lambda'])?.id === fn.id ? clientIoCall(node, fn, file, modules, clientScopes) : undefined;
      if (io) {
        noteClient(node, io, file, stateAt(node), walk, !raisesToo);
        continue;
      }
      const target = functionTarget(callee, method, file, modules) ?? staticMethodTarget(callee, file, modules);
      if (!target || activityNodes.has(target.node.id)) continue;
      const state = stateAt(node);
      const here = handledAround(node, body);
      visit(target.node, target.file, target.node, {
        workflows: walk.workflows,
        state: state === 'sandboxed' && isPassedThrough(callee, file) ? 'passed-through' : state,
        via: [...walk.via, locateNode(file, node)],
        caught: mergeCaught(walk.caught, here.caught),
        replayGuarded: walk.replayGuarded || replayGuarded(node, body, file, modules),
        customRunner: walk.customRunner,
        ...(walk.update ? { update: walk.update } : {}),
        entry: walk.entry,
        reraises: [...walk.reraises, ...withFile(here.reraises, file)],
      }, raisesToo);
    }

    /**
     * A client request. The worker's own sandbox restrictions do not change it (lifting one lets the
     * request run; it stays I/O on every replay), so the state is the sandbox's, as walked; code
     * that runs only when not replaying is left alone, as is one reached only from a query handler
     * or an update validator (not recorded in the history, nothing to replay).
     */
    function noteClient(node: PythonNode, io: ClientIoCall, at: string, given: SandboxState, current: Walk, queryOnly: boolean) {
      // A passed-through module's code still runs in the sandbox: pymongo's queries fail there all the same.
      const state = given === 'passed-through' ? 'sandboxed' : given;
      if (current.replayGuarded || replayGuarded(node, body!, at, modules)) return;
      const location = locateNode(at, node);
      const id = `${at}:${location.line}:${location.column}`;
      const existing = clientCalls.get(id);
      const caught = mergeCaught(current.caught, handledAround(node, body!).caught) === 'all';
      if (existing) {
        for (const w of current.workflows) if (!existing.workflows.includes(w)) existing.workflows.push(w);
        if (queryOnly && !existing.queryOnly) return;
        if (existing.queryOnly && !queryOnly) {
          // The first walk that replays it: its sandbox and its handlers are the finding's.
          existing.queryOnly = false;
          existing.state = state;
          existing.via = current.via;
          if (caught) existing.caught = true;
          else delete existing.caught;
          return;
        }
        if (!caught) delete existing.caught;
        // Reached outside sandbox_unrestricted() too: that is the finding to give.
        if (existing.state === 'unrestricted' && state !== 'unrestricted') existing.state = state;
        return;
      }
      clientCalls.set(id, {
        location,
        name: io.api,
        text: sourceText(node),
        kind: 'client',
        state,
        workflows: [...current.workflows],
        via: current.via,
        client: { service: io.service, async: io.async, ...(io.rejected ? { rejected: io.rejected } : {}) },
        queryOnly,
        ...(caught ? { caught: true as const } : {}),
        ...(io.site ? { site: io.site } : {}),
      });
    }

    function note(node: PythonNode, name: string, kind: NondeterministicKind, at: string, given: SandboxState, current: Walk) {
      let state = given;
      // A helper's fallback (`workflow_id or uuid4()`) runs only when its caller passes nothing: the caller decides, not the helper.
      if (current.via.length > 0 && isFallback(node, body!)) return;
      if ((state === 'sandboxed' || state === 'passed-through') && current.customRunner) {
        const head = name.split('.')[0]!;
        if (workerFacts.lifted.has(head)) state = 'lifted';
        // Custom restrictions the reviewer could not read may allow anything.
        else if (state === 'sandboxed' && workerFacts.lifted.size === 0) state = 'custom';
      }
      // Code that runs only when not replaying may differ between runs: that is what the guard is for.
      if (state !== 'sandboxed' && (current.replayGuarded || replayGuarded(node, body!, at, modules))) return;
      const location = locateNode(at, node);
      const id = `${at}:${location.line}:${location.column}`;
      const caught = mergeCaught(current.caught, handledAround(node, body!).caught) === 'all';
      const existing = calls.get(id);
      if (existing) {
        if (!caught) delete existing.caught;
        for (const w of current.workflows) if (!existing.workflows.includes(w)) existing.workflows.push(w);
        // The same line reached by a sandboxed workflow fails there: that is the finding to give.
        if (state === 'sandboxed') existing.state = 'sandboxed';
        return;
      }
      calls.set(id, { location, name, text: sourceText(node), kind, state, workflows: [...current.workflows], via: current.via, ...(caught ? { caught: true as const } : {}) });
    }
  };

  function noteRaise(node: PythonNode, file: string, walk: Walk, caught: string[] | 'all', reraises: Walk['reraises']) {
    if (caught === 'all') return;
    const expression = namedChildrenOf(node).find((child) => child.type !== 'from' && child.parent?.childForFieldName('cause')?.id !== child.id);
    if (!expression) return; // a bare `raise` rethrows what an except clause caught: its class is not known here
    const thrown = classify(expression, node, file, modules);
    if (thrown.how !== 'class' || !thrown.type) return; // ApplicationError family, or a value whose class is unknown
    const classNode = expression.type === 'call' ? expression.childForFieldName('function') : expression;
    // `raise e.cause`, `raise self._error`: a value whose class is not known here, not a class.
    const last = classNode?.type === 'attribute' ? classNode.childForFieldName('attribute')?.text : classNode?.text;
    if (!last || !/^[A-Z]/.test(last)) return;
    const qualified = classNode ? modules.qualifiedName(file, classNode) : undefined;
    if (qualified && ((qualified.startsWith(FAILURE_PREFIX) && !NOT_FAILURES.has(qualified)) || qualified === 'asyncio.CancelledError')) return;
    const chain = classChain(classNode, thrown.type, file, modules);
    if (chain.some((name) => caught.includes(name))) return;
    // The SDK fails the workflow (or rejects the update) for asyncio.TimeoutError as for a
    // FailureError (workflow_is_failure_exception, temporalio 1.35.0); from Python 3.11 the builtin
    // TimeoutError is that class, so a TimeoutError (or a subclass) is left alone either way.
    if (chain.includes('TimeoutError')) return;
    const location = locateNode(file, node);
    const id = `${file}:${location.line}:${location.column}`;
    const existing = raises.get(id);
    // The except clauses on its way out that catch it and raise it again (`except Exception: ...; raise`).
    const reraisedAt = reraises.filter((r) => r.classes === 'all' || r.classes.some((name) => chain.includes(name))).map((r) => locateNode(r.file, r.node));
    if (existing) {
      for (const w of walk.workflows) if (!existing.workflows.includes(w)) existing.workflows.push(w);
      for (const at of reraisedAt) {
        if (!(existing.reraisedAt ?? []).some((r) => r.file === at.file && r.line === at.line)) existing.reraisedAt = [...(existing.reraisedAt ?? []), at];
      }
      // Reached from the run method or a signal handler too: no longer an update handler's alone.
      if (!walk.update) delete existing.updateHandlers;
      else if (existing.updateHandlers && !existing.updateHandlers.includes(walk.update)) existing.updateHandlers.push(walk.update);
      return;
    }
    const inputGuard = !walk.update && runMethods.has(walk.entry.id) ? inputDeterminedGuard(node, walk.entry) : undefined;
    const nullGuard = isNullGuard(node, walk.entry);
    const missingResult = nullGuard ? missingPythonActivityResult(node, file, modules, workflows, activities) : undefined;
    raises.set(id, {
      location,
      type: thrown.type,
      text: sourceText(node),
      workflows: [...walk.workflows],
      coverage: 'uncovered',
      chain,
      ...(walk.update ? { updateHandlers: [walk.update] } : {}),
      ...(nullGuard ? { nullGuard: true } : {}),
      ...(missingResult ? { missingResult } : {}),
      ...(inputGuard ? { inputDetermined: inputGuard } : {}),
      ...(reraisedAt.length ? { reraisedAt } : {}),
      ...(walk.via.length ? { via: walk.via } : {}),
      ...(thrown.missingSdkName ? { missingSdkName: thrown.missingSdkName.text } : {}),
    });
  }

  /**
   * `assert condition` in workflow code: a false condition raises AssertionError, a plain exception
   * (not a FailureError), which fails the workflow task like `raise AssertionError(...)`. Read like
   * a raise under `if not condition:`: an assert that only tests values for missing (`assert x is
   * not None`, `assert x`) is the null guard, one that reads only the run method's input is a check
   * of the input.
   */
  function noteAssert(node: PythonNode, file: string, walk: Walk, caught: string[] | 'all', reraises: Walk['reraises']) {
    if (caught === 'all') return;
    const condition = namedChildrenOf(node).find((child) => child.type !== 'comment');
    if (!condition) return;
    const chain = ['AssertionError'];
    if (caught.includes('AssertionError')) return;
    // In a helper whose every caller in the project has already made the condition true (`if
    // step.sub_tasks:` around the call of a helper that asserts it): the assert cannot fail.
    if (walk.via.length > 0 && argumentsOf && guaranteed(node, condition)) return;
    const location = locateNode(file, node);
    const id = `${file}:${location.line}:${location.column}`;
    const reraisedAt = reraises.filter((r) => r.classes === 'all' || r.classes.includes('AssertionError')).map((r) => locateNode(r.file, r.node));
    const existing = raises.get(id);
    if (existing) {
      for (const w of walk.workflows) if (!existing.workflows.includes(w)) existing.workflows.push(w);
      for (const at of reraisedAt) {
        if (!(existing.reraisedAt ?? []).some((r) => r.file === at.file && r.line === at.line)) existing.reraisedAt = [...(existing.reraisedAt ?? []), at];
      }
      if (!walk.update) delete existing.updateHandlers;
      else if (existing.updateHandlers && !existing.updateHandlers.includes(walk.update)) existing.updateHandlers.push(walk.update);
      return;
    }
    const inputGuard = !walk.update && runMethods.has(walk.entry.id) ? inputDeterminedGuard(node, walk.entry, condition) : undefined;
    const nullGuard = isNullAssertion(condition, walk.entry);
    const missingResult = nullGuard ? missingPythonAssertedResult(node, condition, file, modules, workflows, activities) : undefined;
    raises.set(id, {
      location,
      type: 'AssertionError',
      text: sourceText(node),
      workflows: [...walk.workflows],
      coverage: 'uncovered',
      chain,
      assertion: true,
      ...(walk.update ? { updateHandlers: [walk.update] } : {}),
      ...(nullGuard ? { nullGuard: true } : {}),
      ...(missingResult ? { missingResult } : {}),
      ...(inputGuard ? { inputDetermined: inputGuard } : {}),
      ...(reraisedAt.length ? { reraisedAt } : {}),
      ...(walk.via.length ? { via: walk.via } : {}),
    });
  }

  const guarantees = new Map<number, boolean>();
  function guaranteed(node: PythonNode, condition: PythonNode): boolean {
    let known = guarantees.get(node.id);
    if (known === undefined) guarantees.set(node.id, (known = assertGuaranteedByCallers(node, condition, argumentsOf!)));
    return known;
  }

  // Filled before the walks below: the `@workflow.run` methods, whose parameters are the workflow's input.
  const runMethods = new Set<number>();
  for (const workflow of workflows) {
    for (const member of classMembers(workflow.node)) {
      if (member.type === 'function_definition' && decoratorsOf(member).some((d) => modules.qualifiedName(workflow.file, d.expression) === 'temporalio.workflow.run')) runMethods.add(member.id);
    }
  }
  for (const workflow of workflows) {
    const file = workflow.file;
    const registering = workers.filter((w) => w.workflowNames !== 'unknown' && w.workflowNames.includes(workflow.name));
    const unsandboxedByWorker = registering.length > 0 && registering.every((w) => workerFacts.unsandboxed.has(w.id));
    // A worker whose workflows=[...] the reviewer cannot read may be the one that runs it.
    const customRunner = workers.some((w) => (w.workflowNames === 'unknown' || w.workflowNames.includes(workflow.name)) && workerFacts.customRunner.has(w.id));
    // The worker's SandboxRestrictions pass the workflow's own module through (with_passthrough_modules("src")
    // for src/workflows/x.py): the sandbox takes the host's module instead of re-importing it, so its
    // datetime, random and uuid are the real ones and nothing restricts them.
    // A workflow no worker registers is judged by the project's workers, which one of them would run it once registered.
    const runners = registering.length > 0 ? registering : workers;
    const ownModulePassed =
      runners.length > 0 && runners.every((w) => workerFacts.passthroughRunner.has(w.id) || workerFacts.customRunner.has(w.id)) && passedThroughModule(packageName(file, modules), passthroughModules);
    const state: SandboxState = workflow.sandboxed && !unsandboxedByWorker ? (ownModulePassed ? 'passed-through' : 'sandboxed') : 'sandbox-off';
    for (const member of classMembers(workflow.node)) {
      if (member.type !== 'function_definition') continue;
      const kinds = decoratorsOf(member).map((d) => modules.qualifiedName(file, d.expression));
      // Entry points only: the SDK calls the run method, handlers and __init__; helper methods are reached through their calls, with their callers' try blocks.
      if (!kinds.some((k) => k?.startsWith('temporalio.workflow.')) && member.childForFieldName('name')?.text !== '__init__') continue;
      // A query's and an update validator's exception go back to the caller (the validator's rejects
      // the update). The run method's, a signal handler's and an update handler's fail the workflow
      // task: in temporalio 1.35.0 an update handler's exception that is not a FailureError (nor a
      // listed failure type) becomes the activation's error (_workflow_instance.py, run_update),
      // checked on a real worker (test/model/python/python-sdk-determinism-facts.test.ts).
      const raisesToo = !kinds.some((k) => k === 'temporalio.workflow.query' || (k?.endsWith('.validator') ?? false));
      const update = kinds.some((k) => k === 'temporalio.workflow.update') ? member.childForFieldName('name')?.text : undefined;
      visit(member, file, member, { workflows: new Set([workflow.name]), state, via: [], caught: [], replayGuarded: false, customRunner, ...(update ? { update } : {}), entry: member, reraises: [] }, raisesToo);
    }
  }

  for (const [id, { queryOnly, site, ...call }] of clientCalls) {
    if (queryOnly || calls.has(id)) continue;
    // `httpx.AsyncClient()` made in workflow code is a finding of its own (a restricted name): its requests are the same defect.
    if (site) {
      const made = locateNode(site.file, site.node);
      if (calls.has(`${site.file}:${made.line}:${made.column}`)) continue;
    }
    calls.set(id, call);
  }

  const coverageOf = failureCoverage(modules, workflows, workers, workerFacts);
  const result: PythonWorkflowCode = { calls: [...calls.values()], sandboxOff: [], raises: [], setOrders: pythonSetOrders(modules, workflows) };
  for (const { chain, ...raised } of raises.values()) {
    const coverages = raised.workflows.map((name) => coverageOf(name, chain));
    if (coverages.every((c) => c === 'covered')) continue;
    result.raises.push({ ...raised, coverage: coverages.includes('uncovered') ? 'uncovered' : 'unknown' });
  }
  for (const workflow of workflows) {
    if (workflow.sandboxed) continue;
    const decorator = decoratorsOf(workflow.node).find((d) => d.call && modules.qualifiedName(workflow.file, d.expression) === 'temporalio.workflow.defn');
    const keyword = decorator?.call ? callArguments(decorator.call).keywords.get('sandboxed') : undefined;
    result.sandboxOff.push({ location: locateNode(workflow.file, keyword?.parent ?? workflow.node), how: 'sandboxed=False', workflows: [workflow.name] });
  }
  for (const [id, location] of workerFacts.unsandboxedAt) {
    const worker = workers.find((w) => w.id === id);
    result.sandboxOff.push({ location, how: 'UnsandboxedWorkflowRunner', workflows: worker && worker.workflowNames !== 'unknown' ? worker.workflowNames : [] });
  }
  for (const [id, location] of workerFacts.passthroughAllAt) {
    const worker = workers.find((w) => w.id === id);
    const workflows = worker && worker.workflowNames !== 'unknown' ? worker.workflowNames : [];
    // Workers built in a loop from one runner expression: one record for the line.
    const same = result.sandboxOff.find((off) => off.how === 'passthrough_all_modules' && off.location.file === location.file && off.location.line === location.line && off.location.column === location.column);
    if (same) for (const name of workflows) { if (!same.workflows.includes(name)) same.workflows.push(name); }
    else result.sandboxOff.push({ location, how: 'passthrough_all_modules', workflows: [...workflows] });
  }
  const byLocation = (a: { location: SourceLocation }, b: { location: SourceLocation }) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column;
  result.calls.sort(byLocation);
  result.raises.sort(byLocation);
  result.sandboxOff.sort(byLocation);
  return result;
}

/**
 * The dotted module name of a file by its regular packages (each folder up holds an __init__.py the
 * review parsed): `src/workflows/x.py` is `src.workflows.x` when src/ and src/workflows/ are packages.
 */
function packageName(file: string, modules: PythonModules): string {
  const parts = [path.basename(file, '.py')];
  let dir = path.dirname(file);
  while (modules.files.has(path.join(dir, '__init__.py'))) {
    parts.unshift(path.basename(dir));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return parts.join('.');
}

/** Whether the sandbox passes the module through: a configured name is the module or one of its packages (temporalio's module_configured_passthrough). */
function passedThroughModule(name: string, passthrough: string[]): boolean {
  return passthrough.some((m) => name === m || name.startsWith(`${m}.`));
}

/**
 * Whether `@workflow.defn(failure_exception_types=[...])` or the registering workers'
 * `workflow_failure_exception_types` turn an exception of this class chain (the class, then its
 * bases) into a workflow failure for the workflow type; 'unknown' when a list cannot be read.
 */
export function failureCoverage(modules: PythonModules, workflows: PythonWorkflow[], workers: PythonWorker[], facts = readWorkers(modules, workers)) {
  const definitionTypes = failureExceptionTypes(workflows, modules);
  return (name: string, chain: string[]): 'covered' | 'uncovered' | 'unknown' => {
    const workflow = workflows.find((w) => w.name === name);
    const listed = definitionTypes.get(name);
    if (listed && listed !== 'unknown' && covers(listed, chain)) return 'covered';
    const registering = workers.filter((w) => workflow && w.workflowNames !== 'unknown' && w.workflowNames.includes(workflow.name));
    const pool = registering.length ? registering : workers;
    const lists = pool.map((w) => facts.failureTypes.get(w.id) ?? []);
    if (lists.length && (registering.length ? lists.every((l) => l !== 'unknown' && covers(l, chain)) : lists.some((l) => l !== 'unknown' && covers(l, chain)))) return 'covered';
    return listed === 'unknown' || lists.includes('unknown') ? 'unknown' : 'uncovered';
  };
}

/**
 * Whether the workers' `workflow_failure_exception_types` cover an exception raised by a workflow
 * interceptor (it runs for every workflow of the workers that install it): the workers whose
 * `interceptors=` names one of `interceptorNames`, else every worker.
 */
export function workerFailureCoverage(modules: PythonModules, workers: PythonWorker[], facts = readWorkers(modules, workers)) {
  return (interceptorNames: string[], chain: string[]): 'covered' | 'uncovered' | 'unknown' => {
    const installing = workers.filter((w) => interceptorNames.some((name) => new RegExp(`\\b${name}\\b`).test(facts.interceptors.get(w.id) ?? '')));
    const pool = installing.length ? installing : workers;
    const lists = pool.map((w) => facts.failureTypes.get(w.id) ?? []);
    if (lists.includes('unknown')) return 'unknown';
    return lists.length > 0 && lists.every((l) => l !== 'unknown' && covers(l, chain)) ? 'covered' : 'uncovered';
  };
}

/** What the project's `Worker(...)` calls say about the sandbox and failure types, by worker id. */
function readWorkers(modules: PythonModules, workers: PythonWorker[]) {
  const unsandboxed = new Set<string>();
  const customRunner = new Set<string>();
  const lifted = new Set<string>();
  const unsandboxedAt = new Map<string, SourceLocation>();
  /** Workers whose SandboxedWorkflowRunner passes every module through (`with_passthrough_all_modules()`), at that call. */
  const passthroughAllAt = new Map<string, SourceLocation>();
  const passthroughRunner = new Set<string>();
  const failureTypes = new Map<string, string[] | 'unknown'>();
  /** The source text of each worker's `interceptors=` argument. */
  const interceptors = new Map<string, string>();
  const passthroughModules: string[] = [];
  for (const [file, parsed] of modules.files) {
    if (parsed.text.includes('invalid_module_members')) {
      // Restrictions removed from a copy of the defaults: `del children["datetime"]`, `children.pop("datetime")`.
      for (const node of parsed.tree.rootNode.descendantsOfType(['delete_statement', 'call'])) {
        if (!node || (node.type === 'call' && node.childForFieldName('function')?.childForFieldName('attribute')?.text !== 'pop')) continue;
        for (const literal of node.descendantsOfType('string')) {
          const value = literal ? stringLiteral(literal) : undefined;
          if (value && /^[\w.]+$/.test(value)) lifted.add(value.split('.')[0]!);
        }
      }
    }
    // passthrough_modules=SandboxRestrictions.passthrough_modules_default | {"pkg"}, or a variable of that name.
    for (const node of parsed.tree.rootNode.descendantsOfType(['keyword_argument', 'assignment'])) {
      const key = node?.type === 'keyword_argument' ? node.childForFieldName('name') : node?.childForFieldName('left');
      const value = node?.type === 'keyword_argument' ? node.childForFieldName('value') : node?.childForFieldName('right');
      if (!key || !value || !/passthrough_modules$/.test(key.text)) continue;
      for (const literal of value.descendantsOfType('string')) {
        const name = literal ? stringLiteral(literal) : undefined;
        if (name && /^[\w.]+$/.test(name)) passthroughModules.push(name);
      }
    }
    for (const call of parsed.tree.rootNode.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      if (!call || !callee) continue;
      // SandboxedWorkflowRunner(restrictions=SandboxRestrictions.default.with_passthrough_modules("pkg.mod"))
      if (callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'with_passthrough_modules') {
        for (const argument of callArguments(call).positional) {
          const name = stringLiteral(argument);
          if (name) passthroughModules.push(name);
        }
        continue;
      }
      if (modules.qualifiedName(file, callee) !== 'temporalio.worker.Worker') continue;
      const location = locateNode(file, call);
      const worker = workers.find((w) => w.location.file === file && w.location.line === location.line && w.location.column === location.column);
      if (!worker) continue;
      const args = callArguments(call);
      const runner = args.keywords.get('workflow_runner');
      const runnerCall = runner ? unparenthesize(runner) : undefined;
      const runnerName = runnerCall?.type === 'call' ? modules.qualifiedName(file, runnerCall.childForFieldName('function')!) : undefined;
      if (runnerName === UNSANDBOXED_RUNNER) {
        unsandboxed.add(worker.id);
        unsandboxedAt.set(worker.id, locateNode(file, runner!.parent ?? runner!));
      } else if (runner && defaultWithPassthrough(runner, file, modules, 0)) {
        // the default restrictions with modules passed through: read, nothing lifted
        passthroughRunner.add(worker.id);
      } else if (runnerCall && !(runnerName === SANDBOXED_RUNNER && callArguments(runnerCall).keywords.size === 0 && callArguments(runnerCall).positional.length === 0)) {
        customRunner.add(worker.id);
      }
      const passingAll = runner ? passthroughAllOf(runner, file, modules, 0) : undefined;
      if (passingAll) passthroughAllAt.set(worker.id, locateNode(file, passingAll));
      const listed = args.keywords.get('workflow_failure_exception_types');
      failureTypes.set(worker.id, listed ? classNames(listed) : args.spreads.length ? 'unknown' : []);
      const installed = args.keywords.get('interceptors');
      if (installed) interceptors.set(worker.id, installed.text);
    }
  }
  return { unsandboxed, unsandboxedAt, passthroughAllAt, customRunner, passthroughRunner, lifted, failureTypes, interceptors, passthroughModules };
}

/**
 * Whether a worker's `workflow_runner=` value is `SandboxedWorkflowRunner(restrictions=SandboxRestrictions.default.with_passthrough_modules("a", ...))`
 * (directly or through names bound once): the default restrictions, with only named modules passed
 * through, which the review reads as the defaults (the modules are in the passthrough list).
 */
function defaultWithPassthrough(node: PythonNode, file: string, modules: PythonModules, depth: number): boolean {
  if (depth > 3) return false;
  const value = unparenthesize(node.type === 'keyword_argument' ? (node.childForFieldName('value') ?? node) : node);
  if (value.type === 'identifier') {
    const bound = boundOnce(value, file, modules);
    return bound ? defaultWithPassthrough(bound, file, modules, depth + 1) : false;
  }
  if (value.type !== 'call') return false;
  const callee = value.childForFieldName('function');
  if (!callee) return false;
  const args = callArguments(value);
  if (modules.qualifiedName(file, callee) === SANDBOXED_RUNNER) {
    if (args.spreads?.length || args.positional.length + args.keywords.size !== 1) return false;
    const restrictions = args.keywords.get('restrictions') ?? args.positional[0];
    return restrictions ? defaultWithPassthrough(restrictions, file, modules, depth + 1) : false;
  }
  if (callee.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'with_passthrough_modules') return false;
  const object = callee.childForFieldName('object');
  const base = object ? modules.qualifiedName(file, object) : undefined;
  return (
    base === 'temporalio.worker.workflow_sandbox.SandboxRestrictions.default' &&
    args.keywords.size === 0 &&
    args.positional.length > 0 &&
    args.positional.every((argument) => stringLiteral(argument) !== undefined)
  );
}

/**
 * In a worker's `workflow_runner=` value: the `with_passthrough_all_modules()` call (or the
 * `passthrough_all_modules=True` keyword) of the SandboxRestrictions its SandboxedWorkflowRunner
 * is given, directly or through a name bound once in the function or the module. With it the
 * sandbox imports no module of its own, the workflow's module included (temporalio 1.35.0,
 * workflow_sandbox/_importer.py: module_configured_passthrough), so the workflow code runs with the
 * host's datetime, random and uuid modules and nothing restricts them; only builtins such as
 * open() stay restricted.
 */
function passthroughAllOf(node: PythonNode, file: string, modules: PythonModules, depth: number): PythonNode | undefined {
  if (depth > 3) return undefined;
  const value = unparenthesize(node.type === 'keyword_argument' ? (node.childForFieldName('value') ?? node) : node);
  if (value.type === 'identifier') {
    const bound = boundOnce(value, file, modules);
    return bound ? passthroughAllOf(bound, file, modules, depth + 1) : undefined;
  }
  if (value.type !== 'call') return undefined;
  const callee = value.childForFieldName('function');
  if (!callee) return undefined;
  if (callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'with_passthrough_all_modules') return value;
  const args = callArguments(value);
  const keyword = args.keywords.get('passthrough_all_modules');
  if (keyword && unparenthesize(keyword).text === 'True') return keyword.parent ?? keyword;
  // SandboxedWorkflowRunner(restrictions=...) or SandboxedWorkflowRunner(<restrictions>), and a
  // chain on the restrictions (`SandboxRestrictions.default.with_passthrough_all_modules().with_...`).
  if (modules.qualifiedName(file, callee) === SANDBOXED_RUNNER) {
    const restrictions = args.keywords.get('restrictions') ?? args.positional[0];
    return restrictions ? passthroughAllOf(restrictions, file, modules, depth + 1) : undefined;
  }
  const object = callee.type === 'attribute' ? callee.childForFieldName('object') : undefined;
  return object ? passthroughAllOf(object, file, modules, depth + 1) : undefined;
}

/** The value a name is bound to when the function around it (or else the module) assigns it exactly once. */
function boundOnce(name: PythonNode, file: string, modules: PythonModules): PythonNode | undefined {
  const fn = enclosing(name, ['function_definition']);
  if (fn) {
    const assigned = (fn.childForFieldName('body')?.descendantsOfType('assignment') ?? []).filter((a): a is PythonNode => a?.childForFieldName('left')?.text === name.text);
    if (assigned.length > 1) return undefined;
    if (assigned.length === 1) return assigned[0]!.childForFieldName('right') ?? undefined;
    const parameters = fn.childForFieldName('parameters');
    if (parameters?.descendantsOfType('identifier').some((p) => p?.text === name.text)) return undefined;
  }
  const definition = modules.lookup(file, name.text);
  return definition?.kind === 'assignment' ? definition.value : undefined;
}

/** `@workflow.defn(failure_exception_types=[...])` per workflow type. */
function failureExceptionTypes(workflows: PythonWorkflow[], modules: PythonModules): Map<string, string[] | 'unknown'> {
  const result = new Map<string, string[] | 'unknown'>();
  for (const workflow of workflows) {
    const decorator = decoratorsOf(workflow.node).find((d) => d.call && modules.qualifiedName(workflow.file, d.expression) === 'temporalio.workflow.defn');
    const listed = decorator?.call ? callArguments(decorator.call).keywords.get('failure_exception_types') : undefined;
    if (listed) result.set(workflow.name, classNames(listed));
  }
  return result;
}

/** The class names of a list/tuple literal of classes (`[ValueError, errors.Bad]`), or 'unknown'. */
function classNames(node: PythonNode): string[] | 'unknown' {
  const target = unparenthesize(node);
  if (target.type !== 'list' && target.type !== 'tuple') return 'unknown';
  const names: string[] = [];
  for (const element of namedChildrenOf(target)) {
    if (element.type === 'identifier') names.push(element.text);
    else if (element.type === 'attribute') names.push(element.childForFieldName('attribute')?.text ?? '');
    else return 'unknown';
  }
  return names;
}

function covers(listed: string[], chain: string[]): boolean {
  return listed.some((name) => name === 'Exception' || name === 'BaseException' || chain.includes(name));
}


/** True when a with statement's items call the function (`with workflow.unsafe.imports_passed_through():`). */
function withCalls(statement: PythonNode, qualified: string, file: string, modules: PythonModules): boolean {
  for (const call of statement.descendantsOfType('call')) {
    if (!call || call.startIndex >= (statement.childForFieldName('body')?.startIndex ?? Infinity)) continue;
    const callee = call.childForFieldName('function');
    if (callee && modules.qualifiedName(file, callee) === qualified) return true;
  }
  return false;
}

function insideWith(node: PythonNode, stop: PythonNode, qualified: string, file: string, modules: PythonModules): boolean {
  for (let current = node.parent; current && current.id !== stop.parent?.id; current = current.parent) {
    if (current.type === 'with_statement' && withCalls(current, qualified, file, modules)) return true;
  }
  return false;
}


/**
 * `Service.build(x)`: a `@staticmethod` or `@classmethod` of a project class called through the
 * class name (`Service` defined in or imported into this file).
 */
function staticMethodTarget(callee: PythonNode, file: string, modules: PythonModules): { file: string; node: PythonNode } | undefined {
  if (callee.type !== 'attribute') return undefined;
  const object = callee.childForFieldName('object');
  const attribute = callee.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || !attribute) return undefined;
  const definition = modules.lookup(file, object.text);
  if (definition?.kind !== 'class') return undefined;
  const method = classMembers(definition.node).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === attribute);
  if (!method || !decoratorsOf(method).some((d) => d.expression.text === 'staticmethod' || d.expression.text === 'classmethod')) return undefined;
  return { file: definition.file, node: method };
}

function withFile(reraises: Reraise[], file: string): Walk['reraises'] {
  return reraises.map((r) => ({ ...r, file }));
}

/**
 * The TypeScript check's null guard, in Python: the raise is the only statement of an `if` whose
 * condition tests values for missing (`x is None`, `x == None`, `not x`, `not self.x`, joined by
 * `or`), and none of them is a parameter of the workflow's own method (a check of the workflow's
 * input stays an error: a caller can send that today).
 */
/**
 * The closest test around a raise written in `entry` itself, when every test around it (`if` and
 * `elif` conditions of its chain, conditional expressions) reads only `entry`'s parameters
 * (readsOnlyParameters: attributes of them, `len`, `isinstance`, literals). Undefined for a raise
 * in an except clause, in a nested function, or with no test around it.
 */
function inputDeterminedGuard(raise: PythonNode, entry: PythonNode, asserted?: PythonNode): string | undefined {
  // An assert's own condition is the test closest to it.
  const guards: PythonNode[] = asserted ? [asserted] : [];
  let child: PythonNode = raise;
  for (let node = raise.parent; node && node.id !== entry.id; child = node, node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'except_clause' || node.type === 'except_group_clause') return undefined;
    if (node.type === 'if_statement' || node.type === 'elif_clause') {
      const condition = node.childForFieldName('condition');
      if (condition && condition.id !== child.id) guards.push(condition);
      // An elif or else runs only after the earlier tests of its chain failed.
      if (node.type === 'if_statement' && child.type !== 'block') {
        for (const clause of namedChildrenOf(node)) {
          if (clause.id === child.id) break;
          const earlier = clause.type === 'elif_clause' ? clause.childForFieldName('condition') : undefined;
          if (earlier) guards.push(earlier);
        }
      }
    } else if (node.type === 'conditional_expression') return undefined;
  }
  if (!child || guards.length === 0 || !guards.every((guard) => readsOnlyParameters(guard, entry))) return undefined;
  return guards[0]!.text.replace(/\s+/g, ' ');
}

/**
 * The assert form of the null guard: `assert x`, `assert x is not None`, `assert x.y != None`,
 * joined by `and`, where no tested name is a parameter of the workflow's method.
 */
function isNullAssertion(condition: PythonNode, entry: PythonNode): boolean {
  const roots: string[] = [];
  if (!testsPresence(condition, roots, true) || roots.length === 0) return false;
  const inputs = parameterNames(entry);
  return !roots.some((root) => inputs.has(root));
}

function parameterNames(entry: PythonNode): Set<string> {
  const inputs = new Set<string>();
  for (const parameter of namedChildrenOf(entry.childForFieldName('parameters') ?? entry)) {
    const name = parameter.type === 'identifier' ? parameter : parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier');
    if (name && name.text !== 'self' && name.text !== 'cls') inputs.add(name.text);
  }
  return inputs;
}

function isNullGuard(raise: PythonNode, entry: PythonNode): boolean {
  const block = raise.parent;
  const guard = block?.parent;
  if (!block || block.type !== 'block' || guard?.type !== 'if_statement' || guard.childForFieldName('consequence')?.id !== block.id) return false;
  if (namedChildrenOf(block).filter((c) => c.type !== 'comment').length !== 1) return false;
  const inputs = parameterNames(entry);
  const roots: string[] = [];
  const condition = guard.childForFieldName('condition');
  if (!condition || !testsPresence(condition, roots, false) || roots.length === 0) return false;
  return !roots.some((root) => inputs.has(root));
}

function mergeCaught(a: string[] | 'all', b: string[] | 'all'): string[] | 'all' {
  return a === 'all' || b === 'all' ? 'all' : [...a, ...b];
}

/** The right operand of `x or call()`, or the branch of `call() if x is None else x` / `if x is None:` taken when a parameter is missing. */
function isFallback(node: PythonNode, stop: PythonNode): boolean {
  for (let current: PythonNode | null = node; current && current.id !== stop.id; current = current.parent) {
    const parent = current.parent;
    if (!parent) break;
    if (parent.type === 'boolean_operator' && parent.childForFieldName('right')?.id === current.id && parent.children.some((c) => c?.type === 'or')) return true;
    if (parent.type === 'conditional_expression' && /\bis\s+(?:not\s+)?None\b/.test(parent.text)) return true;
    if (parent.type === 'if_statement' && parent.childForFieldName('consequence')?.id === current.id && /\bis\s+None\b|^not\s+\w+$/.test(parent.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}

/** Under `if not workflow.unsafe.is_replaying():` (or any condition that asks it). */
function replayGuarded(node: PythonNode, stop: PythonNode, file: string, modules: PythonModules): boolean {
  for (let current = node.parent; current && current.id !== stop.parent?.id; current = current.parent) {
    if (current.type !== 'if_statement') continue;
    const condition = current.childForFieldName('condition');
    if (!condition) continue;
    const asks = [condition, ...condition.descendantsOfType('call')].some((c) => {
      const callee = c?.type === 'call' ? c.childForFieldName('function') : undefined;
      return callee !== undefined && callee !== null && modules.qualifiedName(file, callee) === IS_REPLAYING;
    });
    if (asks) return true;
  }
  return false;
}

function insideTypeChecking(node: PythonNode): boolean {
  for (let current = enclosing(node, ['if_statement']); current; current = enclosing(current, ['if_statement'])) {
    if (/^(?:typing\.)?TYPE_CHECKING$/.test(current.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}

/** The leftmost identifier of `a.b.c`. */
function headIdentifier(node: PythonNode): PythonNode | undefined {
  let current = node;
  while (current.type === 'attribute') {
    const object = current.childForFieldName('object');
    if (!object) return undefined;
    current = object;
  }
  return current.type === 'identifier' ? current : undefined;
}

/** The head of a dotted name is an import of this file and no local variable hides it. */
function importBound(node: PythonNode, file: string, locals: Set<string>, modules: PythonModules): boolean {
  const head = headIdentifier(node);
  return head !== undefined && !locals.has(head.text) && modules.importsOf(file).has(head.text);
}

/** Parameters and names assigned in a function: they hide module-level imports of the same name. */
function localNames(fn: PythonNode): Set<string> {
  const names = new Set<string>();
  const parameters = fn.childForFieldName('parameters');
  // The parameters' own names: not the names their annotations and defaults read (`day: datetime | None = None`).
  for (const parameter of parameters ? namedChildrenOf(parameters) : []) {
    const name = parameterName(parameter);
    if (name) names.add(name);
  }
  for (const node of fn.childForFieldName('body')?.descendantsOfType(['assignment', 'for_statement', 'as_pattern', 'with_item']) ?? []) {
    if (!node) continue;
    const left = node.type === 'assignment' ? node.childForFieldName('left') : node.type === 'for_statement' ? node.childForFieldName('left') : node.type === 'as_pattern' ? node.childForFieldName('alias') : null;
    for (const identifier of left ? [left, ...left.descendantsOfType('identifier')] : []) if (identifier?.type === 'identifier') names.add(identifier.text);
  }
  return names;
}

/** Names an import statement binds in its file. */
function boundNames(statement: PythonNode): string[] {
  const names: string[] = [];
  const items = statement.type === 'import_statement' ? namedChildrenOf(statement) : statement.childrenForFieldName('name').filter((n): n is PythonNode => n !== null);
  for (const item of items) {
    if (item.type === 'aliased_import') names.push(item.childForFieldName('alias')?.text ?? '');
    else names.push(statement.type === 'import_statement' ? item.text.split('.')[0]! : item.text);
  }
  return names.filter(Boolean);
}

/** One line of source for a message: the first line, with `...)` when the expression goes on. */
function sourceText(node: PythonNode): string {
  const [first, ...rest] = node.text.split('\n');
  const line = first!.length > 80 ? `${first!.slice(0, 80)}...` : first!;
  return rest.length ? `${line.trimEnd()} ...)` : line;
}
