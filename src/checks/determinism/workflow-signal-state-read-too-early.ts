// Prevents features that silently do nothing: a signal (or update) handler sets a piece of workflow
// state (`paused = true`, `self._paused = True`), but the workflow's main function reads that state
// only before its first wait. Handlers run only when a workflow task delivers their message: in the
// workflow's first task (a signal-with-start, or a message that reached the server before the first
// task ran: both SDKs apply those before the main function's first line runs) or once the workflow
// waits. So a read that runs only before the first wait never sees a message sent while the
// workflow runs: the pause, cancel or stop the sender asks for changes nothing.
//
// Only state that can be followed whole is judged (see model/typescript/signal-state-read-early.ts
// and model/python/python-signal-state-read-early.ts): every other read is in a query handler, in a
// handler that only toggles it, or in the main function before its first await, outside any loop
// that waits. Workflows the reviewed code starts with a signal-with-start are left alone.
//
// The degenerate case is reported too: a handler whose only effect is setting state that nothing
// reads at all (not the main function, not a query handler or validator, not another method): a
// cancel or approve the sender believes worked. State a query returns is not reported (the message
// changes what the workflow reports), nor state reached by name (getattr, __dict__, a dataclass).

import { relative } from '../../engine/run-checks.js';
import type { EarlySignalStateRead } from '../../model/signal-state-read-early.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { earlySignalStateReads } from '../../model/typescript/signal-state-read-early.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-signal-state-read-too-early',
  area: 'determinism',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A signal or update handler sets workflow state that the workflow reads only before its first wait, or that nothing reads at all: a message sent while the workflow runs changes nothing',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    const hits: EarlySignalStateRead[] = python ? (python.earlySignalStateReads ?? []) : earlySignalStateReads(model as TemporalModel);
    for (const hit of hits) {
      const handlers = hit.writes.map((w) => `the ${w.kind} handler${w.name ? ` for '${w.name}'` : ''} (line ${w.location.line}: \`${w.text}\`)`);
      const kinds = new Set(hit.writes.map((w) => w.kind));
      const message = kinds.size === 1 ? [...kinds][0]! : 'message';
      const a = message === 'signal' ? 'a' : 'an';
      const withStart = message === 'signal' ? 'a signal-with-start' : message === 'update' ? 'an update-with-start' : 'a signal- or update-with-start';
      const sent = hit.sent ? ` The application sends '${hit.sent.name}' to the running workflow (${relative(ctx.root, hit.sent.location.file)}:${hit.sent.location.line}: \`${hit.sent.call}\`).` : '';
      const related = [
        ...hit.writes.map((w) => ({ ...w.location, message: `the ${w.kind} handler${w.name ? ` for '${w.name}'` : ''} sets ${hit.name} here` })),
        ...(hit.unread ? [] : [{ ...hit.wait.location, message: 'the first wait: no read of the state comes after it' }]),
        ...(hit.sent ? [{ ...hit.sent.location, message: `sent here to the running workflow` }] : []),
      ];
      if (hit.unread) {
        const [first, ...others] = hit.writes;
        ctx.report({
          location: first!.location,
          message:
            `Workflow ${hit.workflow} sets ${hit.name} in ${list(handlers)}, but nothing reads it: not the workflow's code, not a query handler, not another handler. ` +
            `${a === 'a' ? 'A' : 'An'} ${message} sent to this workflow is accepted and handled, and changes nothing the workflow does or reports.${sent}`,
          fix: `Act on ${hit.name} where it should take effect (test it after each wait, or wait on it with ${python ? `\`await workflow.wait_condition(lambda: ${hit.name})\`` : `\`await condition(() => ${hit.name})\``}), or remove the ${message} handler so that senders learn it is not supported.`,
          related: related.slice(others.length ? 0 : 1),
          data: { workflow: hit.workflow, state: hit.name, messages: hit.writes.map((w) => w.name ?? null), reads: [], unread: true },
        });
        continue;
      }
      const read = hit.reads[0]!;
      const readLines = hit.reads.map((r) => r.location.line);
      const readsText = readLines.length === 1 ? `only at line ${readLines[0]} (\`${read.text}\`)` : `only at lines ${readLines.join(', ')} (first \`${read.text}\`)`;
      ctx.report({
        location: read.location,
        message:
          `Workflow ${hit.workflow} sets ${hit.name} in ${list(handlers)}, but reads it ${readsText}, before its first wait (line ${hit.wait.location.line}: \`${hit.wait.text}\`) and never after. ` +
          `A handler runs only when a workflow task delivers its ${message}: a read before the first wait can see only what came with the workflow's first task (${withStart}, or ${a} ${message} that reached the server before that task ran). ` +
          `${a === 'a' ? 'A' : 'An'} ${message} sent while the workflow runs is accepted and handled, but changes nothing the workflow does.${sent}`,
        fix: python
          ? `Test ${hit.name} again where it should take effect: after each wait (between activities, in the loop), or wait on it (\`await workflow.wait_condition(lambda: not ${hit.name})\`). If the state is meant only for a start_signal, say so in a comment, or pass it as workflow input instead.`
          : `Test ${hit.name} again where it should take effect: after each wait (between activities, in the loop), or wait on it (\`await condition(() => !${hit.name})\`). If the state is meant only for a signalWithStart, say so in a comment, or pass it as workflow input instead.`,
        related,
        data: { workflow: hit.workflow, state: hit.name, messages: hit.writes.map((w) => w.name ?? null), reads: readLines, wait: hit.wait.location.line },
      });
    }
  },
});

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
