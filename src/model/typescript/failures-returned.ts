// Where a workflow function catches the failure of an activity or child workflow, keeps it as data
// (pushes the message to an `errors` list, stores it in a field) or runs compensation, and then
// returns normally instead of throwing: the run ends as Completed, so failure alerts (which count
// failed workflows), the Temporal UI's status and workflow retries all report a success. Only the
// workflow's own function is read (a try in a helper it calls is the helper's business). Left alone:
// a catch that throws (or calls a function of the project that throws), a throw anywhere after the
// try, a catch that only logs (workflow-failure-swallowed's log-only shape), a catch that mentions
// cancellation, one commented as best effort, and a catch that neither keeps the error nor returns
// (a fallback to a default value, a retry through another activity).

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { activityCallSites } from './observability/workflow-activity-calls.js';
import { startAwaitsResult } from './observability/start-awaits-result.js';
import { resultReaders } from './result-readers.js';
import { skipOuterExpressions } from './temporal-api.js';
import { childWorkflowOf, firstWork, isLogCall, onlyLogs, type Work } from './swallowed-failures.js';
import { BEST_EFFORT } from '../swallowed-failures.js';
import { ERROR_FIELD, STATUS_FIELD, type CaughtCall, type ReturnedFailure as NeutralReturnedFailure } from '../failures-returned.js';
import type { ActivityProxy, TemporalModel } from './types.js';
import { workflowCannotFail } from './workflow-cannot-fail.js';

export type ReturnedFailure = NeutralReturnedFailure<ActivityProxy>;

const cache = new WeakMap<TemporalModel, ReturnedFailure[]>();

export function returnedFailures(model: TemporalModel): ReturnedFailure[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const work = new Map<ts.Node, Work>();
  for (const site of activityCallSites(model)) work.set(site.call, { call: site.call, what: `activity ${site.name}`, proxy: site.proxy, activity: site.name });
  for (const file of model.workflowFiles) {
    if (!model.files.includes(file)) continue;
    const sourceFile = model.sourceFile(file);
    if (!sourceFile) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && !work.has(node)) {
        const child = childWorkflowOf(node);
        if (child) work.set(node, { call: node, what: `child workflow ${child}`, child });
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }

  const found: ReturnedFailure[] = [];
  for (const workflow of model.workflows) {
    if (workflow.helperExport || !model.files.includes(workflow.file) || !model.workflowFiles.has(workflow.file)) continue;
    const body = workflow.node.body;
    if (!body || !ts.isBlock(body)) continue;
    const byReturn = new Map<ts.ReturnStatement, { catches: ReturnedFailure['catches']; compensates: boolean; reported: boolean; proxies: Set<ActivityProxy>; calls: Map<ts.Node, Work> }>();
    for (const statement of ownTries(body)) {
      const clause = statement.catchClause!;
      const hit = firstWork(statement.tryBlock, work, model);
      if (!hit) continue;
      if (onlyLogs(clause.block.statements)) continue; // the log-only shape, reported on its own
      if (/cancel/i.test(ownText(clause)) || bestEffort(statement, clause)) continue;
      if (throws(clause.block, model, work) || throwAfter(statement, body)) continue;
      const returns = ownReturns(clause.block);
      const compensates = containsWork(clause.block, work);
      const kept = keepsError(clause, work);
      if (!kept.kept && !(compensates && returns.length > 0)) continue;
      // The statement that ends the run: a return in the catch, or else the function's last return.
      let end: ts.ReturnStatement | undefined = returns[returns.length - 1];
      if (!end) {
        const later = ownReturns(body).filter((r) => r.getStart() > statement.getEnd());
        end = later[later.length - 1];
        // A workflow that returns nothing: what it kept can only leave through a query, a signal or
        // an activity, which this reading does not follow.
        if (!end) continue;
      }
      const entry = byReturn.get(end) ?? { catches: [], compensates: false, reported: false, proxies: new Set<ActivityProxy>(), calls: new Map<ts.Node, Work>() };
      entry.reported ||= kept.reported;
      entry.catches.push({ location: model.locate(clause), callLocation: model.locate(hit.work.call), what: hit.work.what, ...(hit.via ? { via: hit.via } : {}), ...(hit.work.proxy ? { proxy: hit.work.proxy } : {}) });
      entry.compensates ||= compensates;
      entry.calls.set(hit.work.call, hit.work);
      for (const call of tryWork(statement.tryBlock, work, model)) {
        entry.calls.set(call.call, call);
        // Only the calls written in the try itself, as before.
        if (call.proxy && call.call.getSourceFile() === statement.getSourceFile() && call.call.pos >= statement.tryBlock.pos && call.call.end <= statement.tryBlock.end) entry.proxies.add(call.proxy);
      }
      byReturn.set(end, entry);
    }
    for (const [end, entry] of byReturn) {
      const starts = model.starts.filter((start) => start.workflowType === workflow.name);
      const startRead = starts.some((start) => (start.child ? childResultUsed(start.node) : startAwaitsResult(start) !== undefined));
      // The project may read the outcome later by the workflow id (another request, a status endpoint).
      const readers = resultReaders(model);
      const laterReader = startRead
        ? undefined
        : (readers.find((reader) => reader.kind === 'result' && reader.workflows?.includes(workflow.name)) ??
          readers.find((reader) => reader.kind === 'query' && reader.workflows?.includes(workflow.name)) ??
          readers.find((reader) => reader.kind === 'result' && reader.workflows === null));
      found.push({
        workflow: workflow.name,
        location: model.locate(end),
        catches: entry.catches,
        proxies: entry.proxies,
        calls: [...entry.calls.values()].map((call) => caughtCall(call, model)),
        compensates: entry.compensates,
        reported: entry.reported,
        distinguishes: distinguishes(end),
        carriesError: returnsField(end, ERROR_FIELD),
        starts: starts.length,
        resultRead: startRead || laterReader !== undefined,
        ...(laterReader ? { laterReader: { location: laterReader.location, kind: laterReader.kind, typed: laterReader.workflows !== null } } : {}),
      });
    }
  }
  cache.set(model, found);
  return found;
}

/**
 * The catch's text without the tries nested in it: a compensation step commented "must not fail"
 * speaks for that step, not for the catch around it.
 */
function ownText(clause: ts.CatchClause): string {
  const text = clause.getSourceFile().getFullText();
  let out = '';
  let at = clause.getStart();
  const visit = (node: ts.Node): void => {
    if (ts.isTryStatement(node)) {
      out += text.slice(at, node.getFullStart());
      at = node.getEnd();
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(clause.block, visit);
  return out + text.slice(at, clause.getEnd());
}

/**
 * Commented as best effort: a comment right above the try, or words in the catch itself (outside
 * nested tries). Comments inside the try are not read: a try around a whole workflow holds
 * comments about every step.
 */
function bestEffort(statement: ts.TryStatement, clause: ts.CatchClause): boolean {
  const text = statement.getSourceFile().getFullText();
  const above = (ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? []).map((range) => text.slice(range.pos, range.end)).join('\n');
  return BEST_EFFORT.test(above) || BEST_EFFORT.test(ownText(clause));
}

/** The try statements with a catch in a function body, outside nested functions. */
function ownTries(body: ts.Block): ts.TryStatement[] {
  const tries: ts.TryStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isTryStatement(node) && node.catchClause) tries.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return tries;
}

/**
 * The activity and child workflow calls written in a try block (also in callbacks written there;
 * outside other nested functions and nested tries that catch), and those of the project functions
 * it calls (one level down).
 */
function tryWork(block: ts.Block, work: Map<ts.Node, Work>, model: TemporalModel): Work[] {
  const found: Work[] = [];
  const visit = (node: ts.Node, deep: boolean): void => {
    // Callbacks written in the try (`Promise.all(ids.map((id) => act(id)))`) run there; other nested functions may not.
    if (ts.isFunctionLike(node) && !ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return;
    if (ts.isTryStatement(node) && node.catchClause) return;
    const hit = ts.isCallExpression(node) ? work.get(node) : undefined;
    if (hit) found.push(hit);
    else if (deep && ts.isCallExpression(node)) {
      const helper = functionOfDeclaration(model.declarationOf(skipOuterExpressions(node.expression)));
      if (helper?.body && model.files.includes(helper.getSourceFile().fileName) && !helper.getSourceFile().isDeclarationFile) ts.forEachChild(helper.body, (child) => visit(child, false));
    }
    ts.forEachChild(node, (child) => visit(child, deep));
  };
  ts.forEachChild(block, (child) => visit(child, true));
  return found;
}

/** The neutral fact of a caught call; a child workflow of the code whose whole body is caught says so. */
function caughtCall(call: Work, model: TemporalModel): CaughtCall<ActivityProxy> {
  const child = call.child !== undefined ? model.workflows.filter((workflow) => workflow.name === call.child) : [];
  const safe = child.length === 1 && workflowCannotFail(child[0]!.node) ? child[0]! : undefined;
  return {
    kind: call.child !== undefined ? 'child' : 'activity',
    what: call.what,
    location: model.locate(call.call),
    ...(call.activity ? { activity: call.activity } : {}),
    ...(call.proxy ? { proxy: call.proxy } : {}),
    ...(safe ? { childCannotFail: { workflow: safe.name, location: safe.location } } : {}),
  };
}

/** An activity or child workflow call anywhere in the node (outside nested functions). */
function containsWork(root: ts.Node, work: Map<ts.Node, Work>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node) && work.has(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

function ownReturns(root: ts.Node): ts.ReturnStatement[] {
  const returns: ts.ReturnStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node)) returns.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(root, visit);
  return returns;
}

/** A throw in the block (outside nested functions), or a call of a function of the project (not an activity) that throws. */
function throws(block: ts.Node, model: TemporalModel, work: Map<ts.Node, Work>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isThrowStatement(node)) found = true;
    else if (ts.isCallExpression(node) && !work.has(node)) {
      const fn = functionOfDeclaration(model.declarationOf(skipOuterExpressions(node.expression)));
      if (fn?.body && !fn.getSourceFile().isDeclarationFile && model.files.includes(fn.getSourceFile().fileName) && hasThrow(fn.body)) found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

function hasThrow(root: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isThrowStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(root, visit);
  return found;
}

/** A throw after the try in the function (`if (errors.length > 0) throw ...`): the run can still fail. */
function throwAfter(statement: ts.TryStatement, body: ts.Block): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isThrowStatement(node) && node.getStart() > statement.getEnd()) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/**
 * The catch keeps the error as data: the caught value (or a variable of the catch made from it,
 * `const message = err instanceof Error ? err.message : ...`) goes into something other than a log
 * call: a push, an assignment to state outside the catch, a returned value.
 */
function keepsError(clause: ts.CatchClause, work: Map<ts.Node, Work>): { kept: boolean; reported: boolean } {
  const binding = clause.variableDeclaration?.name;
  if (!binding || !ts.isIdentifier(binding)) return { kept: false, reported: false };
  const tainted = new Set([binding.text]);
  const mentions = (node: ts.Node): boolean => {
    let hit = false;
    const visit = (n: ts.Node): void => {
      if (hit) return;
      if (ts.isIdentifier(n) && tainted.has(n.text) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) hit = true;
      else ts.forEachChild(n, visit);
    };
    visit(node);
    return hit;
  };
  const local = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) local.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(clause.block);
  // Variables of the catch made from the error, to a fixed point.
  for (let changed = true; changed; ) {
    changed = false;
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && !tainted.has(node.name.text) && mentions(node.initializer)) {
        tainted.add(node.name.text);
        changed = true;
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && local.has(node.left.text) && !tainted.has(node.left.text) && mentions(node.right)) {
        tainted.add(node.left.text);
        changed = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(clause.block);
  }
  let kept = false;
  const visit = (node: ts.Node): void => {
    if (kept || ts.isFunctionLike(node)) return;
    if (ts.isExpressionStatement(node) && isLogCall(node.expression)) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(push|unshift|set|add)$/.test(node.expression.name.text) && node.arguments.some(mentions)) kept = true;
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && !(ts.isIdentifier(node.left) && local.has(node.left.text)) && mentions(node.right)) kept = true;
    else if (ts.isReturnStatement(node) && node.expression && mentions(node.expression)) kept = true;
    else ts.forEachChild(node, visit);
  };
  visit(clause.block);
  // The error handed to an activity (a failure report, a state change to "failed"), unless that
  // call sits in a try of its own that lets the report fail.
  let reported = false;
  const report = (node: ts.Node): void => {
    if (reported || ts.isFunctionLike(node) || (ts.isTryStatement(node) && node.catchClause)) return;
    if (ts.isCallExpression(node) && work.get(node)?.proxy && node.arguments.some(mentions)) reported = true;
    else ts.forEachChild(node, report);
  };
  report(clause.block);
  return { kept, reported };
}

/** The value returned tells a caller that the run failed: a status-like field, or a plain literal or enum member. */
function distinguishes(statement: ts.ReturnStatement): boolean {
  const value = statement.expression && skipOuterExpressions(statement.expression);
  if (!value) return false;
  if (ts.isObjectLiteralExpression(value)) {
    return value.properties.some((p) => {
      if (ts.isSpreadAssignment(p)) return true; // unknown fields: give it the benefit of the doubt
      const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
      return name !== undefined && STATUS_FIELD.test(name);
    });
  }
  // `return result` (built elsewhere), a literal, an enum member, a ternary: assume the caller can tell.
  return true;
}

/** The returned object literal has a property whose name matches `field`. */
function returnsField(statement: ts.ReturnStatement, field: RegExp): boolean {
  const value = statement.expression && skipOuterExpressions(statement.expression);
  if (!value || !ts.isObjectLiteralExpression(value)) return false;
  return value.properties.some((p) => {
    const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    return name !== undefined && field.test(name);
  });
}

/** `const r = await executeChild(...)`, `if (await executeChild(...))`: the parent uses the child's result. */
function childResultUsed(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent)) node = node.parent;
  return !ts.isExpressionStatement(node.parent);
}
