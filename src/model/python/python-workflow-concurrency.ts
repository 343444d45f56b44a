// The Python side of src/model/worker-load.ts: where workflow code runs work side by side
// (asyncio.gather, tasks, start_activity left running, a child started in a loop, work in a signal
// or update handler), and where a start sits (the loop around it, the workflow holding a child start).

import type { StartPlacement, WorkflowConcurrencyFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { pythonRequestContext } from './python-start-ids.js';
import { classMembers, decoratorsOf, enclosing, locateNode, moduleStatements, namedChildrenOf, unparenthesize } from './python-syntax.js';

/** Calls that run their arguments (or what they start) beside the code that calls them. */
const SIDE_BY_SIDE = new Set(['asyncio.gather', 'asyncio.create_task', 'asyncio.ensure_future', 'asyncio.wait', 'asyncio.as_completed', 'asyncio.TaskGroup']);
/** SDK calls that return a handle while the activity runs. */
const HANDLE_STARTS = new Set(['start_activity', 'start_activity_method', 'start_activity_class', 'start_local_activity', 'start_local_activity_method', 'start_local_activity_class']);
const CHILD_STARTS = new Set(['start_child_workflow']);
const WORK_CALLS = /^(execute|start)_(local_)?activity(_method|_class)?$|^(execute|start)_child_workflow$/;
const REPEATING = new Set(['for_statement', 'while_statement', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

export function pythonWorkflowConcurrency(workflows: PythonWorkflow[], modules: PythonModules): WorkflowConcurrencyFacts[] {
  const facts = new Map(workflows.map((w) => [w.name, { workflow: w.name, sites: [] as WorkflowConcurrencyFacts['sites'] }]));
  const files = [...new Set(workflows.map((w) => w.file))];
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root) continue;
    const inFile = workflows.filter((w) => w.file === file);
    for (const call of root.descendantsOfType('call')) {
      if (!call) continue;
      const site = siteOf(call, file, modules);
      if (!site) continue;
      const owner = inFile.find((w) => w.node.startIndex <= call.startIndex && call.endIndex <= w.node.endIndex);
      for (const w of owner ? [owner] : inFile) facts.get(w.name)!.sites.push({ location: locateNode(file, call), text: site });
    }
    // Signal and update handlers that do durable work: each message runs it beside the run method.
    for (const workflow of inFile) {
      for (const member of classMembers(workflow.node)) {
        if (member.type !== 'function_definition') continue;
        const handler = decoratorsOf(member).some((d) => /^temporalio\.workflow\.(signal|update)$/.test(modules.qualifiedName(file, d.expression) ?? ''));
        if (!handler) continue;
        const work = member.descendantsOfType('call').find((call) => {
          const qualified = call ? modules.qualifiedName(file, call.childForFieldName('function')!) : undefined;
          return !!qualified?.startsWith('temporalio.workflow.') && WORK_CALLS.test(qualified.slice('temporalio.workflow.'.length));
        });
        if (work) facts.get(workflow.name)!.sites.push({ location: locateNode(file, work), text: `${work.childForFieldName('function')?.text}(...) in the handler ${member.childForFieldName('name')?.text}` });
      }
    }
  }
  return [...facts.values()];
}

function siteOf(call: PythonNode, file: string, modules: PythonModules): string | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const qualified = modules.qualifiedName(file, callee);
  if (qualified && SIDE_BY_SIDE.has(qualified)) return qualified === 'asyncio.gather' && fixedGather(call) ? undefined : `${callee.text}(...)`;
  // `tg.create_task(...)` of a TaskGroup, `loop.create_task(...)`.
  if (callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'create_task') return `${callee.text}(...)`;
  const member = qualified?.startsWith('temporalio.workflow.') ? qualified.slice('temporalio.workflow.'.length) : undefined;
  if (!member) return undefined;
  // `await workflow.start_activity(...)` waits for the result: one at a time.
  if (HANDLE_STARTS.has(member) && !directlyAwaited(call)) return `${callee.text}(...) left running`;
  if (CHILD_STARTS.has(member) && repetitionAround(call)) return `${callee.text}(...) in a loop`;
  return undefined;
}

/**
 * `asyncio.gather(a(), b(), c())`: a fixed set of calls written out, outside any loop, runs as many
 * side by side as it lists, whatever the data: not load the code leaves open. A splat
 * (`gather(*tasks)`) or a gather repeated in a loop is.
 */
function fixedGather(call: PythonNode): boolean {
  const list = call.childForFieldName('arguments');
  if (!list || repetitionAround(call)) return false;
  return namedChildrenOf(list).every((arg) => arg.type === 'comment' || (arg.type === 'keyword_argument' ? arg.childForFieldName('name')?.text === 'return_exceptions' : arg.type !== 'list_splat' && arg.type !== 'dictionary_splat'));
}

function directlyAwaited(call: PythonNode): boolean {
  let outer = call.parent;
  while (outer?.type === 'parenthesized_expression') outer = outer.parent;
  return outer?.type === 'await';
}

function repetitionAround(node: PythonNode): PythonNode | undefined {
  for (let current = node.parent; current && current.type !== 'function_definition' && current.type !== 'class_definition'; current = current.parent) {
    if (REPEATING.has(current.type)) return current;
  }
  return undefined;
}

/** Where a start (or schedule action) sits. */
export function pythonStartPlacement(call: PythonNode, file: string, child: boolean, workflows: PythonWorkflow[], modules: PythonModules): StartPlacement {
  const loop = repetitionAround(call);
  const parent = child ? workflows.find((w) => w.file === file && w.node.startIndex <= call.startIndex && call.endIndex <= w.node.endIndex) : undefined;
  return {
    repeatedIn: loop ? { location: locateNode(file, loop), text: loopText(loop), fixed: fixedLoop(loop, file, modules) } : null,
    parentWorkflow: parent?.name ?? null,
    requestHandler: child ? null : pythonRequestContext(call),
  };
}

function loopText(loop: PythonNode): string {
  const iterable = loop.type === 'for_statement' ? loop.childForFieldName('right') : loop.descendantsOfType('for_in_clause')[0]?.childForFieldName('right');
  return (iterable?.text ?? loop.text.split('\n')[0] ?? '').slice(0, 80);
}

/** A loop over a collection written in the code: a literal, `.items()` of one, or a module-level name assigned once. */
function fixedLoop(loop: PythonNode, file: string, modules: PythonModules): boolean {
  if (loop.type !== 'for_statement') return false;
  let iterable = loop.childForFieldName('right');
  if (!iterable) return false;
  iterable = unparenthesize(iterable);
  if (iterable.type === 'call') {
    const callee = iterable.childForFieldName('function');
    if (callee?.type === 'attribute' && /^(items|keys|values)$/.test(callee.childForFieldName('attribute')?.text ?? '')) iterable = callee.childForFieldName('object');
    else if (callee?.text === 'enumerate') iterable = namedChildrenOf(iterable.childForFieldName('arguments')!)[0] ?? null;
  }
  if (!iterable) return false;
  if (['list', 'tuple', 'dictionary', 'set'].includes(iterable.type)) return true;
  if (iterable.type !== 'identifier') return false;
  // A local of the function is computed at run time; only a module-level name counts.
  if (enclosing(loop, ['function_definition'])) {
    const fn = enclosing(loop, ['function_definition'])!;
    const assignedInside = fn.descendantsOfType('assignment').some((a) => a?.childForFieldName('left')?.text === iterable!.text);
    const parameter = fn.childForFieldName('parameters')?.descendantsOfType('identifier').some((p) => p?.text === iterable!.text);
    if (assignedInside || parameter) return false;
  }
  const root = modules.files.get(file)?.tree.rootNode;
  if (!root) return false;
  const assignments = moduleStatements(root).filter((s) => {
    const expression = s.type === 'expression_statement' ? namedChildrenOf(s)[0] : undefined;
    return expression?.type === 'assignment' && expression.childForFieldName('left')?.text === iterable!.text;
  });
  if (assignments.length !== 1) return false;
  const value = namedChildrenOf(assignments[0]!)[0]?.childForFieldName('right');
  return !!value && ['list', 'tuple', 'dictionary', 'set'].includes(unparenthesize(value).type);
}
