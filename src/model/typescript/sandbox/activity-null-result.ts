// Whether a null guard in workflow code can fire: the value it tests is the result of an activity
// call (`const run = await loadRun(id); if (!run) throw new Error('not found')`) whose
// implementation shows a path that returns null or undefined: a `return null` (or `return
// undefined`, a bare `return`), `x ?? null`, a conditional with a null branch, the first row of a
// query returned as is (`const [row] = await db.select()...limit(1); return row`, `rows[0]`), a
// declared result type that includes null or undefined, or (no declared type) a returned call whose
// type includes them (`return prisma.task.findFirst(...)`). Such a guard is not there for the type
// checker alone: a missing row reaches it.

import ts from 'typescript';
import { activityTypeCalled } from '../activity-calls.js';
import { functionOfDeclaration } from '../declarations.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { ActivityImplementation, SourceLocation, TemporalModel } from '../types.js';
import { nodeLocation } from './source-location.js';

export interface MissingActivityResult {
  /** The activity type whose result the guard tests. */
  activity: string;
  /** The guarded variable (`run`, or `run.sha` for a property of it). */
  variable: string;
  /** For a guard on a property of the result: that property, which the activity leaves out or null. */
  property?: string;
  nothing: 'null' | 'undefined';
  /** When the implementation returns it, as a phrase (`when \`!row\``). */
  when: string;
  /** Where: the return statement, the declared type, or the function. */
  location: SourceLocation;
}

/**
 * For a throw that is all an `if` does and whose condition tests variables for null or undefined:
 * the first tested variable bound to the awaited result of an activity call whose every
 * implementation can return null or undefined, with that path. Undefined otherwise.
 */
export function missingActivityResult(statement: ts.ThrowStatement, model: TemporalModel): MissingActivityResult | undefined {
  const ifStatement = guardingIf(statement);
  return ifStatement ? firstMissing(testedVariables(ifStatement.expression), model) : undefined;
}

/** The same for an assertion (`assert(x)`, `invariant(x !== null)`): the variable it asserts is there. */
export function missingAssertedResult(call: ts.CallExpression, model: TemporalModel): MissingActivityResult | undefined {
  const first = call.arguments[0] && (skipOuterExpressions(call.arguments[0]) as ts.Expression);
  if (!first) return undefined;
  if (ts.isIdentifier(first)) return firstMissing([{ variable: first }], model);
  if (!ts.isBinaryExpression(first) || ![ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(first.operatorToken.kind)) return undefined;
  const value = isNothing(first.right) ? first.left : isNothing(first.left) ? first.right : undefined;
  const inner = value && skipOuterExpressions(value);
  return inner && ts.isIdentifier(inner) ? firstMissing([{ variable: inner }], model) : undefined;
}

function firstMissing(tested: Tested[], model: TemporalModel): MissingActivityResult | undefined {
  for (const one of tested) {
    const found = activityResultOf(one, model);
    if (found) return found;
  }
  return undefined;
}

function guardingIf(statement: ts.ThrowStatement): ts.IfStatement | undefined {
  let branch: ts.Node = statement;
  if (ts.isBlock(statement.parent)) {
    if (statement.parent.statements.length !== 1) return undefined;
    branch = statement.parent;
  }
  const parent = branch.parent;
  return parent && ts.isIfStatement(parent) && parent.thenStatement === branch ? parent : undefined;
}

/**
 * What a condition tests for nothing (`!x`, `x == null`, `x === undefined`, joined by `||`): a
 * variable, or one property of a variable (`!x.p`), never deeper.
 */
function testedVariables(condition: ts.Expression): Tested[] {
  const expression = skipOuterExpressions(condition) as ts.Expression;
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken) return tested(expression.operand);
  if (!ts.isBinaryExpression(expression)) return [];
  const operator = expression.operatorToken.kind;
  if (operator === ts.SyntaxKind.BarBarToken) return [...testedVariables(expression.left), ...testedVariables(expression.right)];
  if (operator !== ts.SyntaxKind.EqualsEqualsToken && operator !== ts.SyntaxKind.EqualsEqualsEqualsToken) return [];
  const [value, other] = isNothing(expression.right) ? [expression.left, expression.right] : [expression.right, expression.left];
  if (!isNothing(other)) return [];
  let inner = skipOuterExpressions(value);
  if (ts.isTypeOfExpression(inner)) inner = skipOuterExpressions(inner.expression);
  return tested(inner);
}

interface Tested {
  variable: ts.Identifier;
  /** `p` of `x.p`. */
  property?: string;
}

function tested(node: ts.Node): Tested[] {
  const inner = skipOuterExpressions(node);
  if (ts.isIdentifier(inner)) return [{ variable: inner }];
  if (ts.isPropertyAccessExpression(inner) && ts.isIdentifier(inner.name)) {
    const object = skipOuterExpressions(inner.expression);
    if (ts.isIdentifier(object)) return [{ variable: object, property: inner.name.text }];
  }
  return [];
}

/** `null`, `undefined`, `void 0` or the string 'undefined' (of a typeof). */
export function isNothing(side: ts.Expression): boolean {
  const inner = skipOuterExpressions(side) as ts.Expression;
  return (
    inner.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(inner) && inner.text === 'undefined') ||
    (ts.isStringLiteral(inner) && inner.text === 'undefined') ||
    ts.isVoidExpression(inner)
  );
}

/** `const x = await activity(...)` (or a `let` never assigned again): the activity's missing-result path. */
function activityResultOf({ variable, property }: Tested, model: TemporalModel): MissingActivityResult | undefined {
  const declaration = model.declarationOf(variable);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) && assignedAgain(declaration, model)) return undefined;
  const awaited = skipOuterExpressions(declaration.initializer);
  if (!ts.isAwaitExpression(awaited)) return undefined;
  const call = skipOuterExpressions(awaited.expression);
  if (!ts.isCallExpression(call)) return undefined;
  const activity = activityTypeCalled(call.expression, model);
  if (!activity) return undefined;
  const implementations = model.activities.filter((candidate) => candidate.name === activity);
  if (implementations.length === 0) return undefined;
  // Same-named implementations the proxy does not tell apart: each must show the path.
  let first: Omit<MissingActivityResult, 'activity' | 'variable' | 'property'> | undefined;
  for (const implementation of implementations) {
    const path = property === undefined ? nothingPath(implementation, model) : propertyMissingPath(implementation, property, model);
    if (!path) return undefined;
    first ??= path;
  }
  return first && { activity, variable: property === undefined ? declaration.name.text : `${declaration.name.text}.${property}`, ...(property !== undefined ? { property } : {}), ...first };
}

function assignedAgain(declaration: ts.VariableDeclaration, model: TemporalModel): boolean {
  const name = declaration.name as ts.Identifier;
  let scope: ts.Node = declaration;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  let assigned = false;
  const visit = (node: ts.Node): void => {
    if (assigned) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const target = skipOuterExpressions(node.left);
      if (ts.isIdentifier(target) && target.text === name.text && model.declarationOf(target) === declaration) assigned = true;
      // A destructuring assignment (`[x] = ...`, `({ x } = ...)`) writes it too.
      if ((ts.isArrayLiteralExpression(target) || ts.isObjectLiteralExpression(target)) && target.getText().includes(name.text)) assigned = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return assigned;
}

const SHORT = 70;

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SHORT ? `${flat.slice(0, SHORT - 3)}...` : flat;
}

/** Where the implementation returns null or undefined: a return statement, its declared result type, or a returned value whose type includes them. */
function nothingPath(implementation: ActivityImplementation, model: TemporalModel): Omit<MissingActivityResult, 'activity' | 'variable' | 'property'> | undefined {
  const fn = implementation.node;
  if (!fn.body || fn.getSourceFile().isDeclarationFile) return undefined;
  const sourceFile = fn.getSourceFile();
  const returns = returnsOf(fn);
  const valued = returns.some((r) => r.expression !== undefined);
  for (const { statement, expression } of returns) {
    const at = nodeLocation(sourceFile, statement);
    if (!expression) {
      if (valued && statement) return { nothing: 'undefined', when: whenReturned(statement), location: at };
      continue;
    }
    const value = skipOuterExpressions(ts.isAwaitExpression(skipOuterExpressions(expression)) ? (skipOuterExpressions(expression) as ts.AwaitExpression).expression : expression);
    const nothing = nothingOf(value as ts.Expression);
    if (nothing) return { nothing, when: whenReturned(statement), location: at };
    if (ts.isBinaryExpression(value) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(value.operatorToken.kind)) {
      const fallback = nothingOf(value.right);
      if (fallback) return { nothing: fallback, when: `when \`${short(value.left.getText(sourceFile))}\` is missing`, location: at };
    }
    if (ts.isConditionalExpression(value)) {
      const whenTrue = nothingOf(value.whenTrue);
      const whenFalse = nothingOf(value.whenFalse);
      if (whenTrue) return { nothing: whenTrue, when: `when \`${short(value.condition.getText(sourceFile))}\``, location: at };
      if (whenFalse) return { nothing: whenFalse, when: `unless \`${short(value.condition.getText(sourceFile))}\``, location: at };
    }
    const row = firstRow(value as ts.Expression, model);
    if (row) return { nothing: 'undefined', when: `when the query finds no row (it returns \`${short(row)}\`, the first row, as is)`, location: at };
  }
  // A returned value whose type includes null or undefined (an ORM's findFirst, a Map's get).
  const checker = model.checkerFor(sourceFile.fileName);
  let untyped = !checker;
  for (const { statement, expression } of returns) {
    if (!expression || !checker) continue;
    const type = checker.getTypeAtLocation(expression);
    const nothing = typeNothing(type, checker);
    if (nothing) return { nothing, when: `when \`${short(expression.getText(sourceFile))}\` gives ${nothing}`, location: nodeLocation(sourceFile, statement) };
    if ((checker.getAwaitedType(type) ?? type).flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) untyped = true;
  }
  // A declared result type with null or undefined, and a returned value whose type the review cannot
  // read (a query whose package is not installed): the declaration is the evidence. Where every
  // returned value has a known type without them, the declaration only allows what never happens.
  const declared = fn.type ? declaredNothing(fn.type) : undefined;
  if (declared && untyped) return { nothing: declared, when: `(its declared result type is \`${short(fn.type!.getText(sourceFile))}\`)`, location: nodeLocation(sourceFile, fn.type!) };
  return undefined;
}

/**
 * Where the implementation returns an object without `property`, or with it null or undefined: in an
 * object literal it returns, directly or through one call of a project function that returns one
 * (`return toContract(row)`), the property set to `x ?? null` or a conditional with a null branch,
 * or only spread in under a condition (`...(row.sha !== null ? { sha: row.sha } : {})`).
 */
function propertyMissingPath(implementation: ActivityImplementation, property: string, model: TemporalModel): Omit<MissingActivityResult, 'activity' | 'variable' | 'property'> | undefined {
  const fn = implementation.node;
  if (!fn.body || fn.getSourceFile().isDeclarationFile) return undefined;
  const literals: ts.ObjectLiteralExpression[] = [];
  const collect = (expression: ts.Expression, depth: number): void => {
    let value = skipOuterExpressions(expression);
    if (ts.isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
    if (ts.isObjectLiteralExpression(value)) literals.push(value);
    else if (ts.isCallExpression(value) && depth === 0) {
      const callee = functionOfDeclaration(model.declarationOf(value.expression));
      if (callee?.body && !callee.getSourceFile().isDeclarationFile) for (const { expression: inner } of returnsOf(callee)) if (inner) collect(inner, depth + 1);
    }
  };
  for (const { expression } of returnsOf(fn)) if (expression) collect(expression, 0);
  for (const literal of literals) {
    const sourceFile = literal.getSourceFile();
    const found = missingProperty(literal, property);
    if (found) return { nothing: found.nothing, when: found.when, location: nodeLocation(sourceFile, found.at) };
  }
  return undefined;
}

function missingProperty(literal: ts.ObjectLiteralExpression, property: string): { nothing: 'null' | 'undefined'; when: string; at: ts.Node } | undefined {
  const named = (element: ts.ObjectLiteralElementLike) => element.name !== undefined && (ts.isIdentifier(element.name) || ts.isStringLiteral(element.name)) && element.name.text === property;
  // The last write wins: a property set after the spreads decides.
  for (let index = literal.properties.length - 1; index >= 0; index--) {
    const element = literal.properties[index]!;
    if (ts.isPropertyAssignment(element) && named(element)) {
      const value = skipOuterExpressions(element.initializer) as ts.Expression;
      const nothing = nothingOf(value);
      if (nothing) return { nothing, when: 'on one of its paths', at: element };
      if (ts.isBinaryExpression(value) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(value.operatorToken.kind)) {
        const fallback = nothingOf(value.right);
        if (fallback) return { nothing: fallback, when: `when \`${short(value.left.getText())}\` is missing`, at: element };
      }
      if (ts.isConditionalExpression(value)) {
        const whenTrue = nothingOf(value.whenTrue);
        const whenFalse = nothingOf(value.whenFalse);
        if (whenTrue) return { nothing: whenTrue, when: `when \`${short(value.condition.getText())}\``, at: element };
        if (whenFalse) return { nothing: whenFalse, when: `unless \`${short(value.condition.getText())}\``, at: element };
      }
      return undefined;
    }
    if (ts.isShorthandPropertyAssignment(element) && named(element)) return undefined;
    if (ts.isSpreadAssignment(element)) {
      const spread = skipOuterExpressions(element.expression);
      // `...(cond ? { p } : {})`: the property is there only when the condition holds.
      if (ts.isConditionalExpression(spread)) {
        const sets = (branch: ts.Expression) => {
          const object = skipOuterExpressions(branch);
          return ts.isObjectLiteralExpression(object) && object.properties.some((p) => named(p));
        };
        const isEmpty = (branch: ts.Expression) => {
          const object = skipOuterExpressions(branch);
          return ts.isObjectLiteralExpression(object) && object.properties.length === 0;
        };
        if (sets(spread.whenTrue) && isEmpty(spread.whenFalse)) return { nothing: 'undefined', when: `unless \`${short(spread.condition.getText())}\``, at: element };
        if (sets(spread.whenFalse) && isEmpty(spread.whenTrue)) return { nothing: 'undefined', when: `when \`${short(spread.condition.getText())}\``, at: element };
      }
      // `...(cond && { p })`
      if (ts.isBinaryExpression(spread) && spread.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
        const object = skipOuterExpressions(spread.right);
        if (ts.isObjectLiteralExpression(object) && object.properties.some((p) => named(p))) return { nothing: 'undefined', when: `unless \`${short(spread.left.getText())}\``, at: element };
      }
      // A spread of literals that do not name it leaves it alone; any other spread may set it.
      if (!spreadsOnlyOthers(spread, named)) return undefined;
    }
  }
  return undefined;
}

function spreadsOnlyOthers(spread: ts.Node, named: (element: ts.ObjectLiteralElementLike) => boolean): boolean {
  const inner = skipOuterExpressions(spread);
  if (ts.isObjectLiteralExpression(inner)) return inner.properties.every((p) => !ts.isSpreadAssignment(p) && !named(p));
  if (ts.isConditionalExpression(inner)) return spreadsOnlyOthers(inner.whenTrue, named) && spreadsOnlyOthers(inner.whenFalse, named);
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return spreadsOnlyOthers(inner.right, named);
  return false;
}

/** The return statements of a function (its expression body as one), not those of nested functions. */
function returnsOf(fn: ts.FunctionLikeDeclaration): { statement: ts.Node; expression: ts.Expression | undefined }[] {
  const body = fn.body!;
  if (!ts.isBlock(body)) return [{ statement: body, expression: body }];
  const found: { statement: ts.Node; expression: ts.Expression | undefined }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node)) found.push({ statement: node, expression: node.expression });
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

function nothingOf(expression: ts.Expression): 'null' | 'undefined' | undefined {
  const inner = skipOuterExpressions(expression);
  if (inner.kind === ts.SyntaxKind.NullKeyword) return 'null';
  if ((ts.isIdentifier(inner) && inner.text === 'undefined') || ts.isVoidExpression(inner)) return 'undefined';
  return undefined;
}

/** `when \`!row\`` for a return that is the whole then-branch of an if; `when what it calls fails` in a catch clause. */
function whenReturned(statement: ts.Node): string {
  let branch: ts.Node = statement;
  if (ts.isBlock(statement.parent) && statement.parent.statements.length === 1) branch = statement.parent;
  const parent = branch.parent;
  if (parent && ts.isIfStatement(parent) && parent.thenStatement === branch) return `when \`${short(parent.expression.getText())}\``;
  for (let current: ts.Node | undefined = statement.parent; current && !ts.isFunctionLike(current); current = current.parent) {
    if (ts.isCatchClause(current)) return 'when what it calls fails (in its catch clause)';
  }
  return 'on one of its paths';
}

/**
 * The returned value is the first row of a query result taken as is: a variable bound by
 * `const [row] = await ...` (or `= rows`), or `rows[0]`. Empty results give undefined.
 */
function firstRow(value: ts.Expression, model: TemporalModel): string | undefined {
  if (ts.isElementAccessExpression(value) && ts.isNumericLiteral(value.argumentExpression) && value.argumentExpression.text === '0') return value.getText();
  if (!ts.isIdentifier(value)) return undefined;
  const declaration = model.declarationOf(value);
  if (!declaration || !ts.isBindingElement(declaration) || !ts.isArrayBindingPattern(declaration.parent)) return undefined;
  if (declaration.parent.elements[0] !== declaration || declaration.initializer || declaration.dotDotDotToken) return undefined;
  const holder = declaration.parent.parent;
  if (!ts.isVariableDeclaration(holder) || !holder.initializer || !(ts.getCombinedNodeFlags(holder) & ts.NodeFlags.Const)) return undefined;
  // A tuple the code built itself (`const [a] = [x]`) is not a query result.
  if (ts.isArrayLiteralExpression(skipOuterExpressions(holder.initializer))) return undefined;
  return value.text;
}

/** `X | null`, `Promise<X | undefined>`, `X | void` in a union: the nothing a declared result type allows. */
function declaredNothing(type: ts.TypeNode): 'null' | 'undefined' | undefined {
  if (ts.isParenthesizedTypeNode(type)) return declaredNothing(type.type);
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && ['Promise', 'PromiseLike'].includes(type.typeName.text) && type.typeArguments?.length === 1) {
    return declaredNothing(type.typeArguments[0]!);
  }
  if (!ts.isUnionTypeNode(type)) return undefined;
  for (const member of type.types) {
    if (ts.isLiteralTypeNode(member) && member.literal.kind === ts.SyntaxKind.NullKeyword) return 'null';
    if (member.kind === ts.SyntaxKind.UndefinedKeyword || member.kind === ts.SyntaxKind.VoidKeyword) return 'undefined';
  }
  return undefined;
}

function typeNothing(type: ts.Type, checker: ts.TypeChecker): 'null' | 'undefined' | undefined {
  const awaited = checker.getAwaitedType(type) ?? type;
  if (!awaited.isUnion()) return undefined;
  for (const member of awaited.types) {
    if (member.flags & ts.TypeFlags.Null) return 'null';
    if (member.flags & ts.TypeFlags.Undefined) return 'undefined';
  }
  return undefined;
}
