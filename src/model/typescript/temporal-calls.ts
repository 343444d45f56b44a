// One walk over the reviewed files that picks out the calls the model is made of
// (proxyActivities, Worker.create, client.workflow.start, ...). Extractors read these lists.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { importBindings, isTemporalModule, temporalApiOf } from './temporal-api.js';

export interface TemporalCalls {
  proxies: { call: ts.CallExpression; kind: 'remote' | 'local' }[];
  workerCreates: ts.CallExpression[];
  runtimeInstalls: ts.CallExpression[];
  clientStarts: { call: ts.CallExpression; method: 'start' | 'execute' | 'signalWithStart' }[];
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
      if (temporalApiOf(callee, index)?.name === name) calls.proxies.push({ call, kind: name === 'proxyActivities' ? 'remote' : 'local' });
      return;
    case 'executeChild':
    case 'startChild':
      if (temporalApiOf(callee, index)?.name === name) calls.childStarts.push({ call, method: name });
      return;
    case 'defineSearchAttributeKey':
      if (temporalApiOf(callee, index)?.name === name) calls.searchAttributeKeys.push(call);
      return;
    case 'create':
      if (ts.isPropertyAccessExpression(callee) && temporalApiOf(callee.expression, index)?.name === 'Worker') calls.workerCreates.push(call);
      return;
    case 'install':
      if (ts.isPropertyAccessExpression(callee) && temporalApiOf(callee.expression, index)?.name === 'Runtime') calls.runtimeInstalls.push(call);
      return;
    default:
      if (name && CLIENT_METHODS.has(name) && isWorkflowClientCall(callee)) {
        calls.clientStarts.push({ call, method: name as 'start' | 'execute' | 'signalWithStart' });
      }
  }
}

/** `<anything>.workflow.start(...)`: the WorkflowClient of a Client, however it is reached. */
function isWorkflowClientCall(callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = callee.expression;
  if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'workflow') return true;
  // `const wfClient = client.workflow; wfClient.start(...)` or a WorkflowClient instance.
  if (ts.isIdentifier(receiver) && /^(workflowClient|wfClient)$/i.test(receiver.text)) return true;
  return false;
}
