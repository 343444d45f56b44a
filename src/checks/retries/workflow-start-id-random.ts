// Keeps request-driven starts idempotent: Temporal refuses a second start with the id of a running
// workflow, which makes a retried HTTP request or a redelivered message harmless, but only when the
// workflow id names the business fact. An id made with uuid(), nanoid() or Date.now() differs on
// every call, so each repeat of the same request starts one more run. An activity that starts a
// workflow is such a caller too: Temporal retries the activity after a timeout or a worker crash,
// and a retry that comes after the start went through starts a second run. The Python front-end
// reads the id and the function around the start itself (python-start-ids.ts).

import ts from 'typescript';
import { defineCheck, type CheckContext } from '../define-check.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';
import { startCallText } from '../../model/typescript/extract-starts.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import { forwardedStartIds } from '../../model/typescript/observability/forwarded-start-ids.js';
import { requestCallerContext } from '../../model/typescript/observability/request-callers.js';
import { requestContext, requestFileContext } from '../../model/typescript/observability/request-context.js';
import { workflowIdShape } from '../../model/typescript/observability/workflow-id-shape.js';
import type { CodeModel } from '../../model/types.js';
import type { TemporalModel, WorkflowStart } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'workflow-start-id-random',
  area: 'retries',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description:
    'A workflow started from a request or event handler, or from an activity that retries, with a random workflow id (uuid, nanoid, Date.now), so a retried request, a redelivered event or a retried activity starts a second run',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = model.language === 'python';
    const reported = new Set<ts.CallExpression>();
    for (const start of model.starts) {
      if (start.child || start.method === 'schedule') continue;
      // A front-end that reads the id and the function around the start itself (Python) hands them over.
      const id = start.idShape ?? workflowIdShape(start, model);
      if (id.kind !== 'random') {
        if (!python) reportForwarded(ctx, start as WorkflowStart, model as TemporalModel, reported);
        else reportPythonForwarded(ctx, start as WorkflowStart);
        continue;
      }
      const direct = start.requestHandler !== undefined ? (start.requestHandler ?? requestFileContext(start.location.file, ctx.root)) : requestContext(start.node, ctx.root);
      const activity = direct || python ? undefined : retriedActivityContext(start as WorkflowStart, model);
      // A service function that a route or consumer calls (TypeScript): the start runs once per request all the same.
      const context = direct ?? (activity || python ? undefined : requestCallerContext(start.node, model as TemporalModel));
      if (!context && !activity) continue;
      if (notProduction(start, ctx.root)) continue;
      const what = python ? (start.callText ?? start.workflowTypeText) : startCallText(start);
      const random = `${id.text}${id.fallback ? `; the random value is the fallback when ${id.fallback} is missing` : ''}`;
      ctx.report({
        location: start.location,
        message: context
          ? `${what} runs once per request or event (${context}) and its workflow id is random (${random}). ` +
            'Temporal rejects a second start only for the same workflow id: a retried request or a redelivered message starts a second run of the same work instead of finding the first.'
          : `${what} runs once per attempt of ${activity} and its workflow id is random (${random}). ` +
            'Temporal rejects a second start only for the same workflow id: an attempt that times out or loses its worker after the start went through is attempted again and starts a second run of the same work instead of finding the first.',
        fix: python
          ? PYTHON_FIX
          : TYPESCRIPT_FIX,
        ...(id.origins && id.origins.length > 0 ? { related: id.origins.map(({ fallback, ...origin }) => ({ ...origin, message: `a random workflow id is made here${fallback ? ` when ${fallback} is missing` : ''}` })) } : {}),
        data: { workflowType: start.workflowType, method: start.method, workflowId: id.text },
      });
    }
  },
});

const PYTHON_FIX =
  'Build the workflow id from the business key the request carries (f"order-{order_id}", the event id), so a repeat collides with the run already started ' +
            '(WorkflowAlreadyStartedError, or id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE to cover finished runs too). Keep the random part only if each request is meant to start a new run.';

const TYPESCRIPT_FIX =
  'Build the workflow id from the business key the request carries (`order-${orderId}`, the event id), so a repeat collides with the run already started ' +
          '(WorkflowExecutionAlreadyStartedError, or workflowIdReusePolicy REJECT_DUPLICATE to cover finished runs too). Keep the random part only if each request is meant to start a new run.';

/**
 * A start inside a project's wrapper whose id is the wrapper's parameter: the callers that pass a
 * random id, where the call runs once per request or event (two callers up: a hook that a service
 * method calls, which a route calls) or once per attempt of a retried activity. One finding per
 * call of the wrapper, at the id it passes.
 */
function reportForwarded(ctx: CheckContext, start: WorkflowStart, model: TemporalModel, reported: Set<ts.CallExpression>): void {
  for (const forwarded of forwardedStartIds(start, model)) {
    if (reported.has(forwarded.call)) continue;
    const site: WorkflowStart = { ...start, node: forwarded.call, location: model.locate(forwarded.omitted ? forwarded.call : forwarded.argument) };
    const context = requestContext(forwarded.call, ctx.root) ?? requestCallerContext(forwarded.call, model, 2);
    const activity = context ? undefined : retriedActivityContext(site, model);
    if (!context && !activity) continue;
    if (notProduction(site, ctx.root)) continue;
    reported.add(forwarded.call);
    const [outer, ...inner] = forwarded.wrappers;
    const type = forwarded.workflowType ?? start.workflowType;
    const what =
      `This call of ${outer}()${inner.length > 0 ? ` (which hands the id on to ${inner.map((name) => `${name}()`).join(', then ')})` : ''} gives the workflow id ` +
      `of client.workflow.${start.method}(${type ?? start.workflowTypeText}) (${relativePath(model.root, start.location.file)}:${start.location.line})`;
    const id = forwarded.shape.kind === 'random' ? forwarded.shape.text : forwarded.argument.getText();
    ctx.report({
      location: site.location,
      message: context
        ? `${what}. It runs once per request or event (${context}) and the id is random (${id}). ` +
          'Temporal rejects a second start only for the same workflow id: a retried request or a redelivered message starts a second run of the same work instead of finding the first.'
        : `${what}. It runs once per attempt of ${activity} and the id is random (${id}). ` +
          'Temporal rejects a second start only for the same workflow id: an attempt that times out or loses its worker after the start went through is attempted again and starts a second run of the same work instead of finding the first.',
      fix: TYPESCRIPT_FIX,
      related: [{ ...start.location, message: `the ${startCallText(start)} call in ${forwarded.wrappers[forwarded.wrappers.length - 1]}()` }],
      data: { workflowType: type, method: start.method, workflowId: id, through: forwarded.wrappers },
    });
  }
}

/**
 * Python: a start inside a project's wrapper whose `id=` is the wrapper's parameter, at each caller
 * that passes a random id and runs once per request or message (read from the functions around
 * the call, or the caller's file). One finding per call, at the id it passes.
 */
function reportPythonForwarded(ctx: CheckContext, start: WorkflowStart): void {
  const what = start.callText ?? start.workflowTypeText;
  for (const forwarded of start.forwardedIds ?? []) {
    const context = forwarded.context ?? requestFileContext(forwarded.location.file, ctx.root);
    if (!context) continue;
    const site: WorkflowStart = { ...start, location: forwarded.location };
    if (notProduction(site, ctx.root)) continue;
    ctx.report({
      location: forwarded.location,
      message:
        `This call of ${forwarded.wrapper}() gives the workflow id of ${what} (${relativePath(ctx.root, start.location.file)}:${start.location.line}). ` +
        `It runs once per request or event (${context}) and the id is random (${forwarded.text}). ` +
        'Temporal rejects a second start only for the same workflow id: a retried request or a redelivered message starts a second run of the same work instead of finding the first.',
      fix: PYTHON_FIX,
      related: [{ ...start.location, message: `the ${what} call in ${forwarded.wrapper}()` }],
      data: { workflowType: start.workflowType, method: start.method, workflowId: forwarded.text, through: [forwarded.wrapper] },
    });
  }
}

/**
 * When the start is written in the body of an activity that some proxy retries (more than one
 * attempt): why it can run twice for the same work, as a message fragment. An attempt that started
 * the workflow and then timed out or lost its worker is attempted again, and starts again.
 */
function retriedActivityContext(start: WorkflowStart, model: CodeModel): string | undefined {
  const typed = model as TemporalModel;
  const file = start.node.getSourceFile();
  const activity = typed.activities.find(
    (candidate) => candidate.node.getSourceFile() === file && candidate.node.pos <= start.node.pos && start.node.end <= candidate.node.end && innermostFunctionIs(start.node, candidate.node),
  );
  if (!activity) return undefined;
  // The proxies that schedule this implementation (a same-named activity of another app is not it).
  const scheduling = (review: ReturnType<typeof proxyReviews>[number]) =>
    review.uses.some((use) => use.type === activity.name && (use.implementations.length === 0 || use.implementations.some((impl) => impl.location.file === activity.location.file && impl.location.line === activity.location.line)));
  const retrying = proxyReviews(model).filter((review) => scheduling(review) && review.retry.known && review.retry.policy.maximumAttempts !== 1);
  if (retrying.length === 0) return undefined;
  const attempts = retrying[0]!.retry.known ? retrying[0]!.retry.policy.maximumAttempts : 0;
  const proxy = retrying[0]!.proxy.location;
  return `activity ${activity.name}, which the proxy at ${relativePath(model.root, proxy.file)}:${proxy.line} retries (${attempts === 0 ? 'no limit on attempts' : `up to ${attempts} attempts`})`;
}

/** True when the nearest function around `node` is `fn` (a start in a callback the activity hands elsewhere does not count). */
function innermostFunctionIs(node: ts.Node, fn: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return current === fn;
  }
  return false;
}
