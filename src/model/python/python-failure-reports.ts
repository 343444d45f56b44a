// Python workflows that report their own failure (see ../failure-reports.ts): the @workflow.run
// body is one try, with only statements holding no await and no raise before it, no `else:`, and
// every except clause (one of them taking every exception) runs an activity that notifies or
// records the failure and then re-raises (bare `raise`, or `raise e` of its alias).

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { catchesAll, exceptClauses, reraisesAlways } from './python-caught-errors.js';
import { callArguments, classMembers, decoratorsOf, namedChildrenOf } from './python-syntax.js';
import { failureCarriers, reportsFailure, type FailureReport } from '../failure-reports.js';

const ACTIVITY_CALL = /^temporalio\.workflow\.(?:execute|start)_(?:local_)?activity(?:_method|_class)?$/;

/** Sets `failureReport` on each workflow whose run reports its own failure before re-raising it. */
export function markFailureReports(workflows: PythonWorkflow[], modules: PythonModules): void {
  for (const workflow of workflows) {
    const report = failureReport(workflow, modules);
    if (report) (workflow as PythonWorkflow & { failureReport?: FailureReport }).failureReport = report;
  }
}

function failureReport(workflow: PythonWorkflow, modules: PythonModules): FailureReport | undefined {
  const run = classMembers(workflow.node).find((member) => member.type === 'function_definition' && decoratorsOf(member).some((d) => modules.qualifiedName(workflow.file, d.expression) === 'temporalio.workflow.run'));
  const body = run?.childForFieldName('body');
  if (!body) return undefined;
  const statements = namedChildrenOf(body).filter((s) => s.type !== 'comment');
  const last = statements.at(-1);
  if (last?.type !== 'try_statement') return undefined;
  // code before the try that can fail the run outside it (an await, a raise)
  if (statements.slice(0, -1).some((s) => hasAny(s, ['await', 'raise_statement']))) return undefined;
  if (namedChildrenOf(last).some((part) => part.type === 'else_clause')) return undefined;
  const clauses = exceptClauses(last);
  if (clauses.length === 0 || !clauses.some(catchesAll)) return undefined;
  let first: FailureReport | undefined;
  for (const clause of clauses) {
    const raise = reraisesAlways(clause);
    if (!raise) return undefined;
    const report = reportingCall(clause.node, raise, clause.alias, workflow.file, modules);
    if (!report) return undefined;
    first ??= report;
  }
  return first;
}

/** An awaited activity call of the clause, before its re-raise, that reports the failure. */
function reportingCall(clause: PythonNode, raise: PythonNode, alias: string | undefined, file: string, modules: PythonModules): FailureReport | undefined {
  const assignments = clause
    .descendantsOfType('assignment')
    .flatMap((a) => (a && a.childForFieldName('left')?.type === 'identifier' && a.childForFieldName('right') ? [{ name: a.childForFieldName('left')!.text, valueText: a.childForFieldName('right')!.text }] : []));
  const carriers = failureCarriers(alias, assignments);
  for (const call of clause.descendantsOfType('call')) {
    if (!call || call.startIndex >= raise.startIndex || call.parent?.type !== 'await') continue;
    // a report under an `if` (a callback URL that may be unset) does not run on every failure
    if (conditional(call, clause)) continue;
    const callee = call.childForFieldName('function');
    if (!callee || !ACTIVITY_CALL.test(modules.qualifiedName(file, callee) ?? '')) continue;
    const args = callArguments(call);
    const target = args.positional[0] ?? args.keywords.get('activity');
    if (!target) continue;
    const name = target.type === 'attribute' ? (target.childForFieldName('attribute')?.text ?? target.text) : target.text;
    const rest = (call.childForFieldName('arguments')?.text ?? '').replace(target.text, '');
    if (reportsFailure(name.replace(/^["']|["']$/g, ''), rest, carriers)) return { activity: name.replace(/^["']|["']$/g, ''), line: call.startPosition.row + 1 };
  }
  return undefined;
}

function hasAny(node: PythonNode, types: string[]): boolean {
  if (types.includes(node.type)) return true;
  return node.descendantsOfType(types).some((d) => d !== null && !insideNestedFunction(d, node));
}

function insideNestedFunction(node: PythonNode, stop: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== stop.id; current = current.parent) if (current.type === 'function_definition' || current.type === 'lambda') return true;
  return false;
}

const BRANCHES = new Set(['if_statement', 'for_statement', 'while_statement', 'conditional_expression', 'try_statement', 'boolean_operator', 'match_statement', 'function_definition', 'lambda']);

function conditional(node: PythonNode, stop: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== stop.id; current = current.parent) if (BRANCHES.has(current.type)) return true;
  return false;
}
