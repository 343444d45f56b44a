// The npm packages a TypeScript project's production files import (`import x from 'openai'`,
// `export * from '@scope/pkg/sub'`, `import x = require('pg')`, `require('axios')`,
// `await import('stripe')`), by package name. The retry checks ask it which library error classes
// can reach an activity: the SDK reports a thrown error's type as its class name.

import ts from 'typescript';
import { packageOfSpecifier } from '../../engine/activity-policy/library-error-types.js';
import type { TemporalModel } from './types.js';

const cache = new WeakMap<TemporalModel, Set<string>>();

export function importedPackages(model: TemporalModel): Set<string> {
  const cached = cache.get(model);
  if (cached) return cached;
  const packages = new Set<string>();
  const add = (node: ts.Node | undefined) => {
    if (!node || !ts.isStringLiteralLike(node)) return;
    const name = packageOfSpecifier(node.text);
    if (name) packages.add(name);
  };
  for (const file of model.files) {
    const source = model.sourceFile(file);
    if (!source) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
      else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
      else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) add(node.arguments[0]);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  cache.set(model, packages);
  return packages;
}
