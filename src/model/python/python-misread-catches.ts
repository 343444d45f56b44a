// Where Python workflow code waits for an activity or child workflow in a try and then tests the
// caught error as an ApplicationError (workflow-catch-tests-application-failure). A failed
// `await workflow.execute_activity(...)` raises temporalio.exceptions.ActivityError and a failed
// `await workflow.execute_child_workflow(...)` raises ChildWorkflowError; the ApplicationError the
// activity or child raised is their `.cause` (and `__cause__`). So `except ApplicationError:` never
// takes that failure, and `isinstance(e, ApplicationError)` in an `except Exception as e:` is
// never true for it. A local activity is different: its ApplicationError reaches the workflow as it
// is (asked of a real worker: test/fixtures/python-sdk-facts/catch_facts.py), so a try that runs a
// local activity is left alone.
//
// Also left alone: a try whose body can raise ApplicationError itself (it holds a `raise` or names
// ApplicationError, or calls a function of the project that raises), a clause that also names a
// class that takes the wrapper (`except (ApplicationError, ActivityError)`), and a clause that reads
// the error's `.cause` / `__cause__`, or rebinds it. Only calls the try body awaits itself count
// (not those of a helper it calls), and a nested try with except clauses takes its own calls.
//
// Nor is a pass-through reported: `except ApplicationError: raise` before an `except Exception`
// that wraps, or `if isinstance(e, ApplicationError): raise` before the wrapping raise. Its body
// only re-raises, so it is there to keep the workflow's own ApplicationErrors from being wrapped
// twice; the activity's failure skipping it goes on to the clause written for it, and no branch
// meant for that failure is lost.

import type { ActivityProxyFacts, SourceLocation, WorkflowStartFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { className, exceptClauses, type ExceptClause } from './python-caught-errors.js';
import { awaitedWithin, describe, helperOf, takes, workKind, type Context, type Work } from './python-swallowed-failures.js';
import { locateNode, namedChildrenOf } from './python-syntax.js';

export interface MisreadApplicationCatch {
  /** The except clause (shape 'except') or the isinstance test (shape 'isinstance'). */
  location: SourceLocation;
  callLocation: SourceLocation;
  kind: 'activity' | 'child';
  /** `activity charge_card`, `child workflow ShipOrder`. */
  what: string;
  shape: 'except' | 'isinstance';
  /** The text of the clause's class list or of the isinstance test. */
  test: string;
}

const LOCAL_CALLS = new Set(['execute_local_activity', 'execute_local_activity_method', 'execute_local_activity_class', 'start_local_activity', 'start_local_activity_method', 'start_local_activity_class']);
/** `await workflow.start_activity(...)` waits for the result as execute_activity does. */
const AWAITED_STARTS: Record<string, 'activity'> = { start_activity: 'activity', start_activity_method: 'activity', start_activity_class: 'activity' };

export function pythonMisreadApplicationCatches(files: string[], modules: PythonModules, activityCalls: ActivityProxyFacts[], starts: WorkflowStartFacts[]): MisreadApplicationCatch[] {
  const context: Context = { modules, activityCalls, starts };
  const found: MisreadApplicationCatch[] = [];
  for (const file of files) {
    const tree = modules.files.get(file)?.tree;
    if (!tree) continue;
    for (const statement of tree.rootNode.descendantsOfType('try_statement')) {
      const body = statement?.childForFieldName('body');
      if (!statement || !body) continue;
      const scan = scanBody(body, file, modules);
      if (!scan.work || scan.local || scan.mayRaise) continue;
      const work = scan.work;
      for (const clause of exceptClauses(statement)) {
        const misread = misreadIn(clause, work.kind, file, modules);
        if (!misread) continue;
        found.push({
          location: locateNode(file, misread.at),
          callLocation: locateNode(work.file, work.call),
          kind: work.kind,
          what: describe(work, context).what,
          shape: misread.shape,
          test: compact(misread.at === clause.node ? clause.classes.map((c) => c.text).join(', ') : misread.at.text),
        });
      }
    }
  }
  found.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  return found;
}

/** The first non-local work call the try body awaits itself, whether it runs a local activity, and whether it can raise ApplicationError itself. */
function scanBody(body: PythonNode, file: string, modules: PythonModules): { work?: Work; local: boolean; mayRaise: boolean } {
  let work: Work | undefined;
  let local = false;
  let mayRaise = false;
  const visit = (node: PythonNode): void => {
    if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') return;
    if (node.type === 'try_statement' && exceptClauses(node).length > 0) {
      // Its own except clauses take what its body raises; what they raise (and its else/finally) reaches this try.
      for (const child of namedChildrenOf(node)) if (child.type !== 'block') visit(child);
      return;
    }
    if (node.type === 'raise_statement') mayRaise = true;
    if (node.type === 'identifier' && node.text === 'ApplicationError') mayRaise = true;
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const qualified = callee ? modules.qualifiedName(file, callee) : undefined;
      const method = qualified?.startsWith('temporalio.workflow.') ? qualified.slice('temporalio.workflow.'.length) : undefined;
      if (method && LOCAL_CALLS.has(method)) local = true;
      else if (method) {
        const kind = workKind(node, file, modules) ?? AWAITED_STARTS[method];
        if (kind && !work && awaitedWithin(node, body, file, modules)) work = { call: node, file, kind };
      } else {
        const helper = helperOf(node, file, modules) ?? moduleFunctionOf(node, file, modules);
        if (helper && raisesOrRunsLocal(helper.body, helper.file, modules)) mayRaise = true;
      }
    }
    for (const child of namedChildrenOf(node)) visit(child);
  };
  visit(body);
  return { ...(work ? { work } : {}), local, mayRaise };
}

/** `helpers.check_seat(...)` where `helpers` is a module of the project: the function's body. */
function moduleFunctionOf(call: PythonNode, file: string, modules: PythonModules): { body: PythonNode; file: string } | undefined {
  const callee = call.childForFieldName('function');
  const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
  const name = callee?.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || !name) return undefined;
  const binding = modules.importBindingAt(file, object.text, call);
  if (binding?.kind !== 'module' || !binding.file) return undefined;
  const definition = modules.lookup(binding.file, name);
  const body = definition?.kind === 'function' ? definition.node.childForFieldName('body') : undefined;
  return body ? { body, file: definition!.file } : undefined;
}

/** A function of the project that raises anything, names ApplicationError, or runs a local activity (one call deep). */
function raisesOrRunsLocal(body: PythonNode, file: string, modules: PythonModules): boolean {
  if (body.descendantsOfType('raise_statement').length > 0) return true;
  if (body.descendantsOfType('identifier').some((node) => node?.text === 'ApplicationError')) return true;
  return body.descendantsOfType('call').some((call) => {
    const callee = call?.childForFieldName('function');
    const qualified = callee ? modules.qualifiedName(file, callee) : undefined;
    return qualified?.startsWith('temporalio.workflow.') === true && LOCAL_CALLS.has(qualified.slice('temporalio.workflow.'.length));
  });
}

/** The SDK's ApplicationError, through imports or by its name. */
function isApplicationError(node: PythonNode, file: string, modules: PythonModules): boolean {
  const qualified = modules.qualifiedName(file, node);
  if (qualified) return qualified === 'temporalio.exceptions.ApplicationError' || qualified === 'temporalio.ApplicationError';
  return className(node) === 'ApplicationError';
}

/**
 * The clause names ApplicationError (alone or in a tuple with classes that do not take the
 * wrapper), or takes the wrapper and decides a branch on `isinstance(alias, ApplicationError)`.
 * None when the clause reads the alias's cause or rebinds it.
 */
function misreadIn(clause: ExceptClause, kind: Work['kind'], file: string, modules: PythonModules): { at: PythonNode; shape: 'except' | 'isinstance' } | undefined {
  const block = namedChildrenOf(clause.node).find((c) => c.type === 'block');
  if (!block) return undefined;
  if (clause.alias && readsCause(block, clause.alias)) return undefined;
  if (clause.node.type !== 'except_clause') return undefined;
  if (clause.classes.some((c) => isApplicationError(c, file, modules))) {
    return takes(clause, kind, file, modules) || onlyReraises(block, clause.alias) ? undefined : { at: clause.node, shape: 'except' };
  }
  if (!clause.alias || !takes(clause, kind, file, modules)) return undefined;
  const test = block.descendantsOfType('call').find((call): call is PythonNode => call !== null && isinstanceTest(call, clause.alias!, kind, file, modules));
  return test ? { at: test, shape: 'isinstance' } : undefined;
}

/** `isinstance(e, ApplicationError)` (or a tuple without a class that takes the wrapper) deciding an if, elif, while or ternary, through not/and/or. */
function isinstanceTest(call: PythonNode, alias: string, kind: Work['kind'], file: string, modules: PythonModules): boolean {
  if (call.childForFieldName('function')?.text !== 'isinstance') return false;
  const args = call.childForFieldName('arguments');
  const [first, classes] = args ? namedChildrenOf(args) : [];
  if (first?.type !== 'identifier' || first.text !== alias || !classes) return false;
  const named = classes.type === 'tuple' || classes.type === 'parenthesized_expression' ? namedChildrenOf(classes) : [classes];
  if (!named.some((c) => isApplicationError(c, file, modules))) return false;
  if (takes({ node: call, classes: named }, kind, file, modules)) return false;
  let node: PythonNode = call;
  for (;;) {
    const parent = node.parent;
    if (!parent) return false;
    if (parent.type === 'not_operator' || parent.type === 'boolean_operator' || parent.type === 'parenthesized_expression') {
      node = parent;
      continue;
    }
    if (parent.type === 'if_statement' || parent.type === 'elif_clause') {
      if (parent.childForFieldName('condition')?.id !== node.id) return false;
      // `if isinstance(e, ApplicationError): raise` (alone or or-ed with other classes) passes the error on as it is.
      const consequence = parent.childForFieldName('consequence');
      return !(passesOn(call, node) && consequence && onlyReraises(consequence, alias));
    }
    if (parent.type === 'while_statement') return parent.childForFieldName('condition')?.id === node.id;
    if (parent.type === 'conditional_expression') return namedChildrenOf(parent)[1]?.id === node.id;
    return false;
  }
}

/** The test decides its branch alone or as one side of an `or` (not under `not`, not in an `and`). */
function passesOn(call: PythonNode, condition: PythonNode): boolean {
  for (let node = call.parent; node && node.id !== condition.parent?.id; node = node.parent) {
    if (node.type === 'not_operator') return false;
    if (node.type === 'boolean_operator' && node.childForFieldName('operator')?.text !== 'or') return false;
  }
  return true;
}

/** The block holds nothing but `raise` or `raise alias` (comments aside). */
function onlyReraises(block: PythonNode, alias: string | undefined): boolean {
  const statements = namedChildrenOf(block);
  if (statements.length !== 1 || statements[0]!.type !== 'raise_statement') return false;
  const raised = namedChildrenOf(statements[0]!);
  return raised.length === 0 || (raised.length === 1 && alias !== undefined && raised[0]!.type === 'identifier' && raised[0]!.text === alias);
}

/** The block reads `alias.cause` / `alias.__cause__` / `alias.__context__`, or assigns the alias. */
function readsCause(block: PythonNode, alias: string): boolean {
  for (const node of block.descendantsOfType(['attribute', 'assignment', 'augmented_assignment'])) {
    if (!node) continue;
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute')?.text;
      if (object?.type === 'identifier' && object.text === alias && (attribute === 'cause' || attribute === '__cause__' || attribute === '__context__')) return true;
    } else if (node.childForFieldName('left')?.type === 'identifier' && node.childForFieldName('left')?.text === alias) return true;
  }
  return false;
}

function compact(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}
