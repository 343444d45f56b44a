// Where an activity catches every error of the work it awaits and returns a failure value instead
// of failing (`{ success: false }`, `[]`, `null`): the TypeScript reading behind
// activity-failure-returned, shared with workflow-failure-swallowed (a workflow's catch around
// such an activity never receives its failures). Read in the activity's body and in the project
// helpers whose result it returns.

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { commentedBestEffort, isLogCall, quietLog } from './swallowed-failures.js';
import { BEST_EFFORT } from '../swallowed-failures.js';
import { shortText } from './short-text.js';
import { skipOuterExpressions } from './temporal-api.js';
import { convertedFailureCall, throwingAwaitedCall } from './throwing-awaits.js';
import { awaitedCall, isTransient, type TransientCall } from './transient-calls.js';
import type { ActivityImplementation, TemporalModel } from './types.js';
import { decides } from '../../engine/activity-policy/scheduled-implementations.js';

export interface ActivityReturnedFailure {
  returned: ts.ReturnStatement;
  call: TransientCall;
  valueText: string;
  /** A failure marker object, not a result that can also be an answer ("nothing found", "no"). */
  marker: boolean;
  helper?: string;
  /**
   * The project functions from the activity down to the helper, when the helper's result reaches
   * the activity's return through variables or other helpers (`const steps = await
   * client.extractSteps(...); return steps;`): only an empty default logged in a catch-all is read there.
   */
  via?: string[];
  /**
   * The try awaits nothing that can throw, and the call named is a synchronous one (`db.update(...)`
   * of a synchronous database client): reported only when no workflow call reads the failure.
   */
  synchronous?: boolean;
  /**
   * Not a failure value but a fallback (`return { outfit: current, mood: 'neutral' }`,
   * `return buildFallbackPrompt(...)`, or a failure value under a best-effort comment): the catch
   * takes every error of a call to a dependency, logs it and returns a stand-in, so the attempt
   * succeeds and the workflow goes on with the stand-in. Read only with `fallbacks` (a note).
   */
  fallback?: { meant: boolean };
}

/**
 * Catch-all catches that return a failure value, in the activity and in the helper it returns from.
 * With `throughVariables`, also the empty defaults (`[]`, `null`) that a helper's catch-all returns
 * after logging the error, when that helper's result reaches the activity's return through a
 * variable or another helper, two functions down (activity-failure-returned reads these; the
 * other readers keep to the helpers returned directly).
 */
export function activityReturnedFailures(implementation: ActivityImplementation, model: TemporalModel, options: { throughVariables?: boolean; fallbacks?: boolean } = {}): ActivityReturnedFailure[] {
  const checker = model.checkerFor(implementation.file);
  if (!checker) return [];
  const fallbacks = options.fallbacks === true && !LET_GO_WORK.test(implementation.name);
  const found = catchesReturningValues(implementation.node, model, checker, fallbacks);
  const direct = returnedHelpers(implementation.node, model);
  for (const helper of direct) {
    found.push(...catchesReturningValues(helper, model, checker, fallbacks && !LET_GO_WORK.test(helperName(helper))).map((site) => ({ ...site, helper: helperName(helper) })));
  }
  if (!options.throughVariables) return found;
  const seen = new Set<ts.Node>([...found.map((site) => site.returned)]);
  for (const { helper, via } of helpersFeedingReturn(implementation.node, model, new Set<ts.Node>([implementation.node, ...direct]))) {
    if (functionDocSaysBestEffort(helper)) continue;
    for (const site of catchesReturningValues(helper, model, checker)) {
      if (site.marker || site.synchronous || seen.has(site.returned)) continue;
      const clause = site.returned.parent.parent;
      if (!ts.isCatchClause(clause) || !logsThenReturns(clause.block)) continue;
      if (LET_GO_WORK.test(helperName(helper)) || LET_GO_WORK.test(skipOuterExpressions(site.call.call.expression).getText())) continue;
      seen.add(site.returned);
      found.push({ ...site, helper: helperName(helper), via });
    }
  }
  return found;
}

/** How many project functions below the activity are followed for empty defaults that reach its return. */
const FEEDING_DEPTH = 2;

/**
 * Work whose failure is commonly let go on purpose (as activity-failure-swallowed reads it): a
 * cache, notifications, metrics and tracking, cleanup, previews.
 */
const LET_GO_WORK = /notif|mail|slack|discord|telegram|webhook|sms\b|alert|cache|metric|track|analytic|telemetry|posthog|sentry|audit|progress|heartbeat|status|log(s|ging)?\b|clean|close|disconnect|release|unlock|dispose|destroy|shutdown|screenshot|thumbnail|preview/i;

/**
 * The project functions whose result reaches the function's return (`return helper()`, `const
 * steps = await client.extractSteps(...); return steps;`, `return dedupe(raw, n)`, `return
 * raw?.flows ?? []`), and theirs, `FEEDING_DEPTH` levels down, with the chain of names. A call
 * counts only when nothing after it throws and every return after it carries its value: a
 * function that tests the value and throws, or returns something else, finds out about the failure.
 */
function helpersFeedingReturn(fn: ts.FunctionLikeDeclaration, model: TemporalModel, skip: Set<ts.Node>): { helper: ts.FunctionLikeDeclaration; via: string[] }[] {
  const found: { helper: ts.FunctionLikeDeclaration; via: string[] }[] = [];
  const seen = new Set<ts.Node>([fn]);
  const queue: { fn: ts.FunctionLikeDeclaration; via: string[] }[] = [{ fn, via: [] }];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (current.via.length >= FEEDING_DEPTH) continue;
    for (const call of callsFeedingReturn(current.fn)) {
      const helper = functionOfDeclaration(model.declarationOf(call.expression));
      if (!helper || seen.has(helper) || !helper.body) continue;
      const file = helper.getSourceFile();
      if (file.isDeclarationFile || !model.files.includes(file.fileName)) continue;
      seen.add(helper);
      const via = [...current.via, helperName(helper)];
      if (!skip.has(helper)) found.push({ helper, via });
      queue.push({ fn: helper, via });
    }
  }
  return found;
}

/** The calls of the function whose value it returns, directly or through the variables its returns read. */
function callsFeedingReturn(fn: ts.FunctionLikeDeclaration): ts.CallExpression[] {
  if (!fn.body || !ts.isBlock(fn.body)) return [];
  const body = fn.body;
  const returns: ts.ReturnStatement[] = [];
  const throwsAt: number[] = [];
  const declarations: ts.VariableDeclaration[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node)) returns.push(node);
    if (ts.isThrowStatement(node)) throwsAt.push(node.pos);
    if (ts.isVariableDeclaration(node) && node.initializer) declarations.push(node);
    ts.forEachChild(node, visit);
  };
  visit(body);
  const calls: ts.CallExpression[] = [];
  const candidate = (expression: ts.Expression): ts.CallExpression | undefined => {
    let value = skipOuterExpressions(expression);
    if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
    return ts.isCallExpression(value) ? value : undefined;
  };
  const carries = (returned: ts.ReturnStatement, names: Set<string>, call: ts.CallExpression): boolean =>
    returned.expression !== undefined && contains(returned.expression, (node) => node === call || (ts.isIdentifier(node) && names.has(node.text) && reference(node)));
  const feeds = (call: ts.CallExpression, names: Set<string>): boolean => {
    if (throwsAt.some((at) => at >= call.end)) return false;
    const after = returns.filter((returned) => returned.pos >= call.end);
    return after.length > 0 && after.every((returned) => carries(returned, names, call));
  };
  // `return helper(...)`, `return { flows: await helper(...) }`
  for (const returned of returns) {
    if (!returned.expression) continue;
    const direct = candidate(returned.expression);
    if (direct && feeds(direct, new Set())) calls.push(direct);
  }
  // `const raw = await helper(...)`, and the variables computed from it (`const flows = dedupe(raw)`).
  for (const declaration of declarations) {
    if (!ts.isIdentifier(declaration.name)) continue;
    const call = candidate(declaration.initializer!);
    if (!call) continue;
    const names = new Set<string>([declaration.name.text]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const other of declarations) {
        if (other.pos < call.end || !ts.isIdentifier(other.name) || names.has(other.name.text)) continue;
        // Computed from it (`dedupe(raw, n)`, `raw?.flows ?? []`); not the result of more awaited work on it.
        if (!contains(other.initializer!, ts.isAwaitExpression) && contains(other.initializer!, (node) => ts.isIdentifier(node) && names.has(node.text) && reference(node))) {
          names.add(other.name.text);
          grew = true;
        }
      }
    }
    // A variable tested by an `if` before the returns: the function may find out about the failure.
    if (body.statements.length > 0 && testedByIf(body, names, call)) continue;
    if (feeds(call, names)) calls.push(call);
  }
  return calls;
}

/** An identifier that refers to a variable, not the name of a property (`x.steps`, `{ steps: ... }`). */
function reference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) return false;
  return true;
}

/** An `if` condition after the call that reads one of the names and holds a return or throw. */
function testedByIf(body: ts.Block, names: Set<string>, call: ts.CallExpression): boolean {
  return contains(body, (node) => {
    if (node.pos < call.end || !ts.isIfStatement(node)) return false;
    if (!contains(node.expression, (inner) => ts.isIdentifier(inner) && names.has(inner.text) && reference(inner))) return false;
    return contains(node.thenStatement, (inner) => ts.isReturnStatement(inner) || ts.isThrowStatement(inner)) || (node.elseStatement !== undefined && contains(node.elseStatement, (inner) => ts.isReturnStatement(inner) || ts.isThrowStatement(inner)));
  });
}

/** The catch logs the error (above debug or info level) and does nothing else before its return. */
function logsThenReturns(block: ts.Block): boolean {
  const before = block.statements.slice(0, -1);
  if (!before.every((statement) => (ts.isExpressionStatement(statement) && isLogCall(statement.expression)) || (ts.isVariableStatement(statement) && !contains(statement, ts.isAwaitExpression)))) return false;
  return before.some((statement) => ts.isExpressionStatement(statement) && isLogCall(statement.expression) && !quietLog(statement.expression));
}

/** The helper's doc comment says it may fail without failing the caller ("best effort", "optional"). */
function functionDocSaysBestEffort(fn: ts.FunctionLikeDeclaration): boolean {
  const text = fn.getSourceFile().getFullText();
  const holder = ts.isVariableDeclaration(fn.parent) ? fn.parent.parent.parent : fn;
  const docs = (ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? []).map((range) => text.slice(range.pos, range.end)).join('\n');
  return BEST_EFFORT.test(docs);
}

/** `return await helper(...)` or `return helper(...)` in the activity: the project functions it returns the result of. */
function returnedHelpers(fn: ts.FunctionLikeDeclaration, model: TemporalModel): ts.FunctionLikeDeclaration[] {
  const helpers: ts.FunctionLikeDeclaration[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      let value = skipOuterExpressions(node.expression);
      if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
      if (ts.isCallExpression(value)) {
        const helper = functionOfDeclaration(model.declarationOf(value.expression));
        if (helper && helper !== fn && !helper.getSourceFile().isDeclarationFile && model.files.includes(helper.getSourceFile().fileName)) helpers.push(helper);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return helpers;
}

function catchesReturningValues(fn: ts.FunctionLikeDeclaration, model: TemporalModel, checker: ts.TypeChecker, fallbacks = false): ActivityReturnedFailure[] {
  const sites: ActivityReturnedFailure[] = [];
  const visit = (node: ts.Node, insideTry: boolean): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isTryStatement(node)) {
      const clause = node.catchClause;
      const site = clause && !insideTry ? (returnedFailure(node, clause, model, checker) ?? (fallbacks ? returnedFallback(node, clause, model, checker) : undefined)) : undefined;
      if (site) sites.push(site);
      visit(node.tryBlock, true);
      if (clause) visit(clause.block, insideTry);
      if (node.finallyBlock) visit(node.finallyBlock, insideTry);
      return;
    }
    ts.forEachChild(node, (child) => visit(child, insideTry));
  };
  if (fn.body) visit(fn.body, false);
  return sites;
}

/**
 * The catch ends in a return of a failure value, throws nothing, chooses nothing (no if, switch,
 * ?:, instanceof), is not commented as best effort, and its try awaits a call.
 */
function returnedFailure(statement: ts.TryStatement, clause: ts.CatchClause, model: TemporalModel, checker: ts.TypeChecker): ActivityReturnedFailure | undefined {
  const last = clause.block.statements.at(-1);
  if (!last || !ts.isReturnStatement(last)) return undefined;
  if (throws(clause.block) || commentedBestEffort(statement, clause)) return undefined;
  // A catch that chooses (`if (error instanceof ApiError) return { success: false, ... }`) is left
  // alone, unless every branch returns a failure marker and the catch awaits nothing: whatever it
  // tests, every error still ends as a returned failure.
  if (decides(clause, { returns: false }) && !(everyReturnIsMarker(clause.block) && !awaitsInCatch(clause.block))) return undefined;
  // A failure written into a returned variable counts only when the catch does no work of its own
  // (marking the record failed, emitting a failure event is handling it, if not retrying it).
  const value =
    failureValue(last.expression) ??
    (awaitsInCatch(clause.block) ? undefined : recordedFailure(last.expression, clause.block)) ??
    (onlyLogsBefore(clause.block) ? answerRepeated(last.expression, statement.tryBlock) : undefined);
  if (!value) return undefined;
  // A result that may also be an answer counts only as the other outcome of a try that returns
  // one, and not when the catch does work of its own (marks the record, compensates): then the
  // failure is handled, and `return;` or `false` is how the activity says so.
  if (!value.marker && (!(returnsValue(statement.tryBlock) || returnsAfter(statement)) || awaitsInCatch(clause.block))) return undefined;
  // The call named is one whose failure can reach this catch: not one that handles its own errors
  // (a nested try, a project function that returns `{ success: false }`), a dynamic import or a
  // Supabase call that returns `{ data, error }`. When none can, the catch guards no outage.
  // A failure value of such a call that the try turns into a throw of its own reaches the catch too.
  const call = throwingAwaitedCall(statement.tryBlock, model, checker) ?? convertedFailureCall(statement.tryBlock, model, checker);
  if (call) return { returned: last, call, ...value };
  // A failure marker of a try whose work is synchronous (`db.setAgent(id)` of a synchronous
  // database client, a file write): the failure is lost as much, when nothing reads the marker.
  const synchronous = value.marker && !awaitsInCatch(clause.block) ? synchronousWorkCall(statement.tryBlock) : undefined;
  return synchronous ? { returned: last, call: synchronous, ...value, synchronous: true } : undefined;
}

/**
 * A catch that takes every error of a call to a dependency (an HTTP request, a method of a client
 * of a remote service, or a project function that awaits one, two functions down), logs it above
 * debug or info level, does nothing else, and returns a stand-in for the answer the try returns:
 * a fallback object or a value built by a function (`buildFallbackPrompt(...)`), or any value
 * under a best-effort comment ("don't throw"). The catch chooses nothing, throws nothing and awaits
 * nothing; it does not return the error itself or nothing at all.
 */
function returnedFallback(statement: ts.TryStatement, clause: ts.CatchClause, model: TemporalModel, checker: ts.TypeChecker): ActivityReturnedFailure | undefined {
  const last = clause.block.statements.at(-1);
  if (!last || !ts.isReturnStatement(last) || !last.expression) return undefined;
  if (throws(clause.block) || awaitsInCatch(clause.block) || decides(clause, { returns: false }) || !logsThenReturns(clause.block)) return undefined;
  if (!(returnsValue(statement.tryBlock) || returnsAfter(statement))) return undefined;
  const value = skipOuterExpressions(last.expression);
  const errorName = clause.variableDeclaration && ts.isIdentifier(clause.variableDeclaration.name) ? clause.variableDeclaration.name.text : undefined;
  if (ts.isIdentifier(value) && (value.text === errorName || value.text === 'undefined')) return undefined;
  const meant = commentedBestEffort(statement, clause);
  const call = throwingAwaitedCall(statement.tryBlock, model, checker);
  if (!call || !reachesDependency(call.call, model, checker, 0)) return undefined;
  if (LET_GO_WORK.test(skipOuterExpressions(call.call.expression).getText())) return undefined;
  return { returned: last, call, valueText: shortText(value.getText().replace(/\s+/g, ' '), 60), marker: false, fallback: { meant } };
}

/** How many project functions down a fallback's call is followed to a call of a dependency. */
const DEPENDENCY_DEPTH = 2;

/** A network call, or a project function that awaits one (two functions down). */
function reachesDependency(call: ts.CallExpression, model: TemporalModel, checker: ts.TypeChecker, depth: number): boolean {
  if (isTransient(call, checker)) return true;
  if (depth >= DEPENDENCY_DEPTH) return false;
  const helper = functionOfDeclaration(model.declarationOf(skipOuterExpressions(call.expression)));
  if (!helper?.body || helper.getSourceFile().isDeclarationFile || !model.files.includes(helper.getSourceFile().fileName)) return false;
  return contains(helper.body, (node) => {
    if (!ts.isAwaitExpression(node) && !ts.isReturnStatement(node)) return false;
    const inner = node.expression && awaitedCall(node.expression);
    return inner !== undefined && reachesDependency(inner, model, checker, depth + 1);
  });
}

/** Whether some node of the block (not inside a nested function) matches. */
function contains(block: ts.Node, matches: (node: ts.Node) => boolean): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (matches(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

const returnsValue = (block: ts.Block): boolean => contains(block, (node) => ts.isReturnStatement(node) && node.expression !== undefined);

/** `try { ... } catch { ...; return false; } return true;`: the statement after the try returns the success value. */
function returnsAfter(statement: ts.TryStatement): boolean {
  const parent = statement.parent;
  if (!ts.isBlock(parent)) return false;
  const next = parent.statements[parent.statements.indexOf(statement) + 1];
  return next !== undefined && ts.isReturnStatement(next) && next.expression !== undefined;
}
/** Every return of the block (outside nested functions) returns a failure marker object or message. */
function everyReturnIsMarker(block: ts.Block): boolean {
  return !contains(block, (node) => ts.isReturnStatement(node) && failureValue(node.expression)?.marker !== true);
}
const awaitsInCatch = (block: ts.Block): boolean => contains(block, ts.isAwaitExpression);
const throws = (block: ts.Block): boolean => contains(block, ts.isThrowStatement);

/** A flag that says whether the step worked: `success`, `ok`, or a step's own (`registrationSuccess`, `publish_success`). */
export const FAILURE_FLAGS = /^(success|succeeded|ok|isSuccess|successful|[a-z]\w*(_success|Success))$/;
export const ERROR_KEYS = /^(error|errors|err|errorMessage|error_message|failure|failed|failureReason)$/;
export const FAILED_STATUS = /^(fail|failed|failure|error|errored)$/i;
/** The key of an object that tells the step's outcome by a value (`status: 'FAILED'`, `state: 'error'`). */
export const STATUS_KEYS = /^(status|state)$/;

/**
 * A failed status written in place: `'FAILED'`, `'error'`, or an enum member named so
 * (`ReviewStatus.FAILED`, `Status.Error`).
 */
export function failedStatus(value: ts.Node): boolean {
  const expression = skipOuterExpressions(value);
  if (ts.isStringLiteralLike(expression)) return FAILED_STATUS.test(expression.text);
  return ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression) && /^[A-Z]/.test(expression.expression.text) && FAILED_STATUS.test(expression.name.text);
}
/** A returned message that opens by saying the step failed (`Failed. ...`, `Error: ...`, `Could not ...`). */
const FAILURE_MESSAGE = /^\s*(failed|failure|error|could not|couldn't|unable to)\b/i;

/** `{ success: false, ... }`, `{ error: ... }`, `{ status: 'failed' }`: a marker; `false`, `[]`, `null`, `undefined`, `return;`: a result that may also be an answer. */
export function failureValue(expression: ts.Expression | undefined): { valueText: string; marker: boolean } | undefined {
  if (!expression) return { valueText: 'nothing (undefined)', marker: false };
  const value = skipOuterExpressions(expression);
  if (value.kind === ts.SyntaxKind.FalseKeyword) return { valueText: 'false', marker: false }; // also the answer of a yes/no question
  if (value.kind === ts.SyntaxKind.NullKeyword) return { valueText: 'null', marker: false };
  if (ts.isIdentifier(value) && value.text === 'undefined') return { valueText: 'undefined', marker: false };
  if (ts.isArrayLiteralExpression(value) && value.elements.length === 0) return { valueText: '[]', marker: false };
  // `'Failed. Could not complete action.'`, `` `Error: ${message}` ``: a message that says the step failed.
  const message = ts.isStringLiteralLike(value) ? value.text : ts.isTemplateExpression(value) ? value.head.text : undefined;
  if (message !== undefined && FAILURE_MESSAGE.test(message)) return { valueText: shortText(value.getText(), 50), marker: true };
  if (!ts.isObjectLiteralExpression(value)) return undefined;
  for (const property of value.properties) {
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
    const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    if (!name) continue;
    const initializer = ts.isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : undefined;
    const text = `{ ${name}: ${initializer ? shortText(initializer.getText(), 40) : name}, ... }`;
    if (FAILURE_FLAGS.test(name) && initializer?.kind === ts.SyntaxKind.FalseKeyword) return { valueText: text, marker: true };
    if (ERROR_KEYS.test(name) && !(initializer && (initializer.kind === ts.SyntaxKind.NullKeyword || initializer.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(initializer) && initializer.text === 'undefined')))) {
      return { valueText: text, marker: true };
    }
    if (STATUS_KEYS.test(name) && initializer && failedStatus(initializer)) return { valueText: text, marker: true };
  }
  return undefined;
}

/**
 * `result.errors.push(message); return result;`, `result.success = false; return result;`: the
 * catch writes the failure into the object it returns, a marker like a literal one.
 */
function recordedFailure(expression: ts.Expression | undefined, block: ts.Block): { valueText: string; marker: boolean } | undefined {
  const value = expression && skipOuterExpressions(expression);
  if (!value || !ts.isIdentifier(value)) return undefined;
  const name = value.text;
  let recorded: string | undefined;
  const visit = (node: ts.Node): void => {
    if (recorded || ts.isFunctionLike(node)) return;
    // `result.errors.push(...)`, `result.failures.push(...)`
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'push') {
      const list = node.expression.expression;
      if (ts.isPropertyAccessExpression(list) && ts.isIdentifier(list.expression) && list.expression.text === name && ERROR_KEYS.test(list.name.text)) recorded = `${name} (${list.name.text} recorded)`;
    }
    // `result.error = message`, `result.success = false`
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && ts.isIdentifier(node.left.expression) && node.left.expression.text === name) {
      const property = node.left.name.text;
      const assigned = skipOuterExpressions(node.right);
      if (ERROR_KEYS.test(property) && assigned.kind !== ts.SyntaxKind.NullKeyword && assigned.kind !== ts.SyntaxKind.FalseKeyword) recorded = `${name} (${property} set)`;
      else if (FAILURE_FLAGS.test(property) && assigned.kind === ts.SyntaxKind.FalseKeyword) recorded = `${name} (${property}: false)`;
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return recorded ? { valueText: recorded, marker: true } : undefined;
}

/**
 * `catch { return { exists: false } }` when the try returns that same object as its answer
 * (`if (rows.length === 0) return { exists: false }`): the failure is reported as the "not found"
 * answer, a result that may also be an answer.
 */
function answerRepeated(expression: ts.Expression | undefined, tryBlock: ts.Block): { valueText: string; marker: boolean } | undefined {
  const value = expression && skipOuterExpressions(expression);
  if (!value || !ts.isObjectLiteralExpression(value) || value.properties.length === 0) return undefined;
  // A constant answer (`{ exists: false, count: 0 }`): an object that carries what the catch
  // gathered (`{ issues, needsAttention: true }`) reports the failure.
  if (!value.properties.every((property) => ts.isPropertyAssignment(property) && constant(property.initializer))) return undefined;
  const text = value.getText().replace(/\s+/g, ' ');
  const repeated = contains(tryBlock, (node) => {
    if (!ts.isReturnStatement(node) || !node.expression) return false;
    const answer = skipOuterExpressions(node.expression);
    return ts.isObjectLiteralExpression(answer) && answer.getText().replace(/\s+/g, ' ') === text;
  });
  return repeated ? { valueText: shortText(value.getText().replace(/\s+/g, ' '), 50), marker: false } : undefined;
}

function constant(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  if (value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword || value.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isNumericLiteral(value) || ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return true;
  if (ts.isIdentifier(value)) return value.text === 'undefined';
  if (ts.isArrayLiteralExpression(value)) return value.elements.length === 0;
  if (ts.isObjectLiteralExpression(value)) return value.properties.length === 0;
  return false;
}

/** The catch only logs (and works out the message) before its final return. */
function onlyLogsBefore(block: ts.Block): boolean {
  return block.statements.slice(0, -1).every((statement) => (ts.isExpressionStatement(statement) && isLogCall(statement.expression)) || (ts.isVariableStatement(statement) && !contains(statement, ts.isAwaitExpression)));
}

/** Receivers of calls that fail only on a bug, never in an outage. */
const PURE_RECEIVERS = /^(JSON|Math|Object|Array|String|Number|Boolean|Date|Promise|Symbol|Reflect|BigInt|path|url|util|console|Buffer|crypto|process|URL|URLSearchParams|Intl|RegExp|Error)$/;
/** Methods of values (arrays, strings, maps, dates) that fail only on a bug. */
const PURE_METHODS = /^(map|filter|forEach|reduce|flatMap|find|findIndex|some|every|includes|indexOf|join|split|trim|slice|splice|concat|push|pop|shift|unshift|sort|reverse|keys|values|entries|has|get|set|add|delete|clear|toString|toISOString|toFixed|toLowerCase|toUpperCase|replace|replaceAll|match|test|startsWith|endsWith|padStart|padEnd|getTime|valueOf|at|fill|assign|freeze|stringify|parse)$/;

/**
 * The first synchronous call of the try that does work outside the function, a method of an
 * object (`db.setAgent(id)`, `fs.writeFileSync(...)`): not awaited, not a log, not a pure method
 * of the language (`JSON.stringify`, `items.map`), not in a nested try that handles it.
 */
function synchronousWorkCall(block: ts.Block): TransientCall | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || (node !== block && ts.isFunctionLike(node))) return;
    if (node !== block && ts.isTryStatement(node) && node.catchClause && !contains(node.catchClause.block, ts.isThrowStatement)) return;
    if (ts.isAwaitExpression(node)) return;
    if (ts.isCallExpression(node) && syncWork(node)) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return found ? { call: found, text: `${shortText(skipOuterExpressions(found.expression).getText(), 40)}(...)` } : undefined;
}

function syncWork(call: ts.CallExpression): boolean {
  if (call.expression.kind === ts.SyntaxKind.ImportKeyword || isLogCall(call)) return false;
  const callee = skipOuterExpressions(call.expression);
  // A plain function (`leadCount(ids)`) is as often pure computation as work: only a method of an
  // object (a client, a database handle) counts.
  if (!ts.isPropertyAccessExpression(callee) || PURE_METHODS.test(callee.name.text)) return false;
  let root: ts.Expression = callee.expression;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
  if (ts.isIdentifier(root) && PURE_RECEIVERS.test(root.text)) return false;
  return true;
}

function helperName(fn: ts.FunctionLikeDeclaration): string {
  const name = fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name)) ? fn.name.text : undefined;
  if (name) return name;
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return 'a helper';
}
