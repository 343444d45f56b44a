// Uses of a declared name across the files that can see it (its own file and the files that
// import it), matched through the checker so shadowing and renamed imports are handled.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { symbolOf } from './declarations.js';
import { importBindings } from './temporal-api.js';

export function findReferences(name: ts.Identifier, index: CodeIndex, importersOf: (file: string) => string[]): ts.Identifier[] {
  const target = symbolOf(name, index);
  const file = name.getSourceFile().fileName;
  const files = [file, ...(isExported(name) ? importersOf(file) : [])];
  const references: ts.Identifier[] = [];
  for (const candidateFile of new Set(files)) {
    const sourceFile = index.sourceFile(candidateFile);
    if (!sourceFile) continue;
    const localNames = new Set([name.text]);
    for (const [local, binding] of importBindings(sourceFile)) if (binding.imported === name.text) localNames.add(local);
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        if (node !== name && localNames.has(node.text) && isSameSymbol(node, target, index)) references.push(node);
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return references;
}

function isSameSymbol(node: ts.Identifier, target: ts.Symbol | undefined, index: CodeIndex): boolean {
  // Import specifiers and export specifiers name the symbol without using it.
  if (ts.isImportSpecifier(node.parent) || ts.isImportClause(node.parent) || ts.isExportSpecifier(node.parent)) return false;
  if (!target) return true;
  return symbolOf(node, index) === target;
}

function isExported(name: ts.Identifier): boolean {
  let node: ts.Node = name;
  while (node.parent && !ts.isSourceFile(node.parent) && !ts.isVariableStatement(node) && !ts.isFunctionDeclaration(node)) node = node.parent;
  if ((ts.isVariableStatement(node) || ts.isFunctionDeclaration(node)) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  // `export { acts }` at the end of the file.
  return name.getSourceFile().statements.some(
    (s) => ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.some((e) => (e.propertyName ?? e.name).text === name.text),
  );
}
