// Catches a workflow branch that never runs. In workflow code the failure of an activity reaches
// the caller as an ActivityFailure (a child workflow's as a ChildWorkflowFailure), and the
// ApplicationFailure the activity threw is its `.cause` (@temporalio/common lib/failure.d.ts,
// and the failure converter builds the ActivityFailure with the converted cause). A catch around
// the call that tests the caught value itself (`err instanceof ApplicationFailure`,
// `err.type === 'Declined'`, `err.nonRetryable`) never matches: the branch meant for the
// application's failure never runs, and the workflow takes the generic path instead (usually a
// rethrow that fails it).
//
// A pass-through is not reported: `if (err instanceof ApplicationFailure) throw err;` before the
// code that wraps the error. Its branch only rethrows, so it is there to keep the workflow's own
// ApplicationFailures from being wrapped twice; the activity's failure skipping it goes on to the
// code written for it, and nothing meant for that failure is lost.

import ts from 'typescript';
import { relative } from '../../engine/run-checks.js';
import { functionOfDeclaration } from '../../model/typescript/declarations.js';
import { activityCallSites } from '../../model/typescript/observability/workflow-activity-calls.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-catch-tests-application-failure',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A workflow catch around an activity or child workflow call tests the caught error as an ApplicationFailure (instanceof, .type, .nonRetryable; in Python `except ApplicationError`, isinstance); the error is an ActivityFailure or ChildWorkflowFailure (ActivityError, ChildWorkflowError) with the ApplicationFailure in .cause, so the test never matches.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    if (python) {
      for (const site of python.misreadApplicationCatches ?? []) {
        const wrapper = site.kind === 'activity' ? 'ActivityError' : 'ChildWorkflowError';
        const who = site.kind === 'activity' ? 'activity' : 'child';
        ctx.report({
          location: site.location,
          message:
            (site.shape === 'except'
              ? `This \`except ${site.test}\` never takes the failure of the ${site.what}: `
              : `This catch tests the caught error itself (\`${site.test}\`), but `) +
            `the failure of the ${site.what} reaches the workflow as ${site.kind === 'activity' ? 'an' : 'a'} ${wrapper} (temporalio.exceptions), ` +
            `and the ApplicationError the ${who} raised (its type, its non_retryable flag) is that error's .cause. ` +
            (site.shape === 'except'
              ? 'The clause never runs for it: the error goes to a later clause, or out of the workflow.'
              : 'The test is never true for it, so the branch written for that failure never runs and the workflow takes the other path instead.'),
          fix:
            `Catch the wrapper and test its cause: \`except ${wrapper} as e:\` then \`if isinstance(e.cause, ApplicationError) and e.cause.type == '...'\`.`,
          related: [{ ...site.callLocation, message: `the ${site.kind === 'activity' ? 'activity' : 'child workflow'} call whose failure the try receives` }],
          data: { kind: site.kind, test: site.shape },
        });
      }
      return;
    }
    if (model.language === 'python') return;
    for (const site of misreadCatches(model)) {
      const wrapper = site.kind === 'activity' ? 'ActivityFailure' : 'ChildWorkflowFailure';
      const what = site.kind === 'activity' ? `activity ${site.callName}` : `child workflow ${site.callName}`;
      ctx.report({
        location: model.locate(site.viaHelper ?? site.test),
        message:
          (site.viaHelper
            ? `This catch hands the caught error as it is to \`${compact(site.viaHelper.getText())}\`, which tests it itself (\`${compact(site.test.getText())}\` at ${relativeAt(ctx.root, site.test, model)}), but`
            : `This catch tests the caught error itself (\`${compact(site.test.getText())}\`), but`) +
          ` the failure of the ${what} reaches the workflow as ${site.kind === 'activity' ? 'an' : 'a'} ${wrapper}: ` +
          `the ApplicationFailure the ${site.kind === 'activity' ? 'activity' : 'child'} threw (its type, its nonRetryable flag) is in the error's .cause. ` +
          'The test never matches, so the branch written for that failure never runs and the workflow takes the other path instead.',
        fix:
          `Test the cause: \`if (err instanceof ${wrapper} && err.cause instanceof ApplicationFailure && err.cause.type === '...')\`, ` +
          'or unwrap the chain first (walk .cause until the ApplicationFailure).',
        related: [
          { ...model.locate(site.call), message: `the ${site.kind === 'activity' ? 'activity' : 'child workflow'} call whose failure the catch receives` },
          ...(site.viaHelper ? [{ ...model.locate(site.test), message: 'the test of the error as an ApplicationFailure' }] : []),
        ],
        data: { kind: site.kind, test: site.testKind, ...(site.viaHelper ? { helper: true } : {}) },
      });
    }
  },
});

interface MisreadCatch {
  kind: 'activity' | 'child';
  call: ts.CallExpression;
  callName: string;
  test: ts.Expression;
  testKind: 'instanceof' | 'type' | 'nonRetryable';
  /** The call in the catch that hands the caught value to the function holding the test. */
  viaHelper?: ts.CallExpression;
}

function misreadCatches(model: TemporalModel): MisreadCatch[] {
  const found: MisreadCatch[] = [];
  // Calls whose failure arrives wrapped; local activities are left out (see the docs page).
  const wrapped = new Map<ts.Node, { kind: 'activity' | 'child'; name: string }>();
  const local = new Set<ts.Node>();
  for (const site of activityCallSites(model)) {
    if (site.proxy.kind === 'local') local.add(site.call);
    else wrapped.set(site.call, { kind: 'activity', name: site.name });
  }
  for (const start of model.starts) {
    if (start.child && (start.method === 'executeChild' || start.method === 'startChild')) {
      wrapped.set(start.node, { kind: 'child', name: start.workflowType ?? start.workflowTypeText });
    }
  }
  const tries = new Set<ts.TryStatement>();
  for (const call of wrapped.keys()) for (const statement of enclosingTries(call)) tries.add(statement);
  for (const statement of tries) {
    const clause = statement.catchClause!;
    const variable = clause.variableDeclaration;
    if (!variable || !ts.isIdentifier(variable.name)) continue;
    const calls = callsIn(statement.tryBlock);
    const first = calls.find((call) => wrapped.has(call));
    if (!first) continue;
    if (calls.some((call) => local.has(call)) || mayThrowApplicationFailure(statement.tryBlock, calls, wrapped, model)) continue;
    const test = firstMisreadTest(clause.block, variable.name.text) ?? helperMisreadTest(clause, variable.name.text, model);
    if (!test) continue;
    const target = wrapped.get(first)!;
    found.push({ kind: target.kind, call: first, callName: target.name, ...test });
  }
  return found.sort((a, b) => a.test.getSourceFile().fileName.localeCompare(b.test.getSourceFile().fileName) || a.test.pos - b.test.pos);
}

/** The try statements whose try block holds the call and whose catch receives its failure. */
function enclosingTries(call: ts.Node): ts.TryStatement[] {
  let node: ts.Node = call;
  while (node.parent) {
    const parent: ts.Node = node.parent;
    if (ts.isFunctionDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isClassLike(parent) || ts.isSourceFile(parent)) return [];
    if (ts.isTryStatement(parent) && node === parent.tryBlock && parent.catchClause) return [parent];
    node = parent;
  }
  return [];
}

/** Every call in the block, nested callbacks included, except those a nested try with a catch takes. */
function callsIn(block: ts.Block): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTryStatement(node) && node.catchClause) {
      if (node.finallyBlock) visit(node.finallyBlock);
      visit(node.catchClause.block);
      return;
    }
    if (ts.isCallExpression(node)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(block, visit);
  return calls;
}

/**
 * The try block names ApplicationFailure itself (throws or creates one), or calls a function of
 * the project that throws one (or an error whose kind is unknown): then the test can match.
 */
function mayThrowApplicationFailure(block: ts.Block, calls: ts.CallExpression[], wrapped: Map<ts.Node, unknown>, model: TemporalModel): boolean {
  let named = false;
  const visit = (node: ts.Node): void => {
    if (named) return;
    if (ts.isIdentifier(node) && node.text === 'ApplicationFailure' && !ts.isTypeNode(node.parent)) named = true;
    else if (ts.isThrowStatement(node)) named = true;
    else ts.forEachChild(node, visit);
  };
  visit(block);
  if (named) return true;
  for (const call of calls) {
    if (wrapped.has(call)) continue;
    const fn = functionOfDeclaration(model.declarationOf(skipOuterExpressions(call.expression)));
    if (!fn || !model.files.includes(fn.getSourceFile().fileName)) continue;
    const thrown = model.thrownErrorsOf(fn);
    if (thrown.some((error) => error.how.startsWith('application-failure') || error.extendsApplicationFailure || error.how === 'unknown')) return true;
  }
  return false;
}

/**
 * The first test of the caught value (or a name the catch copies it into) as an ApplicationFailure.
 * None when the catch reads `.cause`, reassigns the value, or unwraps it in any other way first.
 */
function firstMisreadTest(body: ts.Block, name: string): Omit<MisreadCatch, 'kind' | 'call' | 'callName'> | undefined {
  const names = new Set([name]);
  // `const failure = err as ApplicationFailure;`
  for (const statement of body.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer && skipOuterExpressions(declaration.initializer);
      if (init && ts.isIdentifier(init) && names.has(init.text) && ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
    }
  }
  const isCaught = (node: ts.Node): boolean => {
    const inner = skipOuterExpressions(node);
    return ts.isIdentifier(inner) && names.has(inner.text);
  };
  let unwraps = false;
  let test: Omit<MisreadCatch, 'kind' | 'call' | 'callName'> | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && isCaught(node.expression)) {
      const property = node.name.text;
      if (property === 'cause' || property === 'failure') unwraps = true;
      else if ((property === 'type' && isCompared(node)) || (property === 'nonRetryable' && decides(node))) {
        test ??= { test: node, testKind: property === 'type' ? 'type' : 'nonRetryable' };
      }
    }
    if (ts.isElementAccessExpression(node) && isCaught(node.expression)) unwraps = true;
    if (ts.isBinaryExpression(node)) {
      if (node.operatorToken.kind === ts.SyntaxKind.EqualsToken && isCaught(node.left)) unwraps = true;
      if (node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && isCaught(node.left)) {
        const right = skipOuterExpressions(node.right);
        const rightName = ts.isIdentifier(right) ? right.text : ts.isPropertyAccessExpression(right) ? right.name.text : '';
        if (rightName === 'ApplicationFailure' && !rethrowsAsIs(node, names)) test ??= { test: node, testKind: 'instanceof' };
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return unwraps ? undefined : test;
}

/**
 * The catch hands the caught value, as it is, to a function of the project (`if (isDeclined(err))`)
 * that tests its parameter the same way; one call deep. Not when the catch itself unwraps the value.
 */
function helperMisreadTest(clause: ts.CatchClause, name: string, model: TemporalModel): Omit<MisreadCatch, 'kind' | 'call' | 'callName'> | undefined {
  let result: Omit<MisreadCatch, 'kind' | 'call' | 'callName'> | undefined;
  let unwraps = false;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(skipOuterExpressions(node.expression)) && (skipOuterExpressions(node.expression) as ts.Identifier).text === name) {
      if (node.name.text === 'cause' || node.name.text === 'failure') unwraps = true;
    }
    if (!result && ts.isCallExpression(node)) {
      const index = node.arguments.findIndex((argument) => {
        const inner = skipOuterExpressions(argument);
        return ts.isIdentifier(inner) && inner.text === name;
      });
      const fn = index >= 0 ? functionOfDeclaration(model.declarationOf(skipOuterExpressions(node.expression))) : undefined;
      const parameter = fn?.parameters[index];
      if (fn?.body && ts.isBlock(fn.body) && parameter && ts.isIdentifier(parameter.name) && !parameter.dotDotDotToken && model.files.includes(fn.getSourceFile().fileName)) {
        const test = firstMisreadTest(fn.body, parameter.name.text);
        if (test && !(test.testKind === 'instanceof' && rethrowsAsIs(node, new Set([name])))) result = { ...test, viaHelper: node };
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(clause.block);
  return unwraps ? undefined : result;
}

/**
 * The test decides an if (alone or as one side of `||`) whose branch only rethrows the caught
 * value as it is: `if (err instanceof ApplicationFailure) throw err;`.
 */
function rethrowsAsIs(test: ts.Node, names: Set<string>): boolean {
  let node: ts.Node = test;
  for (;;) {
    const parent = node.parent;
    if (ts.isParenthesizedExpression(parent) || (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      node = parent;
      continue;
    }
    if (!ts.isIfStatement(parent) || parent.expression !== node) return false;
    let branch: ts.Statement = parent.thenStatement;
    if (ts.isBlock(branch)) {
      if (branch.statements.length !== 1) return false;
      branch = branch.statements[0]!;
    }
    if (!ts.isThrowStatement(branch)) return false;
    const thrown = skipOuterExpressions(branch.expression);
    return ts.isIdentifier(thrown) && names.has(thrown.text);
  }
}

/** `x.type === '...'`, `'...' !== x.type`, `switch (x.type)`, `[...].includes(x.type)`. */
function isCompared(access: ts.Node): boolean {
  let node: ts.Node = access;
  while (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isBinaryExpression(parent)) {
    const kind = parent.operatorToken.kind;
    return kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
  }
  if (ts.isSwitchStatement(parent)) return parent.expression === node;
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) {
    const callee = skipOuterExpressions(parent.expression);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'includes';
  }
  return false;
}

/** The value decides a branch: the condition of an if, a ternary or a loop, through !, && and ||. */
function decides(access: ts.Node): boolean {
  let node: ts.Node = access;
  for (;;) {
    const parent = node.parent;
    if (ts.isParenthesizedExpression(parent) || (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken)) {
      node = parent;
      continue;
    }
    if (ts.isBinaryExpression(parent) && (parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      node = parent;
      continue;
    }
    if (ts.isBinaryExpression(parent) && isCompared(node)) return true;
    return (ts.isIfStatement(parent) || ts.isWhileStatement(parent)) ? parent.expression === node : ts.isConditionalExpression(parent) && parent.condition === node;
  }
}

function relativeAt(root: string, node: ts.Node, model: TemporalModel): string {
  const at = model.locate(node);
  return `${relative(root, at.file)}:${at.line}`;
}

function compact(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}
