// Uses of a module's own Map, Set or WeakMap (declared at the top level of a project module) from
// activity code: state that lives in one worker process's memory, gone after a restart and absent
// on every other worker.

import ts from 'typescript';
import { declarationOf } from './declarations.js';
import { locate, nodeSnippet } from './locate.js';
import type { ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { ModuleStateUse } from './types.js';

const OPS: Record<string, ModuleStateUse['op']> = { get: 'read', has: 'read', set: 'write', add: 'write', delete: 'delete', clear: 'delete' };

const COLLECTIONS = new Set(['Map', 'Set', 'WeakMap']);

/** `containers.get(workflowId)` where `containers` is `const containers = new Map()` at a module's top level. */
export function moduleStateUse(call: ts.CallExpression, ctx: ResolveContext): ModuleStateUse | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return undefined;
  const op = OPS[callee.name.text];
  if (!op) return undefined;
  const declaration = declarationOf(callee.expression, ctx.index);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const statement = declaration.parent?.parent;
  if (!statement || !ts.isVariableStatement(statement) || !ts.isSourceFile(statement.parent)) return undefined;
  const file = statement.getSourceFile();
  if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) return undefined;
  const initializer = skipOuterExpressions(declaration.initializer);
  if (!ts.isNewExpression(initializer) || !ts.isIdentifier(initializer.expression) || !COLLECTIONS.has(initializer.expression.text)) return undefined;
  const key = call.arguments[0];
  return {
    name: callee.expression.text,
    declaration: locate(declaration),
    op,
    location: locate(call),
    ...(key ? { key: nodeSnippet(key) } : {}),
  };
}
