// A proxy the workflow code picks only in a test or development mode: `if (input.testingMode)
// return testActs; return acts;`, `const a = dryRun ? mockActs : acts`. Its options apply to runs
// a developer starts on purpose, not to production traffic, so what they cost in production (retry
// storms, slow crash detection) does not happen: the proxy checks say so and report at most info.

import ts from 'typescript';
import { locate } from './locate.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { SourceLocation } from './types.js';

export interface TestOnlyGuard {
  /** The condition as written (`pipelineInput.pipelineTestingMode`). */
  flag: string;
  location: SourceLocation;
}

/** Words that name a test or development mode in a flag (`pipelineTestingMode`, `isDev`, `dryRun`, `useMocks`). */
const MODE_WORDS = new Set(['test', 'tests', 'testing', 'dev', 'development', 'mock', 'mocks', 'mocked', 'dryrun']);

/**
 * The test-mode condition that guards every use of the proxy, when there is one: each reference
 * sits in the taken branch of an `if`, a `?:` or a `&&` whose condition is such a flag. Undefined
 * when any use is unguarded, or there is none.
 */
export function testOnlyGuard(references: ts.Node[]): TestOnlyGuard | undefined {
  let first: TestOnlyGuard | undefined;
  let uses = 0;
  for (const reference of references) {
    if (ts.isTypeQueryNode(reference.parent) || ts.isExportSpecifier(reference.parent)) continue;
    uses++;
    const guard = guardOf(reference);
    if (!guard) return undefined;
    first ??= guard;
  }
  return uses > 0 ? first : undefined;
}

function guardOf(reference: ts.Node): TestOnlyGuard | undefined {
  for (let current = reference; current.parent && !ts.isFunctionLike(current.parent) && !ts.isSourceFile(current.parent); current = current.parent) {
    const parent = current.parent;
    const condition =
      ts.isIfStatement(parent) && parent.thenStatement === current
        ? parent.expression
        : ts.isConditionalExpression(parent) && parent.whenTrue === current
          ? parent.condition
          : ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && parent.right === current
            ? parent.left
            : undefined;
    const flag = condition && modeFlag(condition);
    if (flag) return { flag: flag.getText(), location: locate(flag) };
  }
  return undefined;
}

/** `testMode`, `input.dryRun`, `opts?.useMocks`, `env === 'test'`, or one of the `&&` parts of a condition. */
function modeFlag(condition: ts.Expression): ts.Expression | undefined {
  const expression = skipOuterExpressions(condition) as ts.Expression;
  if (ts.isBinaryExpression(expression)) {
    const operator = expression.operatorToken.kind;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return modeFlag(expression.left) ?? modeFlag(expression.right);
    if (operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken) {
      const literal = [expression.left, expression.right].map((side) => skipOuterExpressions(side)).find(ts.isStringLiteralLike);
      if (literal && namesMode(literal.text)) return expression;
      const flag = [expression.left, expression.right].map((side) => skipOuterExpressions(side)).find((side) => side.kind === ts.SyntaxKind.TrueKeyword);
      const other = flag && [expression.left, expression.right].find((side) => skipOuterExpressions(side) !== flag);
      return other && isModeName(other) ? expression : undefined;
    }
    return undefined;
  }
  return isModeName(expression) ? expression : undefined;
}

function isModeName(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  const name = ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : undefined;
  return name !== undefined && namesMode(name);
}

function namesMode(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
  return words.some((word, i) => MODE_WORDS.has(word) || (word === 'dry' && words[i + 1] === 'run'));
}
