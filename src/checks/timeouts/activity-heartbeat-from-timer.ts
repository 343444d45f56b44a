// Tells what a timer heartbeat does and does not buy: `setInterval(() => heartbeat(), ms)` keeps
// beating while the work is stuck, so heartbeatTimeout detects a dead worker but never a hung
// step, and heartbeats only deliver a cancellation the code must still look at. A timer in a
// helper (`withHeartbeat(fn)`, `startHeartbeatLoop(ctx)`) is one finding at the timer, naming the
// activities that run it. Under a startToCloseTimeout that declares a long run, a hung step holds
// the attempt for that long: a warning.

import ts from 'typescript';
import { defineCheck } from '../define-check.js';
import { formatDuration } from '../../engine/duration.js';
import { describeTimeout, listNames } from '../../engine/activity-policy/describe-policy.js';
import { DECLARED_LONG_START_TO_CLOSE_MS } from '../../engine/activity-policy/long-running.js';
import { proxyReviews, type ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { ActivityImplementation, SourceLocation, TemporalModel } from '../../model/typescript/types.js';

/** The activities that heartbeat only from one timer in a helper. */
interface TimerGroup {
  timer: SourceLocation;
  members: { implementation: ActivityImplementation; callers: ProxyReview[]; long: boolean }[];
}

export default defineCheck({
  id: 'activity-heartbeat-from-timer',
  area: 'timeouts',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'The activity heartbeats only from a timer: a hung step keeps heartbeating until startToCloseTimeout.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    const reviews = proxyReviews(model);
    const groups = new Map<string, TimerGroup>();
    const at = (location: { file: string; line: number }) => `${relativePath(model.root, location.file)}:${location.line}`;
    for (const implementation of model.activities) {
      const heartbeat = implementation.heartbeat;
      if (!heartbeat?.fromTimer) continue;
      const callers = reviews.filter((review) => review.proxy.kind === 'remote' && review.uses.some((use) => use.implementations.includes(implementation)));
      const bound = ownKillTimer(heartbeat.location, model);
      const long = bound ? bound.ms !== undefined && bound.ms >= DECLARED_LONG_START_TO_CLOSE_MS && declaresLongRun(callers) : declaresLongRun(callers);
      const severity = long ? 'warning' : 'info';
      // A timer in a helper the activity calls: reported at the timer, once for all activities that run it.
      if (heartbeat.via.length > 0) {
        const key = `${heartbeat.location.file}:${heartbeat.location.line}:${heartbeat.location.column}`;
        const group = groups.get(key) ?? { timer: heartbeat.location, members: [] };
        group.members.push({ implementation, callers, long });
        groups.set(key, group);
        continue;
      }
      ctx.report({
        location: implementation.location,
        severity,
        message:
          `Activity ${implementation.name} heartbeats from a timer (${at(heartbeat.location)}), not as its work progresses: heartbeatTimeout then detects only a dead worker, ` +
          hungSentence(callers, ownKillTimer(heartbeat.location, model), model.root) +
          (severity === 'warning' ? LONG_RUN_SENTENCE : '') +
          cancellationSentence([implementation], model.root),
        fix: FIX,
        related: [{ ...heartbeat.location, message: 'the timer that heartbeats' }],
        data: { activityType: implementation.name, cancellationObserved: cancellationObserved(implementation) },
      });
    }
    for (const { timer, members } of groups.values()) {
      const implementations = members.map((member) => member.implementation);
      const names = [...new Set(implementations.map((impl) => impl.name))].sort();
      const callers = [...new Set(members.flatMap((member) => member.callers))];
      // A warning when one of the activities declares a long run; the message names which.
      const long = [...new Set(members.filter((member) => member.long).map((member) => member.implementation.name))].sort();
      const severity = long.length > 0 ? 'warning' : 'info';
      const who = names.length === 1 ? `Activity ${names[0]} heartbeats` : `Activities ${listNames(names, 6)} heartbeat`;
      const their = names.length === 1 ? 'its' : 'their';
      const longSentence =
        long.length === 0
          ? ''
          : long.length === names.length
            ? LONG_RUN_SENTENCE
            : ` For ${listNames(long, 6)} (startToCloseTimeout ${limits(members.filter((member) => member.long).flatMap((member) => member.callers))}), a call that hangs (a model or provider request, a stream that stops sending) holds the attempt and its worker slot that long before a retry starts.`;
      ctx.report({
        location: timer,
        severity,
        message:
          `${who} only from this timer, in a helper ${names.length === 1 ? 'it calls' : 'they call'}, not as ${their} work progresses: heartbeatTimeout then detects only a dead worker, ` +
          hungSentence(callers, ownKillTimer(timer, model), model.root) +
          longSentence +
          cancellationSentence(implementations, model.root),
        fix: FIX,
        related: members.map(({ implementation }) => ({
          ...implementation.location,
          message: `activity ${implementation.name} runs this timer (through the call at ${at(implementation.heartbeat!.via[0]!)})`,
        })),
        data: {
          activityType: names[0],
          activityTypes: names,
          cancellationObserved: names.length === 1 ? cancellationObserved(implementations[0]!) : Object.fromEntries(implementations.map((impl) => [impl.name, cancellationObserved(impl)])),
        },
      });
    }
  },
});

const FIX =
  'Heartbeat from the work itself (after each step or chunk, with progress details), or give each step its own deadline; ' +
  'pass Context.current().cancellationSignal to the calls that wait, so a cancellation stops them.';

const LONG_RUN_SENTENCE =
  ' With a startToCloseTimeout that long, a call that hangs (a model or provider request, a stream that stops sending) holds the attempt and its worker slot for all of it before a retry starts.';

/**
 * Every workflow that schedules the activity gives it a startToCloseTimeout of 30 minutes or more
 * (or none at all, only scheduleToClose): the authors expect attempts to run long, and a hang lasts
 * that long. Under a short startToClose (a minute) the timer costs little: the hang ends with it.
 */
function declaresLongRun(callers: ProxyReview[]): boolean {
  return callers.length > 0 && callers.every((review) => review.timeouts.startToClose.known && review.timeouts.startToClose.ms >= DECLARED_LONG_START_TO_CLOSE_MS);
}

/** How long a hung step keeps heartbeating: until the code's own kill or abort timer, or until startToCloseTimeout. */
function hungSentence(callers: ProxyReview[], bound: KillTimer | undefined, root: string): string {
  if (!bound) return `and a hung step keeps heartbeating until ${until(callers)} ends the attempt.`;
  const after = bound.ms !== undefined ? formatDuration(bound.ms) : bound.text;
  return (
    `and a hung step keeps heartbeating until the code ${bound.verb} it at its own timeout (${after}, ` +
    `${relativePath(root, bound.location.file)}:${bound.location.line}), not until ${until(callers)}.`
  );
}

interface KillTimer {
  location: SourceLocation;
  verb: 'kills' | 'aborts';
  /** The delay when it is a number literal. */
  ms?: number;
  /** The delay as written. */
  text: string;
}

/**
 * A `setTimeout` in the own code of the function that starts the heartbeat timer whose callback kills a process or
 * aborts a controller (`setTimeout(() => child.kill(), opts.timeoutMs)`, directly or through a
 * function declared in that function): the work the heartbeats cover is stopped after a bounded time
 * by the code itself, whatever startToCloseTimeout is.
 */
function ownKillTimer(timer: SourceLocation, model: TemporalModel): KillTimer | undefined {
  const sourceFile = model.sourceFile(timer.file);
  if (!sourceFile) return undefined;
  let offset: number;
  try {
    offset = sourceFile.getPositionOfLineAndCharacter(timer.line - 1, timer.column - 1);
  } catch {
    return undefined;
  }
  let node: ts.Node | undefined = findToken(sourceFile, offset);
  while (node && !ts.isFunctionLike(node)) node = node.parent;
  // The timer's callback (`setInterval(() => beat(), ms)`): the function that starts the timer is the one around it.
  while (node && node.parent && ts.isCallExpression(node.parent) && node.parent.arguments.includes(node as ts.Expression)) {
    node = node.parent.parent;
    while (node && !ts.isFunctionLike(node)) node = node.parent;
  }
  const fn = node as ts.FunctionLikeDeclaration | undefined;
  if (!fn || !('body' in fn) || !fn.body) return undefined;
  const locals = new Map<string, ts.Node>();
  const collect = (n: ts.Node): void => {
    if (ts.isFunctionDeclaration(n) && n.name && n.body) locals.set(n.name.text, n.body);
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      const value = skipOuterExpressions(n.initializer);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) locals.set(n.name.text, value.body);
    }
    ts.forEachChild(n, collect);
  };
  collect(fn.body);
  let found: KillTimer | undefined;
  // Only a timer in the function's own code: a setTimeout inside the kill (`SIGKILL` five seconds after `SIGTERM`) is not the limit.
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(skipOuterExpressions(n.expression)) && (skipOuterExpressions(n.expression) as ts.Identifier).text === 'setTimeout' && n.arguments.length >= 2) {
      const callback = skipOuterExpressions(n.arguments[0]!);
      const body = ts.isArrowFunction(callback) || ts.isFunctionExpression(callback) ? callback.body : ts.isIdentifier(callback) ? locals.get(callback.text) : undefined;
      const verb = body ? stops(body, locals, new Set()) : undefined;
      if (verb) {
        const delay = skipOuterExpressions(n.arguments[1]!);
        const { line, character } = sourceFile.getLineAndCharacterOfPosition(n.getStart(sourceFile));
        found = {
          location: { file: sourceFile.fileName, line: line + 1, column: character + 1 },
          verb,
          text: delay.getText(sourceFile),
          ...(ts.isNumericLiteral(delay) ? { ms: Number(delay.text.replace(/_/g, '')) } : {}),
        };
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

/** A `.kill(...)` or `.abort(...)` call in the body, or in a local function it calls. */
function stops(body: ts.Node, locals: Map<string, ts.Node>, seen: Set<string>): 'kills' | 'aborts' | undefined {
  let verb: 'kills' | 'aborts' | undefined;
  const visit = (n: ts.Node): void => {
    if (verb) return;
    if (ts.isCallExpression(n)) {
      const callee = skipOuterExpressions(n.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'kill') verb = 'kills';
      else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'abort') verb = 'aborts';
      else if (ts.isIdentifier(callee) && locals.has(callee.text) && !seen.has(callee.text)) {
        seen.add(callee.text);
        verb = stops(locals.get(callee.text)!, locals, seen);
      }
      if (verb) return;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return verb;
}

function findToken(node: ts.Node, offset: number): ts.Node | undefined {
  const sourceFile = node.getSourceFile();
  let current: ts.Node = node;
  for (;;) {
    const child: ts.Node | undefined = current.getChildren(sourceFile).find((c) => c.getStart(sourceFile) <= offset && offset < c.getEnd());
    if (!child) return current;
    current = child;
  }
}

function until(callers: ProxyReview[]): string {
  const known = limits(callers);
  return known ? `startToCloseTimeout (${known})` : 'startToCloseTimeout';
}

/** "1h and 1d": the startToCloseTimeouts the callers give, when every one is known. */
function limits(callers: ProxyReview[]): string | undefined {
  const known = callers.map((review) => review.timeouts.startToClose).filter((timeout) => timeout.known);
  return known.length > 0 && known.length === callers.length ? listNames([...new Set(known.map(describeTimeout))]) : undefined;
}

function cancellationObserved(implementation: ActivityImplementation): boolean | 'unknown' {
  return implementation.cancellation !== null ? true : (implementation.unfollowedCalls ?? []).length > 0 ? 'unknown' : false;
}

/**
 * What the activities do with a cancellation. "Never" only when the tool followed all of the work:
 * a call into the project it could not follow (a method behind an interface, an injected service)
 * may read cancellation where the tool cannot see.
 */
function cancellationSentence(implementations: ActivityImplementation[], root: string): string {
  const never = [...new Set(implementations.filter((impl) => cancellationObserved(impl) === false).map((impl) => impl.name))].sort();
  const unknown = implementations.filter((impl) => cancellationObserved(impl) === 'unknown');
  const single = implementations.length === 1;
  let sentence = '';
  if (never.length > 0) {
    sentence += single
      ? ' It never reads cancellation (cancelled(), cancellationSignal, the activity sleep): the heartbeats deliver a cancellation, but nothing reacts to it, so a cancelled activity runs to the end.'
      : ` ${never.length === implementations.length ? 'None of them reads' : `${listNames(never, 6)} never read${never.length === 1 ? 's' : ''}`} cancellation (cancelled(), cancellationSignal, the activity sleep): ` +
        'the heartbeats deliver a cancellation, but nothing reacts to it, so a cancelled activity runs to the end.';
  }
  if (unknown.length > 0) {
    const first = unknown[0]!;
    const unfollowed = first.unfollowedCalls ?? [];
    const call = unfollowed[0]!;
    const more = unfollowed.length > 1 ? ` and ${unfollowed.length - 1} other call${unfollowed.length > 2 ? 's' : ''}` : '';
    const subject = single ? 'it calls' : `${first.name} calls`;
    const others = unknown.length > 1 ? ` (likewise for ${listNames(unknown.slice(1).map((impl) => impl.name), 6)})` : '';
    sentence +=
      ' No read of cancellation (cancelled(), cancellationSignal, the activity sleep) was seen in the code the tool could follow, ' +
      `but ${subject} ${call.text} (${relativePath(root, call.location.file)}:${call.location.line})${more} that the tool cannot follow (${call.callback ? 'a callback passed in' : 'a method behind an interface, an injected service'}): ` +
      `whether a cancellation stops ${single ? 'the activity' : 'it'} is not known${others}.`;
  }
  return sentence;
}
