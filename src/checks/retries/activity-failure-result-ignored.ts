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
import { ERROR_KEYS, FAILURE_FLAGS } from '../../model/typescript/activity-failures-returned.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { PythonIgnoredFailureResult } from '../../model/python/python-activity-failures.js';
import { activityCallSites, type ActivityCallSite } from '../../model/typescript/observability/workflow-activity-calls.js';
import { implementationsWithProxies } from '../../engine/activity-policy/scheduled-implementations.js';
import { otherFieldsRead, plainFailureReturns, resultDropped } from './activity-failure-returned.js';

const FAILED_STATUS = /^(fail|failed|failure|error|errored)$/i;

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
    for (const [implementation] of implementationsWithProxies(model)) {
      const found = flagReturns(implementation.node);
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
 * The activity's own returns (outside catch blocks and nested functions) of an object literal that
 * says the step failed: a success flag set to false or computed, a failed status, an error message
 * written in place. failureOnlyKeys: the keys only those values set (`reason`, `paths`), which a
 * workflow reading them reads the failure through.
 */
function flagReturns(fn: ts.FunctionLikeDeclaration): { failing: FlagReturn[]; failureOnlyKeys: Set<string> } {
  const failing: FlagReturn[] = [];
  const otherKeys = new Set<string>();
  if (!fn.body) return { failing, failureOnlyKeys: new Set() };
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isCatchClause(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipOuterExpressions(node.expression);
      if (ts.isObjectLiteralExpression(value)) {
        const keys = keysOf(value);
        const flag = failureFlag(value);
        if (flag) failing.push({ returned: node, keys, ...flag });
        if (!flag || flag.computed) keys.forEach((key) => otherKeys.add(key));
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  const failureOnlyKeys = new Set(failing.filter((r) => !r.computed).flatMap((r) => r.keys).filter((key) => !otherKeys.has(key)));
  return { failing, failureOnlyKeys };
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
      if (value.kind !== ts.SyntaxKind.TrueKeyword && !computed) computed = { valueText: text, flag: name, computed: true };
    }
    if (name === 'status' && ts.isStringLiteralLike(value) && FAILED_STATUS.test(value.text)) return { valueText: text, flag: name, computed: false };
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
