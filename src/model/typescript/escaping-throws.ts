// The errors that leave a function as its failure: the throws in its body and in the project
// functions it calls (depth-limited, cycle-safe), less those a surrounding `try` handles. A catch
// lets an error through only where it rethrows the caught value: `throw err`, `return
// Promise.reject(err)`, `throw ApplicationFailure.fromError(err)` without a `type` (the failure keeps
// the class name, TEMPORAL-FACTS §3), or a project helper that throws the error it is given. An
// `instanceof` test around that rethrow narrows what passes (`if (err instanceof ApplicationFailure)
// throw err` lets a PentestError stop there), and so does an early exit before it (`if (err
// instanceof CardDeclined) throw ApplicationFailure.nonRetryable(...); throw err` lets no
// CardDeclined through). A catch that logs and swallows, returns a Result, or
// throws an error of its own stops the caught one; the new error is a throw of its own and is
// counted where it is thrown. `.catch(handler)` on a promise is read the same way.

import ts from 'typescript';
import { calledFunction } from './declarations.js';
import type { ResolveContext } from './resolve-value.js';
import { catchHandlerKeepsError, promiseCatchHandler } from './sandbox/caught-errors.js';
import { isTemporalApi, skipOuterExpressions } from './temporal-api.js';
import { classifyThrow } from './thrown-errors.js';
import type { ThrownError } from './types.js';

const MAX_CALL_DEPTH = 5;

/** What a catch does with an error thrown in its try block: undefined when it stops there. */
type CatchFilter = (error: ThrownError) => ThrownError | undefined;

interface InstanceTest {
  className: string;
  /** false for `!(err instanceof X)`, and for the else branch of `if (err instanceof X)`. */
  matches: boolean;
}

interface Rethrow {
  tests: InstanceTest[];
  /** `ApplicationFailure.fromError(err, { nonRetryable: true })` changes the flag, not the type. */
  nonRetryable?: boolean | 'unknown';
}

export function escapingThrows(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): ThrownError[] {
  const summaries = new Map<ts.Node, ThrownError[]>();
  const inProgress = new Set<ts.Node>();

  const summarize = (current: ts.FunctionLikeDeclaration, depth: number): ThrownError[] => {
    const cached = summaries.get(current);
    if (cached) return cached;
    if (inProgress.has(current) || !current.body) return [];
    inProgress.add(current);
    const found = new Map<string, ThrownError>();
    const escape = (error: ThrownError, catchers: CatchFilter[]) => {
      let passed: ThrownError | undefined = error;
      for (let i = catchers.length - 1; i >= 0 && passed; i--) passed = catchers[i]!(passed);
      if (!passed) return;
      const key = `${passed.location.file}:${passed.location.line}:${passed.location.column}:${String(passed.nonRetryable)}`;
      // Reached along several paths, a throw counts at its shortest distance from the function.
      const known = found.get(key);
      if (!known || (known.depth ?? 0) > (passed.depth ?? 0)) found.set(key, passed);
    };
    const visit = (node: ts.Node, catchers: CatchFilter[]): void => {
      if (ctx.initialisedAtStartup?.has(node)) return;
      if (ts.isThrowStatement(node)) escape(classifyThrow(node, ctx), catchers);
      else if (ts.isTryStatement(node)) {
        const filter = node.catchClause ? catchFilter(node.catchClause, ctx) : undefined;
        visit(node.tryBlock, filter ? [...catchers, filter] : catchers);
        if (node.catchClause) visit(node.catchClause.block, catchers);
        if (node.finallyBlock) visit(node.finallyBlock, catchers);
        return;
      } else if (ts.isCallExpression(node)) {
        const handler = promiseCatchHandler(node);
        if (handler && ts.isPropertyAccessExpression(node.expression)) {
          const keeps = catchHandlerKeepsError(handler);
          visit(node.expression.expression, keeps ? catchers : [...catchers, () => undefined]);
          for (const argument of node.arguments) visit(argument, catchers);
          return;
        }
        if (depth < MAX_CALL_DEPTH) {
          const callee = calledFunction(node, ctx.index);
          if (callee && !callee.getSourceFile().fileName.includes('/node_modules/')) {
            for (const error of summarize(callee, depth + 1)) escape({ ...error, depth: (error.depth ?? 0) + 1 }, catchers);
          }
        }
      }
      ts.forEachChild(node, (child) => visit(child, catchers));
    };
    visit(current.body, []);
    inProgress.delete(current);
    const result = [...found.values()];
    summaries.set(current, result);
    return result;
  };

  return summarize(fn, 0);
}

function catchFilter(clause: ts.CatchClause, ctx: ResolveContext): CatchFilter {
  const binding = clause.variableDeclaration?.name;
  // `catch { ... }` has no name for the error: it cannot rethrow it.
  if (!binding || !ts.isIdentifier(binding)) return () => undefined;
  const names = caughtNames(clause, binding.text);
  const rethrows: Rethrow[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isThrowStatement(node) || (ts.isReturnStatement(node) && node.expression)) {
      const value = skipOuterExpressions(ts.isThrowStatement(node) ? node.expression : node.expression!) as ts.Expression;
      const rethrow = ts.isThrowStatement(node) ? thrownAgain(value, names, ctx) : rejectedAgain(value, names);
      if (rethrow) rethrows.push({ ...rethrow, tests: instanceTests(node, clause, names) });
    } else if (ts.isCallExpression(node) && passesToThrower(node, names, ctx)) {
      rethrows.push({ tests: instanceTests(node, clause, names) });
    }
    ts.forEachChild(node, visit);
  };
  visit(clause.block);
  return (error) => {
    for (const rethrow of rethrows) {
      if (!rethrow.tests.every((test) => passesTest(error, test))) continue;
      return rethrow.nonRetryable === undefined ? error : { ...error, nonRetryable: rethrow.nonRetryable };
    }
    return undefined;
  };
}

/** The catch variable and the consts that alias it (`const err = error as Error`). */
function caughtNames(clause: ts.CatchClause, name: string): Set<string> {
  const names = new Set([name]);
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const value = skipOuterExpressions(node.initializer);
      if (ts.isIdentifier(value) && names.has(value.text)) names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(clause.block);
  return names;
}

function isCaught(node: ts.Node | undefined, names: Set<string>): boolean {
  if (!node) return false;
  const value = skipOuterExpressions(node);
  return ts.isIdentifier(value) && names.has(value.text);
}

/** `throw err`, or `throw ApplicationFailure.fromError(err, overrides)` without a `type` override. */
function thrownAgain(value: ts.Expression, names: Set<string>, ctx: ResolveContext): Omit<Rethrow, 'tests'> | undefined {
  if (isCaught(value, names)) return {};
  if (!ts.isCallExpression(value)) return undefined;
  const callee = skipOuterExpressions(value.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'fromError' || !isTemporalApi(callee.expression, ctx.index, 'ApplicationFailure')) return undefined;
  if (!isCaught(value.arguments[0], names)) return undefined;
  const overrides = value.arguments[1] && skipOuterExpressions(value.arguments[1]);
  if (!overrides) return {};
  if (!ts.isObjectLiteralExpression(overrides)) return { nonRetryable: 'unknown' };
  let nonRetryable: boolean | 'unknown' | undefined;
  for (const property of overrides.properties) {
    const name = property.name && ts.isIdentifier(property.name) ? property.name.text : undefined;
    if (!name) return { nonRetryable: 'unknown' };
    if (name === 'type') return undefined;
    if (name === 'nonRetryable') {
      const flag = ts.isPropertyAssignment(property) ? property.initializer.kind : undefined;
      nonRetryable = flag === ts.SyntaxKind.TrueKeyword ? true : flag === ts.SyntaxKind.FalseKeyword ? false : 'unknown';
    }
  }
  return nonRetryable === undefined ? {} : { nonRetryable };
}

/** `return Promise.reject(err)`. */
function rejectedAgain(value: ts.Expression, names: Set<string>): Omit<Rethrow, 'tests'> | undefined {
  if (!ts.isCallExpression(value) || !ts.isPropertyAccessExpression(value.expression)) return undefined;
  const { expression: target, name } = value.expression;
  return name.text === 'reject' && ts.isIdentifier(target) && target.text === 'Promise' && isCaught(value.arguments[0], names) ? {} : undefined;
}

/** `handleError(err)` where the project's handleError throws the parameter it receives. */
function passesToThrower(call: ts.CallExpression, names: Set<string>, ctx: ResolveContext): boolean {
  const position = call.arguments.findIndex((argument) => isCaught(argument, names));
  if (position < 0) return false;
  const callee = calledFunction(call, ctx.index);
  const parameter = callee?.parameters[position]?.name;
  if (!callee?.body || !parameter || !ts.isIdentifier(parameter)) return false;
  let throwsIt = false;
  const visit = (node: ts.Node): void => {
    if (throwsIt) return;
    if (ts.isThrowStatement(node) && isCaught(node.expression, new Set([parameter.text]))) throwsIt = true;
    ts.forEachChild(node, visit);
  };
  visit(callee.body);
  return throwsIt;
}

/** The `instanceof` tests on the caught error that must hold for `node` to run, up to the catch. */
function instanceTests(node: ts.Node, clause: ts.CatchClause, names: Set<string>): InstanceTest[] {
  const tests: InstanceTest[] = [];
  for (let current: ts.Node = node; current !== clause && current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isBlock(parent)) tests.push(...earlierExits(parent, current, names));
    if (!ts.isIfStatement(parent) || parent.expression === current) continue;
    const conjuncts = conditionTests(parent.expression, names);
    if (parent.thenStatement === current) tests.push(...conjuncts.tests);
    else if (conjuncts.tests.length === 1 && conjuncts.only) tests.push({ ...conjuncts.tests[0]!, matches: !conjuncts.tests[0]!.matches });
  }
  return tests;
}

/**
 * `if (err instanceof X) throw other;` before `statement` in the same block: past it, the error is
 * not an X (the early exit is an implicit else).
 */
function earlierExits(block: ts.Block, statement: ts.Node, names: Set<string>): InstanceTest[] {
  const tests: InstanceTest[] = [];
  for (const earlier of block.statements) {
    if (earlier === statement) break;
    if (!ts.isIfStatement(earlier) || earlier.elseStatement || !alwaysExits(earlier.thenStatement)) continue;
    const conjuncts = conditionTests(earlier.expression, names);
    if (conjuncts.tests.length === 1 && conjuncts.only) tests.push({ ...conjuncts.tests[0]!, matches: !conjuncts.tests[0]!.matches });
  }
  return tests;
}

function alwaysExits(statement: ts.Statement): boolean {
  if (ts.isThrowStatement(statement) || ts.isReturnStatement(statement)) return true;
  if (!ts.isBlock(statement)) return false;
  const last = statement.statements[statement.statements.length - 1];
  return last !== undefined && (ts.isThrowStatement(last) || ts.isReturnStatement(last));
}

/** The instanceof tests of a condition's `&&` parts; `only` when the condition is nothing else. */
function conditionTests(condition: ts.Expression, names: Set<string>): { tests: InstanceTest[]; only: boolean } {
  const expression = skipOuterExpressions(condition) as ts.Expression;
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
    const left = conditionTests(expression.left, names);
    const right = conditionTests(expression.right, names);
    return { tests: [...left.tests, ...right.tests], only: false };
  }
  const negated = ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken;
  const inner = negated ? (skipOuterExpressions(expression.operand) as ts.Expression) : expression;
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && isCaught(inner.left, names)) {
    const right = skipOuterExpressions(inner.right);
    const className = ts.isIdentifier(right) ? right.text : ts.isPropertyAccessExpression(right) ? right.name.text : undefined;
    if (className) return { tests: [{ className, matches: !negated }], only: true };
  }
  return { tests: [], only: false };
}

/**
 * Whether an error can pass a test. An error of unknown class passes every test; so does a class
 * whose chain the source does not show up to Error (a library base may be the tested class).
 */
function passesTest(error: ThrownError, test: InstanceTest): boolean {
  const chain = error.classChain;
  if (!chain) return true;
  const inChain = chain.includes(test.className);
  if (test.matches) return inChain || chain[chain.length - 1] !== 'Error';
  return !inChain;
}
