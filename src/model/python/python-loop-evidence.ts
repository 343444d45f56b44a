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
import { descendantsInScope, namedChildrenOf, unparenthesize } from './python-syntax.js';

/** `pause` gives the constant pauses of one turn of a loop in milliseconds (undefined when one is not a constant). */
export function pythonLoopEvidence(
  loop: PythonNode,
  sleeps: boolean,
  cap: number | undefined,
  pause: (loop: PythonNode) => number | undefined,
  pageSize?: (iterated: PythonNode) => number | undefined,
  counted?: { text: string; turns?: number },
): { evidence?: LoopEvidence; over?: string; waitMs?: number; turnsBound?: string; pauseMs?: number } {
  // A page size of THOUSANDS or more written where the walked collection is fetched (`limit=5000`).
  const iterated = loop.type === 'for_statement' ? loop.childForFieldName('right') : undefined;
  const page = iterated && pageSize ? pageSize(iterated) : undefined;
  if (page !== undefined && page >= THOUSANDS) return { evidence: { kind: 'large', detail: `\`${iterated!.text}\` is read with a page size of ${page}` } };
  // A capped `for` that sleeps (`for _ in range(400): ... await asyncio.sleep(0.02)`) waits at most
  // its cap times its pause: under POLL_LONG_MS a short wait, from it on a long poll.
  // A counted `while` (pythonCountedWhile) to a number is capped the same way.
  if (sleeps && (loop.type === 'for_statement' || counted) && cap !== undefined) {
    const ms = pause(loop);
    if (ms !== undefined && cap * ms < POLL_LONG_MS) return { waitMs: cap * ms };
    return { evidence: { kind: 'polls', detail: ms === undefined ? `it sleeps between looks for up to ${cap} turns, with a pause the code does not state` : `it sleeps between looks for up to ${Math.round((cap * ms) / 60_000)} minutes` } };
  }
  // A counted `while` turns at most its bound, as a counted `for` does: no poll without a bound, and
  // no drain when it leaves early on what a turn fetched (a retry until an answer parses).
  const own = counted ? undefined : ownEvidence(loop, sleeps, cap);
  if (own) return { evidence: own };
  let nested: LoopEvidence | undefined;
  descendantsInScope(loop, (inner) => {
    if (nested || (inner.type !== 'for_statement' && inner.type !== 'while_statement')) return;
    const found = ownEvidence(inner, containsSleepLike(inner), undefined);
    if (found) nested = { kind: 'nested', detail: `a loop inside it runs long (${inner.text.split('\n')[0]!.trim()}): ${found.detail}` };
  });
  if (nested) return { evidence: nested };
  const right = loop.type === 'for_statement' ? loop.childForFieldName('right') : undefined;
  // `for _ in range(attempts)`: range is read once, so the loop turns at most that many times, a
  // bound computed before it starts (as a counted `for` in TypeScript), whether it sleeps or not.
  // `range(len(rows))` walks a collection: it stays a loop over it.
  const ranged = right ? rangeBound(right) : counted?.text;
  const bound = ranged !== undefined && (sleeps || !/\blen\(/.test(ranged)) ? ranged : undefined;
  if (bound !== undefined) {
    const ms = pause(loop);
    return { turnsBound: bound, ...(ms !== undefined ? { pauseMs: ms } : {}) };
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

/** A bound that is no bound: `float("inf")`, `math.inf`, `sys.maxsize`. */
const UNBOUNDED = /^(?:float\(\s*["'](?:inf|infinity)["']\s*\)|math\.inf|sys\.maxsize)$/i;

/** Calls that only compute on the values they are given: a bound may read them. */
const COMPUTING = new Set(['len', 'min', 'max', 'int', 'round', 'math.ceil', 'math.floor']);

/** Methods that grow a collection in place: a bound reading it may move while the loop runs. */
const GROWING = new Set(['append', 'extend', 'insert', 'add', 'update', 'setdefault']);

/**
 * A counted `while` (`attempt = 0` then `while attempt < max_attempts: ...; attempt += 1`), held to
 * the rule of a counted `for` in TypeScript (countedBound and countedWhile of loop-evidence.ts): a
 * conjunct of its condition compares a counter with a bound the loop does not change (a literal,
 * a constant, or names, attributes and arithmetic read before it), and every turn steps the
 * counter toward the bound by a constant in a statement of the loop's own body (not under an `if`,
 * with no `continue` that could skip it), which writes the counter nowhere else (no reset).
 * Counting down (`while retries > 0: ...; retries -= 1`) turns at most the counter's start. The
 * text says how many turns (the bound, or the counter for a count down); turns is their number
 * when the bound of a count up is a number (the bound over the step). Undefined for any other loop.
 */
export function pythonCountedWhile(loop: PythonNode, resolveNumber: (node: PythonNode) => number | undefined): { text: string; turns?: number } | undefined {
  if (loop.type !== 'while_statement') return undefined;
  const condition = loop.childForFieldName('condition');
  const body = loop.childForFieldName('body');
  if (!condition || !body) return undefined;
  for (const conjunct of pythonConjuncts(condition)) {
    if (conjunct.type !== 'comparison_operator') continue;
    const operands = namedChildrenOf(conjunct);
    if (operands.length !== 2) continue;
    const [left, right] = operands as [PythonNode, PythonNode];
    const operator = conjunct.text.slice(left.endIndex - conjunct.startIndex, right.startIndex - conjunct.startIndex).trim();
    const up = operator === '<' || operator === '<=';
    const down = operator === '>' || operator === '>=';
    if ((!up && !down) || left.type !== 'identifier') continue;
    const counter = left.text;
    const step = pythonStepsEveryTurn(body, counter, up, resolveNumber);
    if (step === undefined) continue;
    const names = pythonBoundNames(right);
    if (!names || names.has(counter) || pythonWritesAny(body, names)) continue;
    const limit = resolveNumber(right);
    const text = right.text.length > 60 ? `${right.text.slice(0, 57)}...` : right.text;
    if (up) return { text, ...(limit !== undefined && limit >= 0 ? { turns: Math.ceil(limit / step) } : {}) };
    if (limit === undefined) continue;
    return { text: limit === 0 ? counter : `${counter} - ${text}` };
  }
  return undefined;
}

function pythonConjuncts(condition: PythonNode): PythonNode[] {
  const node = unparenthesize(condition);
  if (node.type === 'boolean_operator' && node.childForFieldName('operator')?.text === 'and') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    return [...(left ? pythonConjuncts(left) : []), ...(right ? pythonConjuncts(right) : [])];
  }
  return [node];
}

/**
 * How much each turn steps `counter` by, when it steps it by constants in statements of the body's
 * own block, nothing else in the loop writes it and no `continue` skips the step; undefined otherwise.
 */
function pythonStepsEveryTurn(body: PythonNode, counter: string, up: boolean, resolveNumber: (node: PythonNode) => number | undefined): number | undefined {
  const statements = namedChildrenOf(body);
  let total = 0;
  const steps = statements.filter((statement) => {
    const expression = statement.type === 'expression_statement' ? namedChildrenOf(statement)[0] : undefined;
    if (!expression || expression.childForFieldName('left')?.text !== counter) return false;
    const right = expression.childForFieldName('right');
    if (!right) return false;
    let amount: PythonNode | undefined;
    if (expression.type === 'augmented_assignment') {
      const operator = expression.childForFieldName('operator')?.text;
      if (operator === (up ? '+=' : '-=')) amount = right;
    } else if (expression.type === 'assignment' && right.type === 'binary_operator' && right.childForFieldName('left')?.text === counter && right.childForFieldName('operator')?.text === (up ? '+' : '-')) {
      amount = right.childForFieldName('right') ?? undefined;
    }
    const value = amount ? resolveNumber(amount) : undefined;
    if (value === undefined || value <= 0) return false;
    total += value;
    return true;
  });
  if (steps.length === 0) return undefined;
  const counterSet = new Set([counter]);
  if (statements.some((statement) => !steps.includes(statement) && pythonWritesAny(statement, counterSet))) return undefined;
  let skips = false;
  const visit = (node: PythonNode): void => {
    for (const child of namedChildrenOf(node)) {
      if (skips) return;
      if (child.type === 'continue_statement') skips = true;
      // A `continue` in a nested loop goes to that loop's next turn; a nested function's is its own.
      else if (!['for_statement', 'while_statement', 'function_definition', 'class_definition', 'lambda'].includes(child.type)) visit(child);
      else if (child.type === 'for_statement' || child.type === 'while_statement') {
        const alternative = child.childForFieldName('alternative');
        if (alternative) visit(alternative);
      }
    }
  };
  visit(body);
  return skips ? undefined : total;
}

/** The root names a bound reads, or undefined when it is no bound or may change as it is read (a call other than COMPUTING, an await). */
function pythonBoundNames(bound: PythonNode): Set<string> | undefined {
  const node = unparenthesize(bound);
  if (UNBOUNDED.test(node.text.replace(/\s+/g, ''))) return undefined;
  const names = new Set<string>();
  let fits = true;
  const visit = (current: PythonNode): void => {
    if (!fits) return;
    if (current.type === 'await' || current.type === 'lambda' || current.type === 'named_expression' || UNBOUNDED.test(current.text)) {
      fits = false;
      return;
    }
    if (current.type === 'call') {
      const callee = current.childForFieldName('function');
      if (!callee || !COMPUTING.has(callee.text)) {
        fits = false;
        return;
      }
      const args = current.childForFieldName('arguments');
      if (args) namedChildrenOf(args).forEach(visit);
      return;
    }
    if (current.type === 'identifier') {
      names.add(current.text);
      return;
    }
    if (current.type === 'attribute') {
      const object = current.childForFieldName('object');
      if (object) visit(object);
      return;
    }
    namedChildrenOf(current).forEach(visit);
  };
  visit(node);
  return fits ? names : undefined;
}

/** Whether `node` assigns one of `names` (or an attribute or item of it), or grows it in place. */
function pythonWritesAny(node: PythonNode, names: Set<string>): boolean {
  const rootOf = (target: PythonNode): string | undefined => {
    let root = unparenthesize(target);
    while (root.type === 'attribute' || root.type === 'subscript') {
      const inner = root.childForFieldName(root.type === 'attribute' ? 'object' : 'value');
      if (!inner) return undefined;
      root = unparenthesize(inner);
    }
    return root.type === 'identifier' ? root.text : undefined;
  };
  const targets = (left: PythonNode): string[] => {
    const target = unparenthesize(left);
    if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern' || target.type === 'tuple' || target.type === 'list') return namedChildrenOf(target).flatMap(targets);
    const root = rootOf(target);
    return root ? [root] : [];
  };
  let found = false;
  const check = (current: PythonNode): void => {
    if (found) return;
    if (current.type === 'assignment' || current.type === 'augmented_assignment' || current.type === 'for_statement' || current.type === 'for_in_clause') {
      const left = current.childForFieldName('left');
      if (left && targets(left).some((name) => names.has(name))) found = true;
    } else if (current.type === 'named_expression') {
      if (names.has(current.childForFieldName('name')?.text ?? '')) found = true;
    } else if (current.type === 'global_statement' || current.type === 'nonlocal_statement') {
      if (namedChildrenOf(current).some((name) => names.has(name.text))) found = true;
    } else if (current.type === 'delete_statement') {
      if (namedChildrenOf(current).some((target) => names.has(rootOf(target) ?? ''))) found = true;
    } else if (current.type === 'call') {
      const callee = current.childForFieldName('function');
      if (callee?.type === 'attribute' && GROWING.has(callee.childForFieldName('attribute')?.text ?? '')) {
        const root = callee.childForFieldName('object');
        if (root && names.has(rootOf(root) ?? '')) found = true;
      }
    }
  };
  check(node);
  // Nested functions too: a closure can write a name with `nonlocal`.
  const visit = (current: PythonNode): void => {
    for (const child of namedChildrenOf(current)) {
      if (found) return;
      check(child);
      visit(child);
    }
  };
  visit(node);
  return found;
}
