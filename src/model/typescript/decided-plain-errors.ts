// The plain `throw new Error(...)` statements an activity's own body decides: written in the
// implementation function itself (not in a helper it calls, whose throws may never happen on this
// path) and not inside a catch clause (a rethrow there reports a failure that was caught, often a
// transient one). What is left is a condition the activity checks itself, such as a missing record.

import ts from 'typescript';
import type { ActivityUse } from '../activity-uses.js';
import type { RetriedThrow } from '../../engine/activity-policy/implementation-throws.js';
import type { ActivityImplementation } from './types.js';

export interface DecidedPlainError extends RetriedThrow {
  /** The message when it is a string literal, shortened. */
  text?: string;
}

const MAX_TEXT = 60;

export function decidedPlainErrors(uses: ActivityUse[], plainRetried: RetriedThrow[]): DecidedPlainError[] {
  const found: DecidedPlainError[] = [];
  for (const thrown of plainRetried) {
    if (thrown.type !== 'Error') continue;
    const implementation = uses.flatMap((use) => use.implementations).find((i) => i.name === thrown.activity) as ActivityImplementation | undefined;
    const node = implementation?.node;
    if (!node || implementation.file !== thrown.location.file) continue;
    const statement = throwAt(node, thrown.location.line, thrown.location.column);
    if (!statement || insideCatch(statement, node) || guardsUnexpectedStatus(statement, node)) continue;
    const text = messageOf(statement);
    found.push({ ...thrown, ...(text !== undefined ? { text } : {}) });
  }
  return found;
}

function throwAt(fn: ts.Node, line: number, column: number): ts.ThrowStatement | undefined {
  const sourceFile = fn.getSourceFile();
  let found: ts.ThrowStatement | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isThrowStatement(node)) {
      const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
      if (start.line + 1 === line && start.character + 1 === column) found = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

// `if (status !== 201) throw new Error(...)`, `if (!response.ok) throw ...`: an answer the code did
// not expect, 5xx included. Such a failure is usually transient, and retrying it is what the policy
// is for; a decided outcome compares with one code (`status === 404`) and stays.
const STATUS = /\b(status|statusCode|ok)\b/;
const UNEXPECTED = new Set([ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken]);

function guardsUnexpectedStatus(statement: ts.ThrowStatement, fn: ts.Node): boolean {
  let child: ts.Node = statement;
  for (let current = statement.parent; current && current !== fn; child = current, current = current.parent) {
    if (!ts.isIfStatement(current) || current.thenStatement !== child) continue;
    const unexpected = (condition: ts.Expression): boolean => {
      if (ts.isParenthesizedExpression(condition)) return unexpected(condition.expression);
      if (ts.isBinaryExpression(condition)) {
        if (condition.operatorToken.kind === ts.SyntaxKind.BarBarToken) return unexpected(condition.left) || unexpected(condition.right);
        if (condition.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return unexpected(condition.left) && unexpected(condition.right);
        return UNEXPECTED.has(condition.operatorToken.kind) && STATUS.test(condition.getText());
      }
      return ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken && /\bok\b/.test(condition.operand.getText());
    };
    return unexpected(current.expression);
  }
  return false;
}

function insideCatch(node: ts.Node, fn: ts.Node): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) if (ts.isCatchClause(current)) return true;
  return false;
}

function messageOf(statement: ts.ThrowStatement): string | undefined {
  const expression = statement.expression;
  if (!ts.isNewExpression(expression)) return undefined;
  const first = expression.arguments?.[0];
  if (!first || !(ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) return undefined;
  return first.text.length > MAX_TEXT ? `${first.text.slice(0, MAX_TEXT - 1)}…` : first.text;
}
