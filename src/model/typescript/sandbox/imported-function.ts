// The function a named import refers to when the type checker cannot say: a monorepo reviewed
// without node_modules imports its own packages by name (`import { check } from '@acme/shared/src/check'`),
// and the checker leaves that import unresolved while the model finds the sources in the tree.
// Only a function declared and exported in the resolved file is returned (no re-export chains).

import ts from 'typescript';
import type { TemporalModel } from '../types.js';
import { runtimeGraphOf } from './runtime-graph.js';

/** The exported function of the file an unresolved named import points to, or undefined. */
export function importedFunctionOf(expression: ts.Expression, checker: ts.TypeChecker, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  const found = importedStatementOf(expression, checker, model);
  return found ? exportedFunction(found.sourceFile, found.name) : undefined;
}

/**
 * The exported type aliases and variables of the file an unresolved named import points to
 * (`import { Token } from '@acme/shared/src/types'`: a schema constant and the type derived from it share a name).
 */
export function importedDeclarationsOf(name: ts.Node, checker: ts.TypeChecker, model: TemporalModel): (ts.TypeAliasDeclaration | ts.VariableDeclaration)[] {
  const found = importedStatementOf(name, checker, model);
  if (!found) return [];
  const declarations: (ts.TypeAliasDeclaration | ts.VariableDeclaration)[] = [];
  for (const statement of found.sourceFile.statements) {
    if (!isExported(statement)) continue;
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text === found.name) declarations.push(statement);
    if (ts.isVariableStatement(statement)) {
      for (const variable of statement.declarationList.declarations) if (ts.isIdentifier(variable.name) && variable.name.text === found.name) declarations.push(variable);
    }
  }
  return declarations;
}

function importedStatementOf(expression: ts.Node, checker: ts.TypeChecker, model: TemporalModel): { sourceFile: ts.SourceFile; name: string } | undefined {
  if (!ts.isIdentifier(expression)) return undefined;
  const symbol = checker.getSymbolAtLocation(expression);
  if (!symbol || !(symbol.flags & ts.SymbolFlags.Alias)) return undefined;
  // A resolved import is the checker's to follow.
  if ((checker.getAliasedSymbol(symbol).declarations ?? []).length > 0) return undefined;
  const specifier = symbol.declarations?.find(ts.isImportSpecifier);
  if (!specifier) return undefined;
  const declaration = specifier.parent.parent.parent;
  if (!ts.isImportDeclaration(declaration) || !ts.isStringLiteral(declaration.moduleSpecifier)) return undefined;
  const exportedName = (specifier.propertyName ?? specifier.name).text;
  const graph = runtimeGraphOf(model);
  const from = expression.getSourceFile().fileName;
  const edge = graph.edgesOf(from).find((candidate) => candidate.specifier === (declaration.moduleSpecifier as ts.StringLiteral).text);
  if (!edge || edge.target.kind !== 'file' || !graph.isProjectFile(edge.target.file)) return undefined;
  const target = graph.sourceFile(edge.target.file);
  return target ? { sourceFile: target, name: exportedName } : undefined;
}

function exportedFunction(sourceFile: ts.SourceFile, name: string): ts.FunctionLikeDeclaration | undefined {
  for (const statement of sourceFile.statements) {
    if (!isExported(statement)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name && statement.body) return statement;
    if (ts.isVariableStatement(statement)) {
      for (const variable of statement.declarationList.declarations) {
        const initializer = variable.initializer;
        if (ts.isIdentifier(variable.name) && variable.name.text === name && initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))) {
          return initializer;
        }
      }
    }
  }
  return undefined;
}

function isExported(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}
