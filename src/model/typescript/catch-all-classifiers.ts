// Error classifiers whose default branch calls every unrecognised error retryable: an activity's
// `catch (err)` hands the error to a function of the project that returns `{ type, retryable }`
// (or `nonRetryable`) after matching known failures, and whose last statement returns one fixed
// type marked retryable. The catch then throws an ApplicationFailure built from it, so a
// programming error (a TypeError) is retried like an outage.

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { ActivityImplementation, SourceLocation, TemporalModel } from './types.js';

export interface CatchAllClassifier {
  /** The classifier function's name. */
  name: string;
  /** The default `return { type: 'TransientError', retryable: true }`. */
  defaultReturn: SourceLocation;
  /** The fixed type of the default branch. */
  type: string;
  /** Where the activity calls it from its catch. */
  call: SourceLocation;
}

/**
 * The catch-all classifiers that the catch clauses of an activity, or of a function of the project
 * it calls directly (a shared `runAgent(...)` wrapper), call with the caught error.
 */
export function catchAllClassifiersOf(implementation: ActivityImplementation, model: TemporalModel): CatchAllClassifier[] {
  const found: CatchAllClassifier[] = [];
  const helpers = new Set<ts.FunctionLikeDeclaration>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const helper = functionOfDeclaration(model.declarationOf(skipOuterExpressions(node.expression)));
      if (helper?.body && helper !== implementation.node && model.files.includes(helper.getSourceFile().fileName)) helpers.add(helper);
    }
    if (ts.isCatchClause(node) && node.variableDeclaration && ts.isIdentifier(node.variableDeclaration.name) && throwsApplicationFailure(node.block)) {
      const caught = node.variableDeclaration.name.text;
      const inspect = (inner: ts.Node): void => {
        if (ts.isCallExpression(inner) && inner.arguments.some((argument) => ts.isIdentifier(argument) && argument.text === caught)) {
          const classifier = functionOfDeclaration(model.declarationOf(skipOuterExpressions(inner.expression)));
          const fallback = classifier && model.files.includes(classifier.getSourceFile().fileName) ? retryableDefault(classifier) : undefined;
          if (classifier && fallback) {
            found.push({ name: nameOf(classifier), defaultReturn: model.locate(fallback.statement), type: fallback.type, call: model.locate(inner) });
          }
        }
        ts.forEachChild(inner, inspect);
      };
      inspect(node.block);
    }
    ts.forEachChild(node, visit);
  };
  visit(implementation.node);
  const direct = [...helpers];
  helpers.clear();
  for (const helper of direct) visit(helper);
  const unique = new Map(found.map((classifier) => [`${classifier.call.file}:${classifier.call.line}:${classifier.call.column}`, classifier]));
  return [...unique.values()];
}

/** `ApplicationFailure.create(...)`, `ApplicationFailure.retryable(...)` or `new ApplicationFailure(...)` in the block. */
function throwsApplicationFailure(block: ts.Block): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'ApplicationFailure') {
      found = ['create', 'retryable', 'fromError'].includes(node.expression.name.text);
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'ApplicationFailure') found = true;
    if (!found) ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

/**
 * The classifier's default: its body's last statement returns `{ type: '<literal>', retryable: true }`
 * (or `nonRetryable: false`), and some earlier return of its own marks a failure not retryable, so
 * it does classify and everything it does not recognise ends in that one retryable type.
 */
function retryableDefault(fn: ts.FunctionLikeDeclaration): { statement: ts.ReturnStatement; type: string } | undefined {
  if (!fn.body || !ts.isBlock(fn.body)) return undefined;
  const last = fn.body.statements[fn.body.statements.length - 1];
  if (!last || !ts.isReturnStatement(last) || !last.expression) return undefined;
  const verdict = retryVerdict(last.expression);
  if (!verdict || !verdict.retryable || verdict.type === undefined) return undefined;
  let classifies = false;
  const visit = (node: ts.Node): void => {
    if (classifies || (node !== fn && ts.isFunctionLike(node))) return;
    if (ts.isReturnStatement(node) && node !== last && node.expression && retryVerdict(node.expression)?.retryable === false) classifies = true;
    else ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return classifies ? { statement: last, type: verdict.type } : undefined;
}

function retryVerdict(expression: ts.Expression): { type?: string; retryable: boolean } | undefined {
  const object = skipOuterExpressions(expression);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  let retryable: boolean | undefined;
  let type: string | undefined;
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
    const value = property.initializer;
    const flag = value.kind === ts.SyntaxKind.TrueKeyword ? true : value.kind === ts.SyntaxKind.FalseKeyword ? false : undefined;
    if (property.name.text === 'retryable' && flag !== undefined) retryable = flag;
    if (property.name.text === 'nonRetryable' && flag !== undefined) retryable = !flag;
    if (property.name.text === 'type' && (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value))) type = value.text;
  }
  return retryable === undefined ? undefined : { ...(type !== undefined ? { type } : {}), retryable };
}

function nameOf(fn: ts.FunctionLikeDeclaration): string {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return 'the classifier';
}
