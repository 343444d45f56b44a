// Which functions a function reaches through calls to functions declared in the reviewed code
// (depth-limited, cycle-safe). Used to tell which workflow uses a module-level proxy.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { calledFunction } from './declarations.js';

const MAX_DEPTH = 4;

const reachCache = new WeakMap<ts.Node, Set<ts.Node>>();

export function functionsReachedFrom(fn: ts.FunctionLikeDeclaration, index: CodeIndex): Set<ts.Node> {
  const cached = reachCache.get(fn);
  if (cached) return cached;
  const reached = new Set<ts.Node>([fn]);
  reachCache.set(fn, reached);
  let frontier: ts.FunctionLikeDeclaration[] = [fn];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const next: ts.FunctionLikeDeclaration[] = [];
    for (const current of frontier) {
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) {
          const callee = calledFunction(node, index);
          if (callee && !reached.has(callee) && index.isReviewed(callee.getSourceFile().fileName)) {
            reached.add(callee);
            next.push(callee);
          }
        }
        ts.forEachChild(node, visit);
      };
      if (current.body) visit(current.body);
    }
    frontier = next;
  }
  return reached;
}

/** The innermost function a node sits in. */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return current as ts.FunctionLikeDeclaration;
  }
  return undefined;
}

/** The functions a node sits in, innermost first. */
export function enclosingFunctions(node: ts.Node): ts.Node[] {
  const result: ts.Node[] = [];
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) result.push(current);
  }
  return result;
}
