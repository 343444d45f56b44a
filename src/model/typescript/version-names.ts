// Values that name a release of the code: the `version` of package.json, an environment variable
// like VERSION / GIT_SHA / BUILD_ID, a variable named version, buildId, gitSha or commitSha, or a
// semantic version written in a string (`orders@1.4.2`). A task queue named with one changes on
// every release.

import ts from 'typescript';
import { skipOuterExpressions } from './temporal-api.js';
import type { StaticValue } from './types.js';
import { semverIn, VERSION_ENV, VERSION_NAME } from '../release-names.js';

/** What names a release in the value (`package.json version`, `process.env.GIT_SHA`), if anything. */
export function versionSource(value: StaticValue | undefined, declarationOf: (node: ts.Node) => ts.Declaration | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'string') {
    if (value.configurable && VERSION_ENV.test(value.configurable.env)) return `process.env.${value.configurable.env}`;
    const semver = semverIn(value.value);
    return semver ? `the version ${semver} written in '${value.value}'` : undefined;
  }
  if (value.kind === 'unknown' && value.node) return versionInExpression(value.node, declarationOf, 0);
  return undefined;
}

function versionInExpression(expression: ts.Node, declarationOf: (node: ts.Node) => ts.Declaration | undefined, depth: number): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isPropertyAccessExpression(node)) {
      const env = envName(node);
      if (env !== undefined) {
        if (VERSION_ENV.test(env)) found = `process.env.${env}`;
        return;
      }
      if (node.name.text === 'version' && fromPackageJson(node.expression, declarationOf)) {
        found = 'the version in package.json';
        return;
      }
      if (VERSION_NAME.test(node.name.text)) {
        found = node.getText();
        return;
      }
    }
    if (ts.isIdentifier(node) && !(node.parent && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      // a const is judged by what it holds (`const version = 'v1'` never changes); anything else by its name
      const declaration = declarationOf(node);
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0) {
        if (depth < 2) found = versionInExpression(declaration.initializer, declarationOf, depth + 1);
        return;
      }
      if (VERSION_NAME.test(node.text)) {
        found = node.text;
        return;
      }
    }
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const semver = semverIn(node.text);
      if (semver) {
        found = `the version ${semver} written in the name`;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

/** `process.env.NAME` (or `process.env['NAME']` is not followed): the variable's name. */
function envName(node: ts.PropertyAccessExpression): string | undefined {
  const target = skipOuterExpressions(node.expression);
  if (ts.isPropertyAccessExpression(target) && target.name.text === 'env' && ts.isIdentifier(target.expression) && target.expression.text === 'process') return node.name.text;
  return undefined;
}

/** `pkg` of `import pkg from '../package.json'` or `const pkg = require('../package.json')`. */
function fromPackageJson(expression: ts.Node, declarationOf: (node: ts.Node) => ts.Declaration | undefined): boolean {
  const target = skipOuterExpressions(expression);
  if (ts.isCallExpression(target)) return requiresPackageJson(target);
  if (!ts.isIdentifier(target)) return false;
  const declaration = declarationOf(target);
  if (!declaration) return false;
  if (ts.isSourceFile(declaration)) return /(^|[\\/])package\.json$/.test(declaration.fileName);
  let node: ts.Node | undefined = declaration;
  while (node && !ts.isImportDeclaration(node) && !ts.isSourceFile(node)) node = node.parent;
  if (node && ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) return /(^|\/)package\.json$/.test(node.moduleSpecifier.text);
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const init = skipOuterExpressions(declaration.initializer);
    return ts.isCallExpression(init) && requiresPackageJson(init);
  }
  return false;
}

function requiresPackageJson(call: ts.CallExpression): boolean {
  const argument = call.arguments[0];
  return ts.isIdentifier(call.expression) && call.expression.text === 'require' && argument !== undefined && ts.isStringLiteral(argument) && /(^|\/)package\.json$/.test(argument.text);
}
