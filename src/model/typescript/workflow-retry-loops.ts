// Workflow-level retry loops around an activity call: a loop in workflow code whose body tries
// the activity, leaves on success and, after catching its failure, goes round again. Either
// written in place (`for (let i = 0; i < 5; i++) { try { return await charge(); } catch { ... } }`)
// or in a helper of workflow code that calls a function parameter in such a loop
// (`retryWorkflow(() => charge(id), { maxRetries: 10 })`), directly or through a local wrapper
// that hands its callback on (`const retry = (fn) => retryWorkflow(fn, { maxRetries: 10 })`).
// The activity's own retry policy runs inside each call, so the attempts multiply.

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { activityOfCall } from './observability/workflow-activity-calls.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { ActivityProxy, SourceLocation, TemporalModel } from './types.js';

export interface WorkflowRetryLoop {
  /** The activity call that the loop repeats. */
  location: SourceLocation;
  activityType: string;
  proxy: ActivityProxy;
  /** How many times the loop calls the activity at most. */
  calls: number;
  /** The loop. */
  loop: SourceLocation;
  /** The helper call that runs the loop, when the loop is in a helper. */
  helperCall?: SourceLocation;
  /** Source text of the helper call or of the loop's first line. */
  text: string;
}

type FunctionNode = ts.FunctionLikeDeclaration;

export function workflowRetryLoops(model: TemporalModel): WorkflowRetryLoop[] {
  const proxyByNode = new Map<ts.Node, ActivityProxy>(model.activityProxies.map((p) => [p.node, p]));
  const found = new Map<string, WorkflowRetryLoop>();
  const add = (loop: WorkflowRetryLoop) => {
    const key = `${loop.location.file}:${loop.location.line}:${loop.location.column}`;
    if (!found.has(key)) found.set(key, loop);
  };
  const helperLoops = new Map<FunctionNode, HelperRetryLoop[]>();
  const loopsOf = (helper: FunctionNode): HelperRetryLoop[] => {
    let loops = helperLoops.get(helper);
    if (!loops) {
      loops = helperRetryLoops(helper, model);
      helperLoops.set(helper, loops);
    }
    return loops;
  };
  for (const file of model.workflowFiles) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !model.files.includes(file)) continue;
    const visit = (node: ts.Node): void => {
      // A loop written in place around the activity call.
      if (isLoop(node)) {
        const shape = retryShape(node);
        if (shape) {
          const calls = loopCount(node, (expression) => model.resolveValue(expression));
          for (const call of callsIn(shape.tryBlock)) {
            const activity = activityOfCall(call, model, proxyByNode);
            if (activity && calls !== undefined) {
              add({ location: model.locate(call), activityType: activity.name, proxy: activity.proxy, calls, loop: model.locate(node), text: firstLine(node) });
            }
          }
        }
      }
      // A helper that retries the function it is given, called with one that calls an activity.
      if (ts.isCallExpression(node)) {
        const helper = workflowHelperOf(node, model);
        if (helper) {
          for (const loop of loopsOf(helper)) {
            const argument = node.arguments[loop.parameterIndex];
            const callback = argument && callbackOf(argument, model);
            if (!callback) continue;
            const calls = loop.count(node);
            if (calls === undefined) continue;
            for (const call of callback.body ? callsIn(callback.body) : []) {
              const activity = activityOfCall(call, model, proxyByNode);
              if (activity) {
                add({ location: model.locate(call), activityType: activity.name, proxy: activity.proxy, calls, loop: model.locate(loop.loop), helperCall: model.locate(node), text: firstLine(node) });
              }
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return [...found.values()].sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
}

function isLoop(node: ts.Node): node is ts.ForStatement | ts.WhileStatement | ts.DoStatement {
  return ts.isForStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

/**
 * The try statement of a retry loop: a statement of the loop body whose try block leaves the loop
 * on success (return or break at its top level) and whose catch does not always leave it.
 */
function retryShape(loop: ts.IterationStatement): { tryBlock: ts.Block } | undefined {
  const statements = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  for (const statement of statements) {
    if (!ts.isTryStatement(statement) || !statement.catchClause) continue;
    const leavesOnSuccess = statement.tryBlock.statements.some((s) => ts.isReturnStatement(s) || ts.isBreakStatement(s));
    if (leavesOnSuccess && !alwaysLeaves(statement.catchClause.block)) return { tryBlock: statement.tryBlock };
  }
  return undefined;
}

function alwaysLeaves(block: ts.Block): boolean {
  return block.statements.some(
    (s) => ts.isThrowStatement(s) || ts.isReturnStatement(s) || ts.isBreakStatement(s) || (ts.isIfStatement(s) && !!s.elseStatement && alwaysLeavesStatement(s.thenStatement) && alwaysLeavesStatement(s.elseStatement)),
  );
}

function alwaysLeavesStatement(statement: ts.Statement): boolean {
  if (ts.isBlock(statement)) return alwaysLeaves(statement);
  return ts.isThrowStatement(statement) || ts.isReturnStatement(statement) || ts.isBreakStatement(statement);
}

interface HelperRetryLoop {
  loop: ts.IterationStatement;
  /** The parameter holding the function the loop retries. */
  parameterIndex: number;
  /** How many times the loop runs for one call of the helper; undefined when not known. */
  count(call: ts.CallExpression): number | undefined;
}

/** The function a call runs, when it is declared in workflow code. */
function workflowHelperOf(call: ts.CallExpression, model: TemporalModel): FunctionNode | undefined {
  const helper = functionOfDeclaration(model.declarationOf(skipOuterExpressions(call.expression)));
  return helper?.body && model.workflowFiles.has(helper.getSourceFile().fileName) ? helper : undefined;
}

/**
 * The retry loops a helper runs around one of its parameters: its own, and those of a retry helper
 * it hands that parameter on to (`const retry = (fn) => retryWorkflow(fn, { maxRetries: 10 })`),
 * counted at that inner call. One level of hand-on is what real wrappers use.
 */
function helperRetryLoops(helper: FunctionNode, model: TemporalModel, depth = 0): HelperRetryLoop[] {
  const loops: HelperRetryLoop[] = ownRetryLoops(helper).map(({ loop, parameterIndex }) => ({
    loop,
    parameterIndex,
    count: (call) => loopCount(loop, (expression) => resolveAtCall(expression, helper, call, model)),
  }));
  if (depth > 0 || !helper.body) return loops;
  const parameters = helper.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
  for (const call of callsIn(helper.body)) {
    const inner = workflowHelperOf(call, model);
    if (!inner || inner === helper) continue;
    for (const innerLoop of helperRetryLoops(inner, model, depth + 1)) {
      const argument = call.arguments[innerLoop.parameterIndex];
      const handedOn = argument && skipOuterExpressions(argument);
      const parameterIndex = handedOn && ts.isIdentifier(handedOn) ? parameters.indexOf(handedOn.text) : -1;
      if (parameterIndex >= 0) loops.push({ loop: innerLoop.loop, parameterIndex, count: () => innerLoop.count(call) });
    }
  }
  return loops;
}

/** Loops of a helper whose retry try block calls one of the helper's parameters. */
function ownRetryLoops(helper: FunctionNode): { loop: ts.IterationStatement; parameterIndex: number }[] {
  const result: { loop: ts.IterationStatement; parameterIndex: number }[] = [];
  const parameters = helper.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && node !== helper) return;
    if (isLoop(node)) {
      const shape = retryShape(node);
      if (shape) {
        for (const call of callsIn(shape.tryBlock)) {
          const callee = skipOuterExpressions(call.expression);
          const index = ts.isIdentifier(callee) ? parameters.indexOf(callee.text) : -1;
          if (index >= 0) result.push({ loop: node, parameterIndex: index });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  if (helper.body) visit(helper.body);
  return result;
}

/** The function an argument passes: an inline arrow or function expression, or a local const holding one. */
function callbackOf(argument: ts.Expression, model: TemporalModel): FunctionNode | undefined {
  const expression = skipOuterExpressions(argument);
  if ((ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) && expression.body) return expression;
  if (ts.isIdentifier(expression)) {
    const fn = functionOfDeclaration(model.declarationOf(expression));
    return fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? fn : undefined;
  }
  return undefined;
}

/** Calls under a node, not inside nested functions (except arrow callbacks passed as arguments). */
function callsIn(node: ts.Node): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (current: ts.Node): void => {
    if (ts.isFunctionDeclaration(current) || ts.isClassLike(current)) return;
    if (ts.isCallExpression(current)) calls.push(current);
    ts.forEachChild(current, visit);
  };
  if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) visit(node.body);
  else visit(node);
  return calls;
}

/**
 * How many times a counted loop runs: `for (let i = S; i < N; i++)` (or `<=`, or `attempt <= N`
 * in a while with a counter) with S and N resolved; undefined otherwise.
 */
function loopCount(loop: ts.IterationStatement, resolve: (expression: ts.Expression) => { kind: string; value?: unknown }): number | undefined {
  if (!ts.isForStatement(loop) || !loop.condition || !loop.initializer || !ts.isVariableDeclarationList(loop.initializer)) return undefined;
  const declaration = loop.initializer.declarations[0];
  if (!declaration || !ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  const start = resolve(declaration.initializer);
  const condition = skipOuterExpressions(loop.condition);
  if (!ts.isBinaryExpression(condition) || !ts.isIdentifier(skipOuterExpressions(condition.left)) || (skipOuterExpressions(condition.left) as ts.Identifier).text !== declaration.name.text) return undefined;
  const end = resolve(condition.right);
  if (start.kind !== 'number' || end.kind !== 'number') return undefined;
  const operator = condition.operatorToken.kind;
  const count = operator === ts.SyntaxKind.LessThanToken ? (end.value as number) - (start.value as number) : operator === ts.SyntaxKind.LessThanEqualsToken ? (end.value as number) - (start.value as number) + 1 : undefined;
  // Only loops that count up by one.
  const step = loop.incrementor && skipOuterExpressions(loop.incrementor);
  const countsUp = step && ((ts.isPostfixUnaryExpression(step) || ts.isPrefixUnaryExpression(step)) && step.operator === ts.SyntaxKind.PlusPlusToken);
  return count !== undefined && count > 0 && countsUp ? count : undefined;
}

/**
 * Resolves an expression of the helper body at one call: `options.maxRetries` or `maxRetries` of
 * a parameter reads the argument given at the call; anything else resolves as usual.
 */
function resolveAtCall(expression: ts.Expression, helper: FunctionNode, call: ts.CallExpression, model: TemporalModel): { kind: string; value?: unknown } {
  const inner = skipOuterExpressions(expression);
  const parameterIndex = (name: string) => helper.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name);
  if (ts.isIdentifier(inner)) {
    const index = parameterIndex(inner.text);
    if (index >= 0) return call.arguments[index] ? model.resolveValue(call.arguments[index]!) : { kind: 'unknown' };
  }
  if (ts.isPropertyAccessExpression(inner) && ts.isIdentifier(inner.expression)) {
    const index = parameterIndex(inner.expression.text);
    if (index >= 0) {
      const argument = call.arguments[index];
      if (!argument) return { kind: 'unknown' };
      const value = model.resolveValue(argument);
      return value.kind === 'object' ? (value.properties.get(inner.name.text) ?? { kind: 'unknown' }) : { kind: 'unknown' };
    }
  }
  return model.resolveValue(expression);
}

function firstLine(node: ts.Node): string {
  const text = node.getText().split('\n')[0]!.trim();
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
