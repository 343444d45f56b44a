// Where a Python activity hides its own failures from its retry policy: an `except` clause that
// takes every exception (bare, `Exception`, `BaseException`) of awaited work and either returns a
// failure value (`return Result(ok=False)`, `return {"success": False, "error": str(e)}`) or only
// logs and lets the activity go on. The same readings as the TypeScript checks
// activity-failure-returned and activity-failure-swallowed, in Python's syntax.
//
// The work a clause guards is the first awaited call of the try that can raise, or, when it awaits
// none, the first call of a sync client it makes (python-blocking-calls.ts: a SQLAlchemy session, an
// SFTP transport reached through a `with` block's __enter__): Python code does I/O without `await`,
// in `def` activities and with sync clients in `async def` ones, and that I/O fails in an outage as
// an awaited call does. A try around computation only (parsing, json) is not read as guarding work.
//
// Read in the activity's body and in the project functions it hands its work to, two levels
// down: for the returned shape, a helper whose result the activity returns (`return await
// helper(...)`); for the swallowed shape, also one whose result it drops (`await helper(...)`).
// Left alone: a clause that raises, awaits, chooses (`if`, a conditional expression) unless every
// branch returns a failure marker (the returned shape: whatever it tests, every exception still ends
// as a returned failure), or is commented (or logged) as best effort, a try followed by a `raise`,
// a try whose awaited calls are all project functions that cannot raise (their body is a try that
// lets nothing out) or `asyncio.gather(..., return_exceptions=True)` (which returns the exceptions),
// and, for the swallowed shape,
// a try whose body sets a name the code tests after it, or whose work is a step commonly let go on
// purpose (a notification, a cache write, cleanup).

import { BEST_EFFORT } from '../swallowed-failures.js';
import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import { functionTarget } from './python-activities.js';
import { catchesAll, exceptClauses, type ExceptClause } from './python-caught-errors.js';
import type { PythonModules } from './python-modules.js';
import { isPythonLogCall } from './python-swallowed-failures.js';
import { classMembers, commentsAbove, enclosing, fieldPairs, locateNode, namedChildrenOf, stringLiteral } from './python-syntax.js';
import type { ActivityProxyFacts } from '../types.js';
import { callAt } from './python-worker-runtime.js';
import { blockingCallsOf } from './python-blocking-calls.js';
import type { BlockingCall } from '../types.js';

export interface PythonActivityFailure {
  /**
   * returned: an except clause returns a failure value; swallowed: it only logs (or passes) and
   * goes on; unread: the activity returns a failure value outside any except clause (`if not row:
   * return {"error": "Customer not found"}`), kept only when no workflow call reads any field of it.
   */
  kind: 'returned' | 'swallowed' | 'unread';
  /** The activity type and where it is defined. */
  activity: string;
  activityLocation: SourceLocation;
  /** The return in the clause (returned), or the except clause (swallowed). */
  location: SourceLocation;
  /** The awaited call whose failure the clause takes, as written (`client.post(...)`). */
  call: string;
  callLocation: SourceLocation;
  /** The failure value returned (returned shape). */
  value?: string;
  /**
   * Returned shape: the clause logs the error and returns an empty default (`None`, `[]`,
   * `{"score": None, "items": []}`) that carries no sign of the failure, so no caller can tell it
   * from a real empty result.
   */
  emptyDefault?: boolean;
  /** The empty default is commented (or logged) as meant: not failing is the author's choice. */
  fallbackMeant?: boolean;
  /** Helper names from the activity down to the function holding the try. */
  via: string[];
  /** The clause runs once per item or page (swallowed shape). */
  perItem: boolean;
  /**
   * Returned shape: the workflow calls of the activity, when every one drops the result or reads
   * only other fields of it (`booked["label_id"]`), so no workflow looks at the failure.
   */
  unreadBy?: SourceLocation[];
  /** Unread shape: the fields the failure value sets (`error`), and the other fields the workflow reads instead. */
  keys?: string[];
  readInstead?: string[];
  /** Swallowed shape: the clause is only `pass` (or `continue`), with no log of the failure. */
  silent?: boolean;
  /**
   * Returned shape: the workflow calls of the activity, when every one keeps the result, tests a
   * failure field of it (`if not result["ok"]:`, `if result.status == "failed":`) and acts on the
   * test (raises, returns, retries, awaits a compensation, records the failure): the workflow
   * handles the failure; the fields tested.
   */
  handledBy?: SourceLocation[];
  handledFields?: string[];
}

const HELPER_DEPTH = 2;
/** A flag that says whether the step worked: `success`, `ok`, or a step's own (`registration_success`). */
const FAILURE_FLAGS = /^(success|succeeded|ok|is_success|successful|[a-z]\w*(_success|Success))$/;
/** The flags whose computed value (`"success": proc.returncode == 0`) says whether the step worked. */
const COMPUTED_FLAGS = /^(success|succeeded|ok|is_success|successful)$/;
/** The key of a value that tells the step's outcome by a status (`"status": "failed"`, `state=State.ERROR`). */
const STATUS_KEYS = /^(status|state)$/;
const ERROR_KEYS = /^(error|errors|err|error_message|failure|failure_reason)$/;
const FAILED_STATUS = /^(fail|failed|failure|error|errored)$/i;
const FAILURE_MESSAGE = /^\s*(failed|failure|error|could not|couldn't|unable to)\b/i;
/** Steps whose failure is commonly let go on purpose (see activity-failure-swallowed.ts). */
const BEST_EFFORT_WORK =
  /notif|(send|deliver|dispatch|queue)\w*mail|mail(er|gun|chimp)|(e-?mail|mail)\w*\.(send|deliver|queue)|smtp|sendgrid|postmark|slack|discord|telegram|webhook|sms\b|alert|cache|metric|track|analytic|telemetry|posthog|sentry|audit|progress|heartbeat|(update|set|mark|report)_?\w*status|log(s|ging)?\b|clean|unlink|(?:^|\.)(rm|rmdir|rmtree|remove)\b|close|disconnect|release|unlock|dispose|destroy|shutdown|invalidat|screenshot|thumbnail|preview/i;
/** A name whose assignment records the failure (`failed = True`, `last_error = e`). */
const FAILURE_RECORD = /err|fail|success|succeeded|^ok$|^ok_|_ok$|status|problem/i;
const LOOPS = new Set(['for_statement', 'while_statement', 'list_comprehension', 'generator_expression', 'set_comprehension', 'dictionary_comprehension']);

interface Scope {
  fn: PythonNode;
  file: string;
  via: string[];
  perItem: boolean;
  /** The activity returns this function's result (the returned shape reaches the activity's caller). */
  returned: boolean;
}

export function pythonActivityFailures(activities: PythonActivity[], modules: PythonModules): PythonActivityFailure[] {
  const found: PythonActivityFailure[] = [];
  const seenClauses = new Set<number>();
  const blockingCache = new Map<number, BlockingCall[]>();
  for (const activity of activities) {
    found.push(...plainFailureReturns(activity));
    for (const scope of scopesOf(activity, modules)) {
      const body = scope.fn.childForFieldName('body');
      if (!body) continue;
      for (const statement of tryStatementsIn(body)) {
        const tryBody = statement.childForFieldName('body');
        if (!tryBody || insideHandler(statement, body)) continue;
        const awaited = firstAwaitedCall(tryBody, (candidate) => canRaise(candidate, scope, modules));
        const blocking = awaited ? undefined : firstBlockingCall(tryBody, scope, modules, blockingCache);
        const call = awaited ?? blocking?.call;
        if (!call) continue;
        const callee = call.childForFieldName('function');
        const callText = blocking?.api ?? describeAwaited(call);
        const clause = exceptClauses(statement).find(catchesAll);
        if (!clause || seenClauses.has(clause.node.id)) continue;
        const block = namedChildrenOf(clause.node).find((child) => child.type === 'block');
        if (!block || raises(block) || awaits(block) || raiseFollows(statement, body)) continue;
        const meant = commentedBestEffort(statement, tryBody, clause, scope.fn);
        // An empty default commented as meant is still taken at the first error, a transient one
        // included: the note says so (the fallback itself is not questioned).
        const empty = scope.returned ? emptyDefault(block) : undefined;
        if (meant && !empty) continue;
        const base = { activity: activity.name, activityLocation: activity.location, call: callText, callLocation: locateNode(scope.file, call), via: scope.via };
        const returned = scope.returned && !meant ? returnedFailure(block, (value) => helperBuildsFailure(value, scope.fn, scope.file, modules)) : undefined;
        if (returned) {
          seenClauses.add(clause.node.id);
          found.push({ ...base, kind: 'returned', location: locateNode(scope.file, returned.statement), value: returned.value, perItem: false });
          continue;
        }
        if (empty && !BEST_EFFORT_WORK.test(callee?.text ?? '') && !BEST_EFFORT_WORK.test(callText) && !BEST_EFFORT_WORK.test(scope.via.at(-1) ?? '')) {
          seenClauses.add(clause.node.id);
          found.push({ ...base, kind: 'returned', location: locateNode(scope.file, empty.statement), value: empty.value, emptyDefault: true, ...(meant ? { fallbackMeant: true } : {}), perItem: false });
          continue;
        }
        const swallowed = swallows(block) ? 'logged' : silent(clause.node, block) ? 'silent' : undefined;
        if (!swallowed || setsNameTestedAfter(statement, tryBody, body)) continue;
        if (BEST_EFFORT_WORK.test(callee?.text ?? '') || BEST_EFFORT_WORK.test(scope.via.at(-1) ?? '')) continue;
        const perItem = scope.perItem || inLoop(statement, body);
        // A bare `except Exception: pass` is often a deliberate "ignore": reported only once per
        // item or page, where an outage empties the activity's result within one attempt.
        if (swallowed === 'silent' && !perItem) continue;
        seenClauses.add(clause.node.id);
        found.push({ ...base, kind: 'swallowed', location: locateNode(scope.file, clause.node), perItem, ...(swallowed === 'silent' ? { silent: true } : {}) });
      }
    }
  }
  return found;
}

/**
 * The activity's own returns of a failure value outside any except clause: a lookup that found
 * nothing, a check that failed (`if not row: return {"error": "Customer not found"}`). A dict or a
 * call with keywords that carries a failure marker; a plain message is left alone (a workflow cannot
 * read a field of it). Kept only when markUnreadFailures finds no workflow call reading any of its fields.
 */
function plainFailureReturns(activity: PythonActivity): PythonActivityFailure[] {
  const found: PythonActivityFailure[] = [];
  const body = activity.node.childForFieldName('body');
  if (!body) return found;
  visitInScope(body, (node) => {
    if (node.type !== 'return_statement') return;
    const value = namedChildrenOf(node)[0];
    if (!value || (value.type !== 'dictionary' && value.type !== 'call') || !failureMarker(value)) return;
    if (enclosing(node, ['except_clause', 'except_group_clause', 'finally_clause'])) return;
    const location = locateNode(activity.location.file, node);
    found.push({
      kind: 'unread',
      activity: activity.name,
      activityLocation: activity.location,
      location,
      call: '',
      callLocation: location,
      value: shorten(value.text),
      via: [],
      perItem: false,
      keys: fieldPairs(value).map(([name]) => name),
    });
  });
  return found;
}

/** The activity and the project functions it hands its work to, two levels down. */
function scopesOf(activity: PythonActivity, modules: PythonModules): Scope[] {
  const scopes: Scope[] = [{ fn: activity.node, file: activity.location.file, via: [], perItem: false, returned: true }];
  const seen = new Set<number>([activity.node.id]);
  for (let index = 0; index < scopes.length; index++) {
    const scope = scopes[index]!;
    if (scope.via.length >= HELPER_DEPTH) continue;
    const body = scope.fn.childForFieldName('body');
    if (!body) continue;
    visitInScope(body, (node) => {
      if (node.type !== 'call') return;
      const use = resultUse(node);
      if (!use) return;
      const callee = node.childForFieldName('function');
      const target = callee ? functionTarget(callee, scope.fn, scope.file, modules) : undefined;
      if (!target || seen.has(target.node.id)) return;
      seen.add(target.node.id);
      const name = target.node.childForFieldName('name')?.text ?? 'a helper';
      scopes.push({ fn: target.node, file: target.file, via: [...scope.via, name], perItem: scope.perItem || inLoop(node, body), returned: scope.returned && use === 'returned' });
    });
  }
  return scopes;
}

/** `return await helper(...)` / `return helper(...)`: returned; `await helper(...)` as a statement, or an element of a gather: dropped. */
function resultUse(call: PythonNode): 'returned' | 'dropped' | undefined {
  let node = call;
  while (node.parent && (node.parent.type === 'await' || node.parent.type === 'parenthesized_expression')) node = node.parent;
  const parent = node.parent;
  if (!parent) return undefined;
  if (parent.type === 'return_statement') return 'returned';
  if (parent.type === 'expression_statement') return 'dropped';
  if (parent.type === 'list_comprehension' || parent.type === 'generator_expression' || parent.type === 'argument_list' || parent.type === 'list') {
    // `await asyncio.gather(*[helper(x) for x in items])`, `gather(helper(a), helper(b))`
    return /gather|wait|run|map/.test(enclosingCallName(parent)) ? 'dropped' : undefined;
  }
  return undefined;
}

function enclosingCallName(node: PythonNode): string {
  for (let current: PythonNode | null = node; current; current = current.parent) {
    if (current.type === 'call') return current.childForFieldName('function')?.text ?? '';
    if (current.type === 'block' || current.type === 'function_definition') return '';
  }
  return '';
}

/** Every node in scope (not in nested functions, classes or lambdas). */
function visitInScope(node: PythonNode, visit: (node: PythonNode) => void): void {
  for (const child of namedChildrenOf(node)) {
    if (child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'lambda') continue;
    visit(child);
    visitInScope(child, visit);
  }
}

function tryStatementsIn(body: PythonNode): PythonNode[] {
  const found: PythonNode[] = [];
  visitInScope(body, (node) => {
    if (node.type === 'try_statement') found.push(node);
  });
  return found;
}

/** The first awaited call of the try body that can raise into it (not in an inner try that takes every exception). */
function firstAwaitedCall(tryBody: PythonNode, canRaise: (call: PythonNode) => boolean): PythonNode | undefined {
  let found: PythonNode | undefined;
  const visit = (node: PythonNode): void => {
    for (const child of namedChildrenOf(node)) {
      if (found) return;
      if (child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'lambda') continue;
      if (child.type === 'try_statement' && exceptClauses(child).some(catchesAll)) continue;
      if (child.type === 'await') {
        let inner = namedChildrenOf(child)[0];
        // `await (await x()).json()` / `await client.get(...).json()`: the innermost call
        while (inner?.type === 'call') {
          const callee = inner.childForFieldName('function');
          const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
          if (object?.type === 'call') inner = object;
          else break;
        }
        if (inner?.type === 'call' && !isImportCall(inner) && canRaise(inner)) {
          found = inner;
          return;
        }
      }
      visit(child);
    }
  };
  visit(tryBody);
  return found;
}

/**
 * The first call of a sync client (a database session, an HTTP or SFTP client: the blocking APIs of
 * python-blocking-calls.ts) that the try body makes, itself or through the project functions it
 * calls (`with SFTPUploader() as sftp:` reaching `paramiko.Transport(...)` in `__enter__`), outside
 * an inner try that takes every exception. Python code does I/O without `await` (every call of a
 * sync activity, and a sync client in an async one), and such a call fails in an outage as an
 * awaited one does. Returns the call written in the try body and the API it reaches.
 */
function firstBlockingCall(tryBody: PythonNode, scope: Scope, modules: PythonModules, cache: Map<number, BlockingCall[]>): { call: PythonNode; api: string } | undefined {
  let calls = cache.get(scope.fn.id);
  if (!calls) {
    calls = blockingCallsOf(scope.fn, scope.file, modules);
    cache.set(scope.fn.id, calls);
  }
  for (const blocking of calls) {
    // Hashing a file is local work, not a call that fails in an outage.
    if (blocking.api.startsWith('hashlib.')) continue;
    const anchor = blocking.via[0] ?? blocking.location;
    if (anchor.file !== scope.file) continue;
    const call = callAt(modules, anchor);
    if (!call || call.startIndex < tryBody.startIndex || call.endIndex > tryBody.endIndex) continue;
    if (insideCatchAll(call, tryBody)) continue;
    // A helper on the way that takes every exception itself (`except Exception: return None`)
    // keeps the failure from this try: the catch here never sees it.
    if (handledOnTheWay(blocking, modules)) continue;
    return { call, api: blocking.via.length > 0 ? `${blocking.api} (through ${(call.childForFieldName('function')?.text ?? 'a helper').replace(/\s+/g, '')}(...))` : `${blocking.api}(...)` };
  }
  return undefined;
}

/** `except requests.RequestException`, `except httpx.HTTPError`, `except PyMongoError`: the errors an outage raises. */
function catchesOutageErrors(clause: ExceptClause): boolean {
  return clause.classes.some((c) => /(^|\.)(RequestException|HTTPError|ConnectionError|Timeout|TimeoutError|ClientError|PyMongoError|SQLAlchemyError|OperationalError)$/.test(c.text));
}

/** A call between the activity's try and the blocking API sits in a try of its own function whose catch-all (or catch of outage errors) does not raise again. */
function handledOnTheWay(blocking: BlockingCall, modules: PythonModules): boolean {
  // Without helpers the call sits in the function of the try being read: nothing on the way.
  if (blocking.via.length === 0) return false;
  for (const location of [...blocking.via.slice(1), blocking.location]) {
    const node = callAt(modules, location);
    const fn = node ? enclosing(node, ['function_definition']) : undefined;
    if (!node || !fn) continue;
    for (let current = node; current.parent && current.parent.id !== fn.id; current = current.parent) {
      const parent = current.parent;
      if (parent.type !== 'try_statement' || parent.childForFieldName('body')?.id !== current.id) continue;
      if (exceptClauses(parent).some((clause) => (catchesAll(clause) || catchesOutageErrors(clause)) && !raises(clause.node))) return true;
    }
  }
  return false;
}

/** The node sits in the body of a try, inside root, that takes every exception. */
function insideCatchAll(node: PythonNode, root: PythonNode): boolean {
  for (let current = node; current.parent && current.parent.id !== root.id; current = current.parent) {
    const parent = current.parent;
    if (parent.type === 'try_statement' && parent.childForFieldName('body')?.id === current.id && exceptClauses(parent).some(catchesAll)) return true;
  }
  return false;
}

/**
 * Whether an awaited call can raise: not a call of a project function that handles its own
 * exceptions (its body is a try that takes every exception and lets nothing out, with nothing
 * outside it that awaits or raises), as the TypeScript reading of throwing awaits has it.
 */
function canRaise(call: PythonNode, scope: Scope, modules: PythonModules): boolean {
  const callee = call.childForFieldName('function');
  // A pause between items (`await asyncio.sleep(0.2)`) has no dependency to lose; its
  // cancellation is a BaseException that `except Exception` lets through.
  if (callee && LOCAL_WAITS.has(modules.qualifiedName(scope.file, callee) ?? '')) return false;
  // `asyncio.gather(..., return_exceptions=True)` hands each awaitable's exception back in its
  // result list instead of raising it: the try sees no failure from the work it gathers.
  if (callee && modules.qualifiedName(scope.file, callee) === 'asyncio.gather' && returnsExceptions(call)) return false;
  const target = callee ? calledFunction(callee, scope.fn, scope.file, modules) : undefined;
  return !(target && cannotRaise(target.node));
}

const LOCAL_WAITS = new Set(['asyncio.sleep', 'anyio.sleep', 'trio.sleep']);

/** The call passes `return_exceptions=True`. */
function returnsExceptions(call: PythonNode): boolean {
  const args = call.childForFieldName('arguments');
  return !!args && namedChildrenOf(args).some((arg) => arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === 'return_exceptions' && arg.childForFieldName('value')?.text === 'True');
}

function cannotRaise(fn: PythonNode): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  let guarded = false;
  for (const statement of namedChildrenOf(body)) {
    if (statement.type === 'comment' || statement.type === 'pass_statement') continue;
    if (statement.type === 'try_statement') {
      const clauses = exceptClauses(statement);
      if (!clauses.some(catchesAll) || clauses.some((clause) => raises(clause.node)) || namedChildrenOf(statement).some((part) => part.type !== 'block' && part.type !== 'except_clause' && part.type !== 'comment')) return false;
      if (clauses.some((clause) => awaits(clause.node))) return false;
      guarded = true;
      continue;
    }
    let quiet = true;
    visitInScope(statement, (node) => {
      if (node.type === 'await' || node.type === 'raise_statement' || node.type === 'assert_statement') quiet = false;
    });
    if (!quiet) return false;
  }
  return guarded;
}

function isImportCall(call: PythonNode): boolean {
  return /import_module$/.test(call.childForFieldName('function')?.text ?? '');
}

/** The try sits in an except, else or finally block: cleanup or handling of another failure. */
function insideHandler(statement: PythonNode, body: PythonNode): boolean {
  for (let current = statement.parent; current && current.id !== body.id; current = current.parent) {
    if (current.type === 'except_clause' || current.type === 'finally_clause' || current.type === 'except_group_clause') return true;
  }
  return false;
}

function inLoop(node: PythonNode, body: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== body.id; current = current.parent) if (LOOPS.has(current.type)) return true;
  return false;
}

function raises(block: PythonNode): boolean {
  let found = false;
  visitInScope(block, (node) => {
    if (node.type === 'raise_statement') found = true;
  });
  return found;
}

function awaits(block: PythonNode): boolean {
  let found = false;
  visitInScope(block, (node) => {
    if (node.type === 'await' && !(node.parent?.type === 'expression_statement' && isPythonLogCall(node.parent))) found = true;
  });
  return found;
}

/** The clause chooses (an `if`, a conditional expression, a `match`): it has looked at the failure. */
function decides(block: PythonNode): boolean {
  let found = false;
  visitInScope(block, (node) => {
    if (node.type === 'if_statement' || node.type === 'conditional_expression' || node.type === 'match_statement') found = true;
  });
  return found;
}

/**
 * The clause ends in a return of a failure marker and decides nothing, or decides (`if
 * isinstance(e, X): return {...}`) but returns a failure marker on every branch and every path
 * ends in a return: whatever it tests, every exception still ends as a returned failure.
 */
function returnedFailure(block: PythonNode, builds: (call: PythonNode) => boolean): { statement: PythonNode; value: string } | undefined {
  const statements = namedChildrenOf(block);
  const last = statements.at(-1);
  if (!last) return undefined;
  if (decides(block)) {
    if (!endsInReturn(block)) return undefined;
    const returns: PythonNode[] = [];
    visitInScope(block, (node) => {
      if (node.type === 'return_statement') returns.push(node);
    });
    if (returns.length === 0 || !returns.every((statement) => namedChildrenOf(statement)[0] && failureMarker(namedChildrenOf(statement)[0]!, builds))) return undefined;
    const reported = returns.at(-1)!;
    return { statement: reported, value: shorten(namedChildrenOf(reported)[0]!.text) };
  }
  if (last.type !== 'return_statement') return undefined;
  const value = namedChildrenOf(last)[0];
  if (!value) return undefined;
  return failureMarker(value, builds) ? { statement: last, value: shorten(value.text) } : undefined;
}

/** The call as written; for `asyncio.to_thread(fn, ...)` / `loop.run_in_executor(None, fn, ...)`, the function it runs. */
function describeAwaited(call: PythonNode): string {
  const callee = (call.childForFieldName('function')?.text ?? 'call').replace(/\s+/g, '');
  const args = namedChildrenOf(call.childForFieldName('arguments') ?? call).filter((arg) => arg.type !== 'comment');
  const runs = /(^|\.)to_thread$/.test(callee) ? args[0] : /(^|\.)run_in_executor$/.test(callee) ? args[1] : undefined;
  if (runs && (runs.type === 'identifier' || runs.type === 'attribute')) return `${runs.text.replace(/\s+/g, '')}(...) (run by ${callee})`;
  return `${callee}(...)`;
}

/** An empty value: `None`, `[]`, `{}`, `""`, `()`. */
function emptyValue(value: PythonNode): boolean {
  if (value.type === 'none') return true;
  if (value.type === 'list' || value.type === 'dictionary' || value.type === 'tuple') return namedChildrenOf(value).filter((c) => c.type !== 'comment').length === 0;
  if (value.type === 'string') return stringLiteral(value) === '';
  return false;
}

/**
 * The clause logs the error (at warning level or above) and returns an empty default: `None`,
 * `[]`, `{}`, or a dict literal whose every value is empty (`{"score": None, "items": []}`). The
 * value says nothing of the failure, so the caller takes it for a real, empty result. The clause
 * does nothing else (no `if`, no other statement).
 */
function emptyDefault(block: PythonNode): { statement: PythonNode; value: string } | undefined {
  const statements = namedChildrenOf(block).filter((statement) => statement.type !== 'comment' && statement.type !== 'pass_statement');
  const last = statements.at(-1);
  if (last?.type !== 'return_statement' || decides(block)) return undefined;
  const logs = statements.slice(0, -1);
  if (logs.length === 0 || !logs.every((statement) => statement.type === 'expression_statement' && isPythonLogCall(statement) && !quietLog(statement))) return undefined;
  const value = namedChildrenOf(last)[0];
  if (!value) return undefined;
  const empty = emptyValue(value) || (value.type === 'dictionary' && fieldPairs(value).length > 0 && namedChildrenOf(value).every((pair) => pair.type === 'comment' || (pair.type === 'pair' && pair.childForFieldName('value') !== null && emptyValue(pair.childForFieldName('value')!))));
  return empty ? { statement: last, value: shorten(value.text) } : undefined;
}

/** Every path through the block ends in a return: its last statement returns, or is an if whose every branch (an else included) does. */
function endsInReturn(block: PythonNode): boolean {
  const last = namedChildrenOf(block).filter((statement) => statement.type !== 'comment').at(-1);
  if (!last) return false;
  if (last.type === 'return_statement') return true;
  if (last.type !== 'if_statement') return false;
  const consequence = last.childForFieldName('consequence');
  if (!consequence || !endsInReturn(consequence)) return false;
  const alternatives = last.childrenForFieldName('alternative').filter((n): n is PythonNode => n !== null);
  if (!alternatives.some((alternative) => alternative.type === 'else_clause')) return false;
  return alternatives.every((alternative) => {
    const branch = alternative.childForFieldName(alternative.type === 'else_clause' ? 'body' : 'consequence');
    return branch !== null && endsInReturn(branch);
  });
}

/** `Result(ok=False)`, `{"success": False}`, `{"error": str(e)}`, `{"status": "failed"}`, `"Failed: ..."`. */
function failureMarker(value: PythonNode, builds?: (call: PythonNode) => boolean): boolean {
  if (value.type === 'call' && builds && !fieldPairs(value).some(([name]) => FAILURE_FLAGS.test(name) || ERROR_KEYS.test(name) || STATUS_KEYS.test(name)) && builds(value)) return true;
  if (value.type === 'string') {
    const text = stringLiteral(value) ?? value.text.replace(/^[rbuf]*["']+/i, '');
    return FAILURE_MESSAGE.test(text);
  }
  return fieldPairs(value).some(([name, item]) => {
    if (FAILURE_FLAGS.test(name)) return item.type === 'false';
    if (ERROR_KEYS.test(name)) return item.type !== 'none' && item.type !== 'false';
    if (STATUS_KEYS.test(name)) return failedStatus(item);
    return false;
  });
}

/** `"failed"`, `"ERROR"`, or an enum member named so (`Status.FAILED`, `JobState.ERROR`). */
function failedStatus(item: PythonNode): boolean {
  if (item.type === 'string') {
    const text = stringLiteral(item);
    return text !== undefined && FAILED_STATUS.test(text);
  }
  if (item.type !== 'attribute') return false;
  const object = item.childForFieldName('object');
  return object?.type === 'identifier' && /^[A-Z]/.test(object.text) && FAILED_STATUS.test(item.childForFieldName('attribute')?.text ?? '');
}

/** The project function a callee names: as functionTarget, and a method of a project class by the class's name (`Output.failure`, `Activities.check_support`). */
function calledFunction(callee: PythonNode, fn: PythonNode, file: string, modules: PythonModules): { file: string; node: PythonNode } | undefined {
  const target = functionTarget(callee, fn, file, modules);
  if (target || callee.type !== 'attribute') return target;
  const object = callee.childForFieldName('object');
  const definition = object?.type === 'identifier' ? modules.lookup(file, object.text) : undefined;
  const name = callee.childForFieldName('attribute')?.text;
  if (definition?.kind !== 'class') return undefined;
  const method = classMembers(definition.node).find((member) => member.type === 'function_definition' && member.childForFieldName('name')?.text === name);
  return method ? { file: definition.file, node: method } : undefined;
}

/**
 * `Output.failure(str(e))`, `failed_result(e)`: a call of a project function (or a method of a
 * project class) that builds the failure itself, every return of it a failure marker with a flag set
 * to false or a failed status (`return cls(success=False, error=error)`).
 */
function helperBuildsFailure(call: PythonNode, fn: PythonNode, file: string, modules: PythonModules): boolean {
  const callee = call.childForFieldName('function');
  const target = callee ? calledFunction(callee, fn, file, modules) : undefined;
  const body = target?.node.childForFieldName('body');
  if (!body) return false;
  const returns: PythonNode[] = [];
  visitInScope(body, (node) => {
    if (node.type === 'return_statement') returns.push(node);
  });
  return (
    returns.length > 0 &&
    returns.every((statement) => {
      const value = namedChildrenOf(statement)[0];
      if (!value || (value.type !== 'call' && value.type !== 'dictionary')) return false;
      return fieldPairs(value).some(([name, item]) => (FAILURE_FLAGS.test(name) && item.type === 'false') || (STATUS_KEYS.test(name) && failedStatus(item)));
    })
  );
}

/** The clause logs, and does nothing else but `pass`, `continue`, `break` or set a name that does not record the failure. */
function swallows(block: PythonNode): boolean {
  let logs = 0;
  for (const statement of namedChildrenOf(block)) {
    if (statement.type === 'pass_statement' || statement.type === 'continue_statement' || statement.type === 'break_statement') continue;
    if (statement.type === 'expression_statement' && isPythonLogCall(statement)) {
      // `logger.debug(...)` / `logger.info(...)` only: the author took the failure for an expected outcome.
      if (!quietLog(statement)) logs++;
      continue;
    }
    if (statement.type === 'expression_statement') {
      const expression = namedChildrenOf(statement)[0];
      if ((expression?.type === 'assignment' || expression?.type === 'augmented_assignment') && localNotRecording(expression)) continue;
    }
    return false;
  }
  return logs > 0;
}

/**
 * The clause is only `pass` or `continue`, with no comment anywhere in it (a comment says why the
 * failure is let go): the failure vanishes without a trace.
 */
function silent(clause: PythonNode, block: PythonNode): boolean {
  if (clause.descendantsOfType('comment').length > 0) return false;
  const statements = namedChildrenOf(block);
  return statements.length > 0 && statements.every((statement) => statement.type === 'pass_statement' || statement.type === 'continue_statement');
}

function quietLog(statement: PythonNode): boolean {
  let expression = namedChildrenOf(statement)[0];
  if (expression?.type === 'await') expression = namedChildrenOf(expression)[0];
  const callee = expression?.type === 'call' ? expression.childForFieldName('function') : undefined;
  return callee?.type === 'attribute' && /^(debug|info)$/.test(callee.childForFieldName('attribute')?.text ?? '');
}

function localNotRecording(assignment: PythonNode): boolean {
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  if (left?.type !== 'identifier' || FAILURE_RECORD.test(left.text)) return false;
  let awaited = false;
  if (right) visitInScope(right, (node) => (awaited ||= node.type === 'await'));
  return !awaited && right?.type !== 'await';
}

/** A comment above the try or in its body, the clause (comments and log messages), or the function's docstring says best effort. */
function commentedBestEffort(statement: PythonNode, tryBody: PythonNode, clause: ExceptClause, fn: PythonNode): boolean {
  const comments = tryBody.descendantsOfType('comment').map((comment) => comment?.text ?? '');
  return BEST_EFFORT.test(commentsAbove(statement).join('\n')) || BEST_EFFORT.test(comments.join('\n')) || BEST_EFFORT.test(clause.node.text) || BEST_EFFORT.test(docstringOf(fn));
}

function docstringOf(fn: PythonNode): string {
  const body = fn.childForFieldName('body');
  const first = body ? namedChildrenOf(body)[0] : undefined;
  const expression = first?.type === 'expression_statement' ? namedChildrenOf(first)[0] : undefined;
  return expression?.type === 'string' ? withoutParameters(stringLiteral(expression) ?? expression.text) : '';
}

/**
 * The docstring without its parameter list (`Args:` ... up to the next section): a parameter
 * described as "Optional session ID" says nothing about how failures are handled.
 */
function withoutParameters(docstring: string): string {
  let inParameters = false;
  return docstring
    .split('\n')
    .filter((line) => {
      const trimmed = line.trim();
      if (/^(args|arguments|parameters|params|keyword args|kwargs|other parameters):?$/i.test(trimmed)) {
        inParameters = true;
        return false;
      }
      if (inParameters && /^[A-Z][\w ]*:$/.test(trimmed)) inParameters = false;
      return !inParameters;
    })
    .join('\n');
}

/**
 * A raise runs after the try on the same path, at its level or at any enclosing level up to the
 * function body (after the loop holding it): a plain `raise ...`, or `if saved is not None: raise
 * saved` of an error an except clause of the function kept (`except Exception as exc: saved = exc`).
 * In an outage that raise fails the attempt, so the activity does not report success. A `return`
 * between the try and the raise stops the walk.
 */
function raiseFollows(statement: PythonNode, body: PythonNode): boolean {
  const saved = savedErrors(body);
  for (let node: PythonNode | null = statement; node && node.id !== body.id; node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'lambda') return false;
    for (let next = node.nextNamedSibling; next; next = next.nextNamedSibling) {
      if (next.type === 'raise_statement') return true;
      if (next.type === 'return_statement') return false;
      if (next.type === 'if_statement' && raisesSavedError(next, saved)) return true;
    }
  }
  return false;
}

/** Names an except clause of the function assigns its caught exception to (`saved = exc` under `except ... as exc`). */
function savedErrors(body: PythonNode): Set<string> {
  const names = new Set<string>();
  visitInScope(body, (node) => {
    if (node.type !== 'assignment') return;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'identifier' || right?.type !== 'identifier') return;
    const clause = enclosing(node, ['except_clause']);
    const alias = clause?.parent ? exceptClauses(clause.parent).find((c) => c.node.id === clause.id)?.alias : undefined;
    if (alias === right.text) names.add(left.text);
  });
  return names;
}

/** `if saved is not None: raise saved` (or `if saved: raise saved`): the condition reads a saved error and the branch raises it. */
function raisesSavedError(statement: PythonNode, saved: Set<string>): boolean {
  const condition = statement.childForFieldName('condition');
  const consequence = statement.childForFieldName('consequence');
  if (!condition || !consequence) return false;
  return namedChildrenOf(consequence).some((child) => {
    const raised = child.type === 'raise_statement' ? namedChildrenOf(child)[0] : undefined;
    return raised?.type === 'identifier' && saved.has(raised.text) && condition.descendantsOfType('identifier').some((id) => id?.text === raised.text);
  });
}

/** The try body assigns a name that the code reads after the try (or a `raise` follows): the code finds out about the failure. */
function setsNameTestedAfter(statement: PythonNode, tryBody: PythonNode, body: PythonNode): boolean {
  const names = new Set<string>();
  visitInScope(tryBody, (node) => {
    if (node.type !== 'assignment' && node.type !== 'augmented_assignment') return;
    const left = node.childForFieldName('left');
    if (left?.type === 'identifier') names.add(left.text);
  });
  if (names.size === 0) return false;
  let found = false;
  visitInScope(body, (node) => {
    if (found || node.startIndex < statement.endIndex) return;
    if (node.type === 'identifier' && names.has(node.text)) found = true;
    if (node.type === 'raise_statement') found = true;
  });
  return found;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

/**
 * Marks the returned failures no workflow reads: every workflow call of the activity drops its
 * result (`await workflow.execute_activity(...)` as a statement) or assigns it to a name whose every
 * later use reads another field (`booked["label_id"]`, `booked.label_id`), as the TypeScript check
 * notes. A call that cannot be found, or any other use of the result, reads it for all we know.
 */
export function markUnreadFailures(failures: PythonActivityFailure[], calls: ActivityProxyFacts[], modules: PythonModules): void {
  markPlainReturnsUnread(failures, calls, modules);
  for (const failure of failures) {
    if (failure.kind !== 'returned') continue;
    const sites = calls.filter((call) => call.usedActivityTypes !== 'all' && call.usedActivityTypes.some((use) => use.name === failure.activity));
    if (sites.length === 0) continue;
    const unread = sites.every((site) => {
      const call = callAt(modules, site.location);
      return call !== undefined && (resultDropped(call) || failureUnread(call));
    });
    if (unread) {
      failure.unreadBy = sites.map((site) => site.location);
      continue;
    }
    const fields = new Set<string>();
    const handled = sites.every((site) => {
      const call = callAt(modules, site.location);
      const tested = call ? failureTestedAndActedOn(call) : undefined;
      tested?.forEach((field) => fields.add(field));
      return tested !== undefined;
    });
    if (handled) {
      failure.handledBy = sites.map((site) => site.location);
      failure.handledFields = [...fields];
    }
  }
}

/**
 * `result = await workflow.execute_activity(...)` followed, in the same function, by an `if` (or
 * `elif`, or a `while` loop's test) whose condition reads a failure field of `result` (a flag, an
 * error or a status: `result["ok"]`, `result.get("error")`, `result.status`, `"error" in result`)
 * and one of whose branches acts on it: raises, returns, leaves or retries a loop, awaits (a
 * compensation, a retry), assigns (records the failure) or appends to a result. A branch that only
 * logs does not. The failure fields tested; undefined when there is no such test.
 */
function failureTestedAndActedOn(call: PythonNode): string[] | undefined {
  const kept = keptResult(call);
  if (!kept) return undefined;
  const { assignment, left, body } = kept;
  const fields = new Set<string>();
  visitInScope(body, (node) => {
    if (node.startIndex < assignment.endIndex || !['if_statement', 'elif_clause', 'while_statement'].includes(node.type)) return;
    const condition = node.childForFieldName('condition');
    const tested = condition ? failureFieldsRead(condition, left.text) : [];
    if (tested.length === 0) return;
    // The branch taken on the failure: the block when the condition says the step failed (`not
    // result["ok"]`, `result.get("error")`, `status == "failed"`), else the `else` / `elif` branches.
    const consequence = node.childForFieldName('consequence') ?? node.childForFieldName('body');
    const others = node.type === 'if_statement' ? namedChildrenOf(node).filter((c) => c.type === 'else_clause' || c.type === 'elif_clause').map((c) => c.childForFieldName('consequence') ?? c.childForFieldName('body')) : [];
    const branches = condition && saysFailed(condition, tested) ? [consequence] : node.type === 'while_statement' ? [] : others;
    if (branches.some((branch) => branch && actsOn(branch))) tested.forEach((field) => fields.add(field));
  });
  return fields.size > 0 ? [...fields] : undefined;
}

/** Whether a condition that reads these failure fields holds when the step failed. */
function saysFailed(condition: PythonNode, tested: string[]): boolean {
  const text = condition.text.replace(/\s+/g, ' ').trim();
  const negated = /^not\b/.test(text) || /(?:==|is) False\b|is not True\b|!= True\b/.test(text);
  if (tested.some((field) => STATUS_KEYS.test(field))) return /(?:==|\bin\b)\s*[(\[{]?\s*["'](?:fail|error)/i.test(text) !== negated;
  if (tested.some((field) => ERROR_KEYS.test(field))) return !negated;
  return negated;
}

/** The failure fields of `name` a condition reads: `name["ok"]`, `name.get("error")`, `name.status`, `"error" in name`. */
function failureFieldsRead(condition: PythonNode, name: string): string[] {
  const found: string[] = [];
  for (const node of [condition, ...condition.descendantsOfType(['subscript', 'attribute', 'comparison_operator'])]) {
    if (!node) continue;
    if (node.type === 'subscript' && node.childForFieldName('value')?.text === name) {
      const indices = node.childrenForFieldName('subscript').filter((n): n is PythonNode => n !== null);
      const key = indices.length === 1 ? stringLiteral(indices[0]!) : undefined;
      if (key !== undefined && failureField(key)) found.push(key);
    } else if (node.type === 'attribute' && node.childForFieldName('object')?.text === name) {
      const field = node.childForFieldName('attribute')?.text ?? '';
      if (field === 'get' && node.parent?.type === 'call') {
        const first = namedChildrenOf(node.parent.childForFieldName('arguments') ?? node.parent)[0];
        const key = first ? stringLiteral(first) : undefined;
        if (key !== undefined && failureField(key)) found.push(key);
      } else if (failureField(field) && node.parent?.type !== 'call') found.push(field);
    } else if (node.type === 'comparison_operator') {
      const operands = namedChildrenOf(node);
      const key = operands.length === 2 ? stringLiteral(operands[0]!) : undefined;
      if (key !== undefined && operands[1]!.text === name && /\bin\b/.test(node.text.slice(operands[0]!.endIndex - node.startIndex, operands[1]!.startIndex - node.startIndex)) && failureField(key)) found.push(key);
    }
  }
  return found;
}

const LOG_CALL = /(?:^|\.)(?:logger|logging|log|print)\b|^print$/;

/** A branch that does something about the failure: not only logging, `pass` or a comment. */
function actsOn(branch: PythonNode): boolean {
  let acts = false;
  visitInScope(branch, (node) => {
    if (acts) return;
    if (['raise_statement', 'return_statement', 'continue_statement', 'break_statement', 'await', 'assignment', 'augmented_assignment'].includes(node.type)) acts = true;
    else if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
      if (method && /^(?:append|extend|add|update|insert)$/.test(method) && !LOG_CALL.test(callee!.text)) acts = true;
    }
  });
  return acts;
}

/**
 * The unread shape: keeps a failure value returned outside an except clause only when the workflow
 * uses the result as real data and never looks at the failure. Every workflow call of the activity
 * keeps the result in a name whose uses read fields the failure value does not set
 * (`customer_data.get("total_volume", 0)`, `customer_data["risk_level"]`) or store it whole
 * (`result["customer_data"] = customer_data`), and at least one reads such a field. Any other use
 * (a test of the whole value, an argument, a return, a read of a flag, an error or a status, or of a
 * field the failure value sets) reads it for all we know. Removes the others from the list.
 */
function markPlainReturnsUnread(failures: PythonActivityFailure[], calls: ActivityProxyFacts[], modules: PythonModules): void {
  const byActivity = new Map<string, PythonActivityFailure[]>();
  for (const failure of failures) {
    if (failure.kind !== 'unread') continue;
    const key = `${failure.activityLocation.file}:${failure.activityLocation.line}`;
    byActivity.set(key, [...(byActivity.get(key) ?? []), failure]);
  }
  const kept = new Set<PythonActivityFailure>();
  for (const group of byActivity.values()) {
    const activity = group[0]!.activity;
    const keys = new Set(group.flatMap((failure) => failure.keys ?? []));
    const sites = calls.filter((call) => call.usedActivityTypes !== 'all' && call.usedActivityTypes.some((use) => use.name === activity));
    if (sites.length === 0) continue;
    const readInstead = new Set<string>();
    const unread = sites.every((site) => {
      const call = callAt(modules, site.location);
      const fields = call ? otherFieldsRead(call, keys) : undefined;
      fields?.forEach((field) => readInstead.add(field));
      return fields !== undefined;
    });
    if (!unread || readInstead.size === 0) continue;
    for (const failure of group) {
      failure.unreadBy = sites.map((site) => site.location);
      failure.readInstead = [...readInstead];
      kept.add(failure);
    }
  }
  for (let index = failures.length - 1; index >= 0; index--) if (failures[index]!.kind === 'unread' && !kept.has(failures[index]!)) failures.splice(index, 1);
}

/**
 * `data = await workflow.execute_activity(...)` whose every later use reads a field that is neither
 * a flag, an error, a status nor one of keys (`data.get("total", 0)`, `data["name"]`, `data.name`),
 * or stores the whole value (`result["data"] = data`): the fields read; undefined for any other use.
 */
function otherFieldsRead(call: PythonNode, keys: Set<string>): string[] | undefined {
  const kept = keptResult(call);
  if (!kept) return undefined;
  const { assignment, left, body } = kept;
  const other = (name: string | undefined): name is string => name !== undefined && !failureField(name) && !keys.has(name) && !/valid|result|state|found|exists/i.test(name);
  const read: string[] = [];
  let ok = true;
  visitInScope(body, (node) => {
    if (!ok || node.type !== 'identifier' || node.text !== left.text || node.id === left.id || node.startIndex < assignment.endIndex) return;
    const parent = node.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === node.id) {
      const field = parent.childForFieldName('attribute')?.text;
      if (field === 'get' && parent.parent?.type === 'call') {
        // `data.get("total", 0)`
        const first = namedChildrenOf(parent.parent.childForFieldName('arguments') ?? parent.parent)[0];
        const key = first ? stringLiteral(first) : undefined;
        if (other(key)) {
          read.push(key);
          return;
        }
      } else if (parent.parent?.type !== 'call' && other(field)) {
        read.push(field);
        return;
      }
    } else if (parent?.type === 'subscript' && parent.childForFieldName('value')?.id === node.id) {
      const indices = parent.childrenForFieldName('subscript').filter((n): n is PythonNode => n !== null);
      const key = indices.length === 1 ? stringLiteral(indices[0]!) : undefined;
      // A read, not a write into the value (`data["x"] = 1`).
      const written = parent.parent?.type === 'assignment' && parent.parent.childForFieldName('left')?.id === parent.id;
      if (!written && other(key)) {
        read.push(key);
        return;
      }
    } else if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === node.id) {
      // `result["data"] = data`: stored whole into a field of another value.
      const target = parent.childForFieldName('left');
      if (target?.type === 'subscript' || target?.type === 'attribute') return;
    }
    ok = false;
  });
  return ok ? read : undefined;
}

/**
 * `x = await workflow.execute_activity(...)`: the assignment that keeps the call's result in a plain
 * name, that name and the body of the function around it; undefined when the result is not kept so.
 */
function keptResult(call: PythonNode): { assignment: PythonNode; left: PythonNode; body: PythonNode } | undefined {
  const holder = resultHolder(call);
  const assignment = holder.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== holder.id) return undefined;
  const left = assignment.childForFieldName('left');
  const fn = enclosing(assignment, ['function_definition']);
  const body = fn?.childForFieldName('body');
  if (left?.type !== 'identifier' || !body) return undefined;
  return { assignment, left, body };
}

function resultHolder(call: PythonNode): PythonNode {
  let node = call;
  while (node.parent && (node.parent.type === 'await' || node.parent.type === 'parenthesized_expression')) node = node.parent;
  return node;
}

function resultDropped(call: PythonNode): boolean {
  return resultHolder(call).parent?.type === 'expression_statement';
}

const failureField = (name: string): boolean => FAILURE_FLAGS.test(name) || ERROR_KEYS.test(name) || STATUS_KEYS.test(name);

/** `booked = await workflow.execute_activity(...)` whose every later use reads a field that is not a flag, an error or a status. */
function failureUnread(call: PythonNode): boolean {
  const kept = keptResult(call);
  if (!kept) return false;
  const { assignment, left, body } = kept;
  let unread = true;
  visitInScope(body, (node) => {
    if (!unread || node.type !== 'identifier' || node.text !== left.text || node.id === left.id || node.startIndex < assignment.endIndex) return;
    const parent = node.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === node.id) {
      const field = parent.childForFieldName('attribute')?.text ?? '';
      // A method call (`booked.get("success")`) may read anything.
      if (!failureField(field) && parent.parent?.type !== 'call') return;
    } else if (parent?.type === 'subscript' && parent.childForFieldName('value')?.id === node.id) {
      const indices = parent.childrenForFieldName('subscript').filter((n): n is PythonNode => n !== null);
      const key = indices.length === 1 ? stringLiteral(indices[0]!) : undefined;
      if (key !== undefined && !failureField(key)) return;
    }
    unread = false;
  });
  return unread;
}

/** A workflow call that drops or reads around the failure flag an activity returns (activity-failure-result-ignored). */
export interface PythonIgnoredFailureResult {
  /** The workflow's call of the activity. */
  location: SourceLocation;
  workflow: string | undefined;
  activity: string;
  /** The activity's returns of a value that says it failed. */
  returns: { location: SourceLocation; valueText: string }[];
  /** The other fields read; undefined when the result is dropped. */
  fields: string[] | undefined;
  /** The activity the workflow schedules next, or the success it returns. */
  next: { text: string; location: SourceLocation };
  /** The key that says the step failed. */
  flag: string;
  /** Every failing return computes the flag (`"success": proc.returncode == 0`). */
  computed: boolean;
}

const SUCCESS_STATUS = /^(ok|success|succeeded|successful|complete|completed|done|approved|finished|ready)/i;

/**
 * The workflow side of a failure an activity returns outside any except clause (`return
 * {"success": False, "error": ...}`, `{"status": "failed"}`, `{"success": proc.returncode == 0}`):
 * each workflow call that drops the result or reads only other fields of it, then schedules another
 * activity or returns a success. An activity whose failure markPlainReturnsUnread kept (every call
 * reads only other fields: activity-failure-returned reports it) is left out.
 */
export function pythonIgnoredFailureResults(activities: PythonActivity[], failures: PythonActivityFailure[], calls: ActivityProxyFacts[], modules: PythonModules): PythonIgnoredFailureResult[] {
  const found: PythonIgnoredFailureResult[] = [];
  const sitesOf = (name: string) => calls.filter((call) => call.usedActivityTypes !== 'all' && call.usedActivityTypes.some((use) => use.name === name));
  for (const activity of activities) {
    if (failures.some((failure) => failure.kind === 'unread' && failure.activity === activity.name && failure.activityLocation.file === activity.location.file && failure.activityLocation.line === activity.location.line)) continue;
    const body = activity.node.childForFieldName('body');
    if (!body) continue;
    const failing: { location: SourceLocation; valueText: string; flag: string; keys: string[]; computed: boolean }[] = [];
    const otherKeys = new Set<string>();
    visitInScope(body, (node) => {
      if (node.type !== 'return_statement') return;
      const value = namedChildrenOf(node)[0];
      if (!value || value.type !== 'dictionary') return;
      if (enclosing(node, ['except_clause', 'except_group_clause', 'finally_clause'])) return;
      const pairs = fieldPairs(value);
      const flag = failureFlag(pairs);
      if (flag) failing.push({ location: locateNode(activity.location.file, node), valueText: shorten(value.text), keys: pairs.map(([name]) => name), ...flag });
      if (!flag || flag.computed) pairs.forEach(([name]) => otherKeys.add(name));
    });
    if (failing.length === 0) continue;
    const failureOnly = new Set(failing.filter((r) => !r.computed).flatMap((r) => r.keys).filter((key) => !otherKeys.has(key)));
    const sites = sitesOf(activity.name);
    for (const site of sites) {
      const call = callAt(modules, site.location);
      if (!call || failureLetGo(call)) continue;
      const dropped = resultDropped(call);
      const fields = dropped ? [] : otherFieldsRead(call, failureOnly);
      if (!dropped && (!fields || fields.length === 0)) continue;
      const fn = enclosing(call, ['function_definition']);
      if (!fn) continue;
      const location = site.location;
      const next = nextStep(call, fn, location.file, calls, modules);
      if (!next) continue;
      const owner = enclosing(fn, ['class_definition']);
      const workflowName = (owner ?? fn).childForFieldName('name')?.text;
      found.push({
        location,
        workflow: workflowName,
        activity: activity.name,
        returns: [...failing.filter((r) => !r.computed), ...failing.filter((r) => r.computed)].map((r) => ({ location: r.location, valueText: r.valueText })),
        fields: dropped ? undefined : [...new Set(fields)],
        next,
        flag: (failing.find((r) => !r.computed) ?? failing[0]!).flag,
        computed: failing.every((r) => r.computed),
      });
    }
  }
  return found;
}

function failureFlag(pairs: [string, PythonNode][]): { flag: string; computed: boolean } | undefined {
  let computed: { flag: string; computed: boolean } | undefined;
  // `{"success": True, "error": "no_project_path"}`: a success that says why it did nothing.
  if (pairs.some(([name, item]) => FAILURE_FLAGS.test(name) && item.type === 'true')) return undefined;
  for (const [name, item] of pairs) {
    if (FAILURE_FLAGS.test(name)) {
      if (item.type === 'false') return { flag: name, computed: false };
      if (COMPUTED_FLAGS.test(name) && item.type !== 'true' && !computed) computed = { flag: name, computed: true };
    }
    if (STATUS_KEYS.test(name) && failedStatus(item)) return { flag: name, computed: false };
    if (ERROR_KEYS.test(name) && item.type === 'string') return { flag: name, computed: false };
  }
  return computed;
}

/**
 * The call sits in a try whose except clause lets a raised failure go (logs it and carries on: no
 * raise, no return): the workflow treats the step as optional, so a returned failure is let go too.
 */
function failureLetGo(call: PythonNode): boolean {
  for (let node: PythonNode = call; node.parent && node.type !== 'function_definition'; node = node.parent) {
    const parent = node.parent;
    if (parent.type !== 'try_statement' || parent.childForFieldName('body')?.id !== node.id) continue;
    const clauses = namedChildrenOf(parent).filter((child) => child.type === 'except_clause' || child.type === 'except_group_clause');
    if (clauses.some((clause) => { let ends = false; visitInScope(clause, (inner) => (ends ||= inner.type === 'raise_statement' || inner.type === 'return_statement')); return !ends; })) return true;
  }
  return false;
}

/** The first activity the workflow function schedules after the call, else a later return of a dict that says it succeeded. */
function nextStep(call: PythonNode, fn: PythonNode, file: string, calls: ActivityProxyFacts[], modules: PythonModules): { text: string; location: SourceLocation } | undefined {
  let best: { node: PythonNode; name: string; location: SourceLocation } | undefined;
  for (const site of calls) {
    if (site.location.file !== file || site.usedActivityTypes === 'all') continue;
    const other = callAt(modules, site.location);
    if (!other || other.id === call.id || other.startIndex < call.endIndex || enclosing(other, ['function_definition'])?.id !== fn.id) continue;
    if (!best || other.startIndex < best.node.startIndex) best = { node: other, name: site.usedActivityTypes[0]?.name ?? 'activity', location: site.location };
  }
  if (best) return { text: `activity ${best.name}`, location: best.location };
  const body = fn.childForFieldName('body');
  let success: PythonNode | undefined;
  if (body)
    visitInScope(body, (node) => {
      if (success || node.type !== 'return_statement' || node.startIndex < call.endIndex) return;
      const value = namedChildrenOf(node)[0];
      if (value?.type !== 'dictionary') return;
      const says = fieldPairs(value).some(([name, item]) => (FAILURE_FLAGS.test(name) ? item.type === 'true' : name === 'status' && item.type === 'string' && SUCCESS_STATUS.test(stringLiteral(item) ?? '')));
      if (says) success = node;
    });
  return success ? { text: 'return a success', location: locateNode(file, success) } : undefined;
}
