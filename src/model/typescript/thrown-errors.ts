// What a `throw` statement throws, as the server will see it: the class name of a plain error
// (TEMPORAL-FACTS §3: err.constructor.name), or the type and non-retryable flag of an
// ApplicationFailure made by create / nonRetryable / retryable / new.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { declarationOf } from './declarations.js';
import { guardsMissingRead } from './existence-guard.js';
import { locate } from './locate.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { isTemporalApi, skipOuterExpressions } from './temporal-api.js';
import type { StaticValue, ThrownError } from './types.js';

const APPLICATION_FAILURE_CHAIN = ['ApplicationFailure', 'TemporalFailure', 'Error'];
/** A constructor parameter that says whether the error may be retried. */
const RETRYABLE_PARAMETER = /^(?:is)?retr[iy]able$/i;

const BUILTIN_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError']);

export function classifyThrow(statement: ts.ThrowStatement, ctx: ResolveContext): ThrownError {
  const location = locate(statement);
  const unknown: ThrownError = { type: null, nonRetryable: 'unknown', how: 'unknown', location };
  const thrown = classifyThrownExpression(statement.expression, ctx, location, 0) ?? unknown;
  const text = thrown.how === 'class' ? messageText(statement.expression) : undefined;
  return {
    ...thrown,
    ...(guardsMissingRead(statement) ? { guardsMissingRead: true } : {}),
    ...(text !== undefined ? { messageText: text } : {}),
    ...(insideCatchClause(statement) ? { inCatch: true } : {}),
  };
}

/**
 * The first argument of `new X(...)` as written: string literals kept, template placeholders and
 * other computed parts shown as `…`; undefined when it holds no literal text at all.
 */
function messageText(thrown: ts.Expression): string | undefined {
  const expression = skipOuterExpressions(thrown);
  if (!ts.isNewExpression(expression) && !ts.isCallExpression(expression)) return undefined;
  const first = expression.arguments?.[0];
  if (!first) return undefined;
  let literal = false;
  const text = (node: ts.Expression): string => {
    const value = skipOuterExpressions(node) as ts.Expression;
    if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) {
      literal ||= value.text.trim() !== '';
      return value.text;
    }
    if (ts.isTemplateExpression(value)) {
      literal ||= [value.head.text, ...value.templateSpans.map((span) => span.literal.text)].some((part) => part.trim() !== '');
      return value.head.text + value.templateSpans.map((span) => `…${span.literal.text}`).join('');
    }
    if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) return text(value.left) + text(value.right);
    return '…';
  };
  const written = text(first);
  return literal ? written : undefined;
}

function insideCatchClause(statement: ts.ThrowStatement): boolean {
  for (let current: ts.Node = statement.parent; current; current = current.parent) {
    if (ts.isCatchClause(current)) return true;
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
}

function classifyThrownExpression(node: ts.Expression, ctx: ResolveContext, location: ThrownError['location'], depth: number): ThrownError | undefined {
  const expression = skipOuterExpressions(node);
  if (ts.isIdentifier(expression)) {
    const declaration = declarationOf(expression, ctx.index);
    if (declaration && ts.isVariableDeclaration(declaration) && ts.isCatchClause(declaration.parent)) {
      return { type: null, nonRetryable: 'unknown', how: 'rethrow', location };
    }
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && depth < 3) {
      const isConst = (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
      if (isConst) return classifyThrownExpression(declaration.initializer, ctx, location, depth + 1);
    }
    return undefined;
  }
  if (!ts.isNewExpression(expression) && !ts.isCallExpression(expression)) return undefined;
  const callee = skipOuterExpressions(expression.expression);
  const args = expression.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (ts.isPropertyAccessExpression(callee) && isTemporalApi(callee.expression, ctx.index, 'ApplicationFailure')) {
    const failure = applicationFailureFactory(callee.name.text, args, ctx, location);
    return failure && { ...failure, classChain: APPLICATION_FAILURE_CHAIN };
  }
  if (isTemporalApi(callee, ctx.index, 'ApplicationFailure')) {
    const type = args[1] ? typeName(resolveValue(args[1], ctx)) : null;
    const nonRetryable = args[2] ? flag(resolveValue(args[2], ctx)) : false;
    // `new ApplicationFailure(msg, 'update_error', false)`: the author wrote that it retries.
    const explicitlyRetryable = args[2] !== undefined && nonRetryable === false && isFalseLiteral(args[2]);
    return {
      type,
      nonRetryable,
      how: 'application-failure-new',
      location,
      classChain: APPLICATION_FAILURE_CHAIN,
      ...(explicitlyRetryable ? { retryableByIntent: true } : {}),
    };
  }
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const declaration = declarationOf(callee, ctx.index);
  const calleeName = ts.isIdentifier(callee) ? callee.text : callee.name.text;
  if (declaration && ts.isClassDeclaration(declaration)) {
    const extendsFailure = extendsApplicationFailure(declaration, ctx.index, 0);
    const retryable =
      !extendsFailure && ((ts.isNewExpression(expression) && constructedRetryable(declaration, args, ctx, 0)) || declaresTransientStatus(declaration, ctx.index, 0));
    const groups = !extendsFailure && groupsFailures(declaration);
    return {
      type: declaration.name?.text ?? calleeName,
      nonRetryable: extendsFailure ? 'unknown' : false,
      how: 'class',
      location,
      extendsApplicationFailure: extendsFailure,
      classChain: classChain(declaration, ctx.index),
      ...(retryable ? { retryableByIntent: true } : {}),
      ...(groups ? { groupsFailures: true } : {}),
    };
  }
  if (BUILTIN_ERRORS.has(calleeName) && (!declaration || declaration.getSourceFile().isDeclarationFile)) {
    return { type: calleeName, nonRetryable: false, how: 'class', location, extendsApplicationFailure: false, classChain: calleeName === 'Error' ? ['Error'] : [calleeName, 'Error'] };
  }
  return undefined;
}

function applicationFailureFactory(method: string, args: ts.NodeArray<ts.Expression>, ctx: ResolveContext, location: ThrownError['location']): ThrownError | undefined {
  switch (method) {
    case 'create':
    case 'fromError': {
      const options = args[method === 'create' ? 0 : 1];
      const value = options ? resolveValue(options, ctx) : undefined;
      if (value && value.kind !== 'object' && value.kind !== 'undefined') {
        return { type: null, nonRetryable: 'unknown', how: 'application-failure-create', location };
      }
      const known = value?.kind === 'object' && value.unknownSpreads.length === 0;
      const type = value?.kind === 'object' ? value.properties.get('type') : undefined;
      const nonRetryable = value?.kind === 'object' ? value.properties.get('nonRetryable') : undefined;
      // `ApplicationFailure.create({ type, nonRetryable: false })`: written out, retrying is intended.
      const explicitlyRetryable = nonRetryable?.kind === 'boolean' && nonRetryable.value === false;
      return {
        type: type ? typeName(type) : null,
        nonRetryable: nonRetryable ? flag(nonRetryable) : known || !value ? false : 'unknown',
        how: 'application-failure-create',
        location,
        ...(explicitlyRetryable ? { retryableByIntent: true } : {}),
      };
    }
    case 'nonRetryable':
    case 'retryable': {
      // The type defaults to 'Error' (TEMPORAL-FACTS §3).
      const typeValue = args[1] ? resolveValue(args[1], ctx) : undefined;
      const type = !typeValue || typeValue.kind === 'undefined' || typeValue.kind === 'null' ? 'Error' : typeName(typeValue);
      return {
        type,
        nonRetryable: method === 'nonRetryable',
        how: method === 'nonRetryable' ? 'application-failure-non-retryable' : 'application-failure-retryable',
        location,
      };
    }
    default:
      return undefined;
  }
}

function typeName(value: StaticValue): string | null {
  return value.kind === 'string' ? value.value : null;
}

/** HTTP statuses that ask for a retry: timeout, conflict, locked, too early, too many requests, any 5xx. */
const TRANSIENT_HTTP_STATUS = new Set([408, 409, 423, 425, 429]);
const STATUS_FIELD = /^(?:httpStatus|httpStatusCode|statusCode|status)$/;

/**
 * The class (or a project base class) declares the HTTP status it stands for, and that status asks
 * for a retry: `readonly httpStatus = 500`, `statusCode = 503`. An API error layer that maps the
 * error to a 5xx says it is a server-side failure, not a business outcome.
 */
function declaresTransientStatus(declaration: ts.ClassLikeDeclaration, index: CodeIndex, depth: number): boolean {
  if (depth > 5) return false;
  for (const member of declaration.members) {
    if (!ts.isPropertyDeclaration(member) || !member.initializer || !ts.isIdentifier(member.name) || !STATUS_FIELD.test(member.name.text)) continue;
    const value = skipOuterExpressions(member.initializer);
    if (!ts.isNumericLiteral(value)) continue;
    const status = Number(value.text);
    return TRANSIENT_HTTP_STATUS.has(status) || (status >= 500 && status <= 599);
  }
  const heritage = declaration.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  const base = heritage ? skipOuterExpressions(heritage.expression) : undefined;
  const baseDeclaration = base && (ts.isIdentifier(base) || ts.isPropertyAccessExpression(base)) ? declarationOf(base, index) : undefined;
  if (baseDeclaration && ts.isClassLike(baseDeclaration) && !baseDeclaration.getSourceFile().isDeclarationFile) return declaresTransientStatus(baseDeclaration, index, depth + 1);
  return false;
}

function isFalseLiteral(node: ts.Expression): boolean {
  return skipOuterExpressions(node).kind === ts.SyntaxKind.FalseKeyword;
}

function flag(value: StaticValue): boolean | 'unknown' {
  if (value.kind === 'boolean') return value.value;
  if (value.kind === 'undefined' || value.kind === 'null') return false;
  return 'unknown';
}

/** True when the class's heritage reaches ApplicationFailure. */
export function extendsApplicationFailure(declaration: ts.ClassLikeDeclaration, index: CodeIndex, depth: number): boolean {
  if (depth > 10) return false;
  const heritage = declaration.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!heritage) return false;
  const base = skipOuterExpressions(heritage.expression);
  if (isTemporalApi(base, index, 'ApplicationFailure')) return true;
  const baseDeclaration = ts.isIdentifier(base) || ts.isPropertyAccessExpression(base) ? declarationOf(base, index) : undefined;
  if (baseDeclaration && ts.isClassLike(baseDeclaration) && baseDeclaration.getSourceFile().fileName.includes('/@temporalio/')) {
    return baseDeclaration.name?.text === 'ApplicationFailure';
  }
  if (baseDeclaration && ts.isClassLike(baseDeclaration) && !baseDeclaration.getSourceFile().isDeclarationFile) {
    return extendsApplicationFailure(baseDeclaration, index, depth + 1);
  }
  return false;
}

/** The class and its bases by name, nearest first, as far as the source shows them. */
function classChain(declaration: ts.ClassLikeDeclaration, index: CodeIndex): string[] {
  const chain: string[] = [];
  let current: ts.ClassLikeDeclaration | undefined = declaration;
  for (let depth = 0; current && depth < 10; depth++) {
    if (current.name) chain.push(current.name.text);
    const heritage = current.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!heritage) return chain;
    const base = skipOuterExpressions(heritage.expression);
    const baseDeclaration = ts.isIdentifier(base) || ts.isPropertyAccessExpression(base) ? declarationOf(base, index) : undefined;
    if (baseDeclaration && ts.isClassLike(baseDeclaration) && !baseDeclaration.getSourceFile().isDeclarationFile && !baseDeclaration.getSourceFile().fileName.includes('/node_modules/')) {
      current = baseDeclaration;
      continue;
    }
    const baseName = ts.isIdentifier(base) ? base.text : ts.isPropertyAccessExpression(base) ? base.name.text : undefined;
    if (baseName === 'ApplicationFailure') chain.push(...APPLICATION_FAILURE_CHAIN);
    else if (baseName) chain.push(baseName, ...(BUILTIN_ERRORS.has(baseName) && baseName !== 'Error' ? ['Error'] : []));
    return chain;
  }
  return chain;
}

/**
 * `new PentestError(message, 'filesystem', true)` where the constructor (its own or a base's)
 * takes a `retryable` parameter at that position, or `new X(message, { retryable: true })`.
 */
/**
 * A class made from a list of other failures (`constructor(errors: unknown[])`), like the built-in
 * AggregateError: it is as retryable as what it holds, which the source does not say.
 */
function groupsFailures(declaration: ts.ClassLikeDeclaration): boolean {
  const constructor = declaration.members.find(ts.isConstructorDeclaration);
  return (constructor?.parameters ?? []).some((parameter) => {
    const type = parameter.type && (ts.isTypeOperatorNode(parameter.type) ? parameter.type.type : parameter.type);
    const element = type && ts.isArrayTypeNode(type) ? type.elementType : undefined;
    if (!element) return false;
    if (element.kind === ts.SyntaxKind.UnknownKeyword || element.kind === ts.SyntaxKind.AnyKeyword) return true;
    return ts.isTypeReferenceNode(element) && ts.isIdentifier(element.typeName) && element.typeName.text === 'Error';
  });
}

function constructedRetryable(declaration: ts.ClassLikeDeclaration, args: ts.NodeArray<ts.Expression>, ctx: ResolveContext, depth: number): boolean {
  for (const argument of args) {
    const value = skipOuterExpressions(argument);
    if (!ts.isObjectLiteralExpression(value)) continue;
    for (const property of value.properties) {
      if (ts.isPropertyAssignment(property) && property.name.getText().replace(/['"]/g, '').match(RETRYABLE_PARAMETER) && property.initializer.kind === ts.SyntaxKind.TrueKeyword) return true;
    }
  }
  const constructor = declaration.members.find((member): member is ts.ConstructorDeclaration => ts.isConstructorDeclaration(member) && member.body !== undefined);
  if (!constructor) {
    const heritage = declaration.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const base = heritage && skipOuterExpressions(heritage.expression);
    const baseDeclaration = base && (ts.isIdentifier(base) || ts.isPropertyAccessExpression(base)) ? declarationOf(base, ctx.index) : undefined;
    return depth < 5 && baseDeclaration !== undefined && ts.isClassLike(baseDeclaration) && !baseDeclaration.getSourceFile().isDeclarationFile && constructedRetryable(baseDeclaration, args, ctx, depth + 1);
  }
  const position = constructor.parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && RETRYABLE_PARAMETER.test(parameter.name.text));
  const argument = position >= 0 ? args[position] : undefined;
  return argument !== undefined && skipOuterExpressions(argument).kind === ts.SyntaxKind.TrueKeyword;
}
