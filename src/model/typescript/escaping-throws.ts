// The errors that leave a function as its failure: the throws in its body and in the project
// functions it calls (depth-limited, cycle-safe), less those a surrounding `try` handles. A catch
// lets an error through only where it rethrows the caught value: `throw err`, `return
// Promise.reject(err)`, `throw ApplicationFailure.fromError(err)` without a `type` (the failure keeps
// the class name, TEMPORAL-FACTS §3), or a project helper that throws the error it is given. An
// `instanceof` test around that rethrow narrows what passes (`if (err instanceof ApplicationFailure)
// throw err` lets a PentestError stop there), and so does an early exit before it (`if (err
// instanceof CardDeclined) throw ApplicationFailure.nonRetryable(...); throw err` lets no
// CardDeclined through); a type guard of the project's (`if (!isPermanent(err)) throw err` where
// isPermanent returns `err instanceof A || err instanceof B`) counts as those tests. A catch that
// logs and swallows, returns a Result, or throws an error of its own stops the caught one; the new
// error is a throw of its own and is counted where it is thrown. `.catch(handler)` on a promise is
// read the same way. A callback handed to a project helper that calls it inside a `try`
// (`runWithTranslation(async () => work())`) has its throws pass that helper's catch too.
// Each escaping throw keeps how many calls deep it sits from the function asked about.

import ts from 'typescript';
import { calledFunction, declarationOf } from './declarations.js';
import type { ResolveContext } from './resolve-value.js';
import { catchHandlerKeepsError, promiseCatchHandler } from './sandbox/caught-errors.js';
import { isTemporalApi, skipOuterExpressions } from './temporal-api.js';
import { classifyThrow } from './thrown-errors.js';
import type { ThrownError } from './types.js';

const MAX_CALL_DEPTH = 5;

/** What a catch does with an error thrown in its try block: undefined when it stops there. */
type CatchFilter = (error: ThrownError) => ThrownError | undefined;

interface InstanceTest {
  /** The error is one of these classes (`err instanceof A || err instanceof B`, or a guard returning that). */
  classNames: string[];
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
      // Reached along several paths, a throw sits as deep as its shortest one.
      const known = found.get(key);
      if (!known || (known.callDepth ?? 0) > (passed.callDepth ?? 0)) found.set(key, passed);
    };
    const visit = (node: ts.Node, catchers: CatchFilter[]): void => {
      if (ctx.initialisedAtStartup?.has(node)) return;
      if (ts.isThrowStatement(node)) escape({ ...classifyThrow(node, ctx), callDepth: 0 }, catchers);
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
        const callee = calledFunction(node, ctx.index);
        const reviewed = callee !== undefined && !callee.getSourceFile().fileName.includes('/node_modules/');
        if (reviewed && depth < MAX_CALL_DEPTH) {
          for (const error of summarize(callee, depth + 1)) escape({ ...error, callDepth: (error.callDepth ?? 0) + 1 }, catchers);
        }
        if (reviewed) {
          // A callback the helper calls only inside its own `try`: its throws meet that catch first.
          ts.forEachChild(node, (child) => {
            const position = node.arguments.indexOf(child as ts.Expression);
            const callback = position >= 0 ? skipOuterExpressions(child) : undefined;
            const chains = callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) ? catchersAroundCalls(callee, position, ctx) : undefined;
            if (chains) for (const chain of chains) visit(callback!, [...catchers, ...chain]);
            else visit(child, catchers);
          });
          return;
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
      if (rethrow) rethrows.push({ ...rethrow, tests: instanceTests(node, clause, names, ctx) });
    } else if (ts.isCallExpression(node) && passesToThrower(node, names, ctx)) {
      rethrows.push({ tests: instanceTests(node, clause, names, ctx) });
    }
    ts.forEachChild(node, visit);
  };
  visit(clause.block);
  return (error) => {
    // Several rethrows can take the same error when a condition the review does not weigh picks
    // between them (`if (err.data.retry) throw fromError(err, { nonRetryable: false }); else
    // throw fromError(err, { nonRetryable: true })`): when they disagree on the flag, it is unknown.
    const flags = rethrows
      .filter((rethrow) => rethrow.tests.every((test) => passesTest(error, test)))
      .map((rethrow) => (rethrow.nonRetryable === undefined ? error.nonRetryable : rethrow.nonRetryable));
    if (flags.length === 0) return undefined;
    const nonRetryable = flags.every((flag) => flag === flags[0]) ? flags[0] : 'unknown';
    return nonRetryable === error.nonRetryable ? error : { ...error, nonRetryable };
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
function instanceTests(node: ts.Node, clause: ts.CatchClause, names: Set<string>, ctx: ResolveContext): InstanceTest[] {
  const tests: InstanceTest[] = [];
  for (let current: ts.Node = node; current !== clause && current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isBlock(parent)) tests.push(...earlierExits(parent, current, names, ctx));
    if (!ts.isIfStatement(parent) || parent.expression === current) continue;
    const conjuncts = conditionTests(parent.expression, names, ctx);
    if (parent.thenStatement === current) tests.push(...conjuncts.tests);
    else if (conjuncts.tests.length === 1 && conjuncts.only) tests.push({ ...conjuncts.tests[0]!, matches: !conjuncts.tests[0]!.matches });
  }
  return tests;
}

/**
 * `if (err instanceof X) throw other;` before `statement` in the same block: past it, the error is
 * not an X (the early exit is an implicit else).
 */
function earlierExits(block: ts.Block, statement: ts.Node, names: Set<string>, ctx: ResolveContext): InstanceTest[] {
  const tests: InstanceTest[] = [];
  for (const earlier of block.statements) {
    if (earlier === statement) break;
    if (!ts.isIfStatement(earlier) || earlier.elseStatement || !alwaysExits(earlier.thenStatement)) continue;
    const conjuncts = conditionTests(earlier.expression, names, ctx);
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
function conditionTests(condition: ts.Expression, names: Set<string>, ctx: ResolveContext): { tests: InstanceTest[]; only: boolean } {
  const expression = skipOuterExpressions(condition) as ts.Expression;
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
    const left = conditionTests(expression.left, names, ctx);
    const right = conditionTests(expression.right, names, ctx);
    return { tests: [...left.tests, ...right.tests], only: false };
  }
  const negated = ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken;
  const inner = negated ? (skipOuterExpressions(expression.operand) as ts.Expression) : expression;
  const classNames = instanceOfAny(inner, names, ctx, 0);
  if (classNames) return { tests: [{ classNames, matches: !negated }], only: true };
  // `const terminal = terminalErrorOf(err); if (!terminal) throw err;`: the error passes only when
  // it is none of the classes the classifier certainly maps to a value.
  const mapped = negated ? classifiedClasses(inner, names, ctx) : undefined;
  if (mapped) return { tests: [{ classNames: mapped, matches: false }], only: true };
  return { tests: [], only: false };
}

/**
 * For `v` declared `const v = classify(err)` with the caught error: the classes for which the
 * project's classify returns a value for sure (`if (error instanceof A) return error;`), when
 * every return of it but the last statement returns something other than null or undefined.
 */
function classifiedClasses(test: ts.Expression, names: Set<string>, ctx: ResolveContext): string[] | undefined {
  if (!ts.isIdentifier(test)) return undefined;
  const declaration = declarationOf(test, ctx.index);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) === 0) return undefined;
  const call = skipOuterExpressions(declaration.initializer);
  if (!ts.isCallExpression(call)) return undefined;
  const position = call.arguments.findIndex((argument) => isCaught(argument, names));
  const classify = position >= 0 ? calledFunction(call, ctx.index) : undefined;
  const parameter = classify?.parameters[position]?.name;
  if (!classify?.body || !ts.isBlock(classify.body) || !parameter || !ts.isIdentifier(parameter)) return undefined;
  const statements = classify.body.statements;
  const last = statements[statements.length - 1];
  let emptyReturn = false;
  const visit = (node: ts.Node): void => {
    if (emptyReturn || (ts.isFunctionLike(node) && node !== classify)) return;
    if (ts.isReturnStatement(node) && node !== last && (!node.expression || isNothing(node.expression))) emptyReturn = true;
    ts.forEachChild(node, visit);
  };
  visit(classify.body);
  if (emptyReturn) return undefined;
  const own = new Set([parameter.text]);
  const classes: string[] = [];
  for (const statement of statements) {
    if (!ts.isIfStatement(statement) || statement.elseStatement) continue;
    const then = ts.isBlock(statement.thenStatement) && statement.thenStatement.statements.length === 1 ? statement.thenStatement.statements[0]! : statement.thenStatement;
    if (!ts.isReturnStatement(then) || !then.expression) continue;
    const matched = instanceOfAny(statement.expression, own, ctx, 1);
    if (matched) classes.push(...matched);
  }
  return classes.length > 0 ? classes : undefined;
}

function isNothing(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  return value.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined') || ts.isVoidExpression(value);
}

const MAX_GUARD_DEPTH = 2;

/**
 * The classes a test of the caught error matches when it is nothing but instanceof tests joined by
 * `||`: `err instanceof A`, `err instanceof A || err instanceof B`, or a project guard called with
 * the error whose body returns such a test of its parameter (`isPermanent(err)`).
 */
function instanceOfAny(test: ts.Expression, names: Set<string>, ctx: ResolveContext, depth: number): string[] | undefined {
  const expression = skipOuterExpressions(test) as ts.Expression;
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
    const left = instanceOfAny(expression.left, names, ctx, depth);
    const right = left && instanceOfAny(expression.right, names, ctx, depth);
    return left && right ? [...left, ...right] : undefined;
  }
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && isCaught(expression.left, names)) {
    const right = skipOuterExpressions(expression.right);
    const className = ts.isIdentifier(right) ? right.text : ts.isPropertyAccessExpression(right) ? right.name.text : undefined;
    return className ? [className] : undefined;
  }
  if (!ts.isCallExpression(expression) || depth >= MAX_GUARD_DEPTH) return undefined;
  const position = expression.arguments.findIndex((argument) => isCaught(argument, names));
  const guard = position >= 0 ? calledFunction(expression, ctx.index) : undefined;
  const parameter = guard?.parameters[position]?.name;
  if (!guard?.body || !parameter || !ts.isIdentifier(parameter)) return undefined;
  const returned = soleReturnedExpression(guard.body);
  return returned ? instanceOfAny(returned, new Set([parameter.text]), ctx, depth + 1) : undefined;
}

/** `(x) => expression`, or a body that is a single `return expression;`. */
function soleReturnedExpression(body: ts.ConciseBody): ts.Expression | undefined {
  if (!ts.isBlock(body)) return body;
  const [only, ...rest] = body.statements;
  return only && rest.length === 0 && ts.isReturnStatement(only) ? only.expression : undefined;
}

/**
 * For the callback a helper receives at `position`: the catches around each place the helper calls
 * it, innermost last. Undefined when the helper does anything else with it (passes it on, stores
 * it) or never calls it: then where its throws go is not known here.
 */
function catchersAroundCalls(helper: ts.FunctionLikeDeclaration, position: number, ctx: ResolveContext): CatchFilter[][] | undefined {
  const parameter = helper.parameters[position]?.name;
  if (!helper.body || !parameter || !ts.isIdentifier(parameter)) return undefined;
  const chains: CatchFilter[][] = [];
  let other = false;
  const visit = (node: ts.Node, catchers: CatchFilter[]): void => {
    if (other) return;
    if (ts.isTryStatement(node)) {
      visit(node.tryBlock, node.catchClause ? [...catchers, catchFilter(node.catchClause, ctx)] : catchers);
      if (node.catchClause) visit(node.catchClause.block, catchers);
      if (node.finallyBlock) visit(node.finallyBlock, catchers);
      return;
    }
    if (ts.isIdentifier(node) && node.text === parameter.text && node !== parameter) {
      const parent = node.parent;
      if (ts.isCallExpression(parent) && parent.expression === node) chains.push(catchers);
      else other = true;
      return;
    }
    ts.forEachChild(node, (child) => visit(child, catchers));
  };
  visit(helper.body, []);
  return other || chains.length === 0 ? undefined : chains;
}

/**
 * Whether an error can pass a test. An error of unknown class passes every test; so does a class
 * whose chain the source does not show up to Error (a library base may be the tested class).
 */
function passesTest(error: ThrownError, test: InstanceTest): boolean {
  const chain = error.classChain;
  if (!chain) return true;
  const inChain = test.classNames.some((name) => chain.includes(name));
  if (test.matches) return inChain || chain[chain.length - 1] !== 'Error';
  return !inChain;
}
