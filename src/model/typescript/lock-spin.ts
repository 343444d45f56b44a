// A loop that spins until it gets a lock: `while (!lockAcquired) { try { await tryLock(); }
// catch { await sleep(5); continue; } lockAcquired = true; }`. It waits for another holder to let
// go of a briefly held lock (a file lock, a mutex), which the tiny fixed pause between tries says
// the authors expect to take milliseconds: it is not work that runs long, and no progress exists to
// heartbeat. A poll of a job, or a loop over a collection, is none of this.

import ts from 'typescript';
import { enclosingFunction } from './call-reach.js';
import { functionName } from './declarations.js';
import { isSleepCall, sleepPauseMs } from './long-running-calls.js';
import type { ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';

/** Above this pause between tries the wait is a poll, however the loop is named. */
export const LOCK_SPIN_MAX_PAUSE_MS = 1000;

/** Words that name a lock in identifiers (`flockAcquired`, `acquireMutex`, `lock_held`). */
const LOCK_WORDS = new Set(['lock', 'locks', 'locked', 'flock', 'mutex', 'semaphore', 'spinlock']);

/**
 * A `while` / `do` / `for (;;)` loop that iterates over nothing, holds no nested loop, pauses only
 * with sleeps of a fixed literal of at most LOCK_SPIN_MAX_PAUSE_MS, and names a lock in its
 * condition, in a function it calls, or in the function it sits in.
 */
export function isLockSpin(loop: ts.IterationStatement, ctx: ResolveContext): boolean {
  if (!ts.isWhileStatement(loop) && !ts.isDoStatement(loop) && !ts.isForStatement(loop)) return false;
  const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
  const names: string[] = [];
  if (condition) collectNames(condition, names);
  let sleeps = 0;
  let fits = true;
  const visit = (node: ts.Node): void => {
    if (!fits) return;
    if (node !== loop && (ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node))) {
      fits = false;
      return;
    }
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name) names.push(name);
      if (isSleepCall(node, ctx)) {
        sleeps++;
        const pause = sleepPauseMs(node, ctx);
        if (pause === undefined || pause > LOCK_SPIN_MAX_PAUSE_MS) fits = false;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  if (!fits || sleeps === 0) return false;
  const enclosing = enclosingFunction(loop);
  const enclosingName = enclosing && functionName(enclosing);
  if (enclosingName) names.push(enclosingName);
  return names.some((name) => words(name).some((word) => LOCK_WORDS.has(word)));
}

function collectNames(node: ts.Node, names: string[]): void {
  if (ts.isIdentifier(node)) names.push(node.text);
  ts.forEachChild(node, (child) => collectNames(child, names));
}

/** `acquireFlock` -> ['acquire', 'flock']; `LOCK_HELD` -> ['lock', 'held']. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

