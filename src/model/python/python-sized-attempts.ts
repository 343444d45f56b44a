// Whether the call sites of a Python activity size start_to_close_timeout to the activity's own
// loop, when the timeout is computed rather than written: a poll that runs until a deadline whose
// callers build the timeout from the same setting or field (`while monotonic() - start < limit`
// with `start_to_close_timeout=timedelta(seconds=limit + 5)`), or a loop over an input whose
// callers give it a multiple of an input's length (`timedelta(seconds=120 * len(items))`). Then an
// attempt lasts about as long as the loop is meant to, whatever number the expression gives.

import type { ActivityProxyFacts, LongRunningSign, StaticValue } from '../types.js';
import type { PythonNode } from './parse-python.js';
import { enclosing, unparenthesize } from './python-syntax.js';
import { localAssignments } from './python-activity-loops.js';

/** How many assignments deep a name is followed to the settings and fields it is built from. */
const NAME_HOPS = 3;

const CLOCKS = /\b(?:monotonic|time|perf_counter|now|utcnow)\s*\(/;

/**
 * Sets `attemptSized` on the activity's loop signs when every remote call site that schedules it
 * (at least one) builds start_to_close_timeout from the loop's bound.
 */
export function markSizedAttempts(activityName: string, fn: PythonNode, signs: LongRunningSign[], loops: Map<LongRunningSign, PythonNode>, proxies: ActivityProxyFacts[]): void {
  const callers = proxies.filter((proxy) => proxy.kind === 'remote' && proxy.usedActivityTypes !== 'all' && proxy.usedActivityTypes.some((use) => use.name === activityName));
  if (callers.length === 0 || proxies.some((proxy) => proxy.usedActivityTypes === 'all')) return;
  const timeouts = callers.map((proxy) => computedStartToClose(proxy.options));
  if (timeouts.some((node) => node === undefined)) return;
  for (const sign of signs) {
    const loop = loops.get(sign);
    if (!loop) continue;
    if (sign.kind === 'poll' && loop.type === 'while_statement') {
      // a loop in a helper the activity calls is read in the helper
      const bound = deadlineNames(loop, enclosing(loop, ['function_definition']) ?? fn);
      if (bound.size > 0 && timeouts.every((node) => [...namesBehind(node!)].some((name) => bound.has(name)))) sign.attemptSized = 'deadline';
    } else if (sign.kind === 'loop-with-await' && loop.type === 'for_statement') {
      if (timeouts.every((node) => scalesWithLength(node!))) sign.attemptSized = 'items';
    }
  }
}

/** The expression of an unresolved start_to_close_timeout (none written, or a written value, is not computed). */
function computedStartToClose(options: StaticValue): PythonNode | undefined {
  if (options.kind !== 'object') return undefined;
  const value = options.properties.get('startToCloseTimeout');
  return value?.kind === 'unknown' && value.node ? (value.node as PythonNode) : undefined;
}

/**
 * The settings and fields the deadline of `while <clock> - start < limit:` (or `while <clock> <
 * deadline:`) is built from: the attribute names behind the side that reads no clock.
 */
function deadlineNames(loop: PythonNode, fn: PythonNode): Set<string> {
  const condition = loop.childForFieldName('condition');
  const comparison = condition ? unparenthesize(condition) : undefined;
  if (!comparison || comparison.type !== 'comparison_operator') return new Set();
  const sides = comparison.namedChildren.filter((n): n is PythonNode => n !== null);
  if (sides.length !== 2 || !['<', '<='].some((op) => comparison.children.some((c) => c?.type === op))) return new Set();
  const [left, right] = sides as [PythonNode, PythonNode];
  if (!CLOCKS.test(left.text) || CLOCKS.test(right.text)) return new Set();
  return namesBehind(right, fn);
}

/**
 * The attribute names an expression is built from (`settings.LIMIT`, `check.timeout_seconds`),
 * following local names to their assignments in `scope` (default: the function around the node).
 */
function namesBehind(node: PythonNode, scope?: PythonNode, hops = 0): Set<string> {
  const names = new Set<string>();
  const fn = scope ?? enclosing(node, ['function_definition']);
  const visit = (current: PythonNode): void => {
    if (current.type === 'attribute') {
      const attribute = current.childForFieldName('attribute')?.text;
      if (attribute) names.add(attribute);
      const object = current.childForFieldName('object');
      if (object) visit(object);
      return;
    }
    if (current.type === 'identifier' && fn && hops < NAME_HOPS && current.parent?.childForFieldName('name')?.id !== current.id) {
      for (const assigned of localAssignments(fn, current.text, false)) for (const name of namesBehind(assigned, fn, hops + 1)) names.add(name);
    }
    for (const child of current.namedChildren) if (child) visit(child);
  };
  visit(node);
  return names;
}

/** `timedelta(seconds=120 * len(items))`, `timedelta(seconds=30 * max(1, len(items)))`: a product with an input's length. */
function scalesWithLength(node: PythonNode): boolean {
  let found = false;
  const visit = (current: PythonNode): void => {
    if (current.type === 'binary_operator' && current.children.some((c) => c?.type === '*') && /\blen\s*\(/.test(current.text)) found = true;
    for (const child of current.namedChildren) if (child) visit(child);
  };
  visit(node);
  return found;
}
