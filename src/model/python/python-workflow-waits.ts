// The waits a Python workflow makes with a constant length (workflow-execution-timeout-below-waits):
// `workflow.sleep(x)` / `asyncio.sleep(x)`, `workflow.wait_condition(fn, timeout=x)`, and a
// polling loop `for _ in range(N)` whose every turn sleeps a constant pause (N x pause, the longest
// the loop can wait when nothing ends it early), in the run method and in the methods of the
// workflow class it calls (`await self._wait_for_approval()`, one level). The same reading the
// TypeScript side makes of `sleep(x)` and `condition(fn, x)` with a literal duration.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, descendantsInScope, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';
import { resolvePythonValue } from './python-values.js';
import type { PythonWorkflow } from './python-temporal-calls.js';

export interface PythonWorkflowWait {
  workflow: string;
  /** `workflow.wait_condition(..., timeout=timedelta(days=7))` as shown in messages. */
  what: string;
  ms: number;
  location: SourceLocation;
}

const SLEEPS = new Set(['temporalio.workflow.sleep', 'asyncio.sleep']);
const WAIT_CONDITION = 'temporalio.workflow.wait_condition';

export function pythonWorkflowWaits(workflows: PythonWorkflow[], modules: PythonModules): PythonWorkflowWait[] {
  const found: PythonWorkflowWait[] = [];
  for (const workflow of workflows) {
    const methods = classMembers(workflow.node).filter((m) => m.type === 'function_definition');
    const run = methods.find((m) => decoratorsOf(m).some((d) => modules.qualifiedName(workflow.file, d.expression) === 'temporalio.workflow.run'));
    if (!run) continue;
    const bodies = [run, ...calledMethods(run, methods)];
    for (const fn of bodies) {
      const body = fn.childForFieldName('body');
      if (!body) continue;
      descendantsInScope(body, (node) => {
        if (node.type === 'call') {
          const wait = waitOf(node, workflow.file, modules);
          if (wait) found.push({ workflow: workflow.name, ...wait, location: locateNode(workflow.file, node) });
        } else if (node.type === 'for_statement') {
          const loop = pollingLoop(node, workflow.file, modules);
          if (loop) found.push({ workflow: workflow.name, ...loop, location: locateNode(workflow.file, node) });
        }
      });
    }
  }
  return found;
}

/** Methods of the class the run method calls as `self.name(...)`. */
function calledMethods(run: PythonNode, methods: PythonNode[]): PythonNode[] {
  const names = new Set<string>();
  for (const call of run.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function');
    if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === 'self') names.add(callee.childForFieldName('attribute')?.text ?? '');
  }
  return methods.filter((m) => m !== run && names.has(m.childForFieldName('name')?.text ?? ''));
}

function waitOf(call: PythonNode, file: string, modules: PythonModules): { what: string; ms: number } | undefined {
  const callee = call.childForFieldName('function');
  const name = callee ? modules.qualifiedName(file, callee) : undefined;
  const args = callArguments(call);
  if (name && SLEEPS.has(name)) {
    const argument = args.positional[0] ?? args.keywords.get('duration') ?? args.keywords.get('delay');
    const ms = argument ? duration(argument, file, modules) : undefined;
    return ms !== undefined ? { what: `${callee!.text}(${argument!.text})`, ms } : undefined;
  }
  if (name === WAIT_CONDITION) {
    const argument = args.keywords.get('timeout') ?? args.positional[1];
    const ms = argument ? duration(argument, file, modules) : undefined;
    return ms !== undefined ? { what: `${callee!.text}(..., timeout=${argument!.text})`, ms } : undefined;
  }
  return undefined;
}

/**
 * `for _ in range(N):` whose body awaits exactly one constant sleep at its top level (not in an
 * `if`): the loop can wait N x pause. Undefined for anything else.
 */
function pollingLoop(loop: PythonNode, file: string, modules: PythonModules): { what: string; ms: number } | undefined {
  const right = loop.childForFieldName('right');
  const range = right ? unparenthesize(right) : undefined;
  if (range?.type !== 'call' || range.childForFieldName('function')?.text !== 'range') return undefined;
  const bounds = callArguments(range).positional;
  if (bounds.length !== 1) return undefined;
  const count = resolvePythonValue(bounds[0]!, file, modules);
  if (count.kind !== 'number' || !Number.isInteger(count.value) || count.value < 2) return undefined;
  const body = loop.childForFieldName('body');
  if (!body) return undefined;
  const sleeps: { what: string; ms: number }[] = [];
  for (const statement of namedChildrenOf(body)) {
    const expression = statement.type === 'expression_statement' ? namedChildrenOf(statement)[0] : undefined;
    const awaited = expression?.type === 'await' ? namedChildrenOf(expression)[0] : undefined;
    const call = awaited ? unparenthesize(awaited) : undefined;
    if (call?.type !== 'call') continue;
    const callee = call.childForFieldName('function');
    if (!callee || !SLEEPS.has(modules.qualifiedName(file, callee) ?? '')) continue;
    const wait = waitOf(call, file, modules);
    if (!wait) return undefined;
    sleeps.push(wait);
  }
  if (sleeps.length !== 1) return undefined;
  // a `continue` before the sleep skips it on some turns: the bound is not N x pause
  if (body.descendantsOfType('continue_statement').length > 0) return undefined;
  return { what: `a polling loop of up to ${count.value} turns with ${sleeps[0]!.what}`, ms: count.value * sleeps[0]!.ms };
}

/** A constant duration in milliseconds: `timedelta(...)` (resolved to ms) or a number of seconds. */
function duration(node: PythonNode, file: string, modules: PythonModules): number | undefined {
  const value = resolvePythonValue(node, file, modules);
  if (value.kind !== 'number' || value.configurable || value.value <= 0) return undefined;
  // timedelta(...) resolves with `written`; a bare number is seconds (workflow.sleep / asyncio.sleep take float seconds)
  return value.written !== undefined ? value.value : value.value * 1000;
}
