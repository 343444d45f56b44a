// From a use to its declaration, across files: identifiers, property names, imports (also
// renamed, default and re-exported), and the exports of a module.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';

/** The symbol a node refers to, with import aliases resolved; undefined when unknown. */
export function symbolOf(node: ts.Node, index: CodeIndex): ts.Symbol | undefined {
  const checker = index.checkerFor(node.getSourceFile().fileName);
  if (!checker) return undefined;
  let symbol =
    ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node
      ? checker.getShorthandAssignmentValueSymbol(node.parent)
      : checker.getSymbolAtLocation(node);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
    const aliased = checker.getAliasedSymbol(symbol);
    symbol = aliased.declarations?.length ? aliased : symbol;
  }
  return symbol;
}

/** The declaration an identifier (or the name of a property access) refers to. */
export function declarationOf(node: ts.Node, index: CodeIndex): ts.Declaration | undefined {
  const target = ts.isPropertyAccessExpression(node) ? node.name : skipOuterExpressions(node);
  const symbol = symbolOf(target, index);
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (declaration && !isImportDeclarationNode(declaration)) return declaration;
  // `service.method()` on a receiver whose class the checker could not load: the member of the
  // class its declaration names.
  if (ts.isPropertyAccessExpression(node) && !declaration) return memberOfDeclaredClass(node, index);
  // The checker could not follow the import (unresolved module): follow it by hand.
  if (ts.isIdentifier(target)) return importedDeclaration(target, index) ?? declaration;
  return declaration;
}

/**
 * `syncService.processSyncChanges` where `syncService: SyncService` (a parameter, a variable or a
 * class field) and SyncService's module did not resolve for the checker (a base tsconfig that
 * is not installed): the method of that class, found through the import by hand. Only a class
 * says which code runs; an interface or a type alias does not.
 */
function memberOfDeclaredClass(access: ts.PropertyAccessExpression, index: CodeIndex): ts.Declaration | undefined {
  const receiver = skipOuterExpressions(access.expression);
  if (!ts.isIdentifier(receiver) && !ts.isPropertyAccessExpression(receiver)) return undefined;
  const holder = declarationOf(receiver, index);
  const type = holder && (ts.isParameter(holder) || ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder)) ? holder.type : undefined;
  if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  const named = declarationOf(type.typeName, index);
  if (!named || !ts.isClassDeclaration(named)) return undefined;
  const name = access.name.text;
  return named.members.find((member) => member.name !== undefined && ts.isIdentifier(member.name) && member.name.text === name);
}

function isImportDeclarationNode(node: ts.Node): boolean {
  return ts.isImportSpecifier(node) || ts.isImportClause(node) || ts.isNamespaceImport(node) || ts.isImportEqualsDeclaration(node);
}

function importedDeclaration(identifier: ts.Identifier, index: CodeIndex): ts.Declaration | undefined {
  const sourceFile = identifier.getSourceFile();
  const binding = importBindings(sourceFile).get(identifier.text);
  if (!binding || binding.imported === '*') return undefined;
  const target = index.resolveModule(sourceFile.fileName, binding.module);
  return target ? exportsOf(target, index).get(binding.imported) : undefined;
}

const exportsCache = new WeakMap<ts.SourceFile, Map<string, ts.Declaration>>();

/**
 * The exports of a module by name (including `export *` and `export { x } from`), each resolved
 * to the declaration that defines it. `default` names the default export.
 */
export function exportsOf(file: string, index: CodeIndex): Map<string, ts.Declaration> {
  const sourceFile = index.sourceFile(file);
  if (!sourceFile) return new Map();
  const cached = exportsCache.get(sourceFile);
  if (cached) return cached;
  const result = new Map<string, ts.Declaration>();
  exportsCache.set(sourceFile, result);
  const checker = index.checkerFor(file)!;
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  if (moduleSymbol) {
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0] ?? exported.declarations?.[0];
      if (declaration) result.set(exported.name, followUnresolvedReExport(declaration, file, index) ?? declaration);
    }
  }
  // `export * from './x'` that the program's own resolution missed (an extensionless import under
  // node16 settings, a tsconfig whose base was not installed): follow it with the model's resolver.
  for (const statement of sourceFile.statements) {
    if (!ts.isExportDeclaration(statement) || statement.exportClause || statement.isTypeOnly) continue;
    if (!statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (moduleSymbol && checker.getSymbolAtLocation(statement.moduleSpecifier)) continue;
    const target = index.resolveModule(file, statement.moduleSpecifier.text, statement.moduleSpecifier);
    if (!target || target === file) continue;
    for (const [name, declaration] of exportsOf(target, index)) if (name !== 'default' && !result.has(name)) result.set(name, declaration);
  }
  return result;
}

/** `export { f } from './x'` left as the specifier because './x' did not resolve in the program. */
function followUnresolvedReExport(declaration: ts.Declaration, file: string, index: CodeIndex): ts.Declaration | undefined {
  if (!ts.isExportSpecifier(declaration)) return undefined;
  const exportDeclaration = declaration.parent.parent;
  const specifier = exportDeclaration.moduleSpecifier;
  if (!specifier || !ts.isStringLiteral(specifier)) return undefined;
  const target = index.resolveModule(file, specifier.text, specifier);
  if (!target || target === file) return undefined;
  return exportsOf(target, index).get((declaration.propertyName ?? declaration.name).text);
}

/** The function a declaration stands for: `function f`, `const f = () => ...`, a method. */
export function functionOfDeclaration(declaration: ts.Node | undefined): ts.FunctionLikeDeclaration | undefined {
  if (!declaration) return undefined;
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) return declaration.body ? declaration : undefined;
  if (ts.isArrowFunction(declaration) || ts.isFunctionExpression(declaration)) return declaration;
  if ((ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.initializer) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  if (ts.isExportAssignment(declaration)) return functionOfDeclaration(skipOuterExpressions(declaration.expression));
  return undefined;
}

/** The function a call expression calls, when it is declared in source (not a .d.ts). */
export function calledFunction(call: ts.CallExpression | ts.NewExpression, index: CodeIndex): ts.FunctionLikeDeclaration | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  if (callsOutsideTheProject(callee, index)) return undefined;
  const declaration = declarationOf(callee, index);
  const fn = functionOfDeclaration(declaration);
  if (!fn || fn.getSourceFile().isDeclarationFile) return undefined;
  return fn;
}

const GLOBALS = new Set(['Array', 'Boolean', 'Date', 'Error', 'JSON', 'Math', 'Number', 'Object', 'Promise', 'Reflect', 'String', 'Symbol', 'BigInt', 'Buffer', 'console', 'process', 'parseInt', 'parseFloat', 'setTimeout', 'clearTimeout', 'structuredClone', 'encodeURIComponent', 'decodeURIComponent', 'require']);

/**
 * Calls that cannot reach a function declared in the reviewed code: of a package import (`sleep`,
 * `ApplicationFailure.create`) or of a well-known global. Saves asking the checker for each.
 */
function callsOutsideTheProject(callee: ts.Identifier | ts.PropertyAccessExpression, index: CodeIndex): boolean {
  let head: ts.Expression = callee;
  while (ts.isPropertyAccessExpression(head)) head = head.expression;
  if (!ts.isIdentifier(head)) return false;
  const sourceFile = head.getSourceFile();
  const binding = importBindings(sourceFile).get(head.text);
  if (binding) {
    if (binding.module.startsWith('.')) return false;
    // Bare specifiers may be path aliases of the project's own modules: ask the resolver.
    const resolved = index.resolveModule(sourceFile.fileName, binding.module);
    return resolved === null || resolved.includes('/node_modules/');
  }
  return GLOBALS.has(head.text);
}

/** The name a function is known by: its own name or the variable / property it is assigned to. */
export function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/** How many entries of a table of functions are followed: a dispatch table holds a handful to a few dozen. */
const MAX_DISPATCH_ENTRIES = 40;

/**
 * The functions a call through a table of functions may run, when the key is computed:
 * `handlers[kind](input)`, or `const handler = handlers[kind]; handler(input)`, where `handlers`
 * is a const object literal (a `Record<string, Fn>` of functions, written inline, by name or by
 * shorthand). Which entry runs depends on the key at run time, so every value is a candidate.
 * Empty when the call is not such a dispatch or the table cannot be read.
 */
export function dispatchedFunctions(call: ts.CallExpression, index: CodeIndex): ts.FunctionLikeDeclaration[] {
  let callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) {
    const declaration = declarationOf(callee, index);
    // Only a const: a `let` may be reassigned to anything before the call.
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return [];
    if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) || !ts.isIdentifier(declaration.name)) return [];
    callee = skipOuterExpressions(declaration.initializer);
  }
  if (!ts.isElementAccessExpression(callee)) return [];
  // A literal key names one entry, which the checker resolves as a property; a computed one may pick any.
  const key = skipOuterExpressions(callee.argumentExpression);
  if (ts.isStringLiteralLike(key) || ts.isNumericLiteral(key)) return [];
  const table = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(table)) return [];
  const holder = declarationOf(table, index);
  if (!holder || !ts.isVariableDeclaration(holder) || !holder.initializer || !(ts.getCombinedNodeFlags(holder) & ts.NodeFlags.Const)) return [];
  const literal = skipOuterExpressions(holder.initializer);
  if (!ts.isObjectLiteralExpression(literal) || literal.properties.length > MAX_DISPATCH_ENTRIES) return [];
  const found: ts.FunctionLikeDeclaration[] = [];
  for (const property of literal.properties) {
    let fn: ts.FunctionLikeDeclaration | undefined;
    if (ts.isMethodDeclaration(property)) fn = property.body ? property : undefined;
    else if (ts.isShorthandPropertyAssignment(property)) fn = functionOfDeclaration(declarationOf(property.name, index));
    else if (ts.isPropertyAssignment(property)) {
      const value = skipOuterExpressions(property.initializer);
      fn = ts.isArrowFunction(value) || ts.isFunctionExpression(value)
        ? value
        : ts.isIdentifier(value) || ts.isPropertyAccessExpression(value)
          ? functionOfDeclaration(declarationOf(value, index))
          : undefined;
    }
    if (fn && !fn.getSourceFile().isDeclarationFile && !found.includes(fn)) found.push(fn);
  }
  return found;
}
