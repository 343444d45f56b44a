// Prevents workflows that spin: an endless loop in workflow code that paces itself with a timer or
// a condition() wait, but has a `continue` (or a branch that falls through to the next round)
// reachable without any wait. While that path is taken, the loop runs round after round with no
// pause: each round's activities add their events to the history, which reaches the 51,200-event
// limit in minutes, and the activities hammer the services they call. A round with no activity at
// all never yields, and the SDK's deadlock detector fails the workflow task instead.

import ts from 'typescript';
import { relative } from '../../engine/run-checks.js';
import { activityTypeCalled } from '../../model/typescript/activity-calls.js';
import { isEndlessLoop } from '../../model/typescript/child-per-round.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';

const WAITS = new Set(['sleep', 'condition']);

interface Spin {
  loop: ts.IterationStatement;
  skip: ts.Node;
  wait: ts.Node;
  activities: string[];
}

export default defineCheck({
  id: 'workflow-loop-skips-wait',
  area: 'payloads',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: "An endless workflow loop paced by a timer or condition() has a path to its next round that skips the wait, so the loop can spin",
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const file of model.workflowFiles) {
      if (!model.files.includes(file)) continue;
      const sourceFile = model.sourceFile(file);
      if (!sourceFile) continue;
      for (const spin of spins(sourceFile, model)) {
        const waitAt = model.locate(spin.wait);
        const loopAt = model.locate(spin.loop);
        const activities = spin.activities.length
          ? `it calls ${spin.activities.join(', ')} again at once, round after round: each round adds its activity events to the history, which reaches the 51,200-event limit within minutes, and the calls hammer the services behind them`
          : 'no round yields, so the SDK fails the workflow task as a potential deadlock, again on every retry';
        ctx.report({
          location: model.locate(spin.skip),
          message:
            `The loop at ${relative(ctx.root, loopAt.file)}:${loopAt.line} paces itself with a wait (${relative(ctx.root, waitAt.file)}:${waitAt.line}), ` +
            `but this path starts the next round without waiting. As long as the condition that leads here holds, the loop spins: ${activities}.`,
          fix: 'Wait on this path too (await sleep(...) before continuing, with a backoff if the condition can last), or end the loop here (return, or continueAsNew with a counter).',
          related: [
            { ...loopAt, message: 'the loop' },
            { ...waitAt, message: 'the wait this path skips' },
          ],
          data: { activities: spin.activities },
        });
      }
    }
  },
});

function spins(sourceFile: ts.SourceFile, model: TemporalModel): Spin[] {
  const found: Spin[] = [];
  const visit = (node: ts.Node): void => {
    if (isEndlessLoop(node)) {
      const wait = firstWait(node.statement, model);
      if (wait) {
        for (const skip of unwaitedContinues(node.statement, model)) {
          found.push({ loop: node, skip, wait, activities: activitiesBefore(node.statement, skip, model) });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** A sleep() or condition() of @temporalio/workflow in the subtree (callbacks included). */
function firstWait(node: ts.Node, model: TemporalModel): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(current)) {
      const api = model.temporalApiOf(current.expression);
      if (api?.module === '@temporalio/workflow' && WAITS.has(api.name)) {
        found = current;
        return;
      }
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** Whether a statement certainly waits before it completes normally (both branches of an if, etc.). */
function waits(statement: ts.Statement, model: TemporalModel): boolean {
  if (ts.isBlock(statement)) return statement.statements.some((s) => waits(s, model));
  if (ts.isIfStatement(statement)) return statement.elseStatement !== undefined && waits(statement.thenStatement, model) && waits(statement.elseStatement, model);
  if (ts.isTryStatement(statement)) return waits(statement.tryBlock, model) && (!statement.catchClause || waits(statement.catchClause.block, model));
  if (ts.isIterationStatement(statement, false) || ts.isSwitchStatement(statement) || ts.isLabeledStatement(statement)) return false;
  // An expression or declaration: waits when it awaits a sleep/condition outside nested functions,
  // or runs a callback that does (`await scope.run(async () => { await condition(...) })`).
  return firstWait(statement, model) !== undefined;
}

/**
 * `continue` statements of the loop (not of a nested loop) that are reached, from the top of the
 * round, without passing a wait: walks the statements in order, carrying whether every path so
 * far has waited. Only two shapes are reported, the ones that mean "nothing to do, try again":
 * a `continue` guarded by an emptiness test (`if (!tools) continue;`, `if (list.length === 0)
 * continue;`), and a `continue` after an if/else that waits in one branch only. A `continue` after
 * work done on a non-empty batch (`if (items.length) { await process(items); continue; }`) is a
 * loop draining its input, which workflow-unbounded-history weighs.
 */
function unwaitedContinues(body: ts.Statement, model: TemporalModel): ts.ContinueStatement[] {
  const found: ts.ContinueStatement[] = [];
  // `lopsided`: an if/else earlier in the round waited in one branch only.
  const walk = (statement: ts.Statement, waited: boolean, lopsided: boolean, guarded: boolean): { waited: boolean; lopsided: boolean } => {
    if (waited) return { waited, lopsided };
    if (ts.isContinueStatement(statement)) {
      if (!statement.label && (guarded || lopsided)) found.push(statement);
      return { waited: false, lopsided };
    }
    if (ts.isBlock(statement)) {
      let state = { waited: false, lopsided };
      for (const child of statement.statements) state = walk(child, state.waited, state.lopsided, guarded);
      return state;
    }
    if (ts.isIfStatement(statement)) {
      if (firstWait(statement.expression, model)) return { waited: true, lopsided };
      const empty = emptinessTest(statement.expression);
      const then = walk(statement.thenStatement, false, lopsided, empty === 'then');
      const other = statement.elseStatement ? walk(statement.elseStatement, false, lopsided, empty === 'else') : { waited: false, lopsided };
      const oneSided = statement.elseStatement !== undefined && then.waited !== other.waited;
      return { waited: then.waited && other.waited, lopsided: lopsided || oneSided };
    }
    if (ts.isTryStatement(statement)) {
      const tried = walk(statement.tryBlock, false, lopsided, guarded);
      if (statement.catchClause) walk(statement.catchClause.block, false, lopsided, guarded);
      return { waited: tried.waited && (!statement.catchClause || waits(statement.catchClause.block, model)), lopsided: tried.lopsided };
    }
    // Nested loops and switches: their own `continue`/`break` belong to them.
    return { waited: waits(statement, model), lopsided };
  };
  walk(body, false, false, false);
  return found;
}

/**
 * Which branch of an if runs when something is missing or empty: `!x`, `x == null`,
 * `x === undefined`, `x.length === 0`, `!x.length`, `x.length < 1` guard the then-branch; their
 * opposites (`x`, `x.length > 0`) guard the else-branch.
 */
function emptinessTest(condition: ts.Expression): 'then' | 'else' | undefined {
  const expression = skipOuterExpressions(condition) as ts.Expression;
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = skipOuterExpressions(expression.operand);
    return ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner) || ts.isCallExpression(inner) ? 'then' : undefined;
  }
  if (ts.isBinaryExpression(expression)) {
    const op = expression.operatorToken.kind;
    const right = skipOuterExpressions(expression.right);
    const nothing =
      right.kind === ts.SyntaxKind.NullKeyword ||
      (ts.isIdentifier(right) && right.text === 'undefined') ||
      (ts.isNumericLiteral(right) && right.text === '0') ||
      (ts.isStringLiteral(right) && right.text === '');
    if ((op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) && nothing) return 'then';
    if ((op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) && nothing) return 'else';
    if (op === ts.SyntaxKind.LessThanToken && ts.isNumericLiteral(right) && right.text === '1') return 'then';
    if (op === ts.SyntaxKind.GreaterThanToken && ts.isNumericLiteral(right) && right.text === '0') return 'else';
    return undefined;
  }
  if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) return 'else';
  return undefined;
}

/** Activity types called in the round before the skip (what each spin calls again). */
function activitiesBefore(body: ts.Statement, skip: ts.Node, model: TemporalModel): string[] {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (node.pos >= skip.pos) return;
    if (ts.isCallExpression(node)) {
      const name = activityTypeCalled(node.expression, model);
      if (name) names.add(name);
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return [...names];
}
