// One walk over the reviewed files that picks out the calls the model is made of
// (proxyActivities, Worker.create, client.workflow.start, client.schedule.create, ...). Extractors
// read these lists.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { declarationOf } from './declarations.js';
import { importBindings, isTemporalApi, isTemporalModule, skipOuterExpressions } from './temporal-api.js';
import { clientKindOf } from './temporal-clients.js';

export interface TemporalCalls {
  proxies: { call: ts.CallExpression; kind: 'remote' | 'local' }[];
  workerCreates: ts.CallExpression[];
  runtimeInstalls: ts.CallExpression[];
  clientStarts: { call: ts.CallExpression; method: 'start' | 'execute' | 'signalWithStart' | 'schedule' }[];
  childStarts: { call: ts.CallExpression; method: 'executeChild' | 'startChild' }[];
  searchAttributeKeys: ts.CallExpression[];
}

const CLIENT_METHODS = new Set(['start', 'execute', 'signalWithStart']);

export function collectTemporalCalls(index: CodeIndex, files: string[]): TemporalCalls {
  const calls: TemporalCalls = { proxies: [], workerCreates: [], runtimeInstalls: [], clientStarts: [], childStarts: [], searchAttributeKeys: [] };
  for (const file of files) {
    const sourceFile = index.sourceFile(file);
    if (!sourceFile) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) classify(node, index, calls);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return calls;
}

/** The name a callee is known by: the imported name for renamed imports, else the written name. */
function calleeName(callee: ts.Expression): string | undefined {
  if (ts.isIdentifier(callee)) {
    const binding = importBindings(callee.getSourceFile()).get(callee.text);
    return binding && isTemporalModule(binding.module) && binding.imported !== '*' ? binding.imported : callee.text;
  }
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

function classify(call: ts.CallExpression, index: CodeIndex, calls: TemporalCalls): void {
  const callee = call.expression;
  const name = calleeName(callee);
  switch (name) {
    case 'proxyActivities':
    case 'proxyLocalActivities':
      if (isTemporalApi(callee, index, name)) calls.proxies.push({ call, kind: name === 'proxyActivities' ? 'remote' : 'local' });
      return;
    case 'executeChild':
    case 'startChild':
      if (isTemporalApi(callee, index, name)) calls.childStarts.push({ call, method: name });
      return;
    case 'defineSearchAttributeKey':
      if (isTemporalApi(callee, index, name)) calls.searchAttributeKeys.push(call);
      return;
    case 'create':
      if (ts.isPropertyAccessExpression(callee) && isTemporalApi(callee.expression, index, 'Worker')) calls.workerCreates.push(call);
      else if (isClientCall(callee, index, 'schedule', 'ScheduleClient')) calls.clientStarts.push({ call, method: 'schedule' });
      return;
    case 'install':
      if (ts.isPropertyAccessExpression(callee) && isTemporalApi(callee.expression, index, 'Runtime')) calls.runtimeInstalls.push(call);
      return;
    default:
      if (name && CLIENT_METHODS.has(name) && isClientCall(callee, index, 'workflow', 'WorkflowClient')) {
        calls.clientStarts.push({ call, method: name as 'start' | 'execute' | 'signalWithStart' });
      }
  }
}

/**
 * `<anything>.workflow.start(...)` (or `.schedule.create(...)`), `const wf = client.workflow`, or a
 * receiver that holds a WorkflowClient (ScheduleClient) by its type: a helper's
 * `Promise<WorkflowClient>`, a typed parameter or class field, `client ?? await connect()`.
 */
function isClientCall(callee: ts.Expression, index: CodeIndex, member: 'workflow' | 'schedule', kind: 'WorkflowClient' | 'ScheduleClient'): boolean {
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === member) return true;
  if (ts.isIdentifier(receiver)) {
    const declaration = declarationOf(receiver, index);
    const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && skipOuterExpressions(declaration.initializer);
    if (initializer && ts.isPropertyAccessExpression(initializer) && initializer.name.text === member) return true;
  }
  return clientKindOf(callee.expression, index) === kind;
}
