// Recognises Temporal SDK APIs by the import they come from (`@temporalio/workflow` and friends),
// going by the import specifier text so it works when node_modules is not installed. Handles
// renamed imports, namespace imports (`wf.proxyActivities`), CommonJS require and re-exports
// through the project's own modules.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';

export interface ImportBinding {
  /** The module specifier as written. */
  module: string;
  /** The imported name; `*` for a namespace import, `default` for a default import. */
  imported: string;
  typeOnly: boolean;
  node: ts.Node;
}

import type { TemporalApi } from './types.js';
export type { TemporalApi };

const bindingsCache = new WeakMap<ts.SourceFile, Map<string, ImportBinding>>();

/** Top-level imports of a file by local name. */
export function importBindings(sourceFile: ts.SourceFile): Map<string, ImportBinding> {
  let bindings = bindingsCache.get(sourceFile);
  if (bindings) return bindings;
  bindings = new Map();
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.importClause) {
      const module = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause.name) bindings.set(clause.name.text, { module, imported: 'default', typeOnly: clause.isTypeOnly, node: clause });
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) {
        bindings.set(named.name.text, { module, imported: '*', typeOnly: clause.isTypeOnly, node: named });
      } else if (named) {
        for (const element of named.elements) {
          const imported = (element.propertyName ?? element.name).text;
          bindings.set(element.name.text, { module, imported, typeOnly: clause.isTypeOnly || element.isTypeOnly, node: element });
        }
      }
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const expression = statement.moduleReference.expression;
      if (ts.isStringLiteral(expression)) {
        bindings.set(statement.name.text, { module: expression.text, imported: '*', typeOnly: statement.isTypeOnly, node: statement });
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) addRequireBinding(declaration, bindings);
    }
  }
  bindingsCache.set(sourceFile, bindings);
  return bindings;
}

function addRequireBinding(declaration: ts.VariableDeclaration, bindings: Map<string, ImportBinding>): void {
  const module = requiredModule(declaration.initializer);
  if (module === undefined) return;
  if (ts.isIdentifier(declaration.name)) {
    bindings.set(declaration.name.text, { module, imported: '*', typeOnly: false, node: declaration });
  } else if (ts.isObjectBindingPattern(declaration.name)) {
    for (const element of declaration.name.elements) {
      if (!ts.isIdentifier(element.name) || element.dotDotDotToken) continue;
      const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
      bindings.set(element.name.text, { module, imported, typeOnly: false, node: element });
    }
  }
}

/**
 * A `require` or an awaited dynamic import inside a function body that binds the name, in a block
 * around the identifier: `const { Connection, Client } = require('@temporalio/client')` or
 * `const { Worker } = await import('@temporalio/worker')` written in the function that uses them
 * (to keep the SDK out of a bundle, or to load it only when the worker starts). Only read for
 * files that call require or import() at all.
 */
function localRequireBinding(identifier: ts.Identifier): ImportBinding | undefined {
  const sourceFile = identifier.getSourceFile();
  if (!sourceFile.text.includes('require(') && !sourceFile.text.includes('import(')) return undefined;
  for (let current: ts.Node | undefined = identifier.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isBlock(current)) continue;
    const binding = blockRequireBindings(current).get(identifier.text);
    if (binding) return binding;
  }
  return undefined;
}

const blockBindingsCache = new WeakMap<ts.Block, Map<string, ImportBinding>>();

/** The names a block binds with `require` in its own statements, read once per block. */
function blockRequireBindings(block: ts.Block): Map<string, ImportBinding> {
  let bindings = blockBindingsCache.get(block);
  if (bindings) return bindings;
  bindings = new Map();
  for (const statement of block.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) addRequireBinding(declaration, bindings);
  }
  blockBindingsCache.set(block, bindings);
  return bindings;
}

/** The specifier of `require('x')` or `await import('x')`, if the expression is one. */
export function requiredModule(written: ts.Expression | undefined): string | undefined {
  // `require('@temporalio/activity') as typeof import('@temporalio/activity')`: the cast types it.
  const expression = written && (skipOuterExpressions(written) as ts.Expression);
  if (expression && ts.isAwaitExpression(expression)) {
    const awaited = skipOuterExpressions(expression.expression);
    if (!ts.isCallExpression(awaited) || awaited.expression.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
    const [argument] = awaited.arguments;
    return argument && ts.isStringLiteralLike(argument) ? argument.text : undefined;
  }
  if (!expression || !ts.isCallExpression(expression)) return undefined;
  if (!ts.isIdentifier(expression.expression) || expression.expression.text !== 'require') return undefined;
  const [argument] = expression.arguments;
  return argument && ts.isStringLiteralLike(argument) ? argument.text : undefined;
}

export function isTemporalModule(specifier: string): boolean {
  return specifier.startsWith('@temporalio/');
}

/**
 * The Temporal API an expression names (`proxyActivities`, `wf.proxyActivities`, `Worker`), or
 * undefined when it is not one.
 */
export function temporalApiOf(node: ts.Node, index: CodeIndex | undefined, names?: readonly string[]): TemporalApi | undefined {
  const expression = skipOuterExpressions(node);
  if (ts.isIdentifier(expression)) {
    const binding = importBindings(expression.getSourceFile()).get(expression.text) ?? localRequireBinding(expression);
    if (!binding) return undefined;
    if (isTemporalModule(binding.module)) {
      return binding.imported === '*' ? undefined : { module: binding.module, name: binding.imported };
    }
    // Following re-exports costs checker work: only for the names the caller asks about.
    if (names && !names.includes(binding.imported)) return undefined;
    return index ? temporalApiThroughReExports(expression, index) : undefined;
  }
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression)) {
    const binding = importBindings(expression.getSourceFile()).get(expression.expression.text) ?? localRequireBinding(expression.expression);
    if (binding && binding.imported === '*' && isTemporalModule(binding.module)) {
      return { module: binding.module, name: expression.name.text };
    }
  }
  // `require('@temporalio/activity').Context`: a member of the required module, read in place.
  if (ts.isPropertyAccessExpression(expression)) {
    const module = requiredModule(expression.expression);
    if (module !== undefined && isTemporalModule(module)) return { module, name: expression.name.text };
  }
  return undefined;
}

/** True when the expression names `name` from any `@temporalio/*` module. */
export function isTemporalApi(node: ts.Node, index: CodeIndex | undefined, ...names: string[]): boolean {
  const api = temporalApiOf(node, index, names);
  return api !== undefined && names.includes(api.name);
}

function temporalApiThroughReExports(identifier: ts.Identifier, index: CodeIndex): TemporalApi | undefined {
  const checker = index.checkerFor(identifier.getSourceFile().fileName);
  let symbol = checker?.getSymbolAtLocation(identifier);
  for (let step = 0; checker && symbol && symbol.flags & ts.SymbolFlags.Alias && step < 10; step++) {
    const declaration = symbol.declarations?.[0];
    const specifier = declaration ? aliasModuleSpecifier(declaration) : undefined;
    if (declaration && specifier && isTemporalModule(specifier)) {
      if (ts.isImportSpecifier(declaration) || ts.isExportSpecifier(declaration)) {
        return { module: specifier, name: (declaration.propertyName ?? declaration.name).text };
      }
      return undefined;
    }
    symbol = checker.getImmediateAliasedSymbol(symbol);
  }
  return undefined;
}

function aliasModuleSpecifier(declaration: ts.Declaration): string | undefined {
  let node: ts.Node | undefined = declaration;
  while (node && !ts.isImportDeclaration(node) && !ts.isExportDeclaration(node) && !ts.isSourceFile(node)) node = node.parent;
  if (node && (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
    return node.moduleSpecifier.text;
  }
  return undefined;
}

/** Strips parentheses, `as`, `satisfies`, `!` and type assertions. */
export function skipOuterExpressions(node: ts.Node): ts.Node {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}
