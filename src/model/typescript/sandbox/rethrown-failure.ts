// When a rethrown caught error is known to be a Temporal failure. A failed activity rejects with
// an ActivityFailure (the SDK's failure converter builds it from the server's failure), and
// ActivityFailure, ChildWorkflowFailure and CancelledFailure extend TemporalFailure: rethrown from
// the workflow they fail (or cancel) the workflow, not the workflow task
// (@temporalio/workflow internals: handleWorkflowFailure checks `instanceof TemporalFailure`).
// So `try { await charge() } catch (err) { log.warn(...); throw err; }` is not a plain error, and
// neither is `if (isCancellation(err)) throw err` or `if (err instanceof ApplicationFailure) throw err`.

import ts from 'typescript';
import { activityTypeCalled } from '../activity-calls.js';
import type { TemporalModel } from '../types.js';
import { TEMPORAL_FAILURE_CLASSES, type ThrownValue } from './thrown-value.js';

const LOGGERS = new Set(['log', 'logger', 'console']);
const CANCELLATION_TESTS = new Set(['isCancellation']);

export function rethrownTemporalFailure(statement: ts.ThrowStatement, model: TemporalModel): ThrownValue | undefined {
  const thrown = errorOrWrapped(statement.expression) ?? skipParentheses(statement.expression);
  if (!ts.isIdentifier(thrown)) return undefined;
  const clause = catchClauseBinding(statement, thrown.text);
  if (!clause) return undefined;
  const guard = guardingFailureTest(statement, clause, thrown.text, model);
  if (guard) return { kind: 'failure', typeNames: [guard] };
  const tryStatement = clause.parent;
  if (!ts.isTryStatement(tryStatement)) return undefined;
  return onlyTemporalCalls(tryStatement.tryBlock, model) ? { kind: 'failure', typeNames: ['ActivityFailure', 'TemporalFailure', 'Error'] } : undefined;
}

/**
 * `err instanceof Error ? err : new Error(String(err))` (either way round): the caught value itself
 * whenever it is an Error, which is all a failed activity, child or timer rejects with; the new
 * Error only wraps a thrown string or object. Returns the caught identifier, else undefined.
 */
export function errorOrWrapped(expression: ts.Expression): ts.Identifier | undefined {
  const inner = skipParentheses(expression);
  if (!ts.isConditionalExpression(inner)) return undefined;
  let condition = skipParentheses(inner.condition);
  let negated = false;
  if (ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken) {
    negated = true;
    condition = skipParentheses(condition.operand);
  }
  if (!ts.isBinaryExpression(condition) || condition.operatorToken.kind !== ts.SyntaxKind.InstanceOfKeyword) return undefined;
  const tested = skipParentheses(condition.left);
  if (!ts.isIdentifier(tested) || !ts.isIdentifier(condition.right) || condition.right.text !== 'Error') return undefined;
  const kept = skipParentheses(negated ? inner.whenFalse : inner.whenTrue);
  const wrapped = skipParentheses(negated ? inner.whenTrue : inner.whenFalse);
  if (!ts.isIdentifier(kept) || kept.text !== tested.text || !ts.isNewExpression(wrapped)) return undefined;
  if (!ts.isIdentifier(wrapped.expression) || wrapped.expression.text !== 'Error') return undefined;
  return catchClauseBinding(inner, tested.text) ? tested : undefined;
}

/**
 * `throw lastError ?? new Error('...')` (or `throw lastError`) where `lastError` is a local
 * variable that starts empty and is assigned only the error caught around activity or child
 * workflow calls (`try { await send(); return; } catch (err) { lastError = err; }` in a retry
 * loop): what it holds is an ActivityFailure (or ChildWorkflowFailure), a TemporalFailure that
 * fails the workflow. The `?? new Error()` fallback runs only when no call failed, which is the
 * loop not running at all: that is not reported (docs/checks/workflow-throws-plain-error.md).
 */
export function rethrownCaughtVariable(statement: ts.ThrowStatement, model: TemporalModel): ThrownValue | undefined {
  let thrown = skipParentheses(statement.expression);
  if (ts.isBinaryExpression(thrown) && (thrown.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || thrown.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    thrown = skipParentheses(thrown.left);
  }
  if (!ts.isIdentifier(thrown)) return undefined;
  const checker = model.checkerFor(statement.getSourceFile().fileName);
  const symbol = checker?.getSymbolAtLocation(thrown);
  const declaration = symbol?.valueDeclaration;
  if (!checker || !symbol || !declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  if (!ts.isVariableDeclarationList(declaration.parent) || (declaration.parent.flags & ts.NodeFlags.Let) === 0) return undefined;
  if (declaration.initializer && !isEmptyValue(declaration.initializer)) return undefined;
  let scope: ts.Node | undefined = declaration.parent;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!scope) return undefined;
  let caught = 0;
  let other = false;
  const visit = (node: ts.Node): void => {
    if (other) return;
    if (ts.isIdentifier(node) && node !== declaration.name && checker.getSymbolAtLocation(node) === symbol) {
      const write = writeOf(node);
      if (write === 'other') other = true;
      else if (write) {
        if (isEmptyValue(write)) return;
        const value = skipParentheses(write);
        const clause = ts.isIdentifier(value) ? catchClauseBinding(node, value.text) : undefined;
        if (clause && ts.isTryStatement(clause.parent) && onlyTemporalCalls(clause.parent.tryBlock, model)) caught++;
        else other = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return caught > 0 && !other ? { kind: 'failure', typeNames: ['ActivityFailure', 'TemporalFailure', 'Error'] } : undefined;
}

/** The value written when the identifier is the target of `x = value`; 'other' for any other write (`x ??= v`, destructuring, `x++`). */
function writeOf(id: ts.Identifier): ts.Expression | 'other' | undefined {
  const parent = id.parent;
  if (ts.isBinaryExpression(parent) && parent.left === id) {
    if (parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return parent.right;
    if (parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return 'other';
  }
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) {
    return 'other';
  }
  if (ts.isShorthandPropertyAssignment(parent) || ts.isArrayLiteralExpression(parent)) {
    // `({ x } = value)` / `[x] = value`: a destructuring write.
    let outer: ts.Node = parent;
    while (ts.isObjectLiteralExpression(outer.parent) || ts.isArrayLiteralExpression(outer.parent) || ts.isPropertyAssignment(outer.parent)) outer = outer.parent;
    if (ts.isBinaryExpression(outer.parent) && outer.parent.left === outer && outer.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return 'other';
  }
  return undefined;
}

/** `undefined`, `null` or no value: the variable starts empty. */
function isEmptyValue(expression: ts.Expression): boolean {
  const inner = skipParentheses(expression);
  return inner.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(inner) && inner.text === 'undefined') || ts.isVoidExpression(inner);
}

/** The catch clause, enclosing the throw, that binds `name`. */
function catchClauseBinding(node: ts.Node, name: string): ts.CatchClause | undefined {
  for (let current: ts.Node | undefined = node.parent; current && !ts.isFunctionLike(current); current = current.parent) {
    if (ts.isCatchClause(current)) {
      const binding = current.variableDeclaration?.name;
      return binding && ts.isIdentifier(binding) && binding.text === name ? current : undefined;
    }
  }
  return undefined;
}

/** `if (isCancellation(err)) throw err` or `if (err instanceof ApplicationFailure) throw err`: the failure class tested. */
function guardingFailureTest(statement: ts.ThrowStatement, clause: ts.CatchClause, name: string, model: TemporalModel): string | undefined {
  for (let current: ts.Node = statement; current !== clause; current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === current) {
      const condition = skipParentheses(parent.expression);
      if (ts.isCallExpression(condition) && CANCELLATION_TESTS.has(model.temporalApiOf(condition.expression)?.name ?? '') && isName(condition.arguments[0], name)) {
        return 'CancelledFailure';
      }
      if (ts.isBinaryExpression(condition) && condition.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && isName(condition.left, name)) {
        const className = ts.isIdentifier(condition.right) ? condition.right.text : ts.isPropertyAccessExpression(condition.right) ? condition.right.name.text : '';
        if (TEMPORAL_FAILURE_CLASSES.includes(className)) return className;
      }
    }
  }
  return undefined;
}

/** The try block only calls activities, Temporal workflow APIs and loggers, and throws nothing itself. */
function onlyTemporalCalls(block: ts.Block, model: TemporalModel): boolean {
  let temporal = 0;
  let other = false;
  const visit = (node: ts.Node): void => {
    if (other) return;
    if (ts.isThrowStatement(node)) other = true;
    else if (ts.isCallExpression(node)) {
      if (activityTypeCalled(node.expression, model) || model.temporalApiOf(node.expression)?.module === '@temporalio/workflow') temporal++;
      else if (!isLogCall(node.expression, model)) other = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return temporal > 0 && !other;
}

/** `log.info(...)`, `logger.warn(...)`, `console.error(...)`, `wf.log.info(...)`. */
function isLogCall(callee: ts.Expression, model: TemporalModel): boolean {
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const target = callee.expression;
  if (ts.isIdentifier(target)) return LOGGERS.has(target.text);
  return ts.isPropertyAccessExpression(target) && target.name.text === 'log' && model.temporalApiOf(target) !== undefined;
}

function isName(expression: ts.Expression | undefined, name: string): boolean {
  return expression !== undefined && ts.isIdentifier(skipParentheses(expression)) && (skipParentheses(expression) as ts.Identifier).text === name;
}

function skipParentheses(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current)) current = current.expression;
  return current;
}
