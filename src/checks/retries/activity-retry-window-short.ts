// Points at retry policies that give up before a routine outage is over: `maximumAttempts: 3` with
// the default 1 s initial interval and backoff 2 retries at 1 s and 3 s, so every attempt has
// failed 3 s after the first. A database failover, a dependency's rolling deploy or a rate-limit
// window lasts longer than that, and when the workflow does not catch the failure it fails with
// the activity. Often written as "retry three times" without counting the seconds between tries.
// Reported for long-lived workflows that hold what their signals brought (handlers, and continue-
// as-new or an endless loop), which lose it; a run that a schedule or a caller starts again
// recovers on its next run and is left alone. TypeScript only for now.

import ts from 'typescript';
import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { formatDuration } from '../../engine/duration.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { uncaughtCallsOf } from '../../engine/activity-policy/uncaught-calls.js';
import { isEndlessLoop } from '../../model/typescript/child-per-round.js';
import { continueAsNewCalls } from '../../model/typescript/continue-as-new-calls.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import type { CodeModel } from '../../model/types.js';

/** Shorter than a database failover or a dependency's restart: the retries end inside the outage. */
export const SHORT_RETRY_WINDOW_MS = 60_000;

export default defineCheck({
  id: 'activity-retry-window-short',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A bounded retry policy whose attempts all fall within the first minute (maximumAttempts: 3 with the default 1 s interval gives up after 3 s), on uncaught calls of a long-lived workflow that holds what its signals brought',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const { verdict } of ownVerdicts(model, (review) => evaluate(review, model, ctx))) ctx.report(verdict.value);
  },
});

/** Time from the first attempt's failure to the last attempt's start, when every attempt fails at once. */
export function retryWindowMs(initialMs: number, coefficient: number, maximumMs: number, attempts: number): number {
  let total = 0;
  let interval = initialMs;
  for (let retry = 1; retry < attempts; retry++) {
    total += Math.min(interval, maximumMs);
    interval *= coefficient;
  }
  return total;
}

function evaluate(review: ProxyReview, model: CodeModel, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  if (review.options.retry.state !== 'set' || !review.retry.known) return undefined;
  const policy = review.retry.policy;
  const attempts = policy.maximumAttempts;
  if (attempts < 2) return undefined; // unlimited (0) or retries off (activity-retry-disabled)
  const window = retryWindowMs(policy.initialIntervalMs, policy.backoffCoefficient, policy.maximumIntervalMs, attempts);
  if (window >= SHORT_RETRY_WINDOW_MS) return undefined;
  if (review.proxy.language === 'python') return undefined; // long-lived Python workflows are not told apart yet
  const found = uncaughtCallsOf(review, model);
  if (!found) return undefined;
  const { uncaught, types, workflows, handledElsewhere } = found;
  // Only a long-lived workflow that holds what its signals brought (a queue, an entity) loses it
  // when it fails, and stays down until someone restarts it. A run that a schedule or its caller
  // starts again recovers on its next run: not reported (it would be noise on most code bases).
  const longLived = workflows.filter((name) => isLongLived((model as TemporalModel).workflows?.find((w) => w.name === name)?.node, model as TemporalModel));
  if (longLived.length === 0) return undefined;
  const consequence =
    ` ${listNames(longLived)} ${longLived.length === 1 ? 'is' : 'are'} long-lived and ${longLived.length === 1 ? 'holds' : 'hold'} what ${longLived.length === 1 ? 'its' : 'their'} signals brought ` +
    `(${longLived.length === 1 ? 'it sets' : 'they set'} handlers and ${longLived.length === 1 ? 'continues' : 'continue'} as new or ${longLived.length === 1 ? 'loops' : 'loop'} without end): ` +
    'failing loses that state (a queue, pending requests) and stops what it drives until someone starts it again.';
  return verdict(['retry window'], {
    location: review.proxy.location,
    message:
      `The retry policy of ${review.label} allows ${attempts} attempts ${describeIntervals(policy.initialIntervalMs, policy.backoffCoefficient, policy.maximumIntervalMs, attempts)}: ` +
      `when ${listNames(types)} fails because a dependency is down, every attempt has failed ${formatDuration(window)} after the first. ` +
      `A database failover, a rolling deploy of the service it calls or a rate-limit window lasts longer than that, and nothing in ` +
      `${workflows.length === 1 ? 'workflow' : 'workflows'} ${listNames(workflows)} catches the failure${handledElsewhere}, so the workflow fails with the activity.` + consequence,
    fix: "Let the retries outlast a routine outage: raise initialInterval / maximumInterval and the attempts (e.g. retry: { initialInterval: '5s', maximumInterval: '1 minute', maximumAttempts: 10 }), or bound the whole by scheduleToCloseTimeout; or catch the failure in the workflow. A comment next to retry or maximumAttempts saying why it is short records the choice and silences this finding.",
    related: uncaught.slice(0, 3).map((call) => ({ ...call.location, message: `${call.activityType} called without a catch in ${call.workflow}` })),
    data: { ...policyData(review), retryWindowMs: window, uncaughtActivityTypes: types, workflows, longLivedWorkflows: longLived },
  });
}

/**
 * A long-lived workflow that holds state given to it: it sets signal (or update) handlers and
 * continues as new or runs an endless loop in its own body (a queue, an entity, a throttler). Its
 * failure drops what the handlers received, which nothing can recompute. A batch that pages
 * through continue-as-new without handlers can be started again from its input.
 */
function isLongLived(fn: ts.FunctionLikeDeclaration | undefined, model: TemporalModel): boolean {
  if (!fn?.body) return false;
  let endless = continueAsNewCalls(fn.body, model, { intoCallbacks: true }).length > 0;
  let handlers = false;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const api = model.temporalApiOf(node.expression);
      if (api?.module === '@temporalio/workflow' && api.name === 'setHandler') handlers = true;
    } else if (isEndlessLoop(node)) endless = true;
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return endless && handlers;
}

/** "(retries after 1s and 2s)" */
function describeIntervals(initialMs: number, coefficient: number, maximumMs: number, attempts: number): string {
  const waits: string[] = [];
  let interval = initialMs;
  for (let retry = 1; retry < attempts && waits.length < 5; retry++) {
    waits.push(formatDuration(Math.min(interval, maximumMs)));
    interval *= coefficient;
  }
  const more = attempts - 1 > waits.length ? ', ...' : '';
  return `(retries after waits of ${waits.length === 1 ? waits[0] : `${waits.slice(0, -1).join(', ')} and ${waits[waits.length - 1]}`}${more})`;
}
