// Values that differ on every run of a process: a random id (crypto.randomUUID, uuid, nanoid,
// ulid, cuid, Math.random), the clock (Date.now, new Date, performance.now, process.hrtime) or the
// process id. A task queue named with one is polled only by the worker this process created.

import ts from 'typescript';
import { skipOuterExpressions } from './temporal-api.js';

const UNIQUE_FUNCTIONS = new Set(['randomUUID', 'uuid', 'v1', 'v4', 'v7', 'uuidv4', 'uuidV4', 'nanoid', 'ulid', 'cuid', 'createId', 'random', 'randomBytes', 'now', 'hrtime']);

/** The source of the per-process value the expression is built from (`randomUUID()`), if any. */
export function processUniqueSource(expression: ts.Node, declarationOf: (node: ts.Node) => ts.Declaration | undefined, depth = 0): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const isNewDate = ts.isNewExpression(node) && name === 'Date' && (node.arguments?.length ?? 0) === 0;
      if (isNewDate || (ts.isCallExpression(node) && name !== undefined && UNIQUE_FUNCTIONS.has(name) && !isLocalFunction(callee, declarationOf))) {
        found = node.getText();
        return;
      }
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'pid' && ts.isIdentifier(node.expression) && node.expression.text === 'process') {
      found = node.getText();
      return;
    }
    if (ts.isIdentifier(node) && depth < 2 && !(node.parent && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const declaration = declarationOf(node);
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0) {
        found = processUniqueSource(declaration.initializer, declarationOf, depth + 1);
        if (found) return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

/** `now()` or `random()` of the reviewed code itself is not the clock or a random source. */
function isLocalFunction(callee: ts.Node, declarationOf: (node: ts.Node) => ts.Declaration | undefined): boolean {
  if (!ts.isIdentifier(callee)) return false;
  const declaration = declarationOf(callee);
  return declaration !== undefined && !declaration.getSourceFile().isDeclarationFile && !ts.isImportSpecifier(declaration) && !ts.isImportClause(declaration);
}
