// Points at `await condition(pred, timeout)` whose boolean result the workflow drops. With a
// timeout, the TypeScript SDK's condition() resolves to true when `pred` became true and to false
// when the timeout expired first (@temporalio/workflow lib/workflow.js: `Promise.race([sleep(timeout)
// .then(() => false), conditionInner(fn).then(() => true)])`). A workflow that ignores that value,
// and does not test `pred` again afterwards, carries on after a timeout as if the awaited state had
// arrived. Python's workflow.wait_condition raises asyncio.TimeoutError instead, so Python code is
// not affected.

import ts from 'typescript';
import { defineCheck } from '../define-check.js';

import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { SourceLocation, TemporalModel } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'workflow-condition-timeout-ignored',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'The workflow awaits condition(pred, timeout) and ignores the boolean it returns, so a timeout is taken for the awaited state.',
  run(ctx) {
    const model = ctx.model;
    // Python's wait_condition raises asyncio.TimeoutError on timeout: a timeout cannot pass unseen.
    if (!model || model.language === 'python') return;
    for (const wait of ignoredConditionTimeouts(model)) {
      const dropped =
        wait.form === 'unused'
          ? `assigns its result to \`${wait.variable}\` and never reads it`
          : 'discards its result (the await is a statement)';
      const after =
        wait.partial.length > 0
          ? ` The code after it tests ${wait.partial.map((text) => `\`${text}\``).join(', ')}, only part of the predicate, so a timeout falls through to the path for the awaited state.`
          : ' Nothing after it tests the predicate again.';
      ctx.report({
        location: wait.location,
        severity: wait.severity,
        message:
          `Workflow code waits with \`${wait.snippet}\` and ${dropped}. ` +
          `condition() with a timeout resolves to false when the timeout expires before the predicate is true; ` +
          `the workflow then carries on as if the awaited state had arrived.${after}`,
        fix:
          "Branch on the result: `if (!(await condition(pred, timeout))) { /* timed out: fail, retry or compensate */ }`, " +
          'or test the predicate again after the wait. If going on after the timeout is intended, say so in a comment above the wait (e.g. "best effort").',
        data: { form: wait.form, variable: wait.variable, timeout: wait.timeout, partialRetest: wait.partial },
      });
    }
  },
});

export interface IgnoredConditionTimeout {
  location: SourceLocation;
  snippet: string;
  timeout: string;
  form: 'statement' | 'unused';
  variable?: string;
  /** Tests after the wait that read some, not all, of what the predicate reads. */
  partial: string[];
  severity: 'warning' | 'info';
}

/** Words in a comment right above the wait saying that going on after a timeout is intended. */
const INTENDED =
  /interval|\bpoll|\btick|periodic|debounce|best[- ]?effort|anyway|regardless|either way|whether or not|even if|on timeout|if (it )?times? out|timeout is (fine|ok|expected)|no matter|or (the )?timeout|or until (the )?timeout|whichever/i;

/** A flag that only says the workflow is being stopped: its timeout has nothing to miss. */
const CANCELLATION = /cancel|abort|stop|terminat|shutdown|shut_down|exit|interrupt|kill/i;

export function ignoredConditionTimeouts(model: TemporalModel): IgnoredConditionTimeout[] {
  const found: IgnoredConditionTimeout[] = [];
  for (const file of [...model.workflowFiles].sort()) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !model.files.includes(file)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const wait = ignoredWait(node, model, sourceFile);
        if (wait) found.push(wait);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

function ignoredWait(call: ts.CallExpression, model: TemporalModel, sourceFile: ts.SourceFile): IgnoredConditionTimeout | undefined {
  if (model.temporalApiOf(skipOuterExpressions(call.expression))?.name !== 'condition') return undefined;
  const timeout = call.arguments[1];
  // No timeout: condition() resolves only when the predicate is true.
  if (!timeout || timeout.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(timeout) && timeout.text === 'undefined')) return undefined;
  const predicate = predicateOf(call.arguments[0]);
  if (!predicate) return undefined;
  // `condition(() => false, '1 minute')` is a sleep; a bare cancellation flag has nothing to miss.
  if (predicate.expression && (isLiteral(predicate.expression) || onlyCancellation(predicate.expression))) return undefined;

  let node: ts.Node = call;
  while (isWrapper(node.parent)) node = node.parent;
  if (!ts.isAwaitExpression(node.parent)) return undefined;
  node = node.parent;
  while (isWrapper(node.parent)) node = node.parent;
  const parent = node.parent;
  let form: IgnoredConditionTimeout['form'];
  let statement: ts.Statement;
  let variable: string | undefined;
  if (ts.isExpressionStatement(parent)) {
    form = 'statement';
    statement = parent;
  } else if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name) && ts.isVariableDeclarationList(parent.parent) && ts.isVariableStatement(parent.parent.parent)) {
    form = 'unused';
    variable = parent.name.text;
    statement = parent.parent.parent;
  } else {
    return undefined;
  }
  const fn = enclosingFunction(statement);
  if (!fn) return undefined;
  // A timeout that is an interval (`pollIntervalMs`) is the tick of a loop: its expiry is the point.
  if (/interval|poll|tick|period|debounce|heartbeat/i.test(timeout.getText(sourceFile))) return undefined;
  // A bare wait in a loop is "the next message or the next round", whichever comes first.
  if (form === 'statement' && inLoop(statement, fn)) return undefined;
  // A bare wait that ends its function is a wait helper: its callers test the state afterwards.
  if (form === 'statement' && endsFunction(statement, fn)) return undefined;
  if (variable !== undefined && isRead(variable, parent as ts.VariableDeclaration, fn)) return undefined;
  if (saysIntended(statement, sourceFile)) return undefined;

  const tests = laterTests(statement, fn);
  if (retested(predicate, tests)) return undefined;
  const partial = predicate.expression ? partialTests(predicate.expression, tests) : [];
  // A named result that is dropped, or later code that branches on part of the awaited state, shows
  // the author expects the state to have arrived: a warning. A bare wait with nothing after it that
  // reads the state may be a deliberate "wait up to" pause: info.
  const severity = form === 'unused' && !variable!.startsWith('_') ? 'warning' : partial.length > 0 ? 'warning' : 'info';
  return {
    location: model.locate(call),
    snippet: shorten(`condition(${call.arguments[0]!.getText(sourceFile)}, ${timeout.getText(sourceFile)})`, 140),
    timeout: timeout.getText(sourceFile),
    form,
    variable,
    partial,
    severity,
  };
}

interface Predicate {
  /** The predicate's body expression (`() => expr`, `() => { return expr; }`). */
  expression?: ts.Expression;
  /** The function the predicate calls or is (`isDone`, `() => this.ready()`). */
  helper?: string;
}

function predicateOf(argument: ts.Expression | undefined): Predicate | undefined {
  if (!argument) return undefined;
  const arg = skipOuterExpressions(argument);
  if (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) {
    let body: ts.Expression | undefined;
    if (ts.isBlock(arg.body)) {
      const statements = arg.body.statements;
      if (statements.length === 1 && ts.isReturnStatement(statements[0]!) && statements[0]!.expression) body = statements[0]!.expression;
    } else {
      body = arg.body;
    }
    if (!body) return undefined;
    const inner = skipOuterExpressions(body);
    const helper = ts.isCallExpression(inner) && inner.arguments.length === 0 ? normalize(inner.expression.getText()) : undefined;
    return { expression: body, helper };
  }
  if (ts.isIdentifier(arg) || ts.isPropertyAccessExpression(arg)) return { helper: normalize(arg.getText()) };
  return undefined;
}

function isWrapper(node: ts.Node): boolean {
  return ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isTypeAssertionExpression(node);
}

function isLiteral(expression: ts.Expression): boolean {
  const e = skipOuterExpressions(expression);
  return e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || ts.isNumericLiteral(e) || ts.isStringLiteral(e);
}

/** `cancelled`, `this.stopRequested`, `a.cancelled || b.aborted`: only stop flags. */
function onlyCancellation(expression: ts.Expression): boolean {
  const e = skipOuterExpressions(expression);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)) {
    return onlyCancellation(e.left) && onlyCancellation(e.right);
  }
  if (ts.isIdentifier(e)) return CANCELLATION.test(e.text);
  if (ts.isPropertyAccessExpression(e)) return CANCELLATION.test(e.name.text);
  return false;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  let current: ts.Node | undefined = node.parent;
  while (current && !ts.isSourceFile(current)) {
    if (ts.isFunctionLike(current) && (current as ts.FunctionLikeDeclaration).body) return current as ts.FunctionLikeDeclaration;
    current = current.parent;
  }
  return undefined;
}

function endsFunction(statement: ts.Statement, fn: ts.FunctionLikeDeclaration): boolean {
  const parent = statement.parent;
  if (parent !== fn.body || !ts.isBlock(parent)) return false;
  return parent.statements[parent.statements.length - 1] === statement;
}

function inLoop(node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (ts.isIterationStatement(current, false)) return true;
  }
  return false;
}

function isRead(name: string, declaration: ts.VariableDeclaration, fn: ts.FunctionLikeDeclaration): boolean {
  let read = false;
  const visit = (node: ts.Node): void => {
    if (read) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name) {
      // `{ joinResult }` as a property name of an object literal still reads it (shorthand).
      if (!(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node)) {
        read = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body!);
  return read;
}

/** A comment right above the wait (or on its line) that says a timeout is fine. */
function saysIntended(statement: ts.Statement, sourceFile: ts.SourceFile): boolean {
  const text = sourceFile.text;
  const comments = [
    ...(ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? []),
    ...(ts.getTrailingCommentRanges(text, statement.getEnd()) ?? []),
  ];
  return comments.some((range) => INTENDED.test(text.slice(range.pos, range.end)));
}

/**
 * The conditions tested after the wait in the same function (if, ternary, return, loop
 * conditions, && / || operands), and the conditions of loops around it, which run again after it.
 */
function laterTests(statement: ts.Statement, fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  const tests: ts.Expression[] = [];
  const end = statement.getEnd();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && node !== fn) return;
    if (node.getStart() >= end) {
      if (ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) tests.push(node.expression);
      else if (ts.isConditionalExpression(node)) tests.push(node.condition);
      else if (ts.isReturnStatement(node) && node.expression) tests.push(node.expression);
      else if (ts.isForStatement(node) && node.condition) tests.push(node.condition);
      else if (ts.isBinaryExpression(node) && isLogical(node)) tests.push(node);
      else if (ts.isThrowStatement(node)) tests.push(node.expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body!);
  for (let current: ts.Node | undefined = statement.parent; current && current !== fn; current = current.parent) {
    if (ts.isWhileStatement(current) || ts.isDoStatement(current)) tests.push(current.expression);
    else if (ts.isForStatement(current) && current.condition) tests.push(current.condition);
  }
  return tests;
}

function isLogical(node: ts.BinaryExpression): boolean {
  const kind = node.operatorToken.kind;
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

/**
 * Some later test reads the predicate's whole expression (or its negation), or calls its helper;
 * or the predicate is `a || b || ...` and later tests read every one of its operands (`if (a)
 * return; if (b) return;`): the code tells each way the wait can end from the others, and what
 * falls through them all is the timeout path.
 */
function retested(predicate: Predicate, tests: ts.Expression[]): boolean {
  const reads = (target: string | undefined): boolean => {
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (target !== undefined && ts.isExpression(node) && normalize(node.getText()) === target) {
        found = true;
        return;
      }
      if (target === undefined && predicate.helper && ts.isCallExpression(node) && normalize(node.expression.getText()) === predicate.helper) {
        found = true;
        return;
      }
      ts.forEachChild(node, visit);
    };
    for (const test of tests) visit(test);
    return found;
  };
  const expression = predicate.expression ? (skipOuterExpressions(predicate.expression) as ts.Expression) : undefined;
  if (expression && reads(normalize(expression.getText()))) return true;
  if (predicate.helper && reads(undefined)) return true;
  const operands = expression ? disjuncts(expression) : [];
  return operands.length > 1 && operands.every((operand) => reads(normalize(operand.getText())));
}

/** The operands of an `a || b || c` chain (parentheses looked through); one for anything else. */
function disjuncts(expression: ts.Expression): ts.Expression[] {
  const inner = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.BarBarToken) return [...disjuncts(inner.left), ...disjuncts(inner.right)];
  return [inner];
}

/** Later tests that read a state variable or property the predicate reads (not a cancellation flag). */
function partialTests(expression: ts.Expression, tests: ts.Expression[]): string[] {
  const state = new Set<string>();
  const collect = (node: ts.Node): void => {
    const callee = ts.isCallExpression(node.parent) && node.parent.expression === node;
    if (ts.isPropertyAccessExpression(node) && !callee) {
      if (!CANCELLATION.test(node.name.text)) state.add(normalize(node.getText()));
      return;
    }
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !callee) {
      if (!CANCELLATION.test(node.text) && node.text !== 'undefined') state.add(node.text);
    }
    ts.forEachChild(node, collect);
  };
  collect(expression);
  const matched: string[] = [];
  const all = new Set<ts.Node>(tests);
  const nested = (test: ts.Node): boolean => {
    for (let current = test.parent; current; current = current.parent) if (all.has(current)) return true;
    return false;
  };
  for (const test of tests) {
    if (nested(test)) continue;
    let reads = false;
    const visit = (node: ts.Node): void => {
      if (reads) return;
      if ((ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) && state.has(normalize(node.getText()))) {
        reads = true;
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(test);
    if (reads) {
      const text = shorten(test.getText(), 70);
      if (!matched.includes(text)) matched.push(text);
    }
    if (matched.length >= 1) break;
  }
  return matched;
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

function normalize(text: string): string {
  return text.replace(/\s+/g, '').replace(/;$/, '');
}
