// Error handling whose default is non-retryable: a block that handles an activity's failure (a
// `catch (err)`, or an `if (error) { ... }` on the error a database or HTTP client returned) ends
// by throwing a non-retryable ApplicationFailure for everything it did not recognise. Two shapes:
//
// - an allow-list: `if (isRetryable(err)) throw ApplicationFailure.retryable(...)` (or `throw err`)
//   and then `throw ApplicationFailure.nonRetryable(...)`, where the recognition names no
//   connection-level failure (ECONNRESET, ETIMEDOUT, fetch failed, a 5xx): a dropped connection or
//   a gateway error that matches none of its codes or messages fails the activity for good;
// - an ignored verdict: the block asks the project's classifier (`{ type, retryable }`) about the
//   error, never reads its `retryable`, and throws non-retryable anyway.

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { locate } from './locate.js';
import { skipOuterExpressions } from './temporal-api.js';
import { firstTransientCall, type TransientCall } from './transient-calls.js';
import type { ActivityImplementation, SourceLocation, TemporalModel } from './types.js';

export interface NonRetryableDefault {
  kind: 'allow-list' | 'verdict-ignored';
  /** The throw that ends the block: what every unrecognised error becomes. */
  defaultThrow: SourceLocation;
  /** The `if` that recognises the retryable errors (allow-list), or the classifier call (verdict-ignored). */
  decision: SourceLocation;
  /** The project function that recognises or classifies, when the decision calls one. */
  recogniser?: { name: string; node: ts.FunctionLikeDeclaration; location: SourceLocation };
  /** The network or database call whose failures the block handles, when one is found. */
  guarded?: { location: SourceLocation; text: string };
  /** The recognition names some transient failures (a connection SQLSTATE, 'timeout', 'network'): the handled call is remote. */
  transientIntent: boolean;
  /** The function of the project that holds the handling, when it is not the activity itself. */
  enclosing?: string;
  /** `catch` or `error-result` (an `if (error)` on a returned error). */
  source: 'catch' | 'error-result';
}

/**
 * Connection-level failures: a recognition that names one of these treats transport errors as
 * retryable, and its non-retryable default is a deliberate choice for the rest.
 */
const TRANSPORT_MARKER =
  /ECONNRESET|ECONNREFUSED|ECONNABORTED|ETIMEDOUT|ESOCKETTIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|ENETUNREACH|EHOSTUNREACH|UND_ERR|fetch failed|socket hang up|FetchError|HttpRequestError|5\\d\\d|5xx|\b50[0-4]\b/i;

/** A library helper that decides transience by itself (`isNetworkError(e)`): its coverage is not read. */
const LIBRARY_TRANSIENCE_HELPER = /network|transient|retry|retriable|connection|timeout/i;

/** The handling blocks of an activity (and of project functions it calls directly) that default to non-retryable. */
export function nonRetryableDefaultsOf(implementation: ActivityImplementation, model: TemporalModel): NonRetryableDefault[] {
  const found = new Map<string, NonRetryableDefault>();
  const checker = model.checkerFor(implementation.file);
  if (!checker) return [];
  const helpers = new Set<ts.FunctionLikeDeclaration>();
  const visit = (node: ts.Node, collectHelpers: boolean): void => {
    if (ts.isCallExpression(node) && collectHelpers) {
      const helper = projectFunction(node.expression, model);
      if (helper && helper !== implementation.node) helpers.add(helper);
    }
    if (ts.isCatchClause(node) && node.variableDeclaration && ts.isIdentifier(node.variableDeclaration.name)) {
      const tryStatement = node.parent;
      const names = [node.variableDeclaration.name.text, ...aliasesOf(node.block, node.variableDeclaration.name.text)];
      const site = names.map((name) => analyseBlock(node.block, name, model, checker)).find((found) => found !== undefined);
      if (site) {
        const guarded = transientReach(tryStatement.tryBlock, model, checker);
        add({ ...site, source: 'catch', ...(guarded ? { guarded } : {}) });
      }
    }
    if (ts.isIfStatement(node) && !node.elseStatement && ts.isBlock(node.thenStatement)) {
      const tested = skipOuterExpressions(node.expression) as ts.Expression;
      const name = lastName(tested);
      if (name && /err/i.test(name)) {
        const site = analyseBlock(node.thenStatement, tested.getText(), model, checker);
        if (site) {
          const guarded = resultProducer(tested, model, checker);
          add({ ...site, source: 'error-result', ...(guarded ? { guarded } : {}) });
        }
      }
    }
    ts.forEachChild(node, (child) => visit(child, collectHelpers));
  };
  let current: ts.FunctionLikeDeclaration = implementation.node;
  const add = (site: NonRetryableDefault): void => {
    const key = `${site.defaultThrow.file}:${site.defaultThrow.line}:${site.defaultThrow.column}`;
    const enclosing = current === implementation.node ? undefined : nameOf(current);
    if (!found.has(key)) found.set(key, { ...site, ...(enclosing && enclosing !== 'the classifier' ? { enclosing } : {}) });
  };
  // The activity, then the project functions it calls, and those they call (an activity that
  // only forwards to a module function reaches its handling two calls down).
  visit(implementation.node, true);
  const read = new Set<ts.FunctionLikeDeclaration>([implementation.node]);
  for (let depth = 0; depth < 2; depth++) {
    const level = [...helpers].filter((helper) => !read.has(helper));
    helpers.clear();
    for (const helper of level) {
      read.add(helper);
      current = helper;
      visit(helper, depth === 0);
    }
  }
  return [...found.values()];
}

/** `const error = err as SomeError` at the top of a catch block: the same error under another name. */
function aliasesOf(block: ts.Block, name: string): string[] {
  const aliases: string[] = [];
  for (const statement of block.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const value = declaration.initializer && skipOuterExpressions(declaration.initializer);
      if (ts.isIdentifier(declaration.name) && value && ts.isIdentifier(value) && value.text === name) aliases.push(declaration.name.text);
    }
  }
  return aliases;
}

/** Where the non-retryable failure is built: the throw, or the `const failure = ApplicationFailure.nonRetryable(...)` it throws. */
function constructionOf(statement: ts.ThrowStatement, block: ts.Block): ts.Node {
  const thrown = skipOuterExpressions(statement.expression);
  if (!ts.isIdentifier(thrown)) return statement;
  for (const candidate of block.statements) {
    if (!ts.isVariableStatement(candidate)) continue;
    for (const declaration of candidate.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === thrown.text && declaration.initializer) return candidate;
    }
  }
  return statement;
}

type Site = Omit<NonRetryableDefault, 'source' | 'guarded'>;

/** The block ends with a non-retryable throw, after an allow-list or an ignored classifier verdict. */
function analyseBlock(block: ts.Block, errorText: string, model: TemporalModel, checker: ts.TypeChecker): Site | undefined {
  const last = block.statements[block.statements.length - 1];
  if (!last || !ts.isThrowStatement(last) || !isNonRetryableFailure(last.expression, block)) return undefined;
  const earlier = block.statements.slice(0, -1);
  // Allow-list: an `if` on the error whose branch throws it as retryable.
  const recognitions = earlier.filter(
    (statement): statement is ts.IfStatement =>
      ts.isIfStatement(statement) && !isTemporalPassThrough(statement, errorText) && mentions(statement.expression, errorText) && throwsRetryable(statement.thenStatement, errorText),
  );
  if (recognitions.length > 0) {
    if (recognitions.some((statement) => recognisesTransport(statement.expression, model))) return undefined;
    const first = recognitions[0]!;
    const recogniser = recogniserIn(first.expression, errorText, model);
    return {
      kind: 'allow-list',
      defaultThrow: locate(constructionOf(last, block)),
      decision: locate(first),
      ...(recogniser ? { recogniser } : {}),
      transientIntent: recognitions.some((statement) => namesTransientFailure(statement.expression, model)),
    };
  }
  // Ignored verdict: `const c = classify(err)`, `c.retryable` never read, non-retryable throw.
  if (earlier.some((statement) => !(ts.isIfStatement(statement) && isTemporalPassThrough(statement, errorText)) && hasRetryableBranch(statement, errorText))) return undefined;
  for (const statement of earlier) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
      const call = skipOuterExpressions(declaration.initializer);
      if (!ts.isCallExpression(call) || !call.arguments.some((argument) => mentions(argument, errorText))) continue;
      const classifier = projectFunction(call.expression, model);
      if (!classifier) continue;
      const verdicts = verdictsOf(classifier);
      if (!verdicts.retryable || !verdicts.nonRetryable) continue;
      if (verdictRead(block, declaration.name.text, checker)) continue;
      return {
        kind: 'verdict-ignored',
        transientIntent: false,
        defaultThrow: locate(constructionOf(last, block)),
        decision: locate(call),
        recogniser: { name: nameOf(classifier), node: classifier, location: locate(classifier) },
      };
    }
  }
  return undefined;
}

/** `ApplicationFailure.nonRetryable(...)`, `create({ nonRetryable: true })`, `new ApplicationFailure(m, t, true)`, or a const of the block holding one. */
function isNonRetryableFailure(expression: ts.Expression, block: ts.Block): boolean {
  const inner = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isIdentifier(inner)) {
    for (const statement of block.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === inner.text && declaration.initializer) {
          return failureVerdict(declaration.initializer) === false;
        }
      }
    }
    return false;
  }
  return failureVerdict(inner) === false;
}

/** true: a retryable ApplicationFailure; false: a non-retryable one; undefined: not a failure built here. */
function failureVerdict(expression: ts.Expression): boolean | undefined {
  const inner = skipOuterExpressions(expression);
  if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && ts.isIdentifier(inner.expression.expression) && inner.expression.expression.text === 'ApplicationFailure') {
    const method = inner.expression.name.text;
    if (method === 'nonRetryable') return false;
    if (method === 'retryable') return true;
    if (method === 'create' || method === 'fromError') {
      const options = inner.arguments[method === 'create' ? 0 : 1];
      const flag = options && ts.isObjectLiteralExpression(options) ? booleanProperty(options, 'nonRetryable') : undefined;
      if (flag === undefined && options && ts.isObjectLiteralExpression(options) && options.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'nonRetryable')) return undefined;
      return flag === undefined ? true : !flag;
    }
    return undefined;
  }
  if (ts.isNewExpression(inner) && ts.isIdentifier(inner.expression) && inner.expression.text === 'ApplicationFailure') {
    const flag = inner.arguments?.[2];
    if (!flag || flag.kind === ts.SyntaxKind.FalseKeyword) return true;
    if (flag.kind === ts.SyntaxKind.TrueKeyword) return false;
  }
  return undefined;
}

function booleanProperty(object: ts.ObjectLiteralExpression, name: string): boolean | undefined {
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name) || property.name.text !== name) continue;
    if (property.initializer.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (property.initializer.kind === ts.SyntaxKind.FalseKeyword) return false;
  }
  return undefined;
}

/** The branch throws a retryable ApplicationFailure, or the error itself unchanged. */
function throwsRetryable(branch: ts.Statement, errorText: string): boolean {
  const statements = ts.isBlock(branch) ? branch.statements : ts.factory.createNodeArray([branch]);
  const last = statements[statements.length - 1];
  if (!last || !ts.isThrowStatement(last)) return false;
  const thrown = skipOuterExpressions(last.expression) as ts.Expression;
  if (thrown.getText() === errorText) return true;
  if (failureVerdict(thrown) === true) return true;
  if (ts.isIdentifier(thrown) && ts.isBlock(branch)) {
    for (const statement of branch.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === thrown.text && declaration.initializer) return failureVerdict(declaration.initializer) === true;
      }
    }
  }
  return false;
}

/** Some statement (or branch inside it) throws retryable: the block does decide by itself. */
function hasRetryableBranch(statement: ts.Statement, errorText: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isIfStatement(node) && (throwsRetryable(node.thenStatement, errorText) || (node.elseStatement && throwsRetryable(node.elseStatement, errorText)))) found = true;
    else if (ts.isThrowStatement(node) && (skipOuterExpressions(node.expression).getText() === errorText || failureVerdict(node.expression) === true)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

const TEMPORAL_FAILURES = new Set(['ApplicationFailure', 'TemporalFailure', 'ActivityFailure', 'CancelledFailure']);

/** `if (err instanceof ApplicationFailure) throw err;`: passes Temporal failures on, recognises nothing. */
function isTemporalPassThrough(statement: ts.IfStatement, errorText: string): boolean {
  const condition = skipOuterExpressions(statement.expression);
  return (
    ts.isBinaryExpression(condition) &&
    condition.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
    condition.left.getText() === errorText &&
    ts.isIdentifier(condition.right) &&
    TEMPORAL_FAILURES.has(condition.right.text)
  );
}

/** Words and codes of transient failures in the recognition or the functions it calls (one level). */
const TRANSIENT_INTENT = /\b08[0-9A-Z]{3}\b|\b57P0[1-3]\b|\b40001\b|\b40P01\b|connection|network|timeout|timed out|unavailable|rate.?limit|throttl|deadlock|too many/i;

function namesTransientFailure(condition: ts.Expression, model: TemporalModel): boolean {
  let found = false;
  const visit = (node: ts.Node, depth: number): void => {
    if (found) return;
    if (ts.isStringLiteralLike(node) && TRANSIENT_INTENT.test(node.text)) {
      found = true;
      return;
    }
    if (ts.isCallExpression(node) && depth < 1) {
      const fn = projectFunction(node.expression, model);
      if (fn?.body) visit(fn.body, depth + 1);
    }
    ts.forEachChild(node, (child) => visit(child, depth));
  };
  visit(condition, 0);
  return found;
}

/** The expression uses the error (the catch variable, or the tested `result.error`). */
function mentions(node: ts.Node, errorText: string): boolean {
  let found = false;
  const visit = (inner: ts.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) && inner.getText() === errorText) found = true;
    else ts.forEachChild(inner, visit);
  };
  visit(node);
  return found;
}

/** The project function the recognising condition calls with the error, if any. */
function recogniserIn(condition: ts.Expression, errorText: string, model: TemporalModel): NonRetryableDefault['recogniser'] {
  let found: NonRetryableDefault['recogniser'];
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && node.arguments.some((argument) => mentions(argument, errorText))) {
      const fn = projectFunction(node.expression, model);
      if (fn) {
        found = { name: nameOf(fn), node: fn, location: locate(fn) };
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/**
 * The recognition names a connection-level failure: in the condition itself, or in the project
 * functions it calls (and those they call, two levels). A library helper with a transience name
 * counts as recognising (its list is not read).
 */
function recognisesTransport(condition: ts.Expression, model: TemporalModel): boolean {
  const seen = new Set<ts.Node>();
  const read = (node: ts.Node, depth: number): boolean => {
    let found = false;
    const visit = (inner: ts.Node): void => {
      if (found) return;
      if ((ts.isStringLiteralLike(inner) || ts.isRegularExpressionLiteral(inner) || ts.isNumericLiteral(inner)) && TRANSPORT_MARKER.test(inner.getText())) {
        found = true;
        return;
      }
      if (ts.isCallExpression(inner)) {
        const fn = projectFunction(inner.expression, model);
        if (fn && depth < 2 && !seen.has(fn)) {
          seen.add(fn);
          if (fn.body && read(fn.body, depth + 1)) {
            found = true;
            return;
          }
        } else if (!fn && isLibraryCall(inner, model)) {
          const name = lastName(skipOuterExpressions(inner.expression));
          if (name && LIBRARY_TRANSIENCE_HELPER.test(name)) {
            found = true;
            return;
          }
        }
      }
      ts.forEachChild(inner, visit);
    };
    visit(node);
    return found;
  };
  return read(condition, 0);
}

/** A call of a function outside the reviewed code (a package's, or one the checker cannot resolve). */
function isLibraryCall(call: ts.CallExpression, model: TemporalModel): boolean {
  const declaration = model.declarationOf(skipOuterExpressions(call.expression));
  if (!declaration) return true;
  const file = declaration.getSourceFile();
  return file.isDeclarationFile || file.fileName.includes('/node_modules/');
}

/** The classifier's object-literal returns: does it say retryable for some errors and not for others? */
export function verdictsOf(fn: ts.FunctionLikeDeclaration): { retryable: boolean; nonRetryable: boolean } {
  const verdicts = { retryable: false, nonRetryable: false };
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const object = skipOuterExpressions(node.expression);
      if (ts.isObjectLiteralExpression(object)) {
        const retryable = booleanProperty(object, 'retryable');
        const nonRetryable = booleanProperty(object, 'nonRetryable');
        const verdict = retryable ?? (nonRetryable === undefined ? undefined : !nonRetryable);
        if (verdict === true) verdicts.retryable = true;
        if (verdict === false) verdicts.nonRetryable = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return verdicts;
}

/** The block reads the verdict: `c.retryable`, `c.nonRetryable`, or passes `c` on whole (a spread, an argument). */
function verdictRead(block: ts.Block, name: string, checker: ts.TypeChecker): boolean {
  void checker;
  let read = false;
  const visit = (node: ts.Node): void => {
    if (read) return;
    if (ts.isIdentifier(node) && node.text === name && !(ts.isVariableDeclaration(node.parent) && node.parent.name === node)) {
      const parent = node.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
        if (/retry|retriable/i.test(parent.name.text)) read = true;
      } else read = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return read;
}

/** The first network call in the node, directly or in a project function it calls (one level). */
function transientReach(node: ts.Node, model: TemporalModel, checker: ts.TypeChecker): { location: SourceLocation; text: string } | undefined {
  const direct = firstTransientCall(node, checker);
  if (direct) return described(direct);
  let found: { location: SourceLocation; text: string } | undefined;
  const visit = (inner: ts.Node): void => {
    if (found || (inner !== node && ts.isFunctionLike(inner))) return;
    if (ts.isCallExpression(inner)) {
      const fn = projectFunction(inner.expression, model);
      const fnChecker = fn && model.checkerFor(fn.getSourceFile().fileName);
      const call = fn?.body && fnChecker ? firstTransientCall(fn.body, fnChecker) : undefined;
      if (call) {
        found = described(call);
        return;
      }
    }
    ts.forEachChild(inner, visit);
  };
  visit(node);
  return found;
}

/** For `if (error)`: the awaited call whose result holds the tested error (`const { error } = await db.from(...)`). */
function resultProducer(tested: ts.Expression, model: TemporalModel, checker: ts.TypeChecker): { location: SourceLocation; text: string } | undefined {
  let root: ts.Expression = tested;
  while (ts.isPropertyAccessExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return undefined;
  let declaration: ts.Node | undefined = checker.getSymbolAtLocation(root)?.valueDeclaration;
  while (declaration && (ts.isBindingElement(declaration) || ts.isObjectBindingPattern(declaration) || ts.isArrayBindingPattern(declaration))) declaration = declaration.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  return transientReach(declaration.initializer, model, checker);
}

function described(call: TransientCall): { location: SourceLocation; text: string } {
  return { location: locate(call.call), text: call.text };
}

function projectFunction(callee: ts.Expression, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  const fn = functionOfDeclaration(model.declarationOf(skipOuterExpressions(callee)));
  return fn?.body && model.files.includes(fn.getSourceFile().fileName) ? fn : undefined;
}

function lastName(expression: ts.Node): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

function nameOf(fn: ts.FunctionLikeDeclaration): string {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  if (ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return 'the classifier';
}
