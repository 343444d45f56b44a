// The workflow side of a failure an activity returns instead of throwing: the activity says it
// failed with a flag in the object it returns (`return { ok: false, reason }`, `{ success: false }`,
// `{ status: 'failed' }`, `{ error: 'Not found' }`, or `{ success: result.testsPassing }`), and a
// workflow call of it drops the result or reads only other fields of it, then schedules the next
// activity (or returns a success) as if the step had worked. Reported at the workflow's call, with
// the activity's failing return as related.
//
// Left alone: a call that reads the flag, the error or the status, passes the whole result on (an
// argument, a return, a spread), or only stores it; a failure returned from a catch block
// (activity-failure-returned reports that one, and says when no workflow reads it); an activity
// whose every workflow call reads only other fields of a literal failure value
// (activity-failure-returned reports that at the return). Python: the facts of
// python-activity-failures.ts (pythonIgnoredFailureResults), read the same way.

import ts from 'typescript';
import { relative } from '../../engine/run-checks.js';
import { locate } from '../../model/typescript/locate.js';
import type { SourceLocation, TemporalModel } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';
import { activityReturnedFailures, ERROR_KEYS, FAILURE_FLAGS, failedStatus, STATUS_KEYS } from '../../model/typescript/activity-failures-returned.js';
import { functionOfDeclaration } from '../../model/typescript/declarations.js';
import { throwingAwaitedCall } from '../../model/typescript/throwing-awaits.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { PythonIgnoredFailureResult } from '../../model/python/python-activity-failures.js';
import { activityCallSites, type ActivityCallSite } from '../../model/typescript/observability/workflow-activity-calls.js';
import { attemptsOf, implementationsWithProxies } from '../../engine/activity-policy/scheduled-implementations.js';
import { otherFieldsRead, plainFailureReturns, resultDropped } from './activity-failure-returned.js';

/** The flags whose computed value (`success: report.passing`) says whether the step worked. */
const COMPUTED_FLAGS = /^(success|succeeded|ok|isSuccess|successful)$/;

export default defineCheck({
  id: 'activity-failure-result-ignored',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow ignores the failure flag an activity returns ({ ok: false }, { success: false }) and goes on as if the step succeeded',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    if (model.language === 'python') {
      for (const ignored of pythonModelOf(model)!.ignoredFailureResults ?? []) {
        report(ctx, {
          location: ignored.location,
          workflow: ignored.workflow,
          activity: ignored.activity,
          returns: ignored.returns,
          fields: ignored.fields,
          next: ignored.next,
          flag: ignored.flag,
          computed: ignored.computed,
          language: 'python',
        });
      }
      return;
    }
    const sites = activityCallSites(model);
    for (const [implementation, reviews] of implementationsWithProxies(model)) {
      // activity-failure-returned reports a catch of the activity (or of a helper it returns from)
      // that returns a failure, and says when no workflow reads it: leave those to it.
      const retried = !reviews.map(attemptsOf).every((a) => a === 1);
      const reportedThere = new Set<ts.Node>(retried ? activityReturnedFailures(implementation, model).map((site) => site.returned) : []);
      const found = flagReturnsOf(implementation.node, model, reportedThere);
      if (found.failing.length === 0) continue;
      const calls = sites.filter((site) => site.name === implementation.name);
      if (calls.length === 0) continue;
      // activity-failure-returned already reports a literal failure value that every call reads
      // only other fields of (at the return): leave those to it.
      const plain = plainFailureReturns(implementation.node);
      if (plain.length > 0) {
        const plainKeys = new Set(plain.flatMap((site) => site.keys));
        const readInstead: string[] = [];
        const unread = calls.every((site) => {
          const fields = otherFieldsRead(site.call, plainKeys, model);
          readInstead.push(...(fields ?? []));
          return fields !== undefined;
        });
        if (unread && readInstead.length > 0) continue;
      }
      for (const site of calls) {
        if (failureLetGo(site.call)) continue;
        const dropped = resultDropped(site.call);
        const fields = dropped ? [] : otherFieldsRead(site.call, found.failureOnlyKeys, model);
        if (!dropped && (!fields || fields.length === 0)) continue;
        const next = nextStep(site, sites, model);
        if (!next) continue;
        report(ctx, {
          location: locate(site.call),
          workflow: enclosingName(site.call),
          activity: implementation.name,
          returns: [...found.failing.filter((r) => !r.computed), ...found.failing.filter((r) => r.computed)].map((r) => ({ location: locate(r.returned), valueText: r.valueText })),
          fields: dropped ? undefined : [...new Set(fields)],
          next,
          flag: (found.failing.find((r) => !r.computed) ?? found.failing[0]!).flag,
          computed: found.failing.every((r) => r.computed),
          language: 'typescript',
        });
      }
    }
  },
});

/** A call that drops or reads around the failure flag, in either language (the Python model's record, with its language). */
interface Ignored extends PythonIgnoredFailureResult {
  language: 'typescript' | 'python';
}

function report(ctx: Parameters<Parameters<typeof defineCheck>[0]['run']>[0], ignored: Ignored): void {
  const first = ignored.returns[0]!;
  const at = (location: SourceLocation) => `${relative(ctx.root, location.file)}:${location.line}`;
  const how = ignored.fields ? `keeps the result but reads only other fields of it (${ignored.fields.slice(0, 4).join(', ')})` : 'drops the result';
  const throwWord = ignored.language === 'python' ? 'raising' : 'throwing';
  ctx.report({
    location: ignored.location,
    message:
      `${ignored.workflow ? `Workflow ${ignored.workflow}` : 'The workflow'} awaits activity ${ignored.activity}, which ` +
      (ignored.computed
        ? `says in ${ignored.flag} whether the step succeeded (${first.valueText}, ${at(first.location)}) instead of ${throwWord} when it fails, `
        : `reports a failure by returning ${first.valueText} (${at(first.location)}) instead of ${throwWord}, `) +
      `and ${how}, never testing ${ignored.flag}: when the step fails, the workflow goes on to ${ignored.next.text} (${at(ignored.next.location)}) as if it had succeeded. ` +
      `The activity completed, so Temporal shows no failure either.`,
    fix:
      ignored.language === 'python'
        ? `Test the flag before going on (\`if not result["${ignored.flag}"]: raise ApplicationError(...)\`, or stop the steps that depend on it), or have ${ignored.activity} raise ApplicationError (non_retryable=True when retrying cannot help) instead of returning the failure.`
        : `Test the flag before going on (\`if (!result.${ignored.flag}) throw ApplicationFailure.nonRetryable(...)\`, or stop the steps that depend on it), or have ${ignored.activity} throw (ApplicationFailure.nonRetryable when retrying cannot help) instead of returning the failure.`,
    related: ignored.returns.slice(0, 3).map((r) => ({ ...r.location, message: `${ignored.activity} returns a failure here` })),
    data: {
      activityType: ignored.activity,
      returned: first.valueText,
      flag: ignored.flag,
      ...(ignored.computed ? { computedFlag: true } : {}),
      ...(ignored.fields ? { readInstead: ignored.fields } : { resultDropped: true }),
    },
  });
}

interface FlagReturn {
  returned: ts.ReturnStatement;
  valueText: string;
  /** The key that says the step failed (`ok`, `success`, `error`, `status`). */
  flag: string;
  keys: string[];
  /** The flag is computed (`success: result.testsPassing`), not a literal false. */
  computed: boolean;
}

/**
 * The returns of an object literal that says the step failed (a success flag set to false or
 * computed, a failed status, an error message written in place), in the activity's own body and in
 * the project functions whose result it returns (returnedHelpers). Outside catch blocks; a catch's
 * return counts too when its try awaits a call that can throw into it (the catch turns an outage
 * into that value) and activity-failure-returned does not report it (reportedThere).
 * failureOnlyKeys: the keys only those values set (`reason`, `paths`), which a workflow reading them
 * reads the failure through.
 */
function flagReturnsOf(fn: ts.FunctionLikeDeclaration, model: TemporalModel, reportedThere: Set<ts.Node>): { failing: FlagReturn[]; failureOnlyKeys: Set<string> } {
  const failing: FlagReturn[] = [];
  const otherKeys = new Set<string>();
  const checker = model.checkerFor(fn.getSourceFile().fileName);
  const read = (body: ts.Node, readCatches: boolean): void => {
    const visit = (node: ts.Node, inCatch: boolean): void => {
      if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
      if (ts.isTryStatement(node)) {
        visit(node.tryBlock, inCatch);
        // A catch whose try awaits nothing that can throw guards no outage: its returns are left out.
        const guards = readCatches && node.catchClause && checker ? throwingAwaitedCall(node.tryBlock, model, checker) !== undefined : false;
        if (node.catchClause && guards) visit(node.catchClause.block, true);
        if (node.finallyBlock) visit(node.finallyBlock, inCatch);
        return;
      }
      if (ts.isCatchClause(node)) return;
      if (ts.isReturnStatement(node) && node.expression) {
        const value = skipOuterExpressions(node.expression);
        if (ts.isObjectLiteralExpression(value)) {
          const keys = keysOf(value);
          const flag = failureFlag(value);
          if (flag && !(inCatch && (flag.computed || reportedThere.has(node)))) failing.push({ returned: node, keys, ...flag });
          if (!flag || flag.computed) keys.forEach((key) => otherKeys.add(key));
        }
      }
      ts.forEachChild(node, (child) => visit(child, inCatch));
    };
    ts.forEachChild(body, (child) => visit(child, false));
  };
  if (!fn.body) return { failing, failureOnlyKeys: new Set() };
  read(fn.body, true);
  for (const helper of returnedHelpers(fn, model)) if (helper.body) read(helper.body, true);
  const failureOnlyKeys = new Set(failing.filter((r) => !r.computed).flatMap((r) => r.keys).filter((key) => !otherKeys.has(key)));
  return { failing, failureOnlyKeys };
}

/**
 * The project functions whose result the activity returns as it is: `return await helper(...)`,
 * `return helper(...)`, or `return result` of `const result = await helper(...)`, also when a
 * wrapper runs the helper in a callback (`await withPolicy(options, () => helper(input))`) and its
 * result has the helper's type. Not a .d.ts, not a file outside the project.
 */
function returnedHelpers(fn: ts.FunctionLikeDeclaration, model: TemporalModel): ts.FunctionLikeDeclaration[] {
  const checker = model.checkerFor(fn.getSourceFile().fileName);
  if (!checker || !fn.body) return [];
  const helpers: ts.FunctionLikeDeclaration[] = [];
  const projectFunction = (call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined => {
    const helper = functionOfDeclaration(model.declarationOf(call.expression));
    return helper && helper !== fn && !helper.getSourceFile().isDeclarationFile && model.files.includes(helper.getSourceFile().fileName) ? helper : undefined;
  };
  const called = (expression: ts.Node): ts.FunctionLikeDeclaration | undefined => {
    let value = skipOuterExpressions(expression);
    if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
    if (!ts.isCallExpression(value)) return undefined;
    // `withPolicy(options, () => helper(input))`: the callback's call, when the wrapper's result has its type.
    const callback = value.arguments.at(-1);
    const inner = callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) ? callbackCall(callback) : undefined;
    const helper = inner && projectFunction(inner);
    if (inner && helper) {
      const outerType = checker.getAwaitedType(checker.getTypeAtLocation(value));
      const innerType = checker.getAwaitedType(checker.getTypeAtLocation(inner));
      if (outerType && innerType && checker.typeToString(outerType) === checker.typeToString(innerType)) return helper;
    }
    return projectFunction(value);
  };
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipOuterExpressions(node.expression);
      let helper = called(value);
      if (!helper && ts.isIdentifier(value)) {
        const declaration = model.declarationOf(value);
        if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(declaration.name) && constOf(declaration)) helper = called(declaration.initializer);
      }
      if (helper && !helpers.includes(helper)) helpers.push(helper);
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return helpers;
}

function constOf(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** `() => helper(input)`, `async () => await helper(input)`, `() => { return helper(input); }`: the call. */
function callbackCall(callback: ts.ArrowFunction | ts.FunctionExpression): ts.CallExpression | undefined {
  let body: ts.Node = callback.body;
  if (ts.isBlock(body)) {
    const only = body.statements.length === 1 ? body.statements[0] : undefined;
    if (!only || !ts.isReturnStatement(only) || !only.expression) return undefined;
    body = only.expression;
  }
  let value = skipOuterExpressions(body as ts.Expression);
  if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
  return ts.isCallExpression(value) ? value : undefined;
}

function keysOf(object: ts.ObjectLiteralExpression): string[] {
  return object.properties.flatMap((property) => (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? [property.name.text] : []));
}

function failureFlag(object: ts.ObjectLiteralExpression): { valueText: string; flag: string; computed: boolean } | undefined {
  let computed: { valueText: string; flag: string; computed: boolean } | undefined;
  // `{ success: true, error: 'no_project_path' }`: a success that says why it did nothing.
  const succeeded = object.properties.some(
    (property) => ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && FAILURE_FLAGS.test(property.name.text) && skipOuterExpressions(property.initializer).kind === ts.SyntaxKind.TrueKeyword,
  );
  if (succeeded) return undefined;
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
    if (!name) continue;
    const value = skipOuterExpressions(property.initializer);
    const text = `{ ${name}: ${short(value.getText(), 40)}, ... }`;
    if (FAILURE_FLAGS.test(name)) {
      if (value.kind === ts.SyntaxKind.FalseKeyword) return { valueText: text, flag: name, computed: false };
      if (COMPUTED_FLAGS.test(name) && value.kind !== ts.SyntaxKind.TrueKeyword && !computed) computed = { valueText: text, flag: name, computed: true };
    }
    if (STATUS_KEYS.test(name) && failedStatus(value)) return { valueText: text, flag: name, computed: false };
    if (ERROR_KEYS.test(name) && (ts.isStringLiteralLike(value) || ts.isTemplateExpression(value))) return { valueText: text, flag: name, computed: false };
  }
  return computed;
}

function short(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/**
 * The call sits in a try whose catch lets a thrown failure go (logs it and carries on: no throw, no
 * return): the workflow treats the step as optional, so a returned failure is let go as well.
 */
function failureLetGo(call: ts.CallExpression): boolean {
  for (let node: ts.Node = call; node.parent && !ts.isFunctionLike(node); node = node.parent) {
    const parent = node.parent;
    if (ts.isTryStatement(parent) && parent.tryBlock === node && parent.catchClause && !endsStep(parent.catchClause.block)) return true;
  }
  return false;
}

function endsStep(block: ts.Block): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isThrowStatement(node) || ts.isReturnStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  let current: ts.Node | undefined = node.parent;
  while (current && !ts.isFunctionLike(current)) current = current.parent;
  return current as ts.FunctionLikeDeclaration | undefined;
}

function enclosingName(node: ts.Node): string | undefined {
  const fn = enclosingFunction(node);
  if (!fn) return undefined;
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

/**
 * What the workflow does after the call, in the same function: the first activity it schedules
 * later, else a return of an object that says it succeeded (`{ status: 'completed' }`, `{ success:
 * true }`). Undefined when it does neither (the call is its last step, or it ends in failure).
 */
function nextStep(site: ActivityCallSite, sites: ActivityCallSite[], model: TemporalModel): { text: string; location: SourceLocation } | undefined {
  const fn = enclosingFunction(site.call);
  if (!fn?.body) return undefined;
  const later = sites.find((other) => other.call !== site.call && other.call.getSourceFile() === site.call.getSourceFile() && other.call.pos >= site.call.end && enclosingFunction(other.call) === fn);
  if (later) return { text: `activity ${later.name}`, location: locate(later.call) };
  let success: ts.ReturnStatement | undefined;
  const visit = (node: ts.Node): void => {
    if (success || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.pos >= site.call.end && node.expression) {
      const value = skipOuterExpressions(node.expression);
      if (ts.isObjectLiteralExpression(value) && saysSuccess(value)) success = node;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  void model;
  return success ? { text: 'return a success', location: locate(success) } : undefined;
}

const SUCCESS_STATUS = /^(ok|success|succeeded|successful|complete|completed|done|approved|finished|ready)/i;

function saysSuccess(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.some((property) => {
    if (!ts.isPropertyAssignment(property)) return false;
    const name = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : '';
    const value = skipOuterExpressions(property.initializer);
    if (FAILURE_FLAGS.test(name)) return value.kind === ts.SyntaxKind.TrueKeyword;
    if (name === 'status') return ts.isStringLiteralLike(value) && SUCCESS_STATUS.test(value.text);
    return false;
  });
}
