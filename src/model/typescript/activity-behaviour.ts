// What an activity does when it runs, read from its body and from the helpers it calls (followed
// through the checker into other modules, depth-limited and cycle-safe): where it heartbeats and
// where it looks at cancellation,
// which errors it throws, and signs that it runs long (loops over awaits, sleeps, streams, child
// processes).

import ts from 'typescript';
import { isCancellationUse } from './cancellation-uses.js';
import { calledFunction, dispatchedFunctions } from './declarations.js';
import { isHeartbeatCall, isHeartbeatFunction, passedHeartbeat } from './heartbeat-calls.js';
import { isTimerCall, isTimerHeartbeat, timerCallbackFunction, timerChecksProgress } from './injected-heartbeat.js';
import { isCappedLoop, isRetryLoop, isShortFixedLoop } from './loop-shape.js';
import { isLockSpin } from './lock-spin.js';
import { boundedWaitMs } from './bounded-wait.js';
import { isLocalFileCall } from './local-file-calls.js';
import { locate, nodeSnippet } from './locate.js';
import { finiteSource, quickLoopCollection } from './quick-loop.js';
import { loopLength } from './loop-evidence.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';
import { isChildProcessCall, isLibraryWaitCall, isSleepCall, isStreamCall, sleepPauseMs } from './long-running-calls.js';
import { escapingThrows } from './escaping-throws.js';
import { processLimit } from './process-limit.js';
import { syncProcessApi, syncProcessCommand } from './sync-process.js';
import { moduleStateUse } from './module-state.js';
import { localPathUses } from './local-paths.js';
import { bindArguments, callTimeoutsAt } from './call-timeouts.js';
import { untimedCallAt } from './untimed-calls.js';
import type { CallTimeout, UntimedCall } from '../types.js';
import type { LocalPathUse, LongRunningSign, ModuleStateUse, SourceLocation, ThrownError } from './types.js';

const MAX_CALL_DEPTH = 5;

export interface ActivityBehaviour {
  heartbeat: { location: SourceLocation; via: SourceLocation[]; fromTimer?: boolean; timerIntervalMs?: number; once?: boolean } | null;
  cancellation: SourceLocation | null;
  thrownErrors: ThrownError[];
  longRunning: LongRunningSign[];
  moduleState: ModuleStateUse[];
  localPaths: LocalPathUse[];
  /** Limits on the outbound calls of the body and of the helpers it calls up to two levels deep (call-timeouts.ts). */
  callTimeouts: CallTimeout[];
  /** Outbound calls with no limit of their own, in the body and the helpers it calls (untimed-calls.ts). */
  untimedCalls: UntimedCall[];
}

/** How many helper calls deep call timeouts are read: the activity's own helpers and theirs. */
const CALL_TIMEOUT_DEPTH = 2;

export function analyzeBehaviour(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): ActivityBehaviour {
  const result: ActivityBehaviour = { heartbeat: null, cancellation: null, thrownErrors: [], longRunning: [], moduleState: [], localPaths: [], callTimeouts: [], untimedCalls: [] };
  // Call timeouts by where they are written, and the clients whose own limit a request's option replaces.
  const timeoutsSeen = new Set<string>();
  const overriddenClients = new Set<string>();
  const clientEntries: { client: string; timeout: CallTimeout }[] = [];
  const visited = new Set<ts.Node>();
  const index = ctx.index;

  // Inside a retry loop or a catch clause (and the helpers they call) a sleep is a backoff between
  // failed tries, not a sign of a long run: in normal operation it never happens.
  let backoffScopes = 0;
  // `asyncPipe(x, f, g, h)`: a helper's loop over its rest parameter runs once per argument.
  const restCounts = new Map<ts.ParameterDeclaration, number>();
  // Heartbeats sent by a timer callback (`setInterval(() => heartbeat(), ms)`) and heartbeats sent
  // anywhere else (as the work progresses): an activity with only the first kind beats while hung.
  const timerCallbacks = new Set<ts.Node>();
  let timerBeats = false;
  let progressBeats = false;
  // The constant period of the timers that heartbeat (`setInterval(beat, 2000)`), the longest when several.
  let timerIntervalMs: number | undefined;
  // The loops being walked (with the helpers their turns call): a heartbeat from the work marks them.
  const openLoops: LongRunningSign[] = [];
  const progressBeat = (): void => {
    progressBeats = true;
    for (const loop of openLoops) loop.heartbeats = true;
  };
  // How many heartbeats an attempt sends at most (Infinity: any number): one per heartbeat call
  // reached outside loops and callbacks, one per call site of a helper that heartbeats. A helper
  // reached from a loop or a callback repeats, and the functions already found to heartbeat.
  let beatCount = 0;
  let repeating = false;
  // While visiting a sleep helper called with a constant pause (`await sleep(100)` into
  // `const sleep = (ms) => new Promise((r) => setTimeout(r, ms))`): that pause.
  let sleepHelperPause: number | undefined;
  const beatingFunctions = new Set<ts.Node>();
  const countBeat = (node: ts.Node, within: ts.Node): void => {
    beatCount += repeating || repeatsIn(node, within) ? Infinity : 1;
  };
  // Where the first timer that heartbeats is started: where a timer-only heartbeat is reported.
  let firstTimer: { location: SourceLocation; via: SourceLocation[] } | undefined;
  const insideTimer = (node: ts.Node): boolean => {
    for (let current = node.parent; current; current = current.parent) if (timerCallbacks.has(current)) return true;
    return false;
  };

  // The context call timeouts are read in: a helper's parameters bound to what the call hands it
  // (`apiService.request(path, { timeout: 900_000 })`), so a limit passed down is read where it applies.
  const visitFunction = (current: ts.FunctionLikeDeclaration, via: SourceLocation[], call?: ts.CallExpression, outer: ResolveContext = ctx): void => {
    if (visited.has(current) || !current.body) return;
    visited.add(current);
    const timeoutCtx = call && via.length <= CALL_TIMEOUT_DEPTH ? bindArguments(current, call, outer) : outer;
    if (call) noteRestArguments(current, call, restCounts);
    // A function this body hands to setInterval by name (`setInterval(beat, ms)`) beats for the
    // timer, also where the body calls it once to prime it (`beat(); setInterval(beat, ms)`).
    noteTimerFunctions(current, ctx, timerCallbacks);
    const visit = (node: ts.Node): void => {
      // A hook handed to a library (an `error(err)` method of an options object, an `on('error', ...)`
      // listener) runs when that event fires, not as part of the activity's work.
      if (isEventHook(node)) return;
      if (!result.cancellation && isCancellationUse(node, ctx)) result.cancellation = locate(node);
      if (via.length <= CALL_TIMEOUT_DEPTH && (ts.isCallExpression(node) || ts.isNewExpression(node))) {
        for (const { client, overrides, ...found } of callTimeoutsAt(node, timeoutCtx)) {
          const key = `${found.location.file}:${found.location.line}:${found.location.column}`;
          // A request whose own timeout replaces its client's: the client's limit does not apply to it.
          if (overrides) overriddenClients.add(overrides);
          if (timeoutsSeen.has(key)) continue;
          timeoutsSeen.add(key);
          const timeout: CallTimeout = { ...found, via };
          if (client) clientEntries.push({ client, timeout });
          result.callTimeouts.push(timeout);
        }
      }
      if (isLoop(node)) {
        const retry = isRetryLoop(node);
        // A spin for a briefly held lock waits milliseconds, and a capped loop of constant pauses
        // and local file work (a wait for a file to appear) ends in seconds: no long run, no
        // progress to report.
        const sign = retry || isShortFixedLoop(node, ctx) || isLockSpin(node, ctx) || boundedWaitMs(node, ctx, restCounts) !== undefined ? undefined : loopSign(node, ctx);
        // A capped loop of awaits ends in seconds; one that sleeps between them is still a poll.
        // Reached through helpers: keep the calls, so a finding can point at the activity's own line.
        const kept = sign && !(sign.kind === 'loop-with-await' && isCappedLoop(node, ctx, restCounts)) ? (via.length > 0 ? { ...sign, via } : sign) : undefined;
        if (kept) result.longRunning.push(kept);
        // A loop with evidence that it runs long (a paging loop, a long poll) makes every loop
        // around it, in the activity or in the helpers that reach it, long too.
        if (kept?.evidence && !kept.evidence.capped) {
          for (const outer of openLoops) {
            if (outer.evidence) continue;
            outer.evidence = { kind: 'nested', detail: `a loop inside it runs long (${kept.text}): ${kept.evidence.detail}` };
            delete outer.over;
            delete outer.waitMs;
            delete outer.turnsBound;
            delete outer.pauseMs;
          }
        }
        if (retry) {
          backoffScopes++;
          ts.forEachChild(node, visit);
          backoffScopes--;
          return;
        }
        if (kept) {
          openLoops.push(kept);
          ts.forEachChild(node, visit);
          openLoops.pop();
          return;
        }
      } else if (ts.isCatchClause(node)) {
        backoffScopes++;
        ts.forEachChild(node, visit);
        backoffScopes--;
        return;
      } else if (ts.isCallExpression(node)) {
        const passed = passedHeartbeat(node, ctx);
        if (isTimerHeartbeat(node, ctx, (inner) => isHeartbeatCall(inner, ctx, false), (value) => isHeartbeatFunction(value, ctx, 0))) {
          timerCallbacks.add(skipOuterExpressions(node.arguments[0]!));
          firstTimer ??= { location: locate(node), via };
          // A timer that compares progress before it beats (or stops the work when it stalls) beats as the work progresses.
          if (timerChecksProgress(timerCallbackFunction(node, ctx))) progressBeat();
          else {
            timerBeats = true;
            const period = node.arguments[1] ? resolveValue(node.arguments[1], ctx) : undefined;
            if (period?.kind === 'number' && period.value > 0) timerIntervalMs = Math.max(timerIntervalMs ?? 0, period.value);
          }
        } else if (isHeartbeatCall(node, ctx, false) && !insideTimer(node)) {
          progressBeat();
          countBeat(node, current);
        }
        // The timer's function called by the work itself, in a loop or after a step it awaited, beats as the work progresses.
        else if (callsTimerFunction(node, ctx, timerCallbacks) && (openLoops.length > 0 || awaitsBefore(current, node))) {
          progressBeat();
          beatCount = Infinity;
        }
        else if (passed) {
          // The heartbeat handed to a helper that calls it from a timer (`repeat(() => heartbeat(), 1_000)`).
          // The closure handed over then beats only when the timer calls it.
          if (passed.fromTimer) {
            timerBeats = true;
            firstTimer ??= { location: passed.location, via: [...via, locate(node)] };
            for (const argument of node.arguments) timerCallbacks.add(skipOuterExpressions(argument));
          } else {
            // A helper given the heartbeat may call it any number of times.
            progressBeat();
            beatCount = Infinity;
          }
        }
        if (!result.heartbeat) {
          if (isHeartbeatCall(node, ctx)) result.heartbeat = { location: locate(node), via };
          else if (passed) result.heartbeat = { location: passed.location, via: [...via, locate(node)] };
        }
        const untimed = untimedCallAt(node, timeoutCtx);
        if (untimed) result.untimedCalls.push({ ...untimed, via });
        const stateUse = moduleStateUse(node, ctx);
        if (stateUse) result.moduleState.push(via.length > 0 ? { ...stateUse, via } : stateUse);
        for (const pathUse of localPathUses(node, ctx)) result.localPaths.push(via.length > 0 ? { ...pathUse, via } : pathUse);
        if (isSleepCall(node, ctx)) {
          if (backoffScopes === 0) {
            const sleepMs = sleepPauseMs(node, ctx) ?? sleepHelperPause;
            const repeats = repeating || sleepRepeats(node, current);
            result.longRunning.push({ kind: 'sleep', location: locate(node), text: nodeSnippet(node), ...(sleepMs !== undefined ? { sleepMs } : {}), ...(repeats ? { repeats } : {}) });
          }
        } else if (isStreamCall(node, ctx)) result.longRunning.push({ kind: 'stream', location: locate(node), text: nodeSnippet(node) });
        else if (isChildProcessCall(node, ctx)) {
          const unstoppable = processLimit(node, current, call, ctx) === 'unbounded';
          const syncApi = syncProcessApi(node);
          const syncProcess = syncApi ? { api: syncApi, ...syncProcessCommand(node, syncApi, current, call, ctx) } : undefined;
          result.longRunning.push({
            kind: 'child-process',
            location: locate(node),
            text: nodeSnippet(node),
            ...(via.length > 0 ? { via } : {}),
            ...(unstoppable ? { unstoppable } : {}),
            ...(syncProcess ? { syncProcess } : {}),
          });
        }
        else if (isLibraryWaitCall(node, ctx)) result.longRunning.push({ kind: 'library-wait', location: locate(node), text: nodeSnippet(node) });
        if (via.length < MAX_CALL_DEPTH) {
          // A call through a table of functions (`handlers[kind](input)`) may run any entry: each is followed.
          const callee = calledFunction(node, index);
          for (const target of callee ? [callee] : dispatchedFunctions(node, index)) {
            if (target.getSourceFile().fileName.includes('/node_modules/')) continue;
            // A second call of a helper that heartbeats sends its heartbeats again.
            if (visited.has(target)) {
              if (beatingFunctions.has(target)) beatCount = Infinity;
              continue;
            }
            const outerRepeating = repeating;
            const before = beatCount;
            const outerPause = sleepHelperPause;
            repeating = repeating || repeatsIn(node, current);
            if (isSleepCall(node, ctx)) sleepHelperPause = sleepPauseMs(node, ctx);
            visitFunction(target, [...via, locate(node)], node, timeoutCtx);
            repeating = outerRepeating;
            sleepHelperPause = outerPause;
            if (beatCount !== before) beatingFunctions.add(target);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(current.body);
  };
  visitFunction(fn, []);
  if (overriddenClients.size > 0) {
    const dropped = new Set(clientEntries.filter((entry) => overriddenClients.has(entry.client)).map((entry) => entry.timeout));
    result.callTimeouts = result.callTimeouts.filter((timeout) => !dropped.has(timeout));
  }
  // What escapes, not every throw: a throw the activity catches and handles never reaches Temporal.
  result.thrownErrors = escapingThrows(fn, ctx);
  if (result.heartbeat && !timerBeats && beatCount === 1) result.heartbeat.once = true;
  if (result.heartbeat && timerBeats && !progressBeats) {
    if (firstTimer) result.heartbeat = { location: firstTimer.location, via: firstTimer.via };
    result.heartbeat.fromTimer = true;
    if (timerIntervalMs !== undefined) result.heartbeat.timerIntervalMs = timerIntervalMs;
  }
  return result;
}

/** The throws that leave a function (its own and its helpers'), less those a catch handles. */
export function thrownErrorsOf(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): ThrownError[] {
  return escapingThrows(fn, ctx);
}

const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener']);

/**
 * A function written as a method or property of an object literal (the hooks of a library's
 * options: `pgPromise({ async error(err) { ... } })`), or given to an event registration
 * (`client.on('error', () => ...)`).
 */
function isEventHook(node: ts.Node): boolean {
  if (ts.isMethodDeclaration(node) && ts.isObjectLiteralExpression(node.parent)) return true;
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false;
  const parent = node.parent;
  if (ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent)) return true;
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) {
    const callee = skipOuterExpressions(parent.expression);
    return ts.isPropertyAccessExpression(callee) && LISTENER_METHODS.has(callee.name.text);
  }
  return false;
}

/** Records how many arguments a call hands to the rest parameter of the function it calls. */
function noteRestArguments(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression, counts: Map<ts.ParameterDeclaration, number>): void {
  const index = fn.parameters.findIndex((parameter) => parameter.dotDotDotToken !== undefined);
  // A spread argument (`asyncPipe(x, ...stages)`) hands over a list of any length.
  if (index < 0 || call.arguments.some(ts.isSpreadElement)) return;
  counts.set(fn.parameters[index]!, Math.max(0, call.arguments.length - index));
}

/** Records the functions `fn` hands to setInterval by name: `setInterval(beat, ms)` with `const beat = () => ...`. */
function noteTimerFunctions(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext, timerFunctions: Set<ts.Node>): void {
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isTimerCall(node)) {
      const callback = skipOuterExpressions(node.arguments[0]!);
      const target = ts.isIdentifier(callback) ? timerCallbackFunction(node, ctx) : undefined;
      if (target) timerFunctions.add(target);
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
}

/** Whether `fn` awaits something before `node` (in its own body, not in nested functions). */
function awaitsBefore(fn: ts.FunctionLikeDeclaration, node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || current.getStart() >= node.getStart() || ts.isFunctionLike(current)) return;
    if (ts.isAwaitExpression(current) && current.end <= node.getStart()) found = true;
    else ts.forEachChild(current, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return found;
}

/** A call of a function that a timer also runs (`beat()` with `setInterval(beat, ms)`). */
function callsTimerFunction(call: ts.CallExpression, ctx: ResolveContext, timerFunctions: Set<ts.Node>): boolean {
  const callee = calledFunction(call, ctx.index);
  return callee !== undefined && timerFunctions.has(callee);
}

/** Whether code at `node` may run more than once per run of `within`: it sits in a loop or a nested function (a callback). */
function repeatsIn(node: ts.Node, within: ts.Node): boolean {
  for (let current = node.parent; current && current !== within; current = current.parent) if (isLoop(current) || ts.isFunctionLike(current)) return true;
  return false;
}

function isLoop(node: ts.Node): node is ts.IterationStatement {
  return ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

/**
 * Whether the loop's innermost function is an async function expression called in place whose
 * promise is dropped: `void (async () => { ... })()`, or the call alone as a statement (with a
 * `.catch(...)` at most). Nothing awaits or returns it, so the caller does not wait on the loop.
 */
function inDetachedTask(loop: ts.Node): boolean {
  let fn: ts.Node | undefined = loop.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return false;
  if (!fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return false;
  let callee: ts.Node = fn;
  while (ts.isParenthesizedExpression(callee.parent)) callee = callee.parent;
  const call = callee.parent;
  if (!ts.isCallExpression(call) || call.expression !== callee) return false;
  let holder: ts.Node = call;
  // `(...)().catch(log)`: the handler is still the only thing waiting on it.
  if (ts.isPropertyAccessExpression(holder.parent) && holder.parent.expression === holder && holder.parent.name.text === 'catch' && ts.isCallExpression(holder.parent.parent)) holder = holder.parent.parent;
  while (ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
  const parent = holder.parent;
  return ts.isVoidExpression(parent) ? ts.isExpressionStatement(parent.parent) : ts.isExpressionStatement(parent);
}

/** What a loop says about the activity's run time: a poll when it sleeps, a loop of awaits, or nothing. */
export function loopSign(loop: ts.IterationStatement, ctx: ResolveContext): LongRunningSign | undefined {
  // `for await (const line of lines) { return parse(line); }`: it reads one item and leaves, it is no loop.
  if (leavesOnFirstTurn(loop)) return undefined;
  // `void (async () => { for await (const ev of sub.stream) ... })()`: a background task the
  // activity starts and never waits on; its time is not the activity's.
  if (inDetachedTask(loop)) return undefined;
  const location = locate(loop);
  const text = nodeSnippet(loop);
  if (ts.isForOfStatement(loop) && loop.awaitModifier) return { kind: 'stream', location, text, ...loopLength(loop, false, ctx) };
  let awaits = false;
  let sleeps = false;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) {
      // A callback's awaits do not make this loop wait, but the executor of an awaited
      // `new Promise((resolve) => setTimeout(resolve, ms))` is the loop sleeping.
      if (isPromiseExecutor(node) && containsSleep(node, ctx)) sleeps = true;
      return;
    }
    // Local file operations take milliseconds: a loop of them is not where an activity spends its time.
    if (ts.isAwaitExpression(node) && !isLocalFileCall(node.expression, ctx)) awaits = true;
    if (ts.isCallExpression(node) && isSleepCall(node, ctx)) sleeps = true;
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  if (ts.isForStatement(loop) || ts.isWhileStatement(loop) || ts.isDoStatement(loop)) {
    const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
    if (condition) visit(condition);
  }
  if (sleeps) return { kind: 'poll', location, text, ...loopLength(loop, true, ctx) };
  if (awaits) {
    const quickOver = quickLoopCollection(loop, ctx);
    const source = quickOver ? finiteSource(loop, ctx) : undefined;
    return { kind: 'loop-with-await', location, text, ...(quickOver ? { quickOver } : {}), ...(source ? { finiteSource: source } : {}), ...loopLength(loop, false, ctx) };
  }
  return undefined;
}

/**
 * The loop's body leaves it at its top level, with a `return`, a `throw` or a `break` of this loop,
 * and never `continue`s: whatever it awaits, it runs one turn.
 */
function leavesOnFirstTurn(loop: ts.IterationStatement): boolean {
  const statements = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  const label = ts.isLabeledStatement(loop.parent) ? loop.parent.label.text : undefined;
  const leaves = statements.some(
    (statement) => ts.isReturnStatement(statement) || ts.isThrowStatement(statement) || (ts.isBreakStatement(statement) && (!statement.label || statement.label.text === label)),
  );
  if (!leaves) return false;
  let continues = false;
  const visit = (node: ts.Node): void => {
    if (continues || ts.isFunctionLike(node)) return;
    if (ts.isContinueStatement(node)) continues = true;
    else ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return !continues;
}

/**
 * Whether a sleep may run more than once per run of `within`: it sits in a loop or in a callback
 * (the executor of `new Promise((resolve) => setTimeout(resolve, ms))` runs once, where it stands).
 */
function sleepRepeats(node: ts.Node, within: ts.Node): boolean {
  for (let current = node.parent; current && current !== within; current = current.parent) {
    if (isLoop(current)) return true;
    if (ts.isFunctionLike(current) && !isPromiseExecutor(current)) return true;
  }
  return false;
}

function isPromiseExecutor(node: ts.Node): boolean {
  const parent = node.parent;
  return parent !== undefined && ts.isNewExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'Promise';
}

function containsSleep(node: ts.Node, ctx: ResolveContext): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(current) && isSleepCall(current, ctx)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}
