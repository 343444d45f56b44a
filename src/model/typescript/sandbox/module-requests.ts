// The module requests of one file as the workflow bundler sees them: imports, re-exports,
// `import x = require()`, `require('x')`, `require.resolve('x')` and `import('x')` with a
// literal path. An import whose bindings are used only as types is erased by the bundler's
// TypeScript loader (swc), like `import type`, so it does not bring its module into the bundle.

import ts from 'typescript';
import { isReferencePosition } from './reference-position.js';

export interface ModuleRequest {
  specifier: string;
  kind: 'import' | 'require';
  /** False when the bundler erases the request (type-only import, or bindings never used as values). */
  retained: boolean;
  /** The node to report at (the import declaration or the require call). */
  node: ts.Node;
}

/**
 * Reads a file's requests. `checker` (when the file belongs to a program) tells an import's own
 * bindings apart from local names that shadow them; without it names are compared as text.
 * JavaScript files keep every import: no type erasure happens there.
 */
export function moduleRequestsOf(sourceFile: ts.SourceFile, checker: ts.TypeChecker | undefined): ModuleRequest[] {
  const requests: ModuleRequest[] = [];
  const erasesTypes = /\.(ts|mts|cts|tsx)$/.test(sourceFile.fileName) && !sourceFile.isDeclarationFile;
  let valueUses: ValueUses | undefined;
  const uses = () => (valueUses ??= collectValueUses(sourceFile));

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const retained = !erasesTypes || importIsRetained(node, uses(), checker);
      requests.push({ specifier: node.moduleSpecifier.text, kind: 'import', retained, node });
      return;
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly =
        node.isTypeOnly ||
        (node.exportClause !== undefined &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((element) => element.isTypeOnly));
      requests.push({ specifier: node.moduleSpecifier.text, kind: 'import', retained: !(erasesTypes && typeOnly), node });
      return;
    }
    if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      const retained = !erasesTypes || (!node.isTypeOnly && isBindingUsedAsValue(node.name, uses(), checker));
      requests.push({ specifier: node.moduleReference.expression.text, kind: 'require', retained, node });
      return;
    }
    if (ts.isCallExpression(node)) {
      const specifier = literalRequestOf(node, sourceFile);
      if (specifier) {
        const kind = node.expression.kind === ts.SyntaxKind.ImportKeyword ? 'import' : 'require';
        requests.push({ specifier, kind, retained: true, node });
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return requests;
}

/** `require('x')`, `require.resolve('x')`, `import('x')`; not when marked `webpackIgnore: true`. */
function literalRequestOf(call: ts.CallExpression, sourceFile: ts.SourceFile): string | null {
  const callee = call.expression;
  const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
  const isResolve =
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'require' &&
    callee.name.text === 'resolve';
  const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
  if (!isRequire && !isResolve && !isDynamicImport) return null;
  const argument = call.arguments[0];
  if (!argument || !(ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument))) return null;
  // The magic comment sits in the trivia between `(` and the path.
  if (/webpackIgnore\s*:\s*true/.test(sourceFile.text.slice(argument.pos, argument.getStart(sourceFile)))) return null;
  return argument.text;
}

/** Identifiers that appear in value positions, grouped by name. */
type ValueUses = Map<string, ts.Identifier[]>;

function collectValueUses(sourceFile: ts.SourceFile): ValueUses {
  const uses: ValueUses = new Map();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) return;
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isIdentifier(node) && isReferencePosition(node)) {
      const list = uses.get(node.text);
      if (list) list.push(node);
      else uses.set(node.text, [node]);
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return uses;
}

function importIsRetained(node: ts.ImportDeclaration, uses: ValueUses, checker: ts.TypeChecker | undefined): boolean {
  const clause = node.importClause;
  if (!clause) return true; // `import './x'` runs the module for its side effects.
  if (clause.isTypeOnly) return false;
  const bindings: ts.Identifier[] = [];
  if (clause.name) bindings.push(clause.name);
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named)) bindings.push(named.name);
  if (named && ts.isNamedImports(named)) {
    for (const element of named.elements) if (!element.isTypeOnly) bindings.push(element.name);
  }
  return bindings.some((binding) => isBindingUsedAsValue(binding, uses, checker));
}

function isBindingUsedAsValue(binding: ts.Identifier, uses: ValueUses, checker: ts.TypeChecker | undefined): boolean {
  const candidates = uses.get(binding.text) ?? [];
  if (!checker) return candidates.length > 0;
  const own = checker.getSymbolAtLocation(binding);
  if (!own) return candidates.length > 0;
  return candidates.some((id) => referencedSymbol(id, checker) === own);
}

function referencedSymbol(id: ts.Identifier, checker: ts.TypeChecker): ts.Symbol | undefined {
  if (ts.isShorthandPropertyAssignment(id.parent)) return checker.getShorthandAssignmentValueSymbol(id.parent);
  if (ts.isExportSpecifier(id.parent)) return checker.getExportSpecifierLocalTargetSymbol(id.parent);
  return checker.getSymbolAtLocation(id);
}
