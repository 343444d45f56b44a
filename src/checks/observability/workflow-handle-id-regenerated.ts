// Finds status, cancel and signal code that looks a workflow up by an id it makes anew. A workflow
// id is how a client finds a running execution again: `client.workflow.getHandle(id)` addresses
// whatever runs under that id. When the code rebuilds the id with a fresh value (`Date.now()`,
// `uuid()`, `Math.random()`; Python `uuid4()`, `time.time()`, `datetime.now()`), written in place,
// held in a const, or returned by the project's id builder that the start also uses, the id is one
// nobody started: describe, result, cancel and signal fail with not-found, every time. Only a value
// made at the call is judged: an id from a parameter, a field or a store is left alone, and so is a
// function that also starts a workflow (it may look up the run it has just started).
// The Python front-end reads the calls itself (python-handle-ids.ts).

import ts from 'typescript';
import { defineCheck } from '../define-check.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { idExpressionShape } from '../../model/typescript/observability/workflow-id-shape.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { TemporalModel } from '../../model/typescript/types.js';

const HANDLE_METHODS = new Set(['getHandle', 'getWorkflowHandle']);

export default defineCheck({
  id: 'workflow-handle-id-regenerated',
  area: 'observability',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'Code gets a workflow handle by an id it rebuilds with a fresh value (Date.now(), uuid, Math.random; Python uuid4(), time.time(), datetime.now()): the id is never the running workflow\'s, so status, cancel and signal fail with not-found',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    if (python) {
      for (const hit of python.regeneratedHandleIds ?? []) {
        ctx.report({
          location: hit.location,
          message:
            `${hit.callee}(...)${hit.functionName ? ` in ${hit.functionName}` : ''} looks the workflow up by an id it makes anew (${hit.idText}): a part of it is a fresh value at every call, so the id is never the one the workflow was started with. ` +
            'The handle addresses a workflow nobody started: describe(), result(), cancel() and signal() fail with RPCError not found, every time.',
          fix:
            'Pass the id the workflow was started with: return it from the start (handle.id) and store it with the entity, or build the start\'s id and this one from the same business key only (f"scan-{user_id}"), without uuid4() or the clock.',
          data: { workflowId: hit.idText, ...(hit.functionName ? { function: hit.functionName } : {}) },
        });
      }
      return;
    }
    const typed = model as TemporalModel;
    for (const file of typed.files) {
      const sourceFile = typed.sourceFile(file);
      if (!sourceFile || !/getHandle|getWorkflowHandle/.test(sourceFile.text)) continue;
      const visit = (node: ts.Node): void => {
        ts.forEachChild(node, visit);
        if (!ts.isCallExpression(node) || node.arguments.length === 0) return;
        const callee = skipOuterExpressions(node.expression);
        if (!ts.isPropertyAccessExpression(callee) || !HANDLE_METHODS.has(callee.name.text)) return;
        // `client.workflow.getHandle(id)`, `client.getWorkflowHandle(id)`: a client, by the receiver's name or type.
        if (!isWorkflowClient(callee.expression, typed)) return;
        const id = node.arguments[0]!;
        const shape = idExpressionShape(id, typed);
        if (shape !== 'random' && shape !== 'keyed-random') return;
        const fn = enclosingFunction(node);
        if (fn && typed.starts.some((start) => start.node.getSourceFile() === sourceFile && start.node.pos >= fn.pos && start.node.end <= fn.end)) return;
        const idText = id.getText().replace(/\s+/g, ' ');
        const built = constInitializer(id, typed);
        const name = fn ? functionLabel(fn) : undefined;
        ctx.report({
          location: typed.locate(node),
          message:
            `${callee.getText().replace(/\s+/g, '')}(${idText})${name ? ` in ${name}` : ''} looks the workflow up by an id it makes anew${built ? ` (${idText} = ${built})` : ''}: a part of it is a fresh value at every call (Date.now(), uuid, Math.random), so the id is never the one the workflow was started with. ` +
            'The handle addresses a workflow nobody started: describe(), result(), cancel() and signal() fail with WorkflowNotFoundError, every time.',
          fix:
            'Pass the id the workflow was started with: return it from the start (handle.workflowId) and store it with the entity, or build the start\'s id and this one from the same business key only (`scan-${userId}`), without Date.now() or a uuid.',
          data: { workflowId: idText, ...(name ? { function: name } : {}) },
        });
      };
      visit(sourceFile);
    }
  },
});

/** `workflowId` declared `const workflowId = buildId(userId)`: the initializer, on one line. */
function constInitializer(id: ts.Expression, model: TemporalModel): string | undefined {
  const node = skipOuterExpressions(id);
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = model.declarationOf(node);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const text = declaration.initializer.getText().replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isWorkflowClient(receiver: ts.Expression, model: TemporalModel): boolean {
  const text = receiver.getText();
  if (/(^|\.)workflow$/i.test(text) || /client$/i.test(text)) return true;
  const checker = model.checkerFor(receiver.getSourceFile().fileName);
  const type = checker?.getTypeAtLocation(receiver);
  const name = type ? ((type.aliasSymbol ?? type.getSymbol())?.getName() ?? '') : '';
  return /WorkflowClient|^Client$/.test(name);
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && 'body' in current) return current as ts.FunctionLikeDeclaration;
  }
  return undefined;
}

function functionLabel(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}
