// Signals, updates and queries the reviewed code sends, and the names each workflow handles
// (workflow-signal-unhandled). A send is `handle.signal(x, ...)`, `handle.executeUpdate(x, ...)`,
// `handle.startUpdate(x, ...)` or `handle.query(x, ...)` on a workflow handle (recognised like a cancel: the receiver's type,
// or the call that returned it), or `client.workflow.signalWithStart(wf, { signal: x })`. Its name
// is a string constant or the constant name of a defineSignal/defineUpdate call, through variables
// and imports; a name that does not resolve to a constant (a variable, configuration) is no send.

import ts from 'typescript';
import type { MessageFacts, MessageSendFacts, WorkflowMessageHandling } from '../types.js';
import { handleSource, handleTarget } from './workflow-cancel-calls.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { TemporalModel } from './types.js';

const SEND_METHODS: Record<string, 'signal' | 'update' | 'query'> = { signal: 'signal', executeUpdate: 'update', startUpdate: 'update', query: 'query' };
const DEFINE_KINDS: Record<string, 'signal' | 'update' | 'query'> = { defineSignal: 'signal', defineUpdate: 'update', defineQuery: 'query' };
const HANDLE_TYPE = /WorkflowHandle/;

const cache = new WeakMap<TemporalModel, MessageFacts>();

export function typescriptMessageFacts(model: TemporalModel): MessageFacts {
  const cached = cache.get(model);
  if (cached) return cached;
  const facts: MessageFacts = { sends: [...handleSends(model), ...signalWithStarts(model)], workflows: [], handledOutside: [] };
  facts.sends.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  const attributed = new Set<string>();
  const key = (l: { file: string; line: number; column: number }) => `${l.file}:${l.line}:${l.column}`;
  for (const workflow of model.workflows) {
    const handling: WorkflowMessageHandling = {
      workflow: workflow.name,
      location: workflow.location,
      handles: workflow.handlers.filter((h) => h.name !== null).map((h) => ({ kind: h.kind, name: h.name! })),
      open: (workflow.openHandlers ?? []).map((o) => ({ kind: o.kind, reason: o.reason, location: o.location })),
    };
    for (const h of workflow.handlers) attributed.add(key(h.location));
    for (const o of workflow.openHandlers ?? []) attributed.add(key(o.location));
    facts.workflows.push(handling);
  }
  // Handler code no workflow was seen to reach (a class method, a callback passed around): its names
  // count for every workflow, and one whose name does not resolve may take any name.
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !/setHandler|setDefault(?:Signal|Update|Query)Handler/.test(sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const api = model.temporalApiOf(node.expression);
        if (api && (api.name === 'setHandler' || api.name === 'setDefaultSignalHandler' || api.name === 'setDefaultUpdateHandler' || api.name === 'setDefaultQueryHandler')) {
          const location = model.locate(node);
          if (!attributed.has(key(location))) {
            const sent = api.name === 'setHandler' && node.arguments[0] ? definitionName(node.arguments[0], model) : undefined;
            if (sent?.kind) facts.handledOutside.push({ kind: sent.kind, name: sent.name });
            else if (!sent) facts.openEverywhere ??= { reason: `${api.name === 'setHandler' ? 'a setHandler whose name the reviewer cannot resolve' : `a default handler (${api.name})`}, outside any workflow it can follow`, location };
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  cache.set(model, facts);
  return facts;
}

function handleSends(model: TemporalModel): MessageSendFacts[] {
  const found: MessageSendFacts[] = [];
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    const checker = model.checkerFor(file);
    if (!sourceFile || !checker || !/\.(?:signal|executeUpdate|startUpdate|query)\(/.test(sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && SEND_METHODS[node.expression.name.text] && node.arguments[0]) {
        const kind = SEND_METHODS[node.expression.name.text]!;
        const receiver = node.expression.expression;
        const source = handleSource(receiver, model);
        const type = checker.getTypeAtLocation(receiver);
        const typeName = (type.aliasSymbol ?? type.getSymbol())?.getName() ?? '';
        if (source || HANDLE_TYPE.test(typeName)) {
          const sent = definitionName(node.arguments[0], model);
          // A definition of another kind (`handle.signal(someQuery)`) is a type error, not this check's.
          if (sent && (sent.kind === undefined || sent.kind === kind)) {
            const target = handleTarget(source, model);
            // A workflow id no start of the project makes: another service's workflow, whose handlers are out of sight.
            if (!target.foreignId) found.push({ kind, name: sent.name, location: model.locate(node), call: shortText(node), targets: target.types, ...(target.by ? { targetBy: target.by } : {}) });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

/** `client.workflow.signalWithStart(wf, { signal: x, ... })`: the start's workflow type receives x. */
function signalWithStarts(model: TemporalModel): MessageSendFacts[] {
  const found: MessageSendFacts[] = [];
  for (const start of model.starts) {
    if (start.method !== 'signalWithStart' || !start.workflowType) continue;
    const options = start.node.arguments[1] && skipOuterExpressions(start.node.arguments[1]);
    if (!options || !ts.isObjectLiteralExpression(options)) continue;
    const property = options.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'signal');
    const value = property && ts.isPropertyAssignment(property) ? property.initializer : property && ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
    if (!value) continue;
    const sent = definitionName(value, model);
    if (!sent || (sent.kind && sent.kind !== 'signal')) continue;
    found.push({ kind: 'signal', name: sent.name, location: start.location, call: shortText(start.node), targets: [start.workflowType], targetBy: 'with-start' });
  }
  return found;
}

/**
 * The constant name an argument sends: the name given to a defineSignal/defineUpdate/defineQuery
 * call it refers to (inline, through a variable, an object property or an import), or a string
 * constant. Undefined when it does not resolve, or comes from configuration.
 */
export function definitionName(argument: ts.Expression, model: TemporalModel): { name: string; kind?: 'signal' | 'update' | 'query' } | undefined {
  let expression = skipOuterExpressions(argument);
  if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) {
    const declaration = model.declarationOf(expression);
    if (declaration && (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration)) && declaration.initializer) {
      const initializer = skipOuterExpressions(declaration.initializer);
      if (ts.isCallExpression(initializer)) expression = initializer;
    }
  }
  if (ts.isCallExpression(expression)) {
    const api = model.temporalApiOf(expression.expression);
    const kind = api ? DEFINE_KINDS[api.name] : undefined;
    if (!kind || !expression.arguments[0]) return undefined;
    const value = model.resolveValue(expression.arguments[0]);
    return value.kind === 'string' && !value.configurable ? { name: value.value, kind } : undefined;
  }
  const value = model.resolveValue(expression as ts.Expression);
  return value.kind === 'string' && !value.configurable ? { name: value.value } : undefined;
}

function shortText(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
