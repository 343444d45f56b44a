// Keeps request-driven starts idempotent: Temporal refuses a second start with the id of a running
// workflow, which makes a retried HTTP request or a redelivered message harmless, but only when the
// workflow id names the business fact. An id made with uuid(), nanoid() or Date.now() differs on
// every call, so each repeat of the same request starts one more run. The Python front-end reads
// the id and the function around the start itself (python-start-ids.ts).

import { defineCheck } from '../define-check.js';
import { startCallText } from '../../model/typescript/extract-starts.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import { requestContext, requestFileContext } from '../../model/typescript/observability/request-context.js';
import { workflowIdShape } from '../../model/typescript/observability/workflow-id-shape.js';

export default defineCheck({
  id: 'workflow-start-id-random',
  area: 'retries',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description:
    'A workflow started from a request or event handler with a random workflow id (uuid, nanoid, Date.now), so a retried request or a redelivered event starts a second run',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = model.language === 'python';
    for (const start of model.starts) {
      if (start.child || start.method === 'schedule') continue;
      // A front-end that reads the id and the function around the start itself (Python) hands them over.
      const id = start.idShape ?? workflowIdShape(start, model);
      if (id.kind !== 'random') continue;
      const context = start.requestHandler !== undefined ? (start.requestHandler ?? requestFileContext(start.location.file, ctx.root)) : requestContext(start.node, ctx.root);
      if (!context) continue;
      if (notProduction(start, ctx.root)) continue;
      const what = python ? (start.callText ?? start.workflowTypeText) : startCallText(start);
      ctx.report({
        location: start.location,
        message:
          `${what} runs once per request or event (${context}) and its workflow id is random (${id.text}). ` +
          'Temporal rejects a second start only for the same workflow id: a retried request or a redelivered message starts a second run of the same work instead of finding the first.',
        fix: python
          ? 'Build the workflow id from the business key the request carries (f"order-{order_id}", the event id), so a repeat collides with the run already started ' +
            '(WorkflowAlreadyStartedError, or id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE to cover finished runs too). Keep the random part only if each request is meant to start a new run.'
          : 'Build the workflow id from the business key the request carries (`order-${orderId}`, the event id), so a repeat collides with the run already started ' +
          '(WorkflowExecutionAlreadyStartedError, or workflowIdReusePolicy REJECT_DUPLICATE to cover finished runs too). Keep the random part only if each request is meant to start a new run.',
        data: { workflowType: start.workflowType, method: start.method, workflowId: id.text },
      });
    }
  },
});
