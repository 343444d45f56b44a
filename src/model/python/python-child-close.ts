// Python children that their parent's run terminates when it closes (workflow-child-terminated-on-close):
//
//   @workflow.run
//   async def run(self, input: MonitorInput) -> None:
//       while not self._stop:
//           await workflow.start_child_workflow("Scan", args, id=f"scan-{n}")   # handle dropped
//           if n % 24 == 0:
//               workflow.continue_as_new(...)                                   # closes the run
//           await workflow.sleep(interval)
//       return ...                                                              # closes the run too
//
// `start_child_workflow` returns once the child has started; the child keeps running by itself.
// When the parent's run closes (it returns, fails, or continues as new), the server applies the
// child's `parent_close_policy`, TERMINATE unless set, to every child still open. Reported: a
// start_child_workflow in a workflow class (or an execute_child_workflow coroutine handed to
// create_task and dropped) whose parent_close_policy is unset, TERMINATE or REQUEST_CANCEL (no
// `**options` that could set it), whose handle is dropped (an expression statement, or a name that
// is never awaited nor handed on), in a workflow whose run continues as new or can return.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, enclosing, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';

const START_CHILD = 'temporalio.workflow.start_child_workflow';
const EXECUTE_CHILD = 'temporalio.workflow.execute_child_workflow';
const CONTINUE_AS_NEW = 'temporalio.workflow.continue_as_new';
const WAIT_CONDITION = 'temporalio.workflow.wait_condition';
/** Handle members that neither wait for the child nor hand the handle on. */
const HANDLE_PEEKS = new Set(['id', 'run_id', 'first_execution_run_id', 'signal']);

export interface TerminatedChild {
  workflow: string;
  /** The child's workflow type as written (`"AutonomousScanWorkflow"`, `ScanWorkflow.run`). */
  child: string;
  start: SourceLocation;
  policy: 'default' | 'TERMINATE' | 'REQUEST_CANCEL';
  /** Where the run closes: the first continue_as_new, else the first return after the start (or the run method). */
  close: SourceLocation;
  closeKind: 'continue-as-new' | 'return';
}

export function pythonTerminatedChildren(workflows: PythonWorkflow[], modules: PythonModules): TerminatedChild[] {
  const found: TerminatedChild[] = [];
  const seen = new Set<number>();
  for (const workflow of workflows) {
    if (seen.has(workflow.node.id) || !/_child_workflow\b/.test(workflow.node.text)) continue;
    seen.add(workflow.node.id);
    const file = workflow.file;
    const qualified = (node: PythonNode | null | undefined) => (node ? modules.qualifiedName(file, node) : undefined);
    const run = classMembers(workflow.node).find((member) => member.type === 'function_definition' && decoratorsOf(member).some((d) => qualified(d.expression) === 'temporalio.workflow.run'));
    if (!run) continue;
    const calls = workflow.node.descendantsOfType('call').filter((call): call is PythonNode => !!call);
    const continueAsNew = calls.find((call) => qualified(call.childForFieldName('function')) === CONTINUE_AS_NEW);
    for (const call of calls) {
      const name = qualified(call.childForFieldName('function'));
      if (name !== START_CHILD && name !== EXECUTE_CHILD) continue;
      const args = callArguments(call);
      const policy = closePolicy(args.keywords.get('parent_close_policy'), args.spreads.length > 0);
      if (policy === 'abandon' || policy === 'unknown') continue;
      const fn = enclosing(call, ['function_definition']);
      if (!fn || !handleDropped(call, name === EXECUTE_CHILD, fn)) continue;
      let close: PythonNode | undefined = continueAsNew;
      let closeKind: TerminatedChild['closeKind'] = 'continue-as-new';
      if (!close) {
        // No continue-as-new: the run's completion closes it, unless the parent waits for a message
        // after the start (a child that signals back when done) or never completes.
        if (waitsAfter(call, fn, file, modules)) continue;
        close = completion(run, call);
        closeKind = 'return';
        if (!close) continue;
      }
      const target = args.positional[0] ?? args.keywords.get('workflow');
      const child = target ? (stringLiteral(target) ?? target.text) : 'the child';
      found.push({ workflow: workflow.name, child, start: locateNode(file, call), policy, close: locateNode(file, close), closeKind });
    }
  }
  return found;
}

function closePolicy(value: PythonNode | undefined, spread: boolean): TerminatedChild['policy'] | 'abandon' | 'unknown' {
  if (!value) return spread ? 'unknown' : 'default';
  const text = value.text;
  if (/ABANDON/.test(text)) return 'abandon';
  if (/REQUEST_CANCEL/.test(text)) return 'REQUEST_CANCEL';
  if (/TERMINATE/.test(text)) return 'TERMINATE';
  return 'unknown';
}

/**
 * The child runs on with nothing waiting for it: `await workflow.start_child_workflow(...)` as a
 * statement, or its handle kept in a local name that is never awaited nor handed on (only `.id`
 * or `.signal(...)` read); an execute_child_workflow coroutine handed to create_task and dropped.
 * Directly awaited execute_child_workflow waits for the result.
 */
function handleDropped(call: PythonNode, execute: boolean, fn: PythonNode): boolean {
  let node = call;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  if (execute) {
    // `asyncio.create_task(workflow.execute_child_workflow(...))` as a statement.
    const holder = node.parent?.type === 'argument_list' ? node.parent.parent : undefined;
    const callee = holder?.type === 'call' ? holder.childForFieldName('function')?.text : undefined;
    if (!holder || !callee || !/(^|\.)(create_task|ensure_future)$/.test(callee)) return false;
    node = holder;
  } else if (node.parent?.type === 'await') {
    node = node.parent;
  }
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  const parent = node.parent;
  if (parent?.type === 'expression_statement') return true;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== node.id) return false;
  const left = parent.childForFieldName('left');
  if (left?.type !== 'identifier') return false;
  // Every later mention of the name only peeks at the handle.
  const uses = fn.descendantsOfType('identifier').filter((id): id is PythonNode => !!id && id.text === left.text && id.id !== left.id);
  return uses.every((use) => {
    const up = use.parent;
    return up?.type === 'attribute' && up.childForFieldName('object')?.id === use.id && HANDLE_PEEKS.has(up.childForFieldName('attribute')?.text ?? '');
  });
}

/** A `workflow.wait_condition(...)` after the start in the same function. */
function waitsAfter(call: PythonNode, fn: PythonNode, file: string, modules: PythonModules): boolean {
  return fn.descendantsOfType('call').some((other) => {
    const callee = other?.childForFieldName('function');
    return !!other && !!callee && other.startIndex > call.endIndex && modules.qualifiedName(file, callee) === WAIT_CONDITION;
  });
}

/**
 * Where the run completes: its first `return` after the start (in the run method), else the run
 * method itself when its body can reach its end (it does not end in `while True:` without a break).
 */
function completion(run: PythonNode, call: PythonNode): PythonNode | undefined {
  const body = run.childForFieldName('body');
  if (!body) return undefined;
  const inRun = call.startIndex >= run.startIndex && call.endIndex <= run.endIndex;
  const returns = body.descendantsOfType('return_statement').filter((r): r is PythonNode => !!r && (!inRun || r.startIndex > call.endIndex) && enclosing(r, ['function_definition', 'lambda'])?.id === run.id);
  if (returns[0]) return returns[0];
  const last = namedChildrenOf(body).at(-1);
  if (!last) return undefined;
  if (last.type === 'while_statement' && unparenthesize(last.childForFieldName('condition')!).text === 'True' && !last.descendantsOfType('break_statement').length) return undefined;
  if (last.type === 'raise_statement') return undefined;
  return run.childForFieldName('name') ?? run;
}
