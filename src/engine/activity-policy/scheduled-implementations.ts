// What the retry checks that read an activity's catch blocks share: the implementations scheduled
// through some proxy (with those proxies' retry policies), and whether a catch block chooses
// between outcomes or treats every error the same.

import ts from 'typescript';
import { proxyReviews, type ProxyReview } from './proxy-review.js';
import type { ActivityImplementation, TemporalModel } from '../../model/typescript/types.js';

/** Each activity implementation scheduled through some proxy, with the reviews of those proxies. */
export function implementationsWithProxies(model: TemporalModel): Map<ActivityImplementation, ProxyReview[]> {
  const byImplementation = new Map<ActivityImplementation, ProxyReview[]>();
  for (const review of proxyReviews(model)) {
    if (review.proxy.kind !== 'remote') continue;
    for (const use of review.uses) {
      for (const implementation of use.implementations as ActivityImplementation[]) {
        const reviews = byImplementation.get(implementation) ?? [];
        if (!reviews.includes(review)) reviews.push(review);
        byImplementation.set(implementation, reviews);
      }
    }
  }
  return byImplementation;
}

/** maximumAttempts the server applies (0 = unlimited), or undefined when the policy is not read. */
export function attemptsOf(review: ProxyReview): number | undefined {
  return review.retry.known ? review.retry.policy.maximumAttempts : undefined;
}

export function describeAttempts(attempts: (number | undefined)[]): string {
  const texts = [...new Set(attempts.filter((a) => a !== 1).map((a) => (a === undefined ? 'the attempts of its retry policy' : a === 0 ? 'unlimited attempts (no maximumAttempts)' : `maximumAttempts: ${a}`)))];
  return texts.join(' or ');
}

/**
 * The catch block chooses between outcomes: it looks at the error (or anything) before it ends,
 * and with `returns`, a return counts as a choice too. Passing a Temporal failure through
 * unchanged (`if (e instanceof ApplicationFailure) throw e;`) chooses nothing about the other
 * errors, which all still end the same way.
 */
export function decides(clause: ts.CatchClause, options: { returns: boolean }): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isTemporalPassThrough(node, clause)) return;
    // `e instanceof Error ? e.message : String(e)` only reads the message: no choice about the failure.
    if (ts.isConditionalExpression(node) && testsPlainError(node.condition)) {
      visit(node.whenTrue);
      visit(node.whenFalse);
      return;
    }
    if (ts.isIfStatement(node) || ts.isSwitchStatement(node) || ts.isConditionalExpression(node) || (options.returns && ts.isReturnStatement(node))) found = true;
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(clause.block);
  return found;
}

/** `x instanceof Error`: the test that picks a message out of an unknown thrown value. */
function testsPlainError(condition: ts.Expression): boolean {
  let test = condition;
  while (ts.isParenthesizedExpression(test)) test = test.expression;
  return ts.isBinaryExpression(test) && test.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && ts.isIdentifier(test.right) && test.right.text === 'Error';
}

const TEMPORAL_FAILURES = new Set(['ApplicationFailure', 'TemporalFailure', 'ActivityFailure', 'CancelledFailure']);

/** `if (e instanceof ApplicationFailure) throw e;` (or `{ throw e; }`), with no else. */
function isTemporalPassThrough(node: ts.Node, clause: ts.CatchClause): boolean {
  const variable = clause.variableDeclaration?.name;
  if (!ts.isIfStatement(node) || node.elseStatement || !variable || !ts.isIdentifier(variable)) return false;
  const condition = node.expression;
  const testsFailure =
    ts.isBinaryExpression(condition) &&
    condition.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
    ts.isIdentifier(condition.left) &&
    condition.left.text === variable.text &&
    ts.isIdentifier(condition.right) &&
    TEMPORAL_FAILURES.has(condition.right.text);
  const then = ts.isBlock(node.thenStatement) && node.thenStatement.statements.length === 1 ? node.thenStatement.statements[0]! : node.thenStatement;
  return testsFailure && ts.isThrowStatement(then) && ts.isIdentifier(then.expression) && then.expression.text === variable.text;
}

