// Where a Python activity spends its time: loops that await or sleep, unless the code caps how
// often they run. A loop's cap comes from what it walks: a literal, `range(n)` of a constant, a
// local or module constant, a project function that returns a literal, or a parameter every
// visible caller passes such a value (followed through workflow starts, activity calls and plain
// calls by python-parameter-arguments.ts).

import { CAPPED_ITERATIONS } from '../loop-caps.js';
import type { LongRunningSign, SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import { functionTarget } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import type { ParameterArguments } from './python-parameter-arguments.js';
import { pythonBoundedWaitMs, pythonTurnPauseMs } from './python-bounded-wait.js';
import { pythonQuickLoopCollection, writtenPageSize } from './python-quick-loop.js';
import { pythonCountedWhile, pythonLoopEvidence } from './python-loop-evidence.js';
import { callArguments, decoratorsOf, descendantsInScope, enclosing, isAsyncFunction, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';
import { resolvePythonValue } from './python-values.js';

const SLEEPS = ['asyncio.sleep', 'time.sleep', 'temporalio.activity.wait_for_cancelled'];

/** What visible callers pass a parameter (python-parameter-arguments.ts). */
export type ArgumentsOf = (fn: PythonNode, name: string) => ParameterArguments | undefined;

/** How many parameters deep a collection is followed to its callers. */
const PARAMETER_HOPS = 4;

interface SizeContext {
  modules: PythonModules;
  argumentsOf: ArgumentsOf | undefined;
  /** Parameters being followed, to stop at cycles and after PARAMETER_HOPS. */
  following: Set<string>;
}

/** How many calls deep the project helpers an activity calls are read for loops (as TypeScript follows them). */
const HELPER_DEPTH = 2;

/**
 * Loops that await or sleep, and sleeps: where an activity spends its time. A loop of awaits that
 * cannot run more than CAPPED_ITERATIONS times, with the loops nested in it (loopCap), ends in
 * seconds and is not one; a capped loop that sleeps is still a poll, unless it is a bounded wait
 * (python-bounded-wait.ts): constant pauses and local checks that end within a minute. The
 * activity's own loops come first, then those of the project functions and methods it calls
 * (HELPER_DEPTH calls deep, each read by the same rules in its own function), with the calls that
 * lead there as `via`.
 */
export function longRunningSigns(fn: PythonNode, file: string, modules: PythonModules, argumentsOf?: ArgumentsOf, loops?: Map<LongRunningSign, PythonNode>): LongRunningSign[] {
  const signs = ownLoopSigns(fn, file, modules, argumentsOf, loops);
  const seen = new Set<number>([fn.id]);
  const follow = (current: PythonNode, currentFile: string, via: SourceLocation[]): void => {
    if (via.length >= HELPER_DEPTH) return;
    const body = current.childForFieldName('body');
    if (!body) return;
    const calls: PythonNode[] = [];
    descendantsInScope(body, (node) => {
      if (node.type === 'call') calls.push(node);
    });
    const helpers: { helper: { file: string; node: PythonNode }; via: SourceLocation[] }[] = [];
    for (const call of calls) {
      const callee = call.childForFieldName('function');
      const helper = callee ? functionTarget(callee, current, currentFile, modules) : undefined;
      if (!helper || seen.has(helper.node.id)) continue;
      seen.add(helper.node.id);
      const path = [...via, locateNode(currentFile, call)];
      for (const sign of ownLoopSigns(helper.node, helper.file, modules, argumentsOf, loops)) {
        sign.via = path;
        signs.push(sign);
      }
      helpers.push({ helper, via: path });
    }
    for (const { helper, via: path } of helpers) follow(helper.node, helper.file, path);
  };
  follow(fn, file, []);
  return signs;
}

function ownLoopSigns(fn: PythonNode, file: string, modules: PythonModules, argumentsOf?: ArgumentsOf, loops?: Map<LongRunningSign, PythonNode>): LongRunningSign[] {
  const ctx: SizeContext = { modules, argumentsOf, following: new Set() };
  const signs: LongRunningSign[] = [];
  const body = fn.childForFieldName('body');
  if (!body) return signs;
  descendantsInScope(body, (node) => {
    if (node.type === 'for_statement' || node.type === 'while_statement') {
      if (node.parent && enclosingLoop(node)) return;
      // A counted retry loop repeats only while the work fails: no long run (as in TypeScript).
      if (isRetryLoop(node)) return;
      let awaits = node.type === 'for_statement' && node.children.some((c) => c?.type === 'async');
      let sleeps = false;
      descendantsInScope(node, (inner) => {
        if (inner.type === 'await') awaits = true;
        if (inner.type === 'call') {
          const callee = inner.childForFieldName('function');
          if (callee && SLEEPS.includes(modules.qualifiedName(file, callee) ?? '')) sleeps = true;
        }
      });
      if (!awaits && !sleeps) return;
      const counted = node.type === 'while_statement' ? countedWhile(node, file, modules) : undefined;
      const cap = loopCap(node, fn, file, ctx);
      if (!sleeps && (cap ?? Infinity) <= CAPPED_ITERATIONS) return;
      // A capped loop of constant pauses and local checks (`for _ in range(400): ... await asyncio.sleep(0.02)`)
      // ends within cap x pause: under a minute it is a short wait, not a poll.
      if (sleeps && pythonBoundedWaitMs(node, cap, file, modules) !== undefined) return;
      const quickOver = sleeps ? undefined : pythonQuickLoopCollection(node, fn, file, modules, (callee, at, atFile) => functionTarget(callee, at, atFile, modules));
      const sign: LongRunningSign = {
        kind: sleeps ? 'poll' : 'loop-with-await',
        location: locateNode(file, node),
        text: node.text.split('\n')[0]!.trim(),
        ...(quickOver ? { quickOver } : {}),
        ...pythonLoopEvidence(
          node,
          sleeps,
          cap,
          (loop) => pythonTurnPauseMs(loop, file, modules),
          (iterated) => writtenPageSize(iterated, fn, file, modules),
          counted,
        ),
      };
      signs.push(sign);
      loops?.set(sign, node);
    }
  });
  return signs;
}

/** pythonCountedWhile with the numbers the module states. */
function countedWhile(loop: PythonNode, file: string, modules: PythonModules): { text: string; turns?: number } | undefined {
  return pythonCountedWhile(loop, (node) => {
    const value = resolvePythonValue(node, file, modules);
    return value.kind === 'number' ? value.value : undefined;
  });
}

/** How many times the loop's body can run at most, counting the loops nested in it; undefined when not capped. */
function loopCap(loop: PythonNode, fn: PythonNode, file: string, ctx: SizeContext): number | undefined {
  let own: number | undefined;
  // A counted `while` to a number (`while attempt < 5: ...; attempt += 1`): its bound over its step.
  if (loop.type === 'while_statement') own = countedWhile(loop, file, ctx.modules)?.turns;
  else if (loop.type === 'for_statement' && !loop.children.some((c) => c?.type === 'async')) {
    const right = loop.childForFieldName('right');
    own = right ? collectionSize(right, fn, file, ctx, 0) : undefined;
  }
  if (own === undefined) return undefined;
  let inner = 1;
  const body = loop.childForFieldName('body');
  if (body) {
    for (const nested of namedChildrenInScope(body).filter((n) => (n.type === 'for_statement' || n.type === 'while_statement') && nearestLoop(n)?.id === loop.id)) {
      const cap = loopCap(nested, fn, file, ctx);
      if (cap === undefined) return undefined;
      inner = Math.max(inner, cap);
    }
  }
  return own * inner;
}

function namedChildrenInScope(node: PythonNode): PythonNode[] {
  const found: PythonNode[] = [];
  descendantsInScope(node, (child) => found.push(child));
  return found;
}

function nearestLoop(node: PythonNode): PythonNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition') return undefined;
    if (current.type === 'for_statement' || current.type === 'while_statement') return current;
  }
  return undefined;
}

const SIZE_KEEPING = new Set(['enumerate', 'sorted', 'reversed', 'list', 'tuple', 'set']);

/**
 * The most elements a collection written in the code can hold: a list, tuple or set literal (no
 * `*splat`), `range(n)` of a constant, a local name assigned once from one of those and never
 * grown, a module constant, or a call to a project function whose every `return` is such a literal
 * (`def all_ids(x): return [a(x), b(x), c(x)]`). Undefined when nothing caps it.
 */
function collectionSize(node: PythonNode, fn: PythonNode, file: string, ctx: SizeContext, depth: number): number | undefined {
  const { modules } = ctx;
  if (depth > 3) return undefined;
  const target = unparenthesize(node);
  if (target.type === 'list' || target.type === 'tuple' || target.type === 'set') {
    const elements = namedChildrenOf(target);
    return elements.some((e) => e.type === 'list_splat' || e.type === 'list_comprehension') ? undefined : elements.length;
  }
  if (target.type === 'call') {
    const callee = target.childForFieldName('function');
    if (!callee) return undefined;
    const args = callArguments(target);
    if (callee.type === 'identifier' && callee.text === 'range' && !modules.lookup(file, 'range')) {
      const values = args.positional.map((a) => resolvePythonValue(a, file, modules));
      if (values.length === 0 || values.length > 2 || values.some((v) => v.kind !== 'number')) return undefined;
      const [a, b] = values.map((v) => (v as { value: number }).value);
      return Math.max(0, values.length === 1 ? a! : b! - a!);
    }
    if (callee.type === 'identifier' && SIZE_KEEPING.has(callee.text) && args.positional[0]) return collectionSize(args.positional[0], fn, file, ctx, depth + 1);
    const helper = functionTarget(callee, fn, file, modules);
    return helper ? returnedSize(helper.node, helper.file, ctx, depth + 1) : undefined;
  }
  if (target.type === 'identifier') {
    const assigned = localAssignments(fn, target.text);
    if (assigned.length === 1 && !grown(fn, target.text)) return collectionSize(assigned[0]!, fn, file, ctx, depth + 1);
    if (assigned.length > 0) return undefined;
    if (isParameter(fn, target.text)) return grown(fn, target.text) ? undefined : parameterSize(fn, target.text, ctx, depth);
    const value = resolvePythonValue(target, file, modules);
    return value.kind === 'array' ? value.elements.length : undefined;
  }
  return undefined;
}

/** The largest literal every `return` of the function gives; undefined when one returns anything else. */
function returnedSize(fn: PythonNode, file: string, ctx: SizeContext, depth: number): number | undefined {
  const body = fn.childForFieldName('body');
  if (!body || isAsyncFunction(fn) || decoratorsOf(fn).length > 0) return undefined;
  const returns: PythonNode[] = [];
  descendantsInScope(body, (node) => {
    if (node.type === 'return_statement' || node.type === 'yield') returns.push(node);
  });
  if (returns.length === 0) return undefined;
  let largest = 0;
  for (const statement of returns) {
    const value = statement.type === 'return_statement' ? namedChildrenOf(statement)[0] : undefined;
    const target = value ? unparenthesize(value) : undefined;
    if (!target || !['list', 'tuple', 'set'].includes(target.type)) return undefined;
    const size = collectionSize(target, fn, file, ctx, depth);
    if (size === undefined) return undefined;
    largest = Math.max(largest, size);
  }
  return largest;
}

/**
 * The right-hand sides of `name = ...` in the function's own scope, and (unless `rebinds` is false)
 * the `name += ...` and `for name in ...` statements that rebind it.
 */
export function localAssignments(fn: PythonNode, name: string, rebinds = true): PythonNode[] {
  const found: PythonNode[] = [];
  const body = fn.childForFieldName('body');
  if (!body) return found;
  descendantsInScope(body, (node) => {
    if (node.type === 'assignment' && node.childForFieldName('left')?.text === name) {
      const right = node.childForFieldName('right');
      if (right) found.push(right);
    } else if (rebinds && ((node.type === 'augmented_assignment' && node.childForFieldName('left')?.text === name) || (node.type === 'for_statement' && node.childForFieldName('left')?.text === name))) {
      found.push(node);
    }
  });
  return found;
}

const GROWING = new Set(['append', 'extend', 'insert', 'add', 'update']);

function grown(fn: PythonNode, name: string): boolean {
  let found = false;
  const body = fn.childForFieldName('body');
  if (body) {
    descendantsInScope(body, (node) => {
      if (node.type !== 'call') return;
      const callee = node.childForFieldName('function');
      if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === name && GROWING.has(callee.childForFieldName('attribute')?.text ?? '')) found = true;
    });
  }
  return found;
}

function isParameter(fn: PythonNode, name: string): boolean {
  const parameters = fn.childForFieldName('parameters');
  return (parameters?.descendantsOfType('identifier') ?? []).some((identifier) => identifier?.text === name);
}

/**
 * A loop bounded by a count (`for attempt in range(n)`, `while attempt < max_attempts`) whose body
 * tries the work and leaves on success (a `try:` that returns or breaks): the rule
 * src/model/typescript/loop-shape.ts isRetryLoop applies to TypeScript.
 */
function isRetryLoop(loop: PythonNode): boolean {
  if (loop.type === 'for_statement') {
    const right = loop.childForFieldName('right');
    const iterated = right ? unparenthesize(right) : undefined;
    if (loop.children.some((c) => c?.type === 'async') || iterated?.type !== 'call' || iterated.childForFieldName('function')?.text !== 'range') return false;
  } else {
    const condition = loop.childForFieldName('condition');
    if (!condition || !isComparison(unparenthesize(condition))) return false;
  }
  const body = loop.childForFieldName('body');
  return namedChildrenOf(body ?? loop).some((statement) => {
    if (statement.type !== 'try_statement') return false;
    const tried = statement.childForFieldName('body');
    return tried !== null && namedChildrenOf(tried).some((s) => s.type === 'return_statement' || s.type === 'break_statement');
  });
}

function isComparison(node: PythonNode): boolean {
  if (node.type === 'boolean_operator' && node.children.some((c) => c?.type === 'and')) {
    return [node.childForFieldName('left'), node.childForFieldName('right')].some((side) => side !== null && isComparison(unparenthesize(side)));
  }
  return node.type === 'comparison_operator' && node.children.some((c) => c !== null && ['<', '<=', '>', '>='].includes(c.type));
}

function enclosingLoop(node: PythonNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition') return false;
    if (current.type === 'for_statement' || current.type === 'while_statement') return true;
  }
  return false;
}

/**
 * The most elements a parameter holds: the largest of what every visible caller passes, each
 * read in its caller (a literal, or a parameter of the caller followed further). Undefined when a
 * caller cannot be read, passes something uncapped, or none is seen.
 */
function parameterSize(fn: PythonNode, name: string, ctx: SizeContext, depth: number): number | undefined {
  const key = `${fn.id}:${name}`;
  if (!ctx.argumentsOf || ctx.following.has(key) || ctx.following.size >= PARAMETER_HOPS) return undefined;
  const passed = ctx.argumentsOf(fn, name)?.passed;
  if (!passed) return undefined;
  ctx.following.add(key);
  try {
    let largest = 0;
    for (const given of passed) {
      const caller = given === 'default' ? undefined : enclosing(given.node, ['function_definition']);
      // A caller that leaves the parameter out gives it its default, which this reader does not size.
      const size = given === 'default' || !caller ? undefined : collectionSize(given.node, caller, given.file, ctx, depth);
      if (size === undefined) return undefined;
      largest = Math.max(largest, size);
    }
    return largest;
  } finally {
    ctx.following.delete(key);
  }
}
