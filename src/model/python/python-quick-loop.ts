// A Python activity loop over a collection whose every turn is a few quick awaited calls (one
// query, one API call, one email per item), the rule src/model/typescript/quick-loop.ts applies to
// TypeScript: it ends in seconds unless the collection holds thousands of items, which the code
// does not say. Loops that sleep, poll, nest loops, stream (`async for`) or start processes are not
// quick, in the turn or in the project helpers it calls.

import { QUICK_AWAITS_PER_TURN, QUICK_HELPER_DEPTH, THOUSANDS } from '../loop-caps.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, descendantsInScope, unparenthesize } from './python-syntax.js';
import { resolvePythonValue } from './python-values.js';

/** Calls that make a turn wait long: sleeps, and child processes it waits on. */
const SLOW_CALLS = /^(?:asyncio\.sleep|time\.sleep|temporalio\.activity\.wait_for_cancelled|asyncio\.create_subprocess_(?:exec|shell)|subprocess\.\w+|os\.system)$/;

/** Keyword arguments that set how many rows a query returns. */
const PAGE_SIZE_KEYWORDS = new Set(['limit', 'page_size', 'max_results', 'batch_size', 'first', 'top']);

/** How a call resolves to a project function, given the function it is made in. */
export type FunctionTarget = (callee: PythonNode, fn: PythonNode, file: string) => { file: string; node: PythonNode } | undefined;

/**
 * The collection a `for` loop walks, as written (`members` in `for m in members:`), when each
 * turn makes between one and QUICK_AWAITS_PER_TURN awaited calls and nothing in it, nor in the
 * project helpers it calls, loops, sleeps or starts a process. Undefined for any other loop.
 */
export function pythonQuickLoopCollection(loop: PythonNode, fn: PythonNode, file: string, modules: PythonModules, targetOf: FunctionTarget): string | undefined {
  if (loop.type !== 'for_statement' || loop.children.some((c) => c?.type === 'async')) return undefined;
  const iterated = loop.childForFieldName('right');
  const body = loop.childForFieldName('body');
  if (!iterated || !body) return undefined;
  if ((writtenPageSize(iterated, fn, file, modules) ?? 0) >= THOUSANDS) return undefined;
  let awaits = 0;
  let slow = false;
  const seen = new Set<number>();
  descendantsInScope(body, (node) => {
    if (slow) return;
    if (isLoop(node)) slow = true;
    // A nested function's awaits run where this reader does not follow (a task, a gather).
    else if ((node.type === 'function_definition' || node.type === 'lambda') && node.descendantsOfType('await').length > 0) slow = true;
    else if (node.type === 'await') awaits++;
    else if (node.type === 'with_statement' && node.children.some((c) => c?.type === 'async')) awaits++;
    else if (node.type === 'call' && !callIsQuick(node, fn, file, modules, targetOf, 0, seen)) slow = true;
  });
  if (slow || awaits === 0 || awaits > QUICK_AWAITS_PER_TURN) return undefined;
  const text = iterated.text.replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isLoop(node: PythonNode): boolean {
  return node.type === 'for_statement' || node.type === 'while_statement';
}

/** A call that does not sleep or start a process, and whose project helper (if any) is quick too. */
function callIsQuick(call: PythonNode, fn: PythonNode, file: string, modules: PythonModules, targetOf: FunctionTarget, depth: number, seen: Set<number>): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return true;
  if (SLOW_CALLS.test(modules.qualifiedName(file, callee) ?? '')) return false;
  const helper = targetOf(callee, fn, file);
  // A library call (a client's request, a query) is one call: quick for this purpose.
  if (!helper || seen.has(helper.node.id)) return true;
  if (depth >= QUICK_HELPER_DEPTH) return false;
  seen.add(helper.node.id);
  const body = helper.node.childForFieldName('body');
  let quick = true;
  if (body) {
    descendantsInScope(body, (node) => {
      if (!quick) return;
      if (isLoop(node)) quick = false;
      else if (node.type === 'call' && !callIsQuick(node, helper.node, helper.file, modules, targetOf, depth + 1, seen)) quick = false;
    });
  }
  return quick;
}

/** The page size written where the collection is fetched: `rows = await repo.list(limit=5000)`. */
export function writtenPageSize(iterated: PythonNode, fn: PythonNode, file: string, modules: PythonModules): number | undefined {
  let source = unparenthesize(iterated);
  while (source.type === 'attribute') source = source.childForFieldName('object') ?? source;
  if (source.type === 'identifier') {
    const body = fn.childForFieldName('body');
    let assigned: PythonNode | undefined;
    if (body) {
      descendantsInScope(body, (node) => {
        if (node.type === 'assignment' && node.childForFieldName('left')?.text === source.text) assigned = node.childForFieldName('right') ?? undefined;
      });
    }
    if (!assigned) return undefined;
    source = assigned;
  }
  let largest: number | undefined;
  for (const call of [source, ...source.descendantsOfType('call')]) {
    if (!call || call.type !== 'call') continue;
    for (const [name, value] of callArguments(call).keywords) {
      if (!PAGE_SIZE_KEYWORDS.has(name)) continue;
      const resolved = resolvePythonValue(value, file, modules);
      if (resolved.kind === 'number') largest = Math.max(largest ?? 0, resolved.value);
    }
  }
  return largest;
}
