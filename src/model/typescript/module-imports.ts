// The import edges of a file: static imports, `export ... from`, dynamic `import()`, `require()`
// and `import x = require()`, each resolved. Works for the reviewed files and, lazily, for
// JavaScript inside node_modules (parsed on demand, never added to a program), so import chains
// can be followed into packages.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { sourceFileProblem } from '../../engine/bounded-file.js';
import type { CodeIndex } from './code-index.js';
import { isNodeBuiltin } from './code-index.js';
import { locate } from './locate.js';
import type { ImportEdge } from './types.js';

interface RawImport {
  specifier: ts.StringLiteralLike;
  /** Computed on first read: telling erased imports apart asks the checker. */
  typeOnly: () => boolean;
  at: ts.Node;
  /** True when the module is loaded as the file loads (a static import, or a require() outside any function). */
  atLoad: boolean;
}

export function createImportGraph(index: CodeIndex): { importsOf(file: string): ImportEdge[]; sourceFileAnywhere(file: string): ts.SourceFile | undefined } {
  const edges = new Map<string, ImportEdge[]>();
  const looseFiles = new Map<string, ts.SourceFile | undefined>();

  const sourceFileAnywhere = (file: string): ts.SourceFile | undefined => {
    const inProgram = index.sourceFile(file);
    if (inProgram) return inProgram;
    if (!looseFiles.has(file)) looseFiles.set(file, parseLoose(file));
    return looseFiles.get(file);
  };

  const importsOf = (file: string): ImportEdge[] => {
    const known = edges.get(file);
    if (known) return known;
    const sourceFile = sourceFileAnywhere(file);
    const inProgram = index.sourceFile(file) !== undefined;
    const result: ImportEdge[] = [];
    if (sourceFile) {
      const checker = inProgram ? index.checkerFor(file) : undefined;
      for (const raw of rawImports(sourceFile, checker)) {
        const specifier = raw.specifier.text;
        const resolved = inProgram ? resolveForProgram(index, file, raw.specifier) : resolveAtRuntime(file, specifier);
        result.push(importEdge(file, specifier, resolved, raw));
      }
    }
    edges.set(file, result);
    return result;
  };
  return { importsOf, sourceFileAnywhere };
}

/** An edge whose `typeOnly` is computed when first read, then kept as a plain value. */
function importEdge(from: string, specifier: string, resolved: string | null, raw: RawImport): ImportEdge {
  const edge = { from, specifier, resolved, location: locate(raw.at), atLoad: raw.atLoad } as ImportEdge;
  Object.defineProperty(edge, 'typeOnly', {
    enumerable: true,
    configurable: true,
    get() {
      const value = raw.typeOnly();
      Object.defineProperty(edge, 'typeOnly', { value, enumerable: true, writable: false });
      return value;
    },
  });
  return edge;
}

function parseLoose(file: string): ts.SourceFile | undefined {
  try {
    if (sourceFileProblem(file)) return undefined;
    const text = fs.readFileSync(file, 'utf8');
    const kind = /\.[mc]?tsx?$/.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
    return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  } catch {
    return undefined;
  }
}

function resolveForProgram(index: CodeIndex, file: string, literal: ts.StringLiteralLike): string | null {
  const specifier = literal.text;
  if (isNodeBuiltin(specifier)) return null;
  const resolved = index.resolveModule(file, specifier, literal);
  if (resolved && !/\.d\.[mc]?ts$/.test(resolved)) return resolved;
  // Packages resolve to their declaration files; the code that runs is the JavaScript beside them.
  if (resolved) {
    const sibling = runtimeSibling(resolved);
    if (sibling) return sibling;
  }
  return resolveAtRuntime(file, specifier) ?? resolved;
}

const siblings = new Map<string, string | null>();

function runtimeSibling(declarationFile: string): string | null {
  let sibling = siblings.get(declarationFile);
  if (sibling === undefined) {
    const candidate = declarationFile.replace(/\.d\.ts$/, '.js').replace(/\.d\.mts$/, '.mjs').replace(/\.d\.cts$/, '.cjs');
    sibling = fs.existsSync(candidate) ? candidate : null;
    siblings.set(declarationFile, sibling);
  }
  return sibling;
}

const runtimeResolutions = new Map<string, string | null>();

/** Node's own resolution (never loads the module), cached per directory and specifier. */
function resolveAtRuntime(fromFile: string, specifier: string): string | null {
  if (isNodeBuiltin(specifier)) return null;
  const key = `${path.dirname(fromFile)}\u0000${specifier}`;
  const cached = runtimeResolutions.get(key);
  if (cached !== undefined) return cached;
  let resolved: string | null = null;
  try {
    const found = createRequire(fromFile).resolve(specifier);
    resolved = path.isAbsolute(found) ? found : null;
  } catch {
    resolved = null;
  }
  runtimeResolutions.set(key, resolved);
  return resolved;
}

function rawImports(sourceFile: ts.SourceFile, checker: ts.TypeChecker | undefined): RawImport[] {
  const result: RawImport[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteralLike(statement.moduleSpecifier)) {
      result.push({ specifier: statement.moduleSpecifier, typeOnly: () => isTypeOnlyImport(statement, checker), at: statement, atLoad: true });
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteralLike(statement.moduleSpecifier)) {
      result.push({ specifier: statement.moduleSpecifier, typeOnly: () => isTypeOnlyExport(statement, checker), at: statement, atLoad: true });
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const expression = statement.moduleReference.expression;
      if (ts.isStringLiteralLike(expression)) result.push({ specifier: expression, typeOnly: () => statement.isTypeOnly, at: statement, atLoad: true });
    }
  }
  const text = sourceFile.text;
  if (text.includes('import(') || text.includes('require(') || text.includes('import (') || text.includes('require (')) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0]!)) {
        const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
        const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
        if (isDynamicImport || isRequire) result.push({ specifier: node.arguments[0] as ts.StringLiteralLike, typeOnly: () => false, at: node, atLoad: isRequire && !insideFunction(node) });
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteralLike(node.argument.literal)) {
        result.push({ specifier: node.argument.literal, typeOnly: () => true, at: node, atLoad: false });
      }
      ts.forEachChild(node, visit);
    };
    for (const statement of sourceFile.statements) {
      if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement) && !ts.isImportEqualsDeclaration(statement)) visit(statement);
    }
  }
  return result;
}

/** True when a function (or class member) holds the node: it runs when called, not as the module loads. */
function insideFunction(node: ts.Node): boolean {
  for (let parent = node.parent; parent && !ts.isSourceFile(parent); parent = parent.parent) {
    if (ts.isFunctionLike(parent) || ts.isClassStaticBlockDeclaration(parent)) return true;
  }
  return false;
}

/** `export type { }`, or named re-exports that all name types: erased like type-only imports. */
function isTypeOnlyExport(statement: ts.ExportDeclaration, checker: ts.TypeChecker | undefined): boolean {
  if (statement.isTypeOnly) return true;
  const clause = statement.exportClause;
  if (!clause || !ts.isNamedExports(clause) || clause.elements.length === 0) return false; // `export *` runs the module
  const values = clause.elements.filter((e) => !e.isTypeOnly);
  if (values.length === 0) return true;
  return checker !== undefined && values.every((element) => namesOnlyTypes(element.name, checker));
}

function namesOnlyTypes(name: ts.Node, checker: ts.TypeChecker): boolean {
  const symbol = checker.getSymbolAtLocation(name);
  if (!symbol) return false;
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  if (!target.declarations?.length) return false; // unresolved: assume it runs
  return (target.flags & ts.SymbolFlags.Value) === 0;
}

/**
 * True when the import is erased at compile time: `import type`, only `type` specifiers, or only
 * bindings that name types (interfaces, type aliases), which compilers and bundlers drop.
 */
function isTypeOnlyImport(statement: ts.ImportDeclaration, checker: ts.TypeChecker | undefined): boolean {
  const clause = statement.importClause;
  if (!clause) return false; // `import './x'` runs the module
  if (clause.isTypeOnly) return true;
  const bindings: ts.Identifier[] = [];
  if (clause.name) bindings.push(clause.name);
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named)) return false;
  if (named) {
    const values = named.elements.filter((e) => !e.isTypeOnly);
    if (named.elements.length > 0 && values.length === 0 && !clause.name) return true;
    bindings.push(...values.map((e) => e.name));
  }
  if (!checker || bindings.length === 0) return false;
  return bindings.every((binding) => namesOnlyTypes(binding, checker));
}
