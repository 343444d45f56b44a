// Where a Python workflow's run method catches the failure of an activity or child workflow, keeps
// it as data (returns `{"success": False, "error": str(e)}` or `Result(status="failed")`, appends
// it to an errors list, stores it in `self.`) or runs compensation, and then returns normally: the
// run ends as Completed, so failure alerts (which count failed workflows), the Temporal UI's status
// and workflow retries all report a success. The same reading as the TypeScript front-end's
// failures-returned.ts, in Python's syntax: only the `@workflow.run` method is read, and the except
// clause is the first one of the try that takes the call's error (python-swallowed-failures.ts).
//
// Left alone, as on TypeScript: a clause that only logs (workflow-failure-swallowed's log-only
// shape), one that raises (or calls a function of the project that raises), a `raise` after the
// try on the path the run takes (not in an except clause of a try around this one, which handles
// another failure), a clause that mentions cancellation, a try or clause commented as best
// effort, and a clause that neither keeps the error nor returns (a fallback to a default value).
// Python only: a run that ends with a bare `return` or `return None` after the failure is left
// alone, since what it kept can only leave through a query, as a TypeScript workflow that returns
// nothing is.
//
// Cancellation (checked against temporalio 1.35.0 and CPython 3.11+): asyncio.CancelledError is a
// BaseException, not an Exception, so an `except Exception` does not take the CancelledError the
// SDK raises into a workflow waiting on a timer or workflow.wait_condition. A cancellation that
// arrives while the run awaits execute_activity / execute_child_workflow is different: the SDK
// (worker/_workflow_instance.py, _await_temporal_operation) sends the cancel command and keeps
// waiting, and the call then raises ActivityError / ChildWorkflowError whose cause is
// temporalio.exceptions.CancelledError, an ordinary Exception. Such a clause therefore also turns a
// cancelled run into a Completed one; workflow-cancellation-swallowed reports that on its own, and
// a clause that mentions cancellation is left alone here.

import type { ActivityProxyFacts, WorkflowStartFacts } from '../types.js';
import { pythonResultReaders, type PythonResultReader } from './python-result-readers.js';
import { ERROR_FIELD, STATUS_FIELD, type CaughtCall, type ReturnedFailure } from '../failures-returned.js';
import { BEST_EFFORT } from '../swallowed-failures.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { catchesAll, exceptClauses, type ExceptClause } from './python-caught-errors.js';
import { describe, firstWork, helperOf, isPythonLogCall, onlyLogs, takes, workKind, type Context } from './python-swallowed-failures.js';
import { callArguments, classMembers, commentsAbove, decoratorsOf, descendantsInScope, fieldPairs, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import { callAt } from './python-worker-runtime.js';

/** Collections whose name says they hold failures (`failed_items.append(name)`). */
const FAILURE_COLLECTION = /fail|error|errs\b|skipped/i;
/** A status value that says the step failed. */
const FAILED_STATUS = /^(fail|failed|failure|error|errored)$/i;
/** A flag whose False says the step failed. */
const SUCCESS_FLAG = /^(success|succeeded|ok|is_success|successful)$/i;
const COLLECTION_ADDS = /^(append|extend|add|update|insert|setdefault|put|put_nowait)$/;

export function pythonReturnedFailures(
  workflows: PythonWorkflow[],
  modules: PythonModules,
  activityCalls: ActivityProxyFacts[],
  starts: WorkflowStartFacts[],
  scheduleActions: WorkflowStartFacts[],
): ReturnedFailure[] {
  const context: Context = { modules, activityCalls, starts };
  const found: ReturnedFailure[] = [];
  let readers: PythonResultReader[] | undefined;
  for (const workflow of workflows) {
    const file = workflow.file;
    const run = runMethod(workflow, modules);
    const body = run?.childForFieldName('body');
    if (!run || !body) continue;
    const byReturn = new Map<number, { end: PythonNode; catches: ReturnedFailure['catches']; compensates: boolean; reported: boolean; proxies: Set<ActivityProxyFacts>; calls: Map<string, CaughtCall> }>();
    const newEntry = (end: PythonNode) => ({ end, catches: [], compensates: false, reported: false, proxies: new Set<ActivityProxyFacts>(), calls: new Map<string, CaughtCall>() });
    const addCall = (calls: Map<string, CaughtCall>, work: { call: PythonNode; file: string; kind: 'activity' | 'child' }): void => {
      const call = caughtCall(work, context, workflows);
      calls.set(`${call.location.file}:${call.location.line}:${call.location.column}`, call);
    };
    for (const statement of ownTries(body)) {
      const tryBody = statement.childForFieldName('body');
      const hit = tryBody ? firstWork(tryBody, file, context) : undefined;
      if (!tryBody || !hit) continue;
      const clause = exceptClauses(statement).find((candidate) => takes(candidate, hit.work.kind, file, modules));
      if (!clause || clause.node.type !== 'except_clause') continue;
      const block = namedChildrenOf(clause.node).find((child) => child.type === 'block');
      if (!block || onlyLogs(clause.node)) continue; // the log-only shape, reported on its own
      const text = ownText(clause.node);
      if (/cancel/i.test(text) || BEST_EFFORT.test(commentsAbove(statement).join('\n')) || BEST_EFFORT.test(text)) continue;
      if (raises(block, file, modules) || raiseAfter(statement, body)) continue;
      const returns = ownReturns(block);
      const compensates = containsWork(block, file, modules);
      const kept = keepsError(clause, block, body, file, modules);
      if (!kept.kept && !(compensates && returns.length > 0)) continue;
      // The statement that ends the run: a return in the clause, or else the method's last return after the try.
      const end = returns.at(-1) ?? ownReturns(body).filter((r) => r.startIndex > statement.endIndex && !handlesOther(r, statement, body)).at(-1);
      // Nothing returned (no return, `return`, `return None`): what was kept can only leave through a query.
      if (!end || !returnedValue(end)) continue;
      // One item of a loop failed, the run counts it and returns the count: a partial outcome the result reports.
      if (countedInResult(statement, block, body, end)) continue;
      const entry = byReturn.get(end.id) ?? newEntry(end);
      const described = describe(hit.work, context);
      entry.reported ||= kept.reported;
      entry.catches.push({
        location: locateNode(file, clause.node),
        callLocation: locateNode(hit.work.file, hit.work.call),
        what: described.what,
        ...(hit.via ? { via: hit.via } : {}),
        ...(described.proxy ? { proxy: described.proxy } : {}),
      });
      entry.compensates ||= compensates;
      addCall(entry.calls, hit.work);
      for (const work of tryWork(tryBody, file, context)) {
        addCall(entry.calls, work);
        // Only the calls written in the try itself, as before.
        if (work.kind !== 'activity' || work.file !== file || work.call.startIndex < tryBody.startIndex || work.call.endIndex > tryBody.endIndex) continue;
        const proxy = describe(work, context).proxy;
        if (proxy) entry.proxies.add(proxy);
      }
      byReturn.set(end.id, entry);
    }
    for (const kept of gatheredFailuresKept(body, file, context)) {
      const end = ownReturns(body).filter((r) => r.startIndex > kept.gather.endIndex && !handlesOther(r, kept.gather, body)).at(-1);
      if (!end || !returnedValue(end) || raiseAfter(kept.gather, body)) continue;
      const entry = byReturn.get(end.id) ?? newEntry(end);
      const described = describe(kept.work, context);
      addCall(entry.calls, kept.work);
      for (const work of tryWork(kept.gather, file, context)) addCall(entry.calls, work);
      entry.reported ||= kept.reported;
      entry.catches.push({
        location: locateNode(file, kept.test),
        callLocation: locateNode(kept.work.file, kept.work.call),
        what: described.what,
        ...(described.proxy ? { proxy: described.proxy } : {}),
        gathered: true,
      });
      if (described.proxy) entry.proxies.add(described.proxy);
      byReturn.set(end.id, entry);
    }
    if (byReturn.size === 0) continue;
    // A start whose workflow the imports did not resolve (a package under a source folder) still
    // names the class: `MyWorkflow.run`, when no other workflow class has that name.
    const unique = workflows.filter((other) => other.className === workflow.className).length === 1;
    const own = [...starts, ...scheduleActions].filter(
      (start) => start.workflowType === workflow.name || (start.workflowType === null && unique && start.workflowTypeText.replace(/\.run$/, '') === workflow.className),
    );
    // The project may read the outcome later by the workflow id (another request, a status endpoint).
    readers ??= pythonResultReaders(workflows, modules);
    const laterReader = readers.find((reader) => reader.kind === 'result' && reader.workflows?.includes(workflow.name))
      ?? readers.find((reader) => reader.kind === 'query' && reader.workflows?.includes(workflow.name))
      ?? readers.find((reader) => reader.kind === 'result' && reader.workflows === null);
    const startRead = own.some((start) => readsResult(start, modules));
    const resultRead = startRead || laterReader !== undefined;
    for (const entry of byReturn.values()) {
      const value = returnedValue(entry.end)!;
      found.push({
        workflow: workflow.name,
        location: locateNode(file, entry.end),
        catches: entry.catches,
        proxies: entry.proxies,
        calls: [...entry.calls.values()],
        compensates: entry.compensates,
        reported: entry.reported,
        distinguishes: distinguishes(value),
        carriesError: fieldNames(value).some((name) => ERROR_FIELD.test(name)),
        starts: own.length,
        resultRead,
        ...(!startRead && laterReader ? { laterReader: { location: laterReader.location, kind: laterReader.kind, typed: laterReader.workflows !== null } } : {}),
      });
    }
  }
  found.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line);
  return found;
}

/**
 * The clause handles the failure of one item of a `for` loop and counts it (`failed += 1`, a name
 * said to count failures), and the count
 * reaches the returned value: in it (`return Result(failed=failed)`) or in what is assigned to the
 * returned name (`self._result = Result(ads_failed=failed)` ... `return self._result`). The run
 * reports a partial outcome item by item; that is not a failure it hides.
 */
function countedInResult(statement: PythonNode, block: PythonNode, body: PythonNode, end: PythonNode): boolean {
  let loop: PythonNode | null = statement.parent;
  while (loop && loop.id !== body.id && loop.type !== 'for_statement') loop = loop.parent;
  if (!loop || loop.id === body.id) return false;
  // `failed += 1`: a count named after failures. (A list of errors alone in the result is still
  // reported: nothing in it says whether the run failed.)
  const counters = new Set<string>();
  descendantsInScope(block, (node) => {
    if (node.type !== 'augmented_assignment' || node.childForFieldName('operator')?.text !== '+=') return;
    const target = node.childForFieldName('left');
    if (target && (target.type === 'identifier' || target.type === 'attribute') && FAILURE_COLLECTION.test(target.text.split('.').pop()!)) counters.add(target.text);
  });
  if (counters.size === 0) return false;
  const value = returnedValue(end);
  if (!value) return false;
  const reads = (node: PythonNode): boolean => {
    let hit = false;
    descendantsInScope(node, (inner) => {
      if ((inner.type === 'identifier' || inner.type === 'attribute') && counters.has(inner.text) && !isKeywordName(inner)) hit = true;
    });
    return hit || ((node.type === 'identifier' || node.type === 'attribute') && counters.has(node.text));
  };
  if (reads(value)) return true;
  // `self._result = Result(..., failed=failed)` after the loop, then `return self._result`.
  let assigned = false;
  descendantsInScope(body, (node) => {
    if (assigned || node.type !== 'assignment' || node.startIndex < loop!.endIndex || node.startIndex > end.startIndex) return;
    const right = node.childForFieldName('right');
    if (node.childForFieldName('left')?.text === unparenthesize(value).text && right && reads(right)) assigned = true;
  });
  return assigned;
}

/** The `@workflow.run` method of the workflow class. */
function runMethod(workflow: PythonWorkflow, modules: PythonModules): PythonNode | undefined {
  return classMembers(workflow.node).find(
    (member) => member.type === 'function_definition' && decoratorsOf(member).some((d) => modules.qualifiedName(workflow.file, d.expression) === 'temporalio.workflow.run'),
  );
}

const isScope = (node: PythonNode): boolean => node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition';

/** The try statements of the method's own body (nested ones too), outside nested functions. */
function ownTries(body: PythonNode): PythonNode[] {
  const tries: PythonNode[] = [];
  descendantsInScope(body, (node) => {
    if (node.type === 'try_statement' && exceptClauses(node).length > 0 && !insideScope(node, body)) tries.push(node);
  });
  return tries;
}

/** The node sits in a function, lambda or class nested in root (descendantsInScope visits their headers). */
function insideScope(node: PythonNode, root: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== root.id; current = current.parent) if (isScope(current)) return true;
  return false;
}

function ownReturns(root: PythonNode): PythonNode[] {
  const returns: PythonNode[] = [];
  descendantsInScope(root, (node) => {
    if (node.type === 'return_statement' && !insideScope(node, root)) returns.push(node);
  });
  return returns;
}

/** The clause's text without the tries nested in it: a compensation step commented "must not fail" speaks for that step. */
function ownText(clause: PythonNode): string {
  let text = clause.text;
  const nested: PythonNode[] = [];
  const visit = (node: PythonNode): void => {
    for (const child of namedChildrenOf(node)) {
      if (child.type === 'try_statement') nested.push(child);
      else visit(child);
    }
  };
  visit(clause);
  for (const statement of nested) text = text.replace(statement.text, '');
  return text;
}

/** A `raise` in the block (outside nested functions), or a call of a project function that raises. */
function raises(block: PythonNode, file: string, modules: PythonModules): boolean {
  let found = false;
  descendantsInScope(block, (node) => {
    if (found || insideScope(node, block)) return;
    if (node.type === 'raise_statement') found = true;
    else if (node.type === 'call' && !workKind(node, file, modules)) {
      const helper = helperOf(node, file, modules);
      if (helper && hasRaise(helper.body)) found = true;
    }
  });
  return found;
}

function hasRaise(root: PythonNode): boolean {
  let found = false;
  descendantsInScope(root, (node) => {
    if (node.type === 'raise_statement' && !insideScope(node, root)) found = true;
  });
  return found;
}

/**
 * A `raise` after the try in the method (`if errors: raise ApplicationError(...)`): the run can
 * still fail. A raise in an except clause of a try around this one handles another failure and
 * does not count.
 */
function raiseAfter(statement: PythonNode, body: PythonNode): boolean {
  let found = false;
  descendantsInScope(body, (node) => {
    if (found || node.type !== 'raise_statement' || node.startIndex <= statement.endIndex || insideScope(node, body)) return;
    if (!handlesOther(node, statement, body)) found = true;
  });
  return found;
}

/** The node sits in an except clause of a try around the statement: it runs on another failure, not after this one. */
function handlesOther(node: PythonNode, statement: PythonNode, body: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== body.id; current = current.parent) {
    const outer = current.type === 'except_clause' || current.type === 'except_group_clause' ? current.parent : undefined;
    if (outer && outer.startIndex <= statement.startIndex && outer.endIndex >= statement.endIndex) return true;
  }
  return false;
}

/** An activity or child workflow call in the node (outside nested functions). */
function containsWork(root: PythonNode, file: string, modules: PythonModules): boolean {
  let found = false;
  descendantsInScope(root, (node) => {
    if (!found && node.type === 'call' && !insideScope(node, root) && workKind(node, file, modules)) found = true;
  });
  return found;
}

/**
 * The activity and child workflow calls written in a try body, outside nested functions and nested
 * tries with except clauses, and those of the project functions it calls (one level down).
 */
function tryWork(block: PythonNode, file: string, context: Context): { call: PythonNode; file: string; kind: 'activity' | 'child' }[] {
  const found: { call: PythonNode; file: string; kind: 'activity' | 'child' }[] = [];
  const visit = (node: PythonNode, at: string, deep: boolean): void => {
    for (const child of namedChildrenOf(node)) {
      if (isScope(child) || (child.type === 'try_statement' && exceptClauses(child).length > 0)) continue;
      const kind = child.type === 'call' ? workKind(child, at, context.modules) : undefined;
      if (kind) found.push({ call: child, file: at, kind });
      else if (deep && child.type === 'call') {
        const helper = helperOf(child, at, context.modules);
        if (helper) visit(helper.body, helper.file, false);
      }
      visit(child, at, deep);
    }
  };
  visit(block, file, true);
  return found;
}

/** The neutral fact of a caught call; a child workflow of the code whose run cannot fail says so. */
function caughtCall(work: { call: PythonNode; file: string; kind: 'activity' | 'child' }, context: Context, workflows: PythonWorkflow[]): CaughtCall {
  const described = describe(work, context);
  const location = locateNode(work.file, work.call);
  const uses = described.proxy?.usedActivityTypes;
  const activity = work.kind === 'activity' && uses && uses !== 'all' && uses.length === 1 ? uses[0]!.name : undefined;
  let safe: PythonWorkflow | undefined;
  if (work.kind === 'child') {
    const start = context.starts.find((candidate) => candidate.child && candidate.location.file === location.file && candidate.location.line === location.line && candidate.location.column === location.column);
    const text = start?.workflowTypeText.replace(/\.run$/, '');
    const named = start ? workflows.filter((w) => (start.workflowType !== null ? w.name === start.workflowType : w.className === text)) : [];
    if (named.length === 1 && runCannotFail(named[0]!, context.modules)) safe = named[0];
  }
  return {
    kind: work.kind,
    what: described.what,
    location,
    ...(activity ? { activity } : {}),
    ...(described.proxy ? { proxy: described.proxy } : {}),
    ...(safe ? { childCannotFail: { workflow: safe.name, location: safe.location } } : {}),
  };
}

/**
 * The workflow's run method cannot end as Failed: its body is set-up statements (a docstring, a
 * log call, an assignment that awaits nothing) and then one try, the last statement, with no
 * `else` clause, whose except clauses all end in a return and neither raise nor await, one of them taking
 * every exception (bare, Exception, BaseException); a finally clause neither raises nor awaits either.
 * The Python form of typescript/workflow-cannot-fail.ts.
 */
function runCannotFail(workflow: PythonWorkflow, modules: PythonModules): boolean {
  const body = runMethod(workflow, modules)?.childForFieldName('body');
  if (!body) return false;
  const statements = namedChildrenOf(body).filter((statement) => statement.type !== 'comment');
  const last = statements.at(-1);
  if (!last || last.type !== 'try_statement') return false;
  if (!statements.slice(0, -1).every(isSetUp)) return false;
  const parts = namedChildrenOf(last);
  if (parts.some((part) => part.type === 'else_clause')) return false;
  const clauses = exceptClauses(last);
  if (!clauses.some((clause) => clause.node.type === 'except_clause' && catchesAll(clause))) return false;
  // Every clause (not only the one that takes everything) returns without raising or awaiting.
  for (const clause of clauses) {
    const block = namedChildrenOf(clause.node).find((child) => child.type === 'block');
    const ending = block ? namedChildrenOf(block).filter((statement) => statement.type !== 'comment').at(-1) : undefined;
    if (!block || ending?.type !== 'return_statement' || mayRaise(block)) return false;
  }
  const cleanup = parts.find((part) => part.type === 'finally_clause');
  return !cleanup || !mayRaise(cleanup);
}

/** A docstring, a log call, or an assignment that awaits nothing. */
function isSetUp(statement: PythonNode): boolean {
  if (statement.type !== 'expression_statement') return false;
  const [expression] = namedChildrenOf(statement);
  if (expression?.type === 'string') return true;
  if (isPythonLogCall(statement)) return !containsAwait(statement);
  return expression?.type === 'assignment' && !containsAwait(statement);
}

/** A raise or an await (outside nested functions). */
function mayRaise(root: PythonNode): boolean {
  let found = false;
  descendantsInScope(root, (node) => {
    if (!found && !insideScope(node, root) && (node.type === 'raise_statement' || node.type === 'await')) found = true;
  });
  return found;
}

function containsAwait(root: PythonNode): boolean {
  let found = false;
  descendantsInScope(root, (node) => {
    if (!found && node.type === 'await' && !insideScope(node, root)) found = true;
  });
  return found;
}

/**
 * The clause keeps the failure as data: the caught exception (or a name the clause makes from it,
 * `message = str(e)`) goes into something other than a log call: an append to a list, an
 * assignment to `self.` state, an item or a name the method reads outside the clause, a returned
 * value. Also, without the exception: a returned failure marker (`{"success": False}`,
 * `Result(status="failed")`), a failed status or flag written to state (`self.status = "failed"`),
 * an append to a collection named after failures (`self.failed_items.append(name)`). Reported: the
 * exception is handed to an activity (a failure report, a state change), outside a try of its own.
 */
function keepsError(clause: ExceptClause, block: PythonNode, body: PythonNode, file: string, modules: PythonModules): { kept: boolean; reported: boolean } {
  const tainted = new Set<string>(clause.alias ? [clause.alias] : []);
  const mentions = (node: PythonNode): boolean => {
    if (tainted.size === 0) return false;
    if (node.type === 'identifier') return tainted.has(node.text) && !isAttributeName(node) && !isKeywordName(node);
    return namedChildrenOf(node).some(mentions);
  };
  // Names the clause makes from the exception, to a fixed point.
  for (let changed = true; changed; ) {
    changed = false;
    descendantsInScope(block, (node) => {
      if (node.type !== 'assignment') return;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type === 'identifier' && right && !tainted.has(left.text) && mentions(right)) {
        tainted.add(left.text);
        changed = true;
      }
    });
  }
  const readOutside = (name: string): boolean => {
    let read = false;
    descendantsInScope(body, (node) => {
      if (read || node.type !== 'identifier' || node.text !== name || isAttributeName(node) || isKeywordName(node)) return;
      if (node.startIndex >= block.startIndex && node.endIndex <= block.endIndex) return;
      read = true;
    });
    return read;
  };
  let kept = false;
  const visit = (node: PythonNode): void => {
    for (const child of namedChildrenOf(node)) {
      if (kept || isScope(child)) return;
      if (child.type === 'expression_statement' && isPythonLogCall(child)) continue;
      if (child.type === 'call') {
        const callee = child.childForFieldName('function');
        const method = callee?.type === 'attribute' ? (callee.childForFieldName('attribute')?.text ?? '') : '';
        const args = child.childForFieldName('arguments');
        if (COLLECTION_ADDS.test(method) && args && (mentions(args) || FAILURE_COLLECTION.test(callee!.childForFieldName('object')?.text ?? ''))) {
          kept = true;
          return;
        }
      }
      if (child.type === 'assignment' || child.type === 'augmented_assignment') {
        const left = child.childForFieldName('left');
        const right = child.childForFieldName('right');
        if (left && right) {
          const outside = left.type !== 'identifier' || readOutside(left.text);
          if (outside && (mentions(right) || failedValue(left, right))) {
            kept = true;
            return;
          }
        }
      }
      if (child.type === 'return_statement') {
        const value = namedChildrenOf(child)[0];
        if (value && (mentions(value) || failureMarker(value))) {
          kept = true;
          return;
        }
      }
      visit(child);
    }
  };
  visit(block);
  let reported = false;
  const report = (node: PythonNode): void => {
    for (const child of namedChildrenOf(node)) {
      if (reported || isScope(child) || (child.type === 'try_statement' && exceptClauses(child).length > 0)) continue;
      if (child.type === 'call' && workKind(child, file, modules) === 'activity' && child.childForFieldName('arguments') && mentions(child.childForFieldName('arguments')!)) {
        reported = true;
        return;
      }
      report(child);
    }
  };
  report(block);
  return { kept, reported };
}

/** The `name` of `obj.name`: not a read of a variable. */
function isAttributeName(node: PythonNode): boolean {
  return node.parent?.type === 'attribute' && node.parent.childForFieldName('attribute')?.id === node.id;
}

/** The `name` of `f(name=value)`. */
function isKeywordName(node: PythonNode): boolean {
  return node.parent?.type === 'keyword_argument' && node.parent.childForFieldName('name')?.id === node.id;
}

/** `self.status = "failed"`, `state.status = Status.FAILED`, `self.success = False`. */
function failedValue(left: PythonNode, right: PythonNode): boolean {
  const value = unparenthesize(right);
  const text = value.type === 'string' ? stringLiteral(value) : value.type === 'attribute' ? value.childForFieldName('attribute')?.text : undefined;
  if (text !== undefined && FAILED_STATUS.test(text)) return true;
  const target = left.type === 'attribute' ? left.childForFieldName('attribute')?.text : left.type === 'identifier' ? left.text : undefined;
  return value.type === 'false' && target !== undefined && SUCCESS_FLAG.test(target);
}

/** `{"success": False}`, `{"error": ...}`, `Result(status="failed")`, `{"status": Status.FAILED}`. */
function failureMarker(value: PythonNode): boolean {
  return fieldPairs(unparenthesize(value)).some(([name, item]) => {
    if (SUCCESS_FLAG.test(name)) return item.type === 'false';
    if (ERROR_FIELD.test(name) || /^(errors|failure|failure_reason)$/i.test(name)) return item.type !== 'none' && item.type !== 'false';
    if (/^(status|state|outcome)$/i.test(name)) return failedValue(item, item);
    return false;
  });
}


function fieldNames(value: PythonNode): string[] {
  return fieldPairs(unparenthesize(value)).map(([name]) => name);
}

/** The value a return hands back, unless it returns nothing (`return`, `return None`). */
function returnedValue(statement: PythonNode): PythonNode | undefined {
  const value = namedChildrenOf(statement)[0];
  return value && value.type !== 'none' ? value : undefined;
}

/**
 * The returned value tells a caller whether the run failed: a dict or a constructor call with a
 * status-like key (`success`, `status`, `ok`...). A dict with other keys only, or a call with
 * keyword arguments only and none of them status-like, does not. Anything else (a name, a literal,
 * a call with positional arguments or `**kwargs`) is given the benefit of the doubt.
 */
function distinguishes(value: PythonNode): boolean {
  const node = unparenthesize(value);
  if (node.type === 'dictionary') {
    if (namedChildrenOf(node).some((child) => child.type === 'dictionary_splat')) return true;
    return fieldNames(node).some((name) => STATUS_FIELD.test(name));
  }
  if (node.type === 'call') {
    const args = callArguments(node);
    if (args.positional.length > 0 || args.spreads.length > 0 || args.starred) return true;
    return [...args.keywords.keys()].some((name) => STATUS_FIELD.test(name));
  }
  return true;
}

/**
 * The code that starts the workflow waits for its result: `execute_workflow`, a child whose result
 * the parent uses, or `handle = await client.start_workflow(...)` whose handle the function uses
 * for anything but its ids and messages (`handle.result()`, handed back or passed on: the caller
 * may wait), or keeps on `self` or in a collection. A start that cannot be found again counts as
 * read; one whose handle is dropped (`await client.start_workflow(...)` as a statement) or used
 * only for `handle.id` does not.
 */
function readsResult(start: WorkflowStartFacts, modules: PythonModules): boolean {
  if (start.method === 'execute') return true;
  if (start.method === 'schedule') return false;
  const call = callAt(modules, start.location);
  if (!call) return true;
  let holder = call;
  while (holder.parent && (holder.parent.type === 'await' || holder.parent.type === 'parenthesized_expression')) holder = holder.parent;
  const parent = holder.parent;
  if (start.child) return parent?.type !== 'expression_statement';
  if (parent?.type === 'return_statement') return true;
  const assigned = parent?.type === 'assignment' && parent.childForFieldName('right')?.id === holder.id ? parent.childForFieldName('left') : undefined;
  if (!assigned) return false;
  // Kept on `self` or in a collection: someone else may wait on it.
  if (assigned.type !== 'identifier') return true;
  let fn: PythonNode | null = parent!;
  while (fn && fn.type !== 'function_definition' && fn.type !== 'module') fn = fn.parent;
  const scope = fn?.type === 'function_definition' ? fn.childForFieldName('body') : fn;
  if (!scope) return true;
  // Read unless every later use only takes the handle's ids or sends it a message.
  let read = false;
  descendantsInScope(scope, (node) => {
    if (read || node.type !== 'identifier' || node.text !== assigned.text || node.startIndex < parent!.endIndex || isAttributeName(node) || isKeywordName(node)) return;
    const use = node.parent;
    const member = use?.type === 'attribute' && use.childForFieldName('object')?.id === node.id ? use.childForFieldName('attribute')?.text : undefined;
    if (member && HANDLE_ONLY.test(member)) return;
    read = true;
  });
  return read;
}

/** What a starter does with a handle that does not wait for the result: its ids, a signal, a query, a cancel. */
const HANDLE_ONLY = /^(id|run_id|first_execution_run_id|result_run_id|signal|query|cancel|terminate|describe|execute_update|start_update)$/;

/**
 * `results = await asyncio.gather(*tasks, return_exceptions=True)` over activity or child workflow
 * calls, then `for r in results:` (or `enumerate` / `zip`) with `if isinstance(r, Exception):`
 * whose block keeps the exception as data (`failures.append(Result(status="error", error=str(r)))`)
 * and raises nothing: Python's form of a catch that keeps the failure, for calls run together. The
 * calls are the gather's arguments, or the calls appended to (or listed in) the name it unpacks.
 */
function gatheredFailuresKept(body: PythonNode, file: string, context: Context): { gather: PythonNode; test: PythonNode; work: { call: PythonNode; file: string; kind: 'activity' | 'child' }; reported: boolean }[] {
  const found: { gather: PythonNode; test: PythonNode; work: { call: PythonNode; file: string; kind: 'activity' | 'child' }; reported: boolean }[] = [];
  descendantsInScope(body, (call) => {
    if (call.type !== 'call' || insideScope(call, body)) return;
    const callee = call.childForFieldName('function');
    if (!callee || context.modules.qualifiedName(file, callee) !== 'asyncio.gather') return;
    const flag = callArguments(call).keywords.get('return_exceptions');
    if (!flag || flag.type !== 'true') return;
    let holder = call;
    while (holder.parent && (holder.parent.type === 'await' || holder.parent.type === 'parenthesized_expression')) holder = holder.parent;
    const assignment = holder.parent;
    const name = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === holder.id ? assignment.childForFieldName('left') : undefined;
    if (name?.type !== 'identifier') return;
    const work = gatheredCalls(call, body, file, context.modules);
    if (!work) return;
    const statement = assignment!.parent?.type === 'expression_statement' ? assignment!.parent : assignment!;
    if (BEST_EFFORT.test(commentsAbove(statement).join('\n'))) return;
    descendantsInScope(body, (loop) => {
      if (loop.type !== 'for_statement' || loop.startIndex < assignment!.endIndex || insideScope(loop, body)) return;
      const item = loopItem(loop, name.text);
      const loopBody = loop.childForFieldName('body');
      if (!item || !loopBody) return;
      for (const test of namedChildrenOf(loopBody)) {
        if (test.type !== 'if_statement' || !isinstanceOfException(test.childForFieldName('condition'), item)) continue;
        const block = test.childForFieldName('consequence');
        if (!block || /cancel/i.test(block.text) || BEST_EFFORT.test(block.text) || raises(block, file, context.modules)) continue;
        const kept = keepsError({ node: test, classes: [], alias: item }, block, body, file, context.modules);
        if (kept.kept) found.push({ gather: call, test, work, reported: kept.reported });
      }
    });
  });
  return found;
}

/** The first work call a gather runs: an argument, or a call appended to (or listed in) a name it unpacks (`*tasks`). */
function gatheredCalls(gather: PythonNode, body: PythonNode, file: string, modules: PythonModules): { call: PythonNode; file: string; kind: 'activity' | 'child' } | undefined {
  const args = gather.childForFieldName('arguments');
  if (!args) return undefined;
  const names = new Set<string>();
  let hit: { call: PythonNode; file: string; kind: 'activity' | 'child' } | undefined;
  const visit = (node: PythonNode): void => {
    if (hit || isScope(node) || node.type === 'keyword_argument') return;
    if (node.type === 'call') {
      const kind = workKind(node, file, modules);
      if (kind) {
        hit = { call: node, file, kind };
        return;
      }
    }
    if (node.type === 'identifier' && (node.parent?.type === 'list_splat' || node.parent?.id === args.id)) names.add(node.text);
    for (const child of namedChildrenOf(node)) visit(child);
  };
  visit(args);
  if (hit || names.size === 0) return hit;
  descendantsInScope(body, (node) => {
    if (hit || node.startIndex > gather.startIndex) return;
    let source: PythonNode | undefined;
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      if (callee?.type === 'attribute' && /^(append|extend)$/.test(callee.childForFieldName('attribute')?.text ?? '') && names.has(callee.childForFieldName('object')?.text ?? '')) source = node.childForFieldName('arguments') ?? undefined;
    } else if (node.type === 'assignment' && names.has(node.childForFieldName('left')?.text ?? '')) {
      source = node.childForFieldName('right') ?? undefined;
    }
    if (!source) return;
    for (const call of [source, ...source.descendantsOfType('call').filter((c): c is PythonNode => !!c)]) {
      const kind = call.type === 'call' ? workKind(call, file, modules) : undefined;
      if (kind) {
        hit = { call, file, kind };
        return;
      }
    }
  });
  return hit;
}

/** The name a `for` loop gives each result: `for r in results`, `for i, r in enumerate(results)`, `for x, r in zip(xs, results)`. */
function loopItem(loop: PythonNode, results: string): string | undefined {
  const right = loop.childForFieldName('right');
  const left = loop.childForFieldName('left');
  if (!right || !left) return undefined;
  if (right.type === 'identifier') return right.text === results && left.type === 'identifier' ? left.text : undefined;
  if (right.type !== 'call') return undefined;
  const helper = right.childForFieldName('function')?.text;
  const args = right.childForFieldName('arguments') ? namedChildrenOf(right.childForFieldName('arguments')!) : [];
  const index = helper === 'enumerate' && args[0]?.text === results ? 1 : helper === 'zip' ? args.findIndex((a) => a.text === results) : -1;
  const names = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? namedChildrenOf(left) : [];
  const item = index >= 0 && names.length === (helper === 'enumerate' ? 2 : args.length) ? names[index] : undefined;
  return item?.type === 'identifier' ? item.text : undefined;
}

/** `isinstance(r, Exception)` (or BaseException, an error class, a tuple of them). */
function isinstanceOfException(condition: PythonNode | null | undefined, item: string): boolean {
  if (condition?.type !== 'call' || condition.childForFieldName('function')?.text !== 'isinstance') return false;
  const [first, classes] = namedChildrenOf(condition.childForFieldName('arguments')!);
  if (first?.text !== item || !classes) return false;
  const named = classes.type === 'tuple' ? namedChildrenOf(classes) : [classes];
  return named.length > 0 && named.every((c) => /(Error|Exception)$/.test(c.type === 'attribute' ? (c.childForFieldName('attribute')?.text ?? '') : c.text));
}
