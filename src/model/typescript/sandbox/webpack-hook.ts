// Whether a worker's bundlerOptions.webpackConfigHook switches off the SDK's check for disallowed
// modules. The SDK (@temporalio/worker lib/workflow/bundler.js, 1.x) finds disallowed modules in
// one place: its webpack `externals` option is a function (captureProblematicModules) that webpack
// calls with every request as written, and that records each Node built-in or non-workflow
// Temporal package not listed in ignoreModules; Worker.create then fails with "importing the
// following disallowed modules". The hook receives that configuration and webpack runs whatever
// it returns. A hook that replaces `externals` (assigns it, or returns a configuration with its
// own `externals`) drops the function, so nothing is recorded and Worker.create does not fail.
// The SDK's own configuration also aliases every disallowed module to `false` (an empty module),
// so the bundle still builds; a hook that adds aliases does not change the check, which runs on
// the request before resolution. Only a replacement of `externals` turns it off.

import ts from 'typescript';
import type { CodeIndex } from '../code-index.js';
import { declarationOf } from '../declarations.js';
import { locate } from '../locate.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { SourceLocation, StaticValue } from '../types.js';

/**
 * Where the hook replaces webpack's `externals` (the assignment or the returned property), or
 * null when it does not, or when the hook cannot be read.
 */
export function externalsReplacedBy(hook: StaticValue | undefined, index: CodeIndex): SourceLocation | null {
  if (hook?.kind !== 'unknown' || !hook.node) return null;
  const fn = hookFunction(hook.node, index);
  if (!fn?.body) return null;
  const parameter = fn.parameters[0];
  if (!parameter || !ts.isIdentifier(parameter.name)) return null;
  const config = parameter.name.text;
  const aliases = originalAliases(fn.body, config);
  let found: ts.Node | null = null;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (node !== fn && ts.isFunctionLike(node)) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && isExternalsOf(node.left, config)) {
      if (!inBranchNeverTaken(node, fn, config) && !keepsOriginal(node.right, config, aliases)) found = node;
    } else if (ts.isReturnStatement(node) && node.expression) {
      const replaced = externalsProperty(node.expression, config, aliases);
      if (replaced) found = replaced;
    } else if (isObjectAssignTo(node, config)) {
      for (const source of (node as ts.CallExpression).arguments.slice(1)) {
        const replaced = externalsProperty(source, config, aliases);
        if (replaced) found = replaced;
      }
    }
    ts.forEachChild(node, visit);
  };
  if (ts.isBlock(fn.body)) ts.forEachChild(fn.body, visit);
  else {
    const replaced = externalsProperty(fn.body, config, aliases);
    if (replaced) found = replaced;
    else visit(fn.body);
  }
  return found ? locate(found) : null;
}

function hookFunction(node: ts.Node, index: CodeIndex): ts.FunctionLikeDeclaration | undefined {
  const expression = skipOuterExpressions(node);
  if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return expression;
  if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) {
    const declaration = declarationOf(expression, index);
    if (declaration && (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration))) return declaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const initializer = skipOuterExpressions(declaration.initializer);
      if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
    }
  }
  return undefined;
}

/** `config.externals` or `config['externals']`. */
function isExternalsOf(node: ts.Node, config: string): boolean {
  const expression = skipOuterExpressions(node);
  const target = ts.isPropertyAccessExpression(expression)
    ? expression.name.text === 'externals' && expression.expression
    : ts.isElementAccessExpression(expression) && ts.isStringLiteralLike(expression.argumentExpression) && expression.argumentExpression.text === 'externals' && expression.expression;
  if (!target) return false;
  const object = skipOuterExpressions(target);
  return ts.isIdentifier(object) && object.text === config;
}

/** Names bound to the original externals (`const original = config.externals`). */
function originalAliases(body: ts.Node, config: string): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && isExternalsOf(node.initializer, config)) names.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(body);
  return names;
}

/**
 * True when the new value still carries the original externals (`[config.externals, {...}]`, a
 * function that calls it). Spreading it into an object literal does not: the original is a
 * function, and spreading a function copies nothing.
 */
function keepsOriginal(value: ts.Node, config: string, aliases: Set<string>): boolean {
  let kept = false;
  const visit = (node: ts.Node): void => {
    if (kept) return;
    if (ts.isSpreadAssignment(node)) return;
    if (isExternalsOf(node, config) || (ts.isIdentifier(node) && aliases.has(node.text))) {
      kept = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(value);
  return kept;
}

/**
 * In a branch never taken, because the SDK's externals is a function: the branch of
 * `if (Array.isArray(config.externals))` or of `if (typeof config.externals === 'object' ...)`.
 */
function inBranchNeverTaken(node: ts.Node, fn: ts.Node, config: string): boolean {
  for (let child = node, parent = node.parent; parent && parent !== fn; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && parent.thenStatement === child && requiresNonFunction(parent.expression, config)) return true;
  }
  return false;
}

/** A condition true only when config.externals is an array or a non-function object. */
function requiresNonFunction(node: ts.Node, config: string): boolean {
  const condition = skipOuterExpressions(node);
  if (ts.isBinaryExpression(condition) && condition.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
    return requiresNonFunction(condition.left, config) || requiresNonFunction(condition.right, config);
  }
  if (ts.isCallExpression(condition)) {
    return condition.expression.getText() === 'Array.isArray' && condition.arguments.length === 1 && isExternalsOf(condition.arguments[0]!, config);
  }
  if (ts.isBinaryExpression(condition) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(condition.operatorToken.kind)) {
    const [left, right] = [skipOuterExpressions(condition.left), skipOuterExpressions(condition.right)];
    const typeOf = ts.isTypeOfExpression(left) ? left : ts.isTypeOfExpression(right) ? right : undefined;
    const literal = ts.isStringLiteralLike(right) ? right : ts.isStringLiteralLike(left) ? left : undefined;
    return !!typeOf && !!literal && literal.text !== 'function' && isExternalsOf(typeOf.expression, config);
  }
  return false;
}

/** `{ ...config, externals: {...} }` returned: the `externals` property when it replaces the original. */
function externalsProperty(node: ts.Node, config: string, aliases: Set<string>): ts.Node | null {
  const expression = skipOuterExpressions(node);
  if (!ts.isObjectLiteralExpression(expression)) return null;
  for (const property of expression.properties) {
    if (!property.name || !ts.isIdentifier(property.name) || property.name.text !== 'externals') continue;
    if (ts.isPropertyAssignment(property) && keepsOriginal(property.initializer, config, aliases)) return null;
    if (ts.isShorthandPropertyAssignment(property) && aliases.has(property.name.text)) return null;
    return property;
  }
  return null;
}

function isObjectAssignTo(node: ts.Node, config: string): boolean {
  if (!ts.isCallExpression(node) || node.expression.getText() !== 'Object.assign') return false;
  const target = node.arguments[0] ? skipOuterExpressions(node.arguments[0]) : undefined;
  return !!target && ts.isIdentifier(target) && target.text === config;
}
