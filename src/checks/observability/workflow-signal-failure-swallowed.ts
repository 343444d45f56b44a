// A signal sent from request-handling code whose failure is caught and only logged (or dropped),
// to a workflow that waits for it: when the signal fails, the request succeeds, and the workflow
// keeps waiting, until its timeout and down the timeout path (an auto-reject of what the request
// approved), or forever. Each front-end reads it (python-signal-failures.ts, and swallowed-signals.ts
// for TypeScript, with the same rules); what counts as "only logged" is the reading of
// workflow-start-failure-swallowed (python-start-handling.ts, start-handling.ts). A comment that
// calls the signal best effort changes nothing: the workflow still waits for a signal that is lost.

import { defineCheck, type CheckContext } from '../define-check.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { typescriptSwallowedSignals } from '../../model/typescript/swallowed-signals.js';
import type { SourceLocation, SwallowedSignal } from '../../model/types.js';

export default defineCheck({
  id: 'workflow-signal-failure-swallowed',
  area: 'observability',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A request handler sends a signal that a workflow waits for and only logs (or drops) its failure: when the signal fails, the request succeeds and the workflow keeps waiting, until its timeout path runs or forever',
  run(ctx) {
    const python = pythonModelOf(ctx.model);
    if (python) {
      for (const found of python.swallowedSignals ?? []) report(ctx, found);
      return;
    }
    if (!ctx.model) return;
    for (const found of typescriptSwallowedSignals(ctx.model)) report(ctx, found);
  },
});

function report(ctx: CheckContext, found: SwallowedSignal): void {
  const base = (location: SourceLocation) => `${location.file.split(/[\\/]/).pop()}:${location.line}`;
  const dropped = found.dropped;
  const through = (dropped.through ?? []).map((step, i) => `${i === 0 ? 'the signal' : 'the call'} in ${step.function} (${base(step.at)}), run by ${step.runner} at ${base(step.call)}`).join(', ');
  const what = `the ${found.handler} signal to ${found.workflow} (${found.call}${through ? `; ${through}` : ''})`;
  const python = found.handling === 'except clause';
  const handling =
    found.handling === 'unawaited'
      ? `Nothing waits for ${what} or handles its rejection`
      : dropped.logged
        ? `This ${found.handling} logs every failure of ${what} and carries on`
        : `This ${found.handling} drops every failure of ${what} without logging it`;
  const wait = found.wait;
  const path = wait.timeoutPath;
  const afterwards = wait.timeout
    ? path
      ? `waits until its timeout (${wait.timeout}) and then takes its timeout path (${base(path.location)}${path.sets.length > 0 ? `, which sets ${path.sets.join(', ').replace(/the handler/g, python ? found.handler : `the ${found.handler} handler`)}` : ''}), as if the request had never happened`
      : python
        ? `waits until its timeout (${wait.timeout}) and then the wait raises TimeoutError`
        : `waits until its timeout (${wait.timeout}) and then goes on as condition() returns false, without the signal's state`
    : 'waits for it forever (the wait has no timeout), and the workflow stays open';
  // The handler committed its change before the signal: the request is recorded either way, and a
  // lost signal leaves the workflow out of step with the database (a note: whether that matters
  // depends on what the timeout path does with a row the request already changed).
  const committed = found.committedBefore;
  const consequence = committed
    ? `When the signal fails (the server is unreachable, the workflow id is wrong or the run has closed), the request's change is already committed (${base(committed)}) but the workflow never learns of it: it ${afterwards.replace(', as if the request had never happened', ' against a record the request already changed')}. Check that this path leaves such a record alone and that nothing waits on the run in between.`
    : `When the signal fails (the server is unreachable, the workflow id is wrong or the run has closed), the workflow never gets it: it ${afterwards}, and ${found.handling === 'unawaited' ? 'at most a report of the unhandled rejection says' : dropped.logged ? 'only a log line says' : 'nothing says'} the two disagree.`;
  ctx.report({
    location: found.location,
    ...(committed ? { severity: 'info' as const } : {}),
    message:
      (found.handling === 'unawaited'
        ? `${handling}: the request succeeds before the signal is sent (${found.context}), and a failed signal is an unhandled rejection. `
        : `${handling}: the request succeeds (${found.context}). `) +
      `${found.workflow} waits for the state ${python ? found.handler : `its ${found.handler} handler`} sets (\`${wait.written}\`, ${base(wait.location)}). ` +
      consequence,
    fix:
      `${found.handling === 'unawaited' ? 'Await the signal and let' : 'Let'} the failure fail the request (${python ? 're-raise' : 'rethrow'}, answer 5xx so the caller retries), or record the signal that did not arrive and retry it (an outbox row written with the change, a retrying background job); a signal with a retry loop around it is fine where the handler is idempotent.`,
    related: [
      { ...found.signal, message: 'the signal whose failure is dropped' },
      { ...wait.location, message: 'the wait for the state the signal sets' },
      ...(path ? [{ ...path.location, message: 'the timeout path the workflow takes without the signal' }] : []),
      ...(committed ? [{ ...committed, message: 'the commit that records the request before the signal' }] : []),
    ],
    data: { workflow: found.workflow, signal: found.handler, ...(dropped.logged ? { loggedOnly: true } : {}), ...(wait.timeout ? { timeout: wait.timeout } : {}), ...(dropped.through?.length ? { through: dropped.through.map((step) => step.function).join(' < ') } : {}) },
  });
}
