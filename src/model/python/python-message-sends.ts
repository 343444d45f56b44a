// Signals, updates and queries the Python code sends, and the names each workflow handles
// (workflow-signal-unhandled). A send is `handle.signal(x)`, `handle.execute_update(x)` or
// `handle.start_update(x)` on a workflow handle, or `client.start_workflow(..., start_signal=x)`.
// A handle is known by the call that returned it (directly, or through a local assigned only such
// calls): get_workflow_handle(_for), start_workflow, get_external_workflow_handle(_for),
// start_child_workflow; or a parameter annotated as a WorkflowHandle. The `_for` getters and the
// starts name the workflow (`MyWorkflow.run`). A name is a string constant; a method reference
// (`MyWorkflow.pause`) names the handler itself and is no send to check, nor is a name from a
// variable or configuration.

import type { MessageFacts, MessageSendFacts, SourceLocation, WorkflowMessageHandling } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { forwardedCall } from './python-forwarded-calls.js';
import { callArguments, type CallArguments, classMembers, decoratorsOf, enclosing, locateNode, moduleStatements, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import { localValues } from './python-local-values.js';
import { resolvePythonValue } from './python-values.js';

const SEND_METHODS: Record<string, 'signal' | 'update' | 'query'> = { signal: 'signal', execute_update: 'update', start_update: 'update', query: 'query' };
/** Calls that return a workflow handle; true when their first argument names the workflow. */
const HANDLE_CALLS: Record<string, boolean> = {
  get_workflow_handle: false,
  get_external_workflow_handle: false,
  get_workflow_handle_for: true,
  get_external_workflow_handle_for: true,
  start_workflow: true,
  start_child_workflow: true,
};
const RUNTIME_HANDLERS: Record<string, { kind: 'signal' | 'update' | 'query'; dynamic: boolean }> = {
  set_query_handler: { kind: 'query', dynamic: false },
  set_dynamic_query_handler: { kind: 'query', dynamic: true },
  set_signal_handler: { kind: 'signal', dynamic: false },
  set_dynamic_signal_handler: { kind: 'signal', dynamic: true },
  set_update_handler: { kind: 'update', dynamic: false },
  set_dynamic_update_handler: { kind: 'update', dynamic: true },
};
/** Bases that bring no handlers. */
const PLAIN_BASES = new Set(['object', 'ABC', 'abc.ABC', 'Generic', 'typing.Generic', 'Protocol', 'typing.Protocol']);

export function pythonMessageFacts(files: string[], modules: PythonModules, workflows: PythonWorkflow[]): MessageFacts {
  const facts: MessageFacts = { sends: [], workflows: [], handledOutside: [] };
  const classes = classesByName(files, modules);
  const byClass = new Map<PythonNode, WorkflowMessageHandling>();
  for (const workflow of workflows) {
    const handling: WorkflowMessageHandling = { workflow: workflow.name, location: workflow.location, handles: [], open: [] };
    addClassHandlers(handling, workflow.node, workflow.file, modules, classes, new Set());
    byClass.set(workflow.node, handling);
    facts.workflows.push(handling);
  }
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root) continue;
    for (const call of root.descendantsOfType('call')) {
      if (!call) continue;
      const callee = call.childForFieldName('function');
      // `run_async(handle.signal, "approve", x)`, `async_to_sync(handle.execute_update)(...)`: a send run by a sync bridge.
      if (callee && callee.type !== 'attribute' && /\.(?:signal|execute_update|start_update|query|start_workflow)\b/.test(call.text)) {
        const forwarded = forwardedCall(call, file, modules);
        const target = forwarded?.target;
        const name = target?.type === 'attribute' ? (target.childForFieldName('attribute')?.text ?? '') : '';
        const kind = SEND_METHODS[name];
        const send = kind ? handleSend(call, target!, kind, file, modules, workflows, forwarded!.args) : name === 'start_workflow' ? startSignal(call, file, modules, workflows, forwarded!.args) : undefined;
        if (send) facts.sends.push(send);
        continue;
      }
      if (callee?.type !== 'attribute') continue;
      const method = callee.childForFieldName('attribute')?.text ?? '';
      const qualified = modules.qualifiedName(file, callee);
      const runtime = qualified?.startsWith('temporalio.workflow.') ? RUNTIME_HANDLERS[qualified.slice('temporalio.workflow.'.length)] : undefined;
      if (runtime) {
        // `workflow.set_signal_handler("name", fn)` at run time, in a workflow's class or elsewhere.
        const owner = ownerWorkflow(call, byClass);
        const first = callArguments(call).positional[0];
        const name = !runtime.dynamic && first ? stringLiteral(first) : undefined;
        const location = locateNode(file, call);
        if (name !== undefined) (owner?.handles ?? facts.handledOutside).push({ kind: runtime.kind, name });
        else if (owner) owner.open.push({ kind: runtime.kind, reason: `a handler set at run time (workflow.${qualified!.slice('temporalio.workflow.'.length)})`, location });
        else facts.openEverywhere ??= { reason: `a handler set at run time (workflow.${qualified!.slice('temporalio.workflow.'.length)}) outside any workflow class`, location };
        continue;
      }
      const kind = SEND_METHODS[method];
      if (kind) {
        const send = handleSend(call, callee, kind, file, modules, workflows);
        if (send) facts.sends.push(send);
      } else if (method === 'start_workflow') {
        const send = startSignal(call, file, modules, workflows, callArguments(call));
        if (send) facts.sends.push(send);
      }
    }
  }
  return facts;
}

/** `client.start_workflow(..., start_signal=x)`: the signal sent with the start. */
function startSignal(call: PythonNode, file: string, modules: PythonModules, workflows: PythonWorkflow[], args: CallArguments): MessageSendFacts | undefined {
  const signal = args.keywords.get('start_signal');
  const name = signal ? constantName(signal, file, modules) : undefined;
  if (name === undefined) return undefined;
  const targets = workflowNamed(args.positional[0], workflows);
  return targets.length > 0 ? { kind: 'signal', name, location: locateNode(file, call), call: shortText(call), targets, targetBy: 'with-start' } : undefined;
}

function handleSend(call: PythonNode, callee: PythonNode, kind: 'signal' | 'update' | 'query', file: string, modules: PythonModules, workflows: PythonWorkflow[], forwarded?: CallArguments): MessageSendFacts | undefined {
  const args = forwarded ?? callArguments(call);
  const sent = args.positional[0] ?? args.keywords.get(kind);
  const receiver = callee.childForFieldName('object');
  if (!sent || !receiver) return undefined;
  const name = constantName(sent, file, modules);
  if (name === undefined) return undefined;
  const target = handleTarget(receiver, file, workflows);
  if (!target) return undefined;
  return { kind, name, location: locateNode(file, call), call: shortText(call), targets: target.types, ...(target.by ? { targetBy: target.by } : {}) };
}

/** What a receiver is when it is a workflow handle: the workflow types it targets (empty: unknown). */
function handleTarget(receiver: PythonNode, file: string, workflows: PythonWorkflow[]): { types: string[]; by?: 'typed' | 'started' } | undefined {
  const expression = skipAwait(receiver);
  if (expression.type === 'call') return handleCallTarget(expression, workflows);
  if (expression.type !== 'identifier') return undefined;
  const values = localValues(expression, file);
  if (!values) {
    // A parameter annotated as a handle: `handle: WorkflowHandle`.
    const fn = enclosing(expression, ['function_definition']);
    const parameters = fn?.childForFieldName('parameters');
    const annotated = parameters ? namedChildrenOf(parameters).find((p) => p.type === 'typed_parameter' && namedChildrenOf(p)[0]?.text === expression.text) : undefined;
    return annotated && /WorkflowHandle/.test(annotated.childForFieldName('type')?.text ?? '') ? { types: [] } : undefined;
  }
  const targets = values.map((value) => handleCallTarget(skipAwait(value.node), workflows));
  if (targets.some((t) => t === undefined)) return undefined;
  if (targets.some((t) => t!.types.length === 0)) return { types: [] };
  const by = targets.every((t) => t!.by === 'started') ? 'started' : 'typed';
  return { types: [...new Set(targets.flatMap((t) => t!.types))], by };
}

function handleCallTarget(call: PythonNode, workflows: PythonWorkflow[]): { types: string[]; by?: 'typed' | 'started' } | undefined {
  if (call.type !== 'call') return undefined;
  const callee = call.childForFieldName('function');
  const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.text;
  if (!method || !(method in HANDLE_CALLS)) return undefined;
  if (!HANDLE_CALLS[method]) return { types: [] };
  const types = workflowNamed(callArguments(call).positional[0], workflows);
  return types.length > 0 ? { types, by: method.startsWith('start_') ? 'started' : 'typed' } : { types: [] };
}

/** The workflow types a start or typed getter's first argument names: `MyWorkflow.run` or a literal type name. */
function workflowNamed(argument: PythonNode | undefined, workflows: PythonWorkflow[]): string[] {
  if (!argument) return [];
  const node = unparenthesize(argument);
  const literal = stringLiteral(node);
  if (literal !== undefined) return [literal];
  if (node.type !== 'attribute') return [];
  const object = node.childForFieldName('object');
  const className = object?.type === 'attribute' ? object.childForFieldName('attribute')?.text : object?.text;
  return [...new Set(workflows.filter((w) => w.className === className).map((w) => w.name))];
}

function constantName(node: PythonNode, file: string, modules: PythonModules): string | undefined {
  const literal = stringLiteral(node);
  if (literal !== undefined) return literal;
  const target = unparenthesize(node);
  if (target.type !== 'identifier' && target.type !== 'attribute') return undefined;
  const value = resolvePythonValue(target, file, modules);
  return value.kind === 'string' && !value.configurable ? value.value : undefined;
}

function skipAwait(node: PythonNode): PythonNode {
  let current = unparenthesize(node);
  while (current.type === 'await') {
    const inner = namedChildrenOf(current)[0];
    if (!inner) break;
    current = unparenthesize(inner);
  }
  return current;
}

function ownerWorkflow(node: PythonNode, byClass: Map<PythonNode, WorkflowMessageHandling>): WorkflowMessageHandling | undefined {
  for (let current = enclosing(node, ['class_definition']); current; current = enclosing(current, ['class_definition'])) {
    const owner = byClass.get(current);
    if (owner) return owner;
  }
  return undefined;
}

interface ClassEntry {
  node: PythonNode;
  file: string;
}

function classesByName(files: string[], modules: PythonModules): Map<string, ClassEntry[]> {
  const classes = new Map<string, ClassEntry[]>();
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root) continue;
    for (const statement of moduleStatements(root)) {
      const name = statement.type === 'class_definition' ? statement.childForFieldName('name')?.text : undefined;
      if (name) classes.set(name, [...(classes.get(name) ?? []), { node: statement, file }]);
    }
  }
  return classes;
}

/** The handlers a class declares with decorators, and those of the project's classes it inherits from. */
function addClassHandlers(handling: WorkflowMessageHandling, classNode: PythonNode, file: string, modules: PythonModules, classes: Map<string, ClassEntry[]>, seen: Set<PythonNode>): void {
  if (seen.has(classNode)) return;
  seen.add(classNode);
  for (const member of classMembers(classNode)) {
    if (member.type !== 'function_definition') continue;
    const memberName = member.childForFieldName('name');
    for (const d of decoratorsOf(member)) {
      const kind = modules.qualifiedName(file, d.expression)?.replace(/^temporalio\.workflow\./, '');
      if (kind !== 'signal' && kind !== 'query' && kind !== 'update') continue;
      const args = d.call ? callArguments(d.call) : undefined;
      const given = args?.keywords.get('name');
      const dynamic = args?.keywords.get('dynamic');
      const location = locateNode(file, memberName ?? member);
      if (dynamic && dynamic.type !== 'false') handling.open.push({ kind, reason: `a dynamic ${kind} handler (${memberName?.text ?? 'method'})`, location });
      else if (given && stringLiteral(given) === undefined) {
        handling.open.push({ kind, reason: `a ${kind} handler whose name the reviewer cannot resolve (name=${given.text})`, location });
      } else handling.handles.push({ kind, name: (given && stringLiteral(given)) ?? memberName?.text ?? '' });
    }
  }
  const superclasses = classNode.childForFieldName('superclasses');
  for (const base of superclasses ? namedChildrenOf(superclasses) : []) {
    if (base.type === 'keyword_argument') continue;
    const text = base.type === 'subscript' ? (base.childForFieldName('value')?.text ?? base.text) : base.text;
    if (PLAIN_BASES.has(text)) continue;
    const simple = text.split('.').pop()!;
    const found = classes.get(simple) ?? [];
    if (found.length === 0) {
      const location: SourceLocation = locateNode(file, base);
      for (const kind of ['signal', 'update', 'query'] as const) handling.open.push({ kind, reason: `it inherits from ${text}, which the reviewer does not see`, location });
      continue;
    }
    for (const entry of found) addClassHandlers(handling, entry.node, entry.file, modules, classes, seen);
  }
}

function shortText(node: PythonNode): string {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
