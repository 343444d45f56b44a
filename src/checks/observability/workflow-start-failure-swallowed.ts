// Keeps failed starts visible: a client start whose failure is caught and dropped (an empty
// `.catch(() => {})`, a catch that only lets WorkflowExecutionAlreadyStartedError through and does
// nothing for the rest) hides a start that never happened: the server was unreachable, the
// arguments did not serialise, the namespace or the search attributes were wrong. No workflow
// runs, no log line or error says why. The Python front-end reads its except clauses itself
// (python-start-handling.ts) and hands the dropped failure over on the start.

import ts from 'typescript';
import { defineCheck, type CheckContext } from '../define-check.js';
import { startCallText } from '../../model/typescript/extract-starts.js';
import { locate } from '../../model/typescript/locate.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import type { WorkflowStart } from '../../model/typescript/types.js';
import type { DroppedStartFailure, WorkflowStartFacts } from '../../model/types.js';
import { doesNothing, handlerComments, handlerStatements, otherErrorsPart, resultDropped, startHandling, type StartHandling } from '../../model/typescript/start-handling.js';

/** A comment that says the start may fail without consequence. */
const BEST_EFFORT =
  /best[- ]?effort|\bignor|non[- ]?critical|not critical|optional|non[- ]?fatal|not fatal|(don'?t|do not|should not|shouldn'?t|must not|never) (fail|block|break|stop)|fire[- ]and[- ]forget|\bswallow/i;

/** The error of a start whose workflow id is taken, by class, name, helper or message. */
const ALREADY_STARTED = /AlreadyStarted|already[\s_-]*(started|running|exists)|ALREADY_EXISTS|AlreadyExists/i;

export default defineCheck({
  id: 'workflow-start-failure-swallowed',
  area: 'observability',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A client workflow start whose failure is caught and dropped without a log line or a rethrow (other than WorkflowExecutionAlreadyStartedError), so a start that never happened leaves no trace',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const start of model.starts) {
      if (start.child || start.method === 'schedule') continue;
      if (start.droppedFailure !== undefined) {
        // A front-end that reads the handler itself (Python).
        if (start.droppedFailure && !notProduction(start as WorkflowStart, ctx.root)) report(ctx, start, start.droppedFailure, 'except clause', true);
        continue;
      }
      const handling = startHandling(start.node);
      if (!handling) continue;
      // `const handle = await start(...).catch(() => null)`: the caller tests the result
      if (handling.kind === 'promise' && !resultDropped(handling.catchCall)) continue;
      const { nodes, tested } = otherErrorsPart(handlerStatements(handling), ALREADY_STARTED);
      if (!doesNothing(nodes)) continue;
      if (notProduction(start, ctx.root)) continue;
      const dropped: DroppedStartFailure = { location: handlerLocation(handling), alreadyStartedTested: tested, comments: handlerComments(handling) };
      report(ctx, start, dropped, handling.kind === 'try' ? 'catch' : '.catch handler', false);
    }
  },
});

function report(ctx: CheckContext, start: WorkflowStartFacts, dropped: DroppedStartFailure, handler: string, python: boolean): void {
  const what = python ? (start.callText ?? start.workflowTypeText) : startCallText(start as WorkflowStart);
  const tested = dropped.alreadyStartedTested;
  // a comment that calls the start best effort is a decision, not an accident; a note still says nothing logs it
  const comment = BEST_EFFORT.exec(dropped.comments)?.[0];
  const droppedText = tested ? `every failure other than ${python ? 'WorkflowAlreadyStartedError' : 'WorkflowExecutionAlreadyStartedError'}` : 'every failure of the start';
  ctx.report({
    location: dropped.location,
    ...(comment ? { severity: 'info' as const } : {}),
    message:
      `This ${handler} drops ${droppedText} of ${what} without logging or ${python ? 're-raising' : 'rethrowing'} it` +
      (comment ? `; a comment calls it deliberate ('${comment}'), but even a best-effort start should leave a log line when it fails. ` : '. ') +
      'When the start fails (the server is unreachable, the arguments do not serialise, the namespace or a search attribute is wrong), no workflow runs and nothing says so: the caller carries on as if it had started.',
    fix: python
      ? tested
        ? 'Re-raise the other errors (`raise` in the clause that takes them), or at least log them with the workflow id.'
        : 'Catch only WorkflowAlreadyStartedError (if a duplicate start is expected) and re-raise or log every other error with the workflow id.'
      : tested
        ? 'Rethrow the other errors (`if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;`), or at least log them with the workflow id.'
        : 'Catch only WorkflowExecutionAlreadyStartedError (if a duplicate start is expected) and rethrow or log every other error with the workflow id.',
    related: [{ ...start.location, message: 'the start whose failure is dropped' }],
    data: { workflowType: start.workflowType, method: start.method, alreadyStartedTested: tested, ...(comment ? { bestEffort: comment } : {}) },
  });
}

function handlerLocation(handling: StartHandling) {
  if (handling.kind === 'try') return locate(handling.clause);
  const callee = handling.catchCall.expression;
  return locate(ts.isPropertyAccessExpression(callee) ? callee.name : handling.catchCall);
}
