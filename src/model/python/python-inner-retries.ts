// Retry libraries a Python activity runs inside each attempt, in its body and in the project
// functions it reaches (the walk of call timeouts: module functions, `self.method(...)`, methods of
// an instance of a project class the function makes, two levels deep). Read from the libraries'
// source (tenacity 9.2, backoff 2.2; facts in test/checks/retries/activity-retries-stacked-python.test.ts):
//
// - tenacity: a `@retry(...)` / `@tenacity.retry(...)` decorator on a reached function, or a
//   `Retrying(...)` / `AsyncRetrying(...)` loop made in one. `stop=stop_after_attempt(n)` gives n
//   tries in all; `stop_after_delay(s)` a time after which no new try starts; `a | b` stops at the
//   first of the two. With no `stop=` tenacity never stops (its default is `stop_never`). Pauses:
//   `wait_fixed(s)` between every two tries, `wait_exponential(multiplier=1, max=, exp_base=2, min=0)`
//   waits clamp(multiplier * exp_base ** (k - 1), min, max) after try k.
// - backoff: `@backoff.on_exception(wait_gen, exception, max_tries=n, max_time=s, **wait_gen_kwargs)`
//   and `@backoff.on_predicate(wait_gen, ...)`: max_tries counts every try (None: no limit);
//   max_time stops new tries after s seconds. `backoff.expo(base=2, factor=1, max_value=None)`
//   waits factor * base ** k before try k + 2, `backoff.constant(interval=1)` the same pause each
//   time; the default full jitter draws each pause between 0 and that value.
//
// Numbers are read only where they are constants (resolvePythonValue, nothing read from the
// environment); the sum of the pauses is given only when every number of the wait resolves.

import type { InnerRetryFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import { reachedFunctions } from './python-call-timeouts.js';
import type { PythonModules } from './python-modules.js';
import { resolvePythonValue } from './python-values.js';
import { catchesAll, enclosingTries, exceptClauses } from './python-caught-errors.js';
import { callArguments, decoratorsOf, descendantsInScope, locateNode, unparenthesize } from './python-syntax.js';

const TENACITY_DECORATORS = new Set(['tenacity.retry', 'tenacity.asyncio.retry']);
const TENACITY_LOOPS = new Set(['tenacity.Retrying', 'tenacity.AsyncRetrying', 'tenacity.asyncio.AsyncRetrying']);
const BACKOFF_DECORATORS = new Set(['backoff.on_exception', 'backoff.on_predicate']);

export function addInnerRetries(activities: PythonActivity[], modules: PythonModules): void {
  for (const activity of activities) {
    const sites: InnerRetryFacts[] = [];
    const seen = new Set<number>();
    const add = (node: PythonNode, site: InnerRetryFacts | undefined) => {
      if (!site || seen.has(node.id)) return;
      seen.add(node.id);
      sites.push(site);
    };
    for (const { fn, file, via, calls } of reachedFunctions(activity, modules)) {
      // A call on the way whose failure a catch-all clause takes without raising cannot fail the attempt.
      if (calls.some(({ call, caller }) => swallowedAt(call, caller))) continue;
      for (const decorator of decoratorsOf(fn)) {
        const name = modules.qualifiedName(file, decorator.expression) ?? '';
        if (TENACITY_DECORATORS.has(name)) add(decorator.node, tenacitySite(decorator.node, decorator.call, file, modules, via));
        else if (BACKOFF_DECORATORS.has(name) && decorator.call) add(decorator.node, backoffSite(decorator.node, decorator.call, file, modules, via));
      }
      const body = fn.childForFieldName('body');
      if (!body) continue;
      descendantsInScope(body, (node) => {
        if (node.type !== 'call') return;
        const callee = node.childForFieldName('function');
        if (callee && TENACITY_LOOPS.has(modules.qualifiedName(file, callee) ?? '') && !swallowedAt(node, fn)) add(node, tenacitySite(node, node, file, modules, via));
      });
    }
    if (sites.length > 0) activity.innerRetries = sites;
  }
}

/**
 * True when a try around the node (in its function) has a catch-all clause (bare, Exception,
 * BaseException) that raises nothing: what the retries give up with never fails the attempt.
 */
function swallowedAt(node: PythonNode, fn: PythonNode): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  return enclosingTries(node, body).some((tryStatement) =>
    exceptClauses(tryStatement).some((clause) => {
      if (!catchesAll(clause)) return false;
      let raises = false;
      descendantsInScope(clause.node, (inner) => {
        if (inner.type === 'raise_statement') raises = true;
      });
      return !raises;
    }),
  );
}

/** A number of seconds written as a constant (or a `timedelta`), in milliseconds. */
function secondsMs(node: PythonNode | undefined, file: string, modules: PythonModules): number | undefined {
  if (!node) return undefined;
  const value = resolvePythonValue(node, file, modules);
  if (value.kind !== 'number' || value.configurable || !Number.isFinite(value.value) || value.value < 0) return undefined;
  const target = unparenthesize(node);
  const callee = target.type === 'call' ? target.childForFieldName('function') : null;
  const timedelta = callee ? modules.qualifiedName(file, callee) === 'datetime.timedelta' : false;
  return timedelta ? value.value : value.value * 1000;
}

function plainNumber(node: PythonNode | undefined, file: string, modules: PythonModules): number | undefined {
  if (!node) return undefined;
  const value = resolvePythonValue(node, file, modules);
  return value.kind === 'number' && !value.configurable && Number.isFinite(value.value) ? value.value : undefined;
}

function snippet(node: PythonNode): string {
  const text = node.text.replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/,?\s*\)/g, ')');
  return text.length > 90 ? `${text.slice(0, 87)}...` : text;
}

/** `stop_after_attempt(3)` → its name under tenacity and its call, or undefined when it is not a tenacity stop or wait. */
function tenacityPart(node: PythonNode, file: string, modules: PythonModules): { name: string; call: PythonNode } | undefined {
  const target = unparenthesize(node);
  if (target.type !== 'call') return undefined;
  const callee = target.childForFieldName('function');
  const name = callee ? modules.qualifiedName(file, callee) : undefined;
  if (!name?.startsWith('tenacity.')) return undefined;
  return { name: name.slice(name.lastIndexOf('.') + 1), call: target };
}

interface Stop {
  tries?: number;
  unlimited?: boolean;
  maxMs?: number;
  maxText?: string;
}

/** What a tenacity `stop=` allows; undefined when it does not read. */
function tenacityStop(node: PythonNode, file: string, modules: PythonModules): Stop | undefined {
  const target = unparenthesize(node);
  if (target.type === 'binary_operator' && target.childForFieldName('operator')?.text === '|') {
    // stop_any: the first condition met stops the tries.
    const left = target.childForFieldName('left');
    const right = target.childForFieldName('right');
    const a = left ? tenacityStop(left, file, modules) : undefined;
    const b = right ? tenacityStop(right, file, modules) : undefined;
    if (!a || !b) return undefined;
    const tries = a.tries !== undefined && b.tries !== undefined ? Math.min(a.tries, b.tries) : (a.tries ?? b.tries);
    const maxMs = a.maxMs !== undefined && b.maxMs !== undefined ? Math.min(a.maxMs, b.maxMs) : (a.maxMs ?? b.maxMs);
    const maxText = maxMs === undefined ? undefined : maxMs === a.maxMs ? a.maxText : b.maxText;
    return { ...(tries !== undefined ? { tries } : {}), ...(tries === undefined && maxMs === undefined ? { unlimited: true } : {}), ...(maxMs !== undefined ? { maxMs, maxText } : {}) };
  }
  if (target.type === 'identifier' || target.type === 'attribute') {
    const name = modules.qualifiedName(file, target);
    return name === 'tenacity.stop_never' || name === 'tenacity.stop.stop_never' ? { unlimited: true } : undefined;
  }
  const part = tenacityPart(target, file, modules);
  if (!part) return undefined;
  const args = callArguments(part.call);
  if (part.name === 'stop_after_attempt') {
    const tries = plainNumber(args.keywords.get('max_attempt_number') ?? args.positional[0], file, modules);
    return tries !== undefined && Number.isInteger(tries) && tries >= 1 ? { tries } : undefined;
  }
  if (part.name === 'stop_after_delay' || part.name === 'stop_before_delay') {
    const ms = secondsMs(args.keywords.get('max_delay') ?? args.positional[0], file, modules);
    return ms !== undefined ? { maxMs: ms, maxText: `\`${snippet(part.call)}\`` } : undefined;
  }
  return undefined;
}

/** The pause after each try but the last, in milliseconds, for `wait=`; undefined when it does not read. */
function tenacityPauses(node: PythonNode, file: string, modules: PythonModules, tries: number): number | undefined {
  const part = tenacityPart(node, file, modules);
  if (!part) return undefined;
  const args = callArguments(part.call);
  if (args.starred || args.spreads.length > 0) return undefined;
  if (part.name === 'wait_fixed') {
    const ms = secondsMs(args.keywords.get('wait') ?? args.positional[0], file, modules);
    return ms === undefined ? undefined : ms * (tries - 1);
  }
  if (part.name === 'wait_exponential') {
    // wait_exponential(multiplier=1, max=MAX_WAIT, exp_base=2, min=0)
    const read = (keyword: string, position: number, fallback: number, seconds: boolean): number | undefined => {
      const written = args.keywords.get(keyword) ?? args.positional[position];
      if (!written) return fallback;
      return seconds ? secondsMs(written, file, modules) : plainNumber(written, file, modules);
    };
    const multiplier = read('multiplier', 0, 1, false);
    const max = read('max', 1, Number.POSITIVE_INFINITY, true);
    const base = read('exp_base', 2, 2, false);
    const min = read('min', 3, 0, true);
    if (multiplier === undefined || max === undefined || base === undefined || min === undefined) return undefined;
    let sum = 0;
    for (let k = 1; k < tries; k++) sum += Math.max(Math.max(0, min), Math.min(multiplier * 1000 * base ** (k - 1), max));
    return Number.isFinite(sum) ? sum : undefined;
  }
  return undefined;
}

function tenacitySite(node: PythonNode, call: PythonNode | undefined, file: string, modules: PythonModules, via: InnerRetryFacts['via']): InnerRetryFacts | undefined {
  const base = { kind: 'library' as const, location: locateNode(file, node), text: node.type === 'decorator' ? snippet(node) : snippet(call ?? node), library: 'tenacity', via };
  const args = call ? callArguments(call) : undefined;
  if (args && (args.starred || args.spreads.length > 0 || args.positional.length > 0)) return { ...base, triesText: 'the tries set by its arguments' };
  const stopNode = args?.keywords.get('stop');
  if (!stopNode) return { ...base, triesText: "unlimited tries (tenacity's default stop is stop_never)" };
  const stop = tenacityStop(stopNode, file, modules);
  if (!stop) return { ...base, triesText: `the tries \`stop=${snippet(stopNode)}\` allows` };
  const timed = stop.maxMs !== undefined ? { maxMs: stop.maxMs, maxText: stop.maxText! } : {};
  if (stop.tries === undefined) return { ...base, triesText: stop.maxMs !== undefined ? `tries until ${stop.maxText} runs out` : 'unlimited tries (stop_never)', ...timed };
  const waitNode = args?.keywords.get('wait');
  const pauses = waitNode ? tenacityPauses(waitNode, file, modules, stop.tries) : 0;
  return { ...base, tries: stop.tries, triesText: `${stop.tries} tries (\`stop=${snippet(stopNode)}\`)`, ...(pauses !== undefined ? { pausesMs: pauses } : {}), ...timed };
}

function backoffSite(node: PythonNode, call: PythonNode, file: string, modules: PythonModules, via: InnerRetryFacts['via']): InnerRetryFacts | undefined {
  const base = { kind: 'library' as const, location: locateNode(file, node), text: snippet(node), library: 'backoff', via };
  const args = callArguments(call);
  if (args.starred || args.spreads.length > 0) return { ...base, triesText: 'the tries set by its arguments' };
  const maxTime = args.keywords.get('max_time');
  const maxMs = maxTime ? secondsMs(maxTime, file, modules) : undefined;
  const timed = maxMs !== undefined ? { maxMs, maxText: `\`max_time=${snippet(maxTime!)}\`` } : {};
  const maxTries = args.keywords.get('max_tries');
  if (!maxTries || resolvePythonValue(maxTries, file, modules).kind === 'undefined') {
    if (maxTime && maxMs === undefined) return { ...base, triesText: `tries until \`max_time=${snippet(maxTime)}\` runs out` };
    return { ...base, triesText: maxMs !== undefined ? `tries until \`max_time=${snippet(maxTime!)}\` runs out` : 'unlimited tries (backoff has no limit without max_tries or max_time)', ...timed };
  }
  const tries = plainNumber(maxTries, file, modules);
  if (tries === undefined || !Number.isInteger(tries) || tries < 1) return { ...base, triesText: `\`max_tries=${snippet(maxTries)}\` tries`, ...timed };
  const pauses = backoffPauses(args.positional[0], args.keywords, file, modules, tries);
  return { ...base, tries, triesText: `${tries} tries (\`max_tries=${snippet(maxTries)}\`)`, ...(pauses !== undefined ? { pausesMs: pauses } : {}), ...timed };
}

/** The sum of backoff's pauses (before jitter) over the tries, for expo and constant. */
function backoffPauses(waitGen: PythonNode | undefined, keywords: Map<string, PythonNode>, file: string, modules: PythonModules, tries: number): number | undefined {
  if (!waitGen) return undefined;
  const name = modules.qualifiedName(file, unparenthesize(waitGen));
  const read = (keyword: string, fallback: number | undefined): number | undefined => {
    const written = keywords.get(keyword);
    return written ? plainNumber(written, file, modules) : fallback;
  };
  if (name === 'backoff.expo') {
    const base = read('base', 2);
    const factor = read('factor', 1);
    const maxValue = keywords.has('max_value') ? read('max_value', undefined) : Number.POSITIVE_INFINITY;
    if (base === undefined || factor === undefined || maxValue === undefined) return undefined;
    let sum = 0;
    for (let k = 0; k < tries - 1; k++) sum += Math.min(factor * base ** k, maxValue);
    return Number.isFinite(sum) ? sum * 1000 : undefined;
  }
  if (name === 'backoff.constant') {
    const interval = read('interval', 1);
    return interval === undefined ? undefined : interval * (tries - 1) * 1000;
  }
  return undefined;
}
