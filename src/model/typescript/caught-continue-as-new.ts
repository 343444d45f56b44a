// Where a catch in workflow code takes the ContinueAsNew error that `await continueAsNew(...)`
// rejects with (also a function made by `makeContinueAsNewFunc(...)`), directly in the try block
// or through a helper of the project the try awaits (one level). The SDK continues the workflow as
// new only when that error leaves the workflow function (`error instanceof ContinueAsNew` in
// handleWorkflowFailure, @temporalio/workflow internals.ts); a catch that logs and returns, throws
// an ApplicationFailure of its own or falls through ends the run, or fails it, after one iteration.
//
// A catch lets it out when, on the path the ContinueAsNew error takes through the catch block, it
// throws the caught value again: `throw err` (or a const alias of it), `return Promise.reject(err)`,
// a project helper that throws the parameter it is given. The path is read from the `if`s around
// the rethrow and the early exits before it, with each condition weighed for a ContinueAsNew:
// `err instanceof ContinueAsNew` and `err instanceof Error` hold (ContinueAsNew extends Error),
// `err instanceof ApplicationFailure` (any other class) does not, `isCancellation(err)` does not,
// `err.name === 'ContinueAsNew'` does (the SDK sets the name on the prototype), a call of a
// project guard whose name says continue-as-new does, and a project guard that returns such a test
// is read through. A condition it cannot weigh makes the verdict `unclear`.
//
// Left alone: `return continueAsNew(...)` inside a try (the promise is returned, not awaited, so
// the catch never sees its rejection), a call that is not awaited, a catch whose rethrow holds on
// the ContinueAsNew path, a try with only a finally.

import ts from 'typescript';
import type { CaughtContinueAsNew } from '../caught-continue-as-new.js';
import { functionOfDeclaration } from './declarations.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { TemporalModel } from './types.js';

export type { CaughtContinueAsNew };

/** Three-valued: the condition certainly fails, may hold, certainly holds for a ContinueAsNew. */
const NO = 0;
const MAYBE = 1;
const YES = 2;
type Tri = 0 | 1 | 2;
const and = (a: Tri, b: Tri): Tri => (Math.min(a, b) as Tri);
const or = (a: Tri, b: Tri): Tri => (Math.max(a, b) as Tri);
const not = (a: Tri): Tri => ((2 - a) as Tri);

/** Classes a ContinueAsNew is an instance of. */
const CONTINUE_AS_NEW_CLASSES = new Set(['ContinueAsNew', 'Error', 'Object']);
const GUARD_NAME = /continue_?as_?new/i;
const MAX_DEPTH = 2;

const cache = new WeakMap<TemporalModel, CaughtContinueAsNew[]>();

interface Hit {
  clause: ts.CatchClause;
  call: ts.CallExpression;
  via?: string;
  reading: CatchReading;
}

export function caughtContinueAsNew(model: TemporalModel): CaughtContinueAsNew[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const calls: ts.CallExpression[] = [];
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !/continueAsNew|ContinueAsNewFunc/.test(sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isContinueAsNewCall(node, model)) calls.push(node);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  const hits = new Map<ts.CatchClause, Hit[]>();
  const add = (hit: Hit) => hits.set(hit.clause, [...(hits.get(hit.clause) ?? []), hit]);
  // Helpers the continue-as-new leaves (to their caller's await), with the call that does it.
  const escaping = new Map<ts.FunctionLikeDeclaration, ts.CallExpression>();
  for (const call of calls) {
    const point = propagation(call);
    if (!point) continue;
    const fn = enclosingFunctionOf(call);
    if (point === 'returned') {
      if (fn && !escaping.has(fn)) escaping.set(fn, call);
      continue;
    }
    const taken = firstTaking(point, call, model);
    if (taken) add({ ...taken, call });
    else if (fn && !escaping.has(fn)) escaping.set(fn, call);
  }
  if (escaping.size > 0) {
    for (const file of model.files) {
      const sourceFile = model.sourceFile(file);
      if (!sourceFile) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && !isContinueAsNewCall(node, model)) {
          const helper = calledHelper(node, model);
          const inner = helper && escaping.get(helper);
          if (inner) {
            const point = propagation(node);
            const taken = point && point !== 'returned' ? firstTaking(point, node, model) : undefined;
            if (taken) add({ ...taken, call: inner, via: helperName(helper) ?? skipOuterExpressions(node.expression).getText() });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
    }
  }
  const found: CaughtContinueAsNew[] = [];
  for (const [clause, list] of hits) {
    const first = list[0]!;
    const reading = first.reading;
    const fn = enclosingFunctionOf(clause);
    found.push({
      location: model.locate(clause),
      callLocation: model.locate(first.call),
      otherCalls: list.slice(1).map((hit) => model.locate(hit.call)),
      ...(first.via ? { via: first.via } : {}),
      verdict: reading.verdict === 'unclear' ? 'unclear' : 'swallows',
      outcome: reading.outcome,
      caught: clause.variableDeclaration ? `catch (${clause.variableDeclaration.name.getText()})` : 'catch',
      ...(reading.unclearAt ? { unclearAt: { location: model.locate(reading.unclearAt), text: shortText(reading.unclearAt) } } : {}),
      ...(reading.endsRethrowing ? { endsRethrowing: true } : {}),
      inLoop: inLoop(clause.parent),
      ...(fn && helperName(fn) ? { functionName: helperName(fn)! } : {}),
    });
  }
  found.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  cache.set(model, found);
  return found;
}

/** `continueAsNew(...)`, `makeContinueAsNewFunc(...)(...)`, or a call of a const holding such a function. */
export function isContinueAsNewCall(call: ts.CallExpression, model: TemporalModel): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (model.temporalApiOf(callee)?.name === 'continueAsNew') return true;
  if (ts.isCallExpression(callee)) return model.temporalApiOf(callee.expression)?.name === 'makeContinueAsNewFunc';
  if (!ts.isIdentifier(callee)) return false;
  const declaration = model.declarationOf(callee);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const initializer = skipOuterExpressions(declaration.initializer);
  return ts.isCallExpression(initializer) && model.temporalApiOf(initializer.expression)?.name === 'makeContinueAsNewFunc';
}

/**
 * Where the call's rejection goes: the `await` that throws it in this function, `returned` when the
 * promise is the function's result (`return continueAsNew(...)`, `() => continueAsNew(...)`:
 * no try of this function sees it; the caller's await does), undefined when it is not awaited.
 */
function propagation(call: ts.CallExpression): ts.AwaitExpression | 'returned' | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isSatisfiesExpression(node.parent) || ts.isTypeAssertionExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (!parent) return undefined;
  if (ts.isAwaitExpression(parent)) return parent;
  if (ts.isReturnStatement(parent)) return 'returned';
  if (ts.isArrowFunction(parent) && parent.body === node) return 'returned';
  return undefined;
}

function enclosingFunctionOf(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current as ts.FunctionLikeDeclaration;
  return undefined;
}

/** The innermost catch around the await (in the same function) that does not surely let the error out. */
function firstTaking(point: ts.Node, call: ts.CallExpression, model: TemporalModel): { clause: ts.CatchClause; reading: CatchReading } | undefined {
  for (let current: ts.Node = point; current.parent && !ts.isFunctionLike(current); current = current.parent) {
    const parent = current.parent;
    if (!ts.isTryStatement(parent) || parent.tryBlock !== current || !parent.catchClause) continue;
    const reading = readCatch(parent.catchClause, call, model);
    if (reading.verdict !== 'rethrows') return { clause: parent.catchClause, reading };
  }
  return undefined;
}

function calledHelper(call: ts.CallExpression, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const fn = functionOfDeclaration(model.declarationOf(callee));
  if (!fn?.body || fn.getSourceFile().isDeclarationFile || !model.files.includes(fn.getSourceFile().fileName)) return undefined;
  return fn;
}

function helperName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  const holder = fn.parent;
  if (holder && (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && ts.isIdentifier(holder.name)) return holder.name.text;
  return undefined;
}

function inLoop(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isFunctionLike(current); current = current.parent) {
    if (ts.isIterationStatement(current, false)) return true;
  }
  return false;
}

function shortText(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export interface CatchReading {
  verdict: 'rethrows' | 'swallows' | 'unclear';
  outcome: CaughtContinueAsNew['outcome'];
  /** The condition or value the verdict could not weigh. */
  unclearAt?: ts.Node;
  endsRethrowing?: boolean;
}

/** What a catch clause does with a ContinueAsNew error thrown in its try block. */
export function readCatch(clause: ts.CatchClause, call: ts.CallExpression | undefined, model: TemporalModel): CatchReading {
  const reader = new CatchReader(clause, model);
  return reader.read(call);
}

class CatchReader {
  private readonly names = new Set<string>();
  private unclearAt: ts.Node | undefined;

  constructor(
    private readonly clause: ts.CatchClause,
    private readonly model: TemporalModel,
  ) {
    const binding = clause.variableDeclaration?.name;
    if (binding && ts.isIdentifier(binding)) {
      this.names.add(binding.text);
      // `const e = err as Error`, `const error = err instanceof Error ? err : new Error(String(err))`.
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node)) return;
        if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && this.value(node.initializer, 0) === YES) this.names.add(node.name.text);
        ts.forEachChild(node, visit);
      };
      visit(clause.block);
    }
  }

  read(call: ts.CallExpression | undefined): CatchReading {
    let best = NO as Tri;
    let bestUnclear: ts.Node | undefined;
    let again: { tri: Tri; call: ts.CallExpression } | undefined;
    const consider = (tri: Tri, unclear: ts.Node | undefined) => {
      if (tri > best) {
        best = tri;
        bestUnclear = unclear;
      }
    };
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isThrowStatement(node)) {
        this.unclearAt = undefined;
        const value = this.value(node.expression, 0);
        if (value > NO) consider(and(value, this.path(node)), this.unclearAt ?? node.expression);
      } else if (ts.isReturnStatement(node) && node.expression && this.isRejection(node.expression)) {
        this.unclearAt = undefined;
        consider(this.path(node), this.unclearAt);
      } else if (ts.isCallExpression(node)) {
        if (isContinueAsNewCall(node, this.model)) {
          this.unclearAt = undefined;
          const tri = this.path(node);
          if (tri > NO && (!again || tri > again.tri)) again = { tri, call: node };
        } else {
          const thrower = this.passesToThrower(node);
          if (thrower > NO) {
            this.unclearAt = undefined;
            consider(and(thrower, this.path(node)), this.unclearAt ?? node);
          }
        }
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && this.isCaught(node.right) && this.thrownLater(node.left)) {
        // `lastError = err;` with `throw lastError` after the try: it may go out that way.
        consider(MAYBE, node);
      }
      ts.forEachChild(node, visit);
    };
    visit(this.clause.block);
    const outcome = this.outcome();
    if (best === YES) return { verdict: 'rethrows', outcome };
    if (again && call && again.tri === YES && sameArguments(again.call, call)) return { verdict: 'rethrows', outcome };
    if (best === MAYBE) return { verdict: 'unclear', outcome, ...(bestUnclear ? { unclearAt: bestUnclear } : {}), ...(this.endsRethrowing() ? { endsRethrowing: true } : {}) };
    if (again) return { verdict: 'unclear', outcome: 'continues-again', unclearAt: again.call };
    return { verdict: 'swallows', outcome };
  }

  /** The catch block's last statement throws the caught error again (`throw err`). */
  private endsRethrowing(): boolean {
    const last = this.clause.block.statements[this.clause.block.statements.length - 1];
    return last !== undefined && ts.isThrowStatement(last) && this.value(last.expression, 0) === YES;
  }

  /** What the catch block ends with. */
  private outcome(): CaughtContinueAsNew['outcome'] {
    const last = this.clause.block.statements[this.clause.block.statements.length - 1];
    if (!last) return 'goes-on';
    if (ts.isReturnStatement(last)) return 'returns';
    if (ts.isThrowStatement(last)) return this.throwsFailure(last.expression) ? 'throws-failure' : 'throws-other';
    if (ts.isExpressionStatement(last)) {
      const expression = skipOuterExpressions(last.expression);
      const call = ts.isAwaitExpression(expression) ? skipOuterExpressions(expression.expression) : expression;
      if (ts.isCallExpression(call) && isContinueAsNewCall(call, this.model)) return 'continues-again';
    }
    return 'goes-on';
  }

  /** `new ApplicationFailure(...)`, `ApplicationFailure.create/nonRetryable/retryable/fromError(...)`, another Temporal failure. */
  private throwsFailure(expression: ts.Expression): boolean {
    const value = skipOuterExpressions(expression);
    const target = ts.isNewExpression(value) ? value.expression : ts.isCallExpression(value) ? skipOuterExpressions(value.expression) : undefined;
    if (!target) return false;
    const head = ts.isPropertyAccessExpression(target) ? target.expression : target;
    const name = this.model.temporalApiOf(head)?.name ?? '';
    return /Failure$/.test(name);
  }

  private isCaught(node: ts.Node): boolean {
    const value = skipOuterExpressions(node);
    return ts.isIdentifier(value) && this.names.has(value.text);
  }

  /** `Promise.reject(err)`. */
  private isRejection(expression: ts.Expression): boolean {
    const value = skipOuterExpressions(expression);
    return (
      ts.isCallExpression(value) &&
      ts.isPropertyAccessExpression(value.expression) &&
      value.expression.name.text === 'reject' &&
      ts.isIdentifier(value.expression.expression) &&
      value.expression.expression.text === 'Promise' &&
      value.arguments[0] !== undefined &&
      this.isCaught(value.arguments[0])
    );
  }

  /** Whether a thrown value is the caught ContinueAsNew. */
  private value(expression: ts.Expression, depth: number): Tri {
    const value = skipOuterExpressions(expression) as ts.Expression;
    if (this.isCaught(value)) return YES;
    if (ts.isConditionalExpression(value)) {
      const condition = this.condition(value.condition, 0);
      return or(and(condition, this.value(value.whenTrue, depth)), and(not(condition), this.value(value.whenFalse, depth)));
    }
    if (ts.isBinaryExpression(value) && (value.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || value.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      const left = this.value(value.left, depth);
      return left === YES ? YES : or(left, this.value(value.right, depth));
    }
    if (ts.isNewExpression(value) || ts.isLiteralExpression(value) || ts.isTemplateExpression(value) || ts.isObjectLiteralExpression(value)) return NO;
    if (ts.isCallExpression(value)) {
      const position = value.arguments.findIndex((argument) => this.isCaught(argument));
      if (position < 0) return NO;
      const callee = skipOuterExpressions(value.expression);
      if (this.model.temporalApiOf(ts.isPropertyAccessExpression(callee) ? callee.expression : callee)) return NO;
      const helper = calledHelper(value, this.model);
      if (!helper) {
        this.unclearAt ??= value;
        return MAYBE;
      }
      // A helper that may hand its parameter back unchanged (`return err instanceof X ? err : wrap(err)`).
      const parameter = helper.parameters[position]?.name;
      if (!parameter || !ts.isIdentifier(parameter) || !helper.body) return NO;
      if (returnsParameter(helper, parameter.text)) {
        this.unclearAt ??= value;
        return MAYBE;
      }
      return NO;
    }
    if (ts.isIdentifier(value) && depth < MAX_DEPTH) {
      const declaration = this.model.declarationOf(value);
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && this.within(declaration)) return this.value(declaration.initializer, depth + 1);
    }
    return NO;
  }

  private within(node: ts.Node): boolean {
    return node.pos >= this.clause.block.pos && node.end <= this.clause.block.end && node.getSourceFile() === this.clause.getSourceFile();
  }

  /** `handleError(err)` where the project's handleError throws the parameter it receives: YES when at its top level, MAYBE under a condition. */
  private passesToThrower(call: ts.CallExpression): Tri {
    const position = call.arguments.findIndex((argument) => this.isCaught(argument));
    if (position < 0) return NO;
    const helper = calledHelper(call, this.model);
    if (!helper) {
      // A function the review cannot read whose name says it throws (`rethrowIfFatal(err)`).
      const callee = skipOuterExpressions(call.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      return /throw|raise/i.test(name) ? MAYBE : NO;
    }
    const parameter = helper.parameters[position]?.name;
    if (!helper.body || !parameter || !ts.isIdentifier(parameter)) return NO;
    let found: Tri = NO;
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && node !== helper) return;
      if (ts.isThrowStatement(node)) {
        const thrown = skipOuterExpressions(node.expression);
        if (ts.isIdentifier(thrown) && thrown.text === parameter.text) found = or(found, ts.isBlock(helper.body!) && node.parent === helper.body ? YES : MAYBE);
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(helper.body, visit);
    return found;
  }

  /** `x = err` where the enclosing function throws x somewhere outside this catch. */
  private thrownLater(target: ts.Expression): boolean {
    const name = skipOuterExpressions(target);
    if (!ts.isIdentifier(name)) return false;
    const fn = enclosingFunctionOf(this.clause);
    if (!fn?.body) return false;
    let thrown = false;
    const visit = (node: ts.Node): void => {
      if (thrown) return;
      if (ts.isThrowStatement(node) && !this.within(node)) {
        const value = skipOuterExpressions(node.expression);
        const head = ts.isBinaryExpression(value) ? skipOuterExpressions(value.left) : value;
        if (ts.isIdentifier(head) && head.text === name.text) thrown = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
    return thrown;
  }

  /** Whether the path from the catch block's start to `site` is taken for a ContinueAsNew. */
  private path(site: ts.Node): Tri {
    let tri: Tri = YES;
    for (let current: ts.Node = site; current !== this.clause.block && current.parent; current = current.parent) {
      const parent = current.parent;
      if (ts.isBlock(parent)) {
        for (const earlier of parent.statements) {
          if (earlier === current) break;
          tri = and(tri, this.passes(earlier));
        }
      } else if (ts.isIfStatement(parent) && current !== parent.expression) {
        const condition = this.condition(parent.expression, 0);
        tri = and(tri, current === parent.thenStatement ? condition : not(condition));
        if (condition === MAYBE) this.unclearAt ??= parent.expression;
      } else if (ts.isIterationStatement(parent, false) && !ts.isDoStatement(parent) && current === parent.statement) {
        tri = and(tri, MAYBE);
        this.unclearAt ??= parent;
      } else if (ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
        tri = and(tri, MAYBE);
        this.unclearAt ??= parent.parent.parent;
      } else if (ts.isTryStatement(parent) && current === parent.tryBlock && parent.catchClause) {
        tri = and(tri, MAYBE);
        this.unclearAt ??= parent;
      } else if (ts.isConditionalExpression(parent) || (ts.isBinaryExpression(parent) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(parent.operatorToken.kind) && current === parent.right)) {
        tri = and(tri, MAYBE);
        this.unclearAt ??= parent;
      }
      if (tri === NO) return NO;
    }
    return tri;
  }

  /** Whether control goes on past a statement of the catch block for a ContinueAsNew. */
  private passes(statement: ts.Statement): Tri {
    if (exits(statement)) return NO;
    if (ts.isIfStatement(statement)) {
      const thenExits = exits(statement.thenStatement);
      const elseExits = statement.elseStatement !== undefined && exits(statement.elseStatement);
      if (thenExits && elseExits) return NO;
      if (thenExits || elseExits) {
        const condition = this.condition(statement.expression, 0);
        if (condition === MAYBE) this.unclearAt ??= statement.expression;
        const goesOn = thenExits ? not(condition) : condition;
        const rest = thenExits ? statement.elseStatement : statement.thenStatement;
        return rest && containsExit(rest) ? and(goesOn, MAYBE) : goesOn;
      }
    }
    if (containsExit(statement)) {
      this.unclearAt ??= statement;
      return MAYBE;
    }
    return YES;
  }

  /** Whether a condition holds when the caught value is a ContinueAsNew. */
  private condition(expression: ts.Expression, depth: number, names: Set<string> = this.names): Tri {
    const value = skipOuterExpressions(expression) as ts.Expression;
    if (ts.isPrefixUnaryExpression(value) && value.operator === ts.SyntaxKind.ExclamationToken) return not(this.condition(value.operand, depth, names));
    if (ts.isBinaryExpression(value)) {
      const operator = value.operatorToken.kind;
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return and(this.condition(value.left, depth, names), this.condition(value.right, depth, names));
      if (operator === ts.SyntaxKind.BarBarToken) return or(this.condition(value.left, depth, names), this.condition(value.right, depth, names));
      if (operator === ts.SyntaxKind.InstanceOfKeyword && isName(value.left, names)) {
        const right = skipOuterExpressions(value.right);
        const className = ts.isIdentifier(right) ? right.text : ts.isPropertyAccessExpression(right) ? right.name.text : undefined;
        if (className === undefined) return MAYBE;
        return CONTINUE_AS_NEW_CLASSES.has(className) ? YES : NO;
      }
      const equality = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken];
      if (equality.includes(operator)) {
        const compared = nameComparison(value.left, value.right, names) ?? nameComparison(value.right, value.left, names);
        if (compared !== undefined) {
          const equal = compared ? YES : NO;
          return operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken ? not(equal) : equal;
        }
      }
      return MAYBE;
    }
    // `if (err)`: a ContinueAsNew is truthy.
    if (isName(value, names)) return YES;
    if (ts.isCallExpression(value)) {
      const position = value.arguments.findIndex((argument) => isName(argument, names));
      if (position < 0) return MAYBE;
      const callee = skipOuterExpressions(value.expression);
      const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (GUARD_NAME.test(calleeName)) return YES;
      const api = this.model.temporalApiOf(callee)?.name;
      if (api === 'isCancellation') return NO;
      if (depth >= MAX_DEPTH) return MAYBE;
      const guard = calledHelper(value, this.model);
      const parameter = guard?.parameters[position]?.name;
      if (!guard?.body || !parameter || !ts.isIdentifier(parameter)) return MAYBE;
      const returned = soleReturnedExpression(guard.body);
      return returned ? this.condition(returned, depth + 1, new Set([parameter.text])) : MAYBE;
    }
    return MAYBE;
  }
}

/** Whether a statement always leaves the catch block (throw, return, break, continue; a block or if whose every path does). */
function exits(statement: ts.Statement): boolean {
  if (ts.isThrowStatement(statement) || ts.isReturnStatement(statement) || ts.isBreakStatement(statement) || ts.isContinueStatement(statement)) return true;
  if (ts.isBlock(statement)) return statement.statements.some(exits);
  if (ts.isIfStatement(statement)) return statement.elseStatement !== undefined && exits(statement.thenStatement) && exits(statement.elseStatement);
  return false;
}

/** A throw or return anywhere in the statement (nested functions aside). */
function containsExit(statement: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isThrowStatement(node) || ts.isReturnStatement(node)) found = true;
    ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

function isName(node: ts.Node, names: Set<string>): boolean {
  const value = skipOuterExpressions(node);
  return ts.isIdentifier(value) && names.has(value.text);
}

/** `err.name === 'ContinueAsNew'`, `err.constructor.name === '...'`: whether the literal names ContinueAsNew; undefined when it is no such comparison. */
function nameComparison(side: ts.Expression, other: ts.Expression, names: Set<string>): boolean | undefined {
  const access = skipOuterExpressions(side);
  const literal = skipOuterExpressions(other);
  if (!ts.isPropertyAccessExpression(access) || !ts.isStringLiteralLike(literal)) return undefined;
  if (access.name.text === 'name') {
    const target = skipOuterExpressions(access.expression);
    const ofCaught = isName(target, names) || (ts.isPropertyAccessExpression(target) && target.name.text === 'constructor' && isName(target.expression, names));
    return ofCaught ? literal.text === 'ContinueAsNew' : undefined;
  }
  if (access.name.text === 'message' && isName(access.expression, names)) return literal.text === 'Workflow continued as new';
  return undefined;
}

function soleReturnedExpression(body: ts.ConciseBody): ts.Expression | undefined {
  if (!ts.isBlock(body)) return body;
  const [only, ...rest] = body.statements;
  return only && rest.length === 0 && ts.isReturnStatement(only) ? only.expression : undefined;
}

/** The helper returns its parameter as it is on some path (`return err`, `cond ? err : x`). */
function returnsParameter(helper: ts.FunctionLikeDeclaration, parameter: string): boolean {
  const body = helper.body!;
  const mentions = (expression: ts.Expression): boolean => {
    const value = skipOuterExpressions(expression) as ts.Expression;
    if (ts.isIdentifier(value)) return value.text === parameter;
    if (ts.isConditionalExpression(value)) return mentions(value.whenTrue) || mentions(value.whenFalse);
    if (ts.isBinaryExpression(value) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(value.operatorToken.kind)) return mentions(value.left) || mentions(value.right);
    return false;
  };
  if (!ts.isBlock(body)) return mentions(body);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node) && node !== helper)) return;
    if (ts.isReturnStatement(node) && node.expression && mentions(node.expression)) found = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** Two continue-as-new calls with the same arguments, as written. */
function sameArguments(a: ts.CallExpression, b: ts.CallExpression): boolean {
  const text = (call: ts.CallExpression) => call.arguments.map((argument) => argument.getText().replace(/\s+/g, '')).join(',');
  return text(a) === text(b);
}
