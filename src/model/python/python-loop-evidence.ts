// What in a Python loop's code says it runs long (the evidence rule of
// activity-long-loop-without-heartbeat, as loop-evidence.ts reads it in TypeScript): an `async for`
// (a stream, a cursor); a `while` whose condition, or an `if` around a `break` / `return` that
// leaves it, reads a name set from a call awaited in the loop (a cursor, `has_more`, an empty
// page); a `while` that sleeps (a poll; the short capped ones are dropped before, as bounded
// waits); a loop whose cap the code states above CAPPED_ITERATIONS; or a loop nested in it that
// has such evidence. A `for` over a collection whose size the code does not state has none.

import { CAPPED_ITERATIONS, POLL_LONG_MS, THOUSANDS } from '../loop-caps.js';
import type { LoopEvidence } from '../types.js';
import type { PythonNode } from './parse-python.js';
import { descendantsInScope, namedChildrenOf } from './python-syntax.js';

/** `pause` gives the constant pauses of one turn of a loop in milliseconds (undefined when one is not a constant). */
export function pythonLoopEvidence(
  loop: PythonNode,
  sleeps: boolean,
  cap: number | undefined,
  pause: (loop: PythonNode) => number | undefined,
  pageSize?: (iterated: PythonNode) => number | undefined,
): { evidence?: LoopEvidence; over?: string; waitMs?: number; turnsBound?: string; pauseMs?: number } {
  // A page size of THOUSANDS or more written where the walked collection is fetched (`limit=5000`).
  const iterated = loop.type === 'for_statement' ? loop.childForFieldName('right') : undefined;
  const page = iterated && pageSize ? pageSize(iterated) : undefined;
  if (page !== undefined && page >= THOUSANDS) return { evidence: { kind: 'large', detail: `\`${iterated!.text}\` is read with a page size of ${page}` } };
  // A capped `for` that sleeps (`for _ in range(400): ... await asyncio.sleep(0.02)`) waits at most
  // its cap times its pause: under POLL_LONG_MS a short wait, from it on a long poll.
  if (sleeps && loop.type === 'for_statement' && cap !== undefined) {
    const ms = pause(loop);
    if (ms !== undefined && cap * ms < POLL_LONG_MS) return { waitMs: cap * ms };
    return { evidence: { kind: 'polls', detail: ms === undefined ? `it sleeps between looks for up to ${cap} turns, with a pause the code does not state` : `it sleeps between looks for up to ${Math.round((cap * ms) / 60_000)} minutes` } };
  }
  const own = ownEvidence(loop, sleeps, cap);
  if (own) return { evidence: own };
  let nested: LoopEvidence | undefined;
  descendantsInScope(loop, (inner) => {
    if (nested || (inner.type !== 'for_statement' && inner.type !== 'while_statement')) return;
    const found = ownEvidence(inner, containsSleepLike(inner), undefined);
    if (found) nested = { kind: 'nested', detail: `a loop inside it runs long (${inner.text.split('\n')[0]!.trim()}): ${found.detail}` };
  });
  if (nested) return { evidence: nested };
  const right = loop.type === 'for_statement' ? loop.childForFieldName('right') : undefined;
  // `for _ in range(attempts)` that sleeps: range is read once, so the loop turns at most that many
  // times, a bound computed before it starts (as a counted `for` in TypeScript).
  const counted = sleeps && right ? rangeBound(right) : undefined;
  if (counted !== undefined) {
    const ms = pause(loop);
    return { turnsBound: counted, ...(ms !== undefined ? { pauseMs: ms } : {}) };
  }
  return right ? { over: right.text.length > 60 ? `${right.text.slice(0, 57)}...` : right.text } : {};
}

/** The stop of `range(stop)` / `range(start, stop[, step])`, as written. */
function rangeBound(iterated: PythonNode): string | undefined {
  if (iterated.type !== 'call' || iterated.childForFieldName('function')?.text !== 'range') return undefined;
  const args = namedChildrenOf(iterated.childForFieldName('arguments') ?? iterated).filter((arg) => arg.type !== 'comment');
  if (args.length === 0 || args.length > 3 || args.some((arg) => arg.type === 'keyword_argument' || arg.type === 'list_splat' || arg.type === 'dictionary_splat')) return undefined;
  const stop = args.length === 1 ? args[0]! : args[1]!;
  return stop.text.length > 60 ? `${stop.text.slice(0, 57)}...` : stop.text;
}

function ownEvidence(loop: PythonNode, sleeps: boolean, cap: number | undefined): LoopEvidence | undefined {
  if (loop.type === 'for_statement') {
    if (loop.children.some((c) => c?.type === 'async')) return { kind: 'stream', detail: `it reads \`${loop.childForFieldName('right')?.text ?? ''}\` item by item (async for)` };
    if (!sleeps && cap !== undefined && cap > CAPPED_ITERATIONS) return { kind: 'large', detail: `it runs up to ${cap} turns` };
    // `for attempt in itertools.count()` that sleeps: a poll with no bound (as `for (;;)` in TypeScript).
    if (sleeps && /^itertools\.count\(/.test(loop.childForFieldName('right')?.text ?? '')) return { kind: 'polls', detail: 'it sleeps between looks with no bound on its turns (itertools.count())' };
    return undefined;
  }
  if (loop.type !== 'while_statement') return undefined;
  if (sleeps) return { kind: 'polls', detail: 'it sleeps between looks until something outside changes' };
  const fetched = awaitedNames(loop);
  const condition = loop.childForFieldName('condition');
  const read = condition ? reads(condition, fetched) : undefined;
  if (condition && read) return { kind: 'drains', detail: `it runs while \`${condition.text}\`, ${dependsOn(condition.text, read)}` };
  let exit: LoopEvidence | undefined;
  descendantsInScope(loop.childForFieldName('body') ?? loop, (node) => {
    if (exit || (node.type !== 'break_statement' && node.type !== 'return_statement')) return;
    for (let current = node.parent; current && current.id !== loop.id; current = current.parent) {
      // A `break` in a nested loop leaves that one.
      if (node.type === 'break_statement' && (current.type === 'for_statement' || current.type === 'while_statement')) return;
      if (current.type === 'if_statement' || current.type === 'elif_clause') {
        const test = current.childForFieldName('condition');
        const value = test ? reads(test, fetched) : undefined;
        if (test && value) {
          exit = { kind: 'drains', detail: `it leaves when \`${test.text}\`, ${dependsOn(test.text, value)}` };
          return;
        }
      }
    }
  });
  return exit;
}

function containsSleepLike(loop: PythonNode): boolean {
  let found = false;
  descendantsInScope(loop, (node) => {
    if (node.type === 'call' && /(^|\.)sleep$/.test(node.childForFieldName('function')?.text ?? '')) found = true;
  });
  return found;
}

/** An `await` in `node`, or a name set from one: what the loop's exit reads. */
function reads(node: PythonNode, fetched: Set<string>): string | undefined {
  if (node.type === 'await') return node.text;
  if (node.type === 'identifier' && fetched.has(node.text) && !(node.parent?.type === 'attribute' && node.parent.childForFieldName('attribute')?.id === node.id)) return node.text;
  let found: string | undefined;
  descendantsInScope(node, (inner) => {
    if (found) return;
    if (inner.type === 'await') found = inner.text;
    else if (inner.type === 'identifier' && fetched.has(inner.text) && !(inner.parent?.type === 'attribute' && inner.parent.childForFieldName('attribute')?.id === inner.id)) found = inner.text;
  });
  return found;
}

/** Names the loop sets from a call it awaits, and names set from those, until nothing changes. */
function awaitedNames(loop: PythonNode): Set<string> {
  // Each assignment with the conditions of the `if`s around it in the loop: `if not rows: has_more = False`.
  const assignments: { targets: string[]; value: PythonNode; guards: PythonNode[] }[] = [];
  const guardsOf = (node: PythonNode): PythonNode[] => {
    const guards: PythonNode[] = [];
    for (let current = node.parent; current && current.id !== loop.id; current = current.parent) {
      if (current.type === 'if_statement' || current.type === 'elif_clause') {
        const test = current.childForFieldName('condition');
        if (test) guards.push(test);
      }
    }
    return guards;
  };
  descendantsInScope(loop, (node) => {
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left && right) assignments.push({ targets: targetNames(left), value: right, guards: guardsOf(node) });
    } else if (node.type === 'named_expression') {
      const name = node.childForFieldName('name');
      const value = node.childForFieldName('value');
      if (name && value) assignments.push({ targets: [name.text], value, guards: guardsOf(node) });
    }
  });
  const names = new Set<string>();
  for (let changed = true, round = 0; changed && round < 8; round++) {
    changed = false;
    for (const { targets, value, guards } of assignments) {
      if (targets.every((t) => names.has(t)) || (reads(value, names) === undefined && guards.every((guard) => reads(guard, names) === undefined))) continue;
      for (const target of targets) if (!names.has(target)) (names.add(target), (changed = true));
    }
  }
  return names;
}

/** `x`, `a, b`, `(a, b)`, `[a, b]`, the root of `self.cursor` / `state["cursor"]`. */
function targetNames(left: PythonNode): string[] {
  if (left.type === 'identifier') return [left.text];
  if (left.type === 'attribute' || left.type === 'subscript') {
    let root: PythonNode | null = left;
    while (root && (root.type === 'attribute' || root.type === 'subscript')) root = root.childForFieldName(root.type === 'attribute' ? 'object' : 'value');
    return root?.type === 'identifier' ? [root.text] : [];
  }
  if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern' || left.type === 'tuple' || left.type === 'list' || left.type === 'parenthesized_expression')
    return namedChildrenOf(left).flatMap(targetNames);
  return [];
}

/** "set from a call awaited in the loop", or which value of the test is. */
function dependsOn(test: string, read: string): string {
  if (read.startsWith('await')) return 'awaited there';
  return test === read ? 'set from a call awaited in the loop' : `which depends on \`${read}\`, set from a call awaited in the loop`;
}
