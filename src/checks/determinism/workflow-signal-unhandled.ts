// Prevents features that silently do nothing: the application sends a signal (or an update) by a
// name that no workflow registers a handler for. The server accepts a signal whatever its name and
// records it in the history; with no handler the SDK buffers it, logs a warning at most, and drops
// it when the workflow completes. An update with no handler is rejected: the caller gets an error.
//
// Judged only when the reviewer has seen the workflows: some were found, every worker's workflow
// module was located (TypeScript), and no workflow code failed to parse. A send whose handle names
// its workflow (a typed handle, the handle a start returned, a signal-with-start, an id traced to a
// start's workflowId) is compared with that workflow's handlers; any other with every workflow's.
// A workflow with a handler that may take any name (a default or dynamic handler, a handler whose
// name does not resolve, handlers inherited from a class out of sight) takes every name of its kind.

import { relative } from '../../engine/run-checks.js';
import type { MessageFacts, MessageSendFacts, WorkflowMessageHandling } from '../../model/types.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { typescriptMessageFacts } from '../../model/typescript/message-sends.js';
import { workflowsModuleUnknown } from '../../model/typescript/extract-workflows.js';
import { defineCheck, type CheckContext } from '../define-check.js';

export default defineCheck({
  id: 'workflow-signal-unhandled',
  area: 'determinism',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A signal, update or query is sent by a name that no workflow (or not the workflow its handle targets) registers a handler for',
  run(ctx) {
    const facts = messageFacts(ctx);
    if (!facts || facts.openEverywhere) return;
    for (const send of facts.sends) judge(send, facts, ctx);
  },
});

/** The facts when the reviewer has seen the workflows; undefined otherwise. */
function messageFacts(ctx: CheckContext): MessageFacts | undefined {
  const model = ctx.model;
  if (!model) return undefined;
  const python = pythonModelOf(model);
  // A Python file that does not parse may hide a workflow class or its handlers.
  if (python) return python.workflows.length > 0 && python.parseErrors.length === 0 ? python.messageFacts : undefined;
  // Without a worker, or with one whose workflows module is not located, the workflows found are a
  // guess from imports: some may live elsewhere. Workflow code that does not parse may hide handlers.
  if (model.workflows.length === 0 || workflowsModuleUnknown(model.workers)) return undefined;
  if (model.parseErrors.some((error) => model.workflowFiles.has(error.file))) return undefined;
  return typescriptMessageFacts(model);
}

function handles(workflow: WorkflowMessageHandling, send: MessageSendFacts): boolean {
  return workflow.handles.some((h) => h.kind === send.kind && h.name === send.name);
}

function openFor(workflow: WorkflowMessageHandling, send: MessageSendFacts): boolean {
  return workflow.open.some((o) => o.kind === send.kind);
}

function judge(send: MessageSendFacts, facts: MessageFacts, ctx: CheckContext): void {
  // The SDKs answer their own queries on every workflow (`__stack_trace`, `__temporal_workflow_metadata`).
  if (send.kind === 'query' && send.name.startsWith('__')) return;
  if (facts.handledOutside.some((h) => h.kind === send.kind && h.name === send.name)) return;
  const handledBy = facts.workflows.filter((w) => handles(w, send));
  let checked: WorkflowMessageHandling[];
  let scope: string;
  if (send.targets.length > 0) {
    checked = facts.workflows.filter((w) => send.targets.includes(w.workflow));
    // A target the reviewed code does not define: its handlers are out of sight.
    if (send.targets.some((type) => !checked.some((w) => w.workflow === type))) return;
    scope =
      send.targetBy === 'with-start'
        ? `the workflow the call starts (${checked.map((w) => describe(w, ctx)).join(', ')})`
        : `${send.targets.length === 1 ? 'the workflow' : 'the workflows'} its handle targets (${checked.map((w) => describe(w, ctx)).join(', ')}${how(send)})`;
  } else {
    if (handledBy.length > 0) return;
    checked = facts.workflows;
    scope = checked.length === 1 ? `the only workflow the reviewer found (${describe(checked[0]!, ctx)})` : `any of the ${checked.length} workflows the reviewer found (${list(checked.map((w) => w.workflow))})`;
  }
  if (checked.some((w) => handles(w, send) || openFor(w, send))) return;
  const where = `${relative(ctx.root, send.location.file)}:${send.location.line}`;
  const sameNameOtherKind = checked.flatMap((w) => w.handles.filter((h) => h.name === send.name && h.kind !== send.kind).map((h) => `${w.workflow} handles '${h.name}' as ${article(h.kind)} ${h.kind}`));
  const elsewhere = send.targets.length > 0 ? handledBy.filter((w) => !checked.includes(w)) : [];
  const consequence =
    send.kind === 'signal'
      ? `The server accepts the signal and records it in the history, but no code runs for it: the SDK buffers it, logs a warning at most, and drops it when the workflow completes. What the sender asks for silently does not happen.`
      : send.kind === 'query'
        ? `The workflow answers the query with an error (no handler for '${send.name}'; the SDK lists the queries it knows): the caller gets an error every time, and whatever reads it (a status page, a progress bar) never works.`
        : `The workflow rejects the update (no handler for '${send.name}'): the caller gets an error every time.`;
  ctx.report({
    location: send.location,
    // The target traced by the shape of its workflow id, while another workflow handles the name: the
    // trace may be what is wrong. A handle whose workflow is unknown may be another service's.
    ...((send.targetBy === 'id' && elsewhere.length > 0) || send.targets.length === 0 ? { severity: 'info' as const } : {}),
    message:
      `\`${send.call}\` (${where}) sends ${send.kind} '${send.name}', but no handler for it is registered by ${scope}.` +
      (sameNameOtherKind.length > 0 ? ` (${sameNameOtherKind.join('; ')}.)` : '') +
      (elsewhere.length > 0 ? ` ${list(elsewhere.map((w) => w.workflow))} ${elsewhere.length === 1 ? 'handles' : 'handle'} it: the handle may target the wrong workflow.` : '') +
      ` ${consequence}` +
      (send.targets.length === 0 ? ` (The reviewer cannot tell which workflow the handle targets: if it is a workflow of another service, its handler is out of sight.)` : ''),
    fix:
      send.kind === 'signal'
        ? `Register a handler for '${send.name}' in the workflow it is sent to (TypeScript: \`setHandler(defineSignal('${send.name}'), ...)\`; Python: a \`@workflow.signal\` method named ${send.name} or \`@workflow.signal(name="${send.name}")\`), or correct the name the sender uses. Sharing one definition between sender and workflow (an exported defineSignal const, a method reference) keeps the two in step.`
        : send.kind === 'query'
          ? `Register a query handler for '${send.name}' in the workflow it is sent to (TypeScript: \`setHandler(defineQuery('${send.name}'), ...)\`; Python: a \`@workflow.query\` method named ${send.name} or \`@workflow.query(name="${send.name}")\`), or correct the name the caller uses. Sharing one definition between caller and workflow keeps the two in step.`
          : `Register an update handler for '${send.name}' in the workflow it is sent to (TypeScript: \`setHandler(defineUpdate('${send.name}'), ...)\`; Python: \`@workflow.update\`), or correct the name the caller uses.`,
    data: { kind: send.kind, name: send.name, checkedWorkflows: checked.map((w) => w.workflow), ...(send.targetBy ? { targetBy: send.targetBy } : {}) },
  });
}

function describe(workflow: WorkflowMessageHandling, ctx: CheckContext): string {
  return `${workflow.workflow} at ${relative(ctx.root, workflow.location.file)}:${workflow.location.line}`;
}

function how(send: MessageSendFacts): string {
  if (send.targetBy === 'typed') return ', named by the handle';
  if (send.targetBy === 'started') return ', started by the call that returned the handle';
  if (send.targetBy === 'id') return ', whose start sets a workflowId of the same shape as the handle\'s id';
  return '';
}

function article(kind: string): string {
  return kind === 'update' ? 'an' : 'a';
}

function list(names: string[]): string {
  return names.length <= 6 ? names.join(', ') : `${names.slice(0, 6).join(', ')} and ${names.length - 6} more`;
}
