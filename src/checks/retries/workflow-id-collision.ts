// Workflow ids that collide: Temporal refuses to start a workflow with the id of one that is
// running, so a start that repeats with the same id fails from the second time on. Two shapes:
// a child workflow started on every iteration of a loop whose workflowId does not change per
// iteration (the children overlap; the second start fails and the loop breaks: a warning), and a
// client start with a constant id in a function that handles a request or a message (a second
// request while the first run is going fails: a note, because a constant id is also how a team
// makes a workflow run once at a time, and the check cannot tell whether the failure is the
// answer they want). Filed under retries beside workflow-start-id-random, its mirror image.
// The Python front-end reads both itself (python-id-collisions.ts).

import { defineCheck } from '../define-check.js';
import { startCallText } from '../../model/typescript/extract-starts.js';
import { idCollisionOf } from '../../model/typescript/id-collisions.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import type { TemporalModel, WorkflowStart } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'workflow-id-collision',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A child workflow started on every iteration of a loop with a workflow id that does not change per iteration (the second start fails with "already started"); info: a client start with a constant id in a request or message handler',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = model.language === 'python';
    for (const start of model.starts) {
      if (start.method === 'schedule') continue;
      const hit = start.idCollision !== undefined ? start.idCollision : python ? null : idCollisionOf(start as WorkflowStart, model as TemporalModel, ctx.root);
      if (!hit) continue;
      if (notProduction(start as WorkflowStart, ctx.root)) continue;
      const what = python ? (start.callText ?? start.workflowTypeText) : startCallText(start as WorkflowStart);
      const error = python ? 'WorkflowAlreadyStartedError' : 'WorkflowExecutionAlreadyStartedError';
      if (hit.kind === 'child-loop') {
        ctx.report({
          location: start.location,
          message:
            `${what} runs on every iteration of ${hit.loopText} (line ${hit.loop.line}) with the same workflow id on each (${hit.idText}: nothing in it changes per iteration), and ${hit.overlap}. ` +
            `Temporal refuses to start a workflow with the id of a running one: the second child's start fails with ${error}: only the first item gets its child, and unless that error is caught the loop (or the Promise.all / gather over it) fails there.`,
          fix: python
            ? 'Put what differs per item into the id (f"{workflow.info().workflow_id}-{item.id}"), or leave id= out and let the SDK make a unique one.'
            : 'Put what differs per item into the id (`${workflowInfo().workflowId}-${item.id}`), or leave workflowId out and let the SDK make a unique one.',
          related: [{ ...hit.loop, message: `the loop (${hit.loopText})` }],
          data: { workflowType: start.workflowType, method: start.method, workflowId: hit.idText, loopLine: hit.loop.line },
        });
      } else {
        ctx.report({
          location: start.location,
          severity: 'info',
          message:
            `${what} runs once per request or message (${hit.context}) and its workflow id is constant (${hit.idText}). ` +
            `While one run is going, every other start with that id fails with ${error}, and nothing here tells that error apart or sets a conflict policy: a second request gets a failure instead of the running workflow.`,
          fix: python
            ? 'Build the id from the request\'s business key (f"order-{order_id}"); or, if one run at a time is the point, pass id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING (join the running one) or catch WorkflowAlreadyStartedError and answer "already running".'
            : "Build the id from the request's business key (`order-${orderId}`); or, if one run at a time is the point, set workflowIdConflictPolicy: 'USE_EXISTING' (join the running one) or catch WorkflowExecutionAlreadyStartedError and answer \"already running\".",
          data: { workflowType: start.workflowType, method: start.method, workflowId: hit.idText },
        });
      }
    }
  },
});
