// Points at retry policies that give up before a routine outage is over: `maximumAttempts: 3` with
// the default 1 s initial interval and backoff 2 retries at 1 s and 3 s, so every attempt has
// failed 3 s after the first. A database failover, a dependency's rolling deploy or a rate-limit
// window lasts longer than that, and when the workflow does not catch the failure it fails with
// the activity. Often written as "retry three times" without counting the seconds between tries.
// A warning for long-lived workflows that hold what their signals brought (handlers, and continue-
// as-new or an endless loop), which lose it, and when a workflow catches the failure, keeps it as
// data or compensates, and completes normally with nothing else recording it: the run ends as
// Completed and nothing ever retries the step (these two shapes TypeScript only). Any other uncaught
// call is a note, in both languages: the run fails and someone starts it again.

import ts from 'typescript';
import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { formatDuration } from '../../engine/duration.js';
import { configurableNote, listNames } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { commentExplainsAttempts, uncaughtCallsOf, type UncaughtCalls } from '../../engine/activity-policy/uncaught-calls.js';
import { implementationsUsedBy } from '../../model/activity-uses.js';
import { groupCallFindings } from '../../engine/activity-policy/group-calls.js';
import { retryWindowMs, SHORT_RETRY_WINDOW_MS, validateRetryPolicy, type EffectiveRetryPolicy } from '../../simulate/retry-policy.js';
import { isEndlessLoop } from '../../model/typescript/child-per-round.js';
import { continueAsNewCalls } from '../../model/typescript/continue-as-new-calls.js';
import { returnedFailures } from '../../model/typescript/failures-returned.js';
import type { ActivityProxy, TemporalModel } from '../../model/typescript/types.js';
import type { CodeModel } from '../../model/types.js';

export { retryWindowMs, SHORT_RETRY_WINDOW_MS };

export default defineCheck({
  id: 'activity-retry-window-short',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A bounded retry policy whose attempts all fall within the first minute (maximumAttempts: 3 with the default 1 s interval gives up after 3 s) on calls the workflow does not catch: a warning for a long-lived workflow that holds what its signals brought, or calls whose failure the workflow keeps as data and then completes on; otherwise info',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const finding of groupPythonNotes(ownVerdicts(model, (review) => evaluate(review, model, ctx)))) ctx.report(finding);
  },
});

/**
 * A Python proxy is one execute_activity call, so a workflow that passes one policy to each of its
 * calls would get a note per call: the notes of one workflow with the same policy, in one file,
 * become one, at the first call, naming the others.
 */
function groupPythonNotes(verdicts: { review: ProxyReview; verdict: ProxyVerdict<FindingDraft> }[]): FindingDraft[] {
  return groupCallFindings(
    verdicts,
    (review, { value: finding }) =>
      review.proxy.language !== 'python' || finding.severity !== 'info' || !finding.data
        ? undefined
        : JSON.stringify([review.proxy.location.file, finding.data['workflows'], finding.data['effectiveRetryPolicy'] ?? null]),
    (first, others) => {
      const types = [...new Set(others.flatMap((other) => (other.finding.data?.['uncaughtActivityTypes'] as string[] | undefined) ?? []))].sort();
      return {
        ...first.finding,
        message: `${first.finding.message} The same policy is passed to ${others.length} more uncaught ${others.length === 1 ? 'call' : 'calls'} of the workflow (${listNames(types)}).`,
        related: [...(first.finding.related ?? []), ...others.slice(0, 5).map((other) => ({ ...other.review.proxy.location, message: 'the same short retry policy, also uncaught' }))],
        data: { ...first.finding.data, sameCallLines: others.map((other) => other.review.proxy.location.line) },
      };
    },
  );
}

function evaluate(review: ProxyReview, model: CodeModel, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  if (review.options.retry.state !== 'set' || !review.retry.known) return undefined;
  const policy = review.retry.policy;
  const attempts = policy.maximumAttempts;
  if (attempts < 2) return undefined; // unlimited (0) or retries off (activity-retry-disabled)
  const window = retryWindowMs(policy.initialIntervalMs, policy.backoffCoefficient, policy.maximumIntervalMs, attempts);
  if (window >= SHORT_RETRY_WINDOW_MS) return undefined;
  if (failsOnlyByTimeout(review, attempts, window)) return undefined;
  const python = review.proxy.language === 'python';
  // The warning shapes read workflow bodies; long-lived Python workflows are not told apart yet.
  const gaveUp = python ? undefined : givesUp(review, model as TemporalModel);
  if (gaveUp) return gaveUp(attempts, window, policy.initialIntervalMs, policy.backoffCoefficient, policy.maximumIntervalMs);
  const found = uncaughtCallsOf(review, model);
  if (!found) return undefined;
  const { uncaught, types, workflows, handledElsewhere } = found;
  // Only a long-lived workflow that holds what its signals brought (a queue, an entity) loses it
  // when it fails, and stays down until someone restarts it: a warning. A run that a schedule or
  // its caller starts again recovers on its next run: a note (see shortWindowNote).
  const longLived = python
    ? []
    : workflows.filter((name) => isLongLived((model as TemporalModel).workflows?.find((w) => w.name === name)?.node, model as TemporalModel));
  if (longLived.length === 0) return shortWindowNote(review, model, found, policy, window);
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
 * True when no outage of a dependency can fail the proxy's activities fast: every implementation
 * is found, some catch and log every error their calls raise (failuresCaught: `try { await
 * api.poll() } catch (e) { console.error(e) }`) and the others cannot fail (failureFree). An
 * attempt then fails only by its timeout (a call that hangs, a worker lost), so the attempts span
 * at least attempts x the attempt timeout on top of the waits between them; when that lasts a
 * minute or more the window is not short.
 */
function failsOnlyByTimeout(review: ProxyReview, attempts: number, window: number): boolean {
  if (review.uses.length === 0 || review.uses.some((use) => use.implementations.length === 0)) return false;
  const implementations = implementationsUsedBy(review.uses);
  if (!implementations.every((implementation) => implementation.failureFree !== undefined || implementation.failuresCaught === true)) return false;
  // Only where some activity catches its failures: stubs that make no call are left to the other rules.
  if (!implementations.some((implementation) => implementation.failuresCaught === true)) return false;
  const { startToClose, heartbeat } = review.timeouts;
  if (!startToClose.known) return false;
  const attempt = heartbeat.known && heartbeat.ms > 0 ? Math.min(startToClose.ms, heartbeat.ms) : startToClose.ms;
  return window + attempts * attempt >= SHORT_RETRY_WINDOW_MS;
}

/**
 * Any other workflow that does not catch the failure: it fails for an outage that was over a
 * minute later, and someone (its caller, a schedule, a person) has to start it again. Info, since
 * the run can often be started again from its input. Left out for a proxy whose options serve only
 * tests or a development mode, calls made only by workflows that only tests or hand-run hooks
 * start, local activities (they run inside the workflow task's worker and are meant for short
 * work), and activities that run in memory (no await, no I/O: no dependency can be down).
 */
function shortWindowNote(review: ProxyReview, model: CodeModel, found: UncaughtCalls, policy: EffectiveRetryPolicy, window: number): ProxyVerdict<FindingDraft> | undefined {
  const { proxy } = review;
  if (proxy.testOnly || proxy.kind === 'local') return undefined;
  // A policy the server rejects (activity-retry-policy-invalid) has no window to speak of.
  if (validateRetryPolicy(policy).length > 0) return undefined;
  if (proxy.language !== 'python' && declarationExplainsRetries(proxy as ActivityProxy)) return undefined;
  const testOnly = new Set((model.testOnlyWorkflows ?? []).map((w) => w.name));
  const uncaught = found.uncaught.filter((call) => call.workflow === undefined || !testOnly.has(call.workflow));
  if (uncaught.length === 0) return undefined;
  const implementations = implementationsUsedBy(review.uses.filter((use) => uncaught.some((call) => call.activityType === use.type)));
  if (implementations.length > 0 && implementations.every((implementation) => implementation.inMemory === true)) return undefined;
  const types = [...new Set(uncaught.map((call) => call.activityType))].sort();
  const workflows = [...new Set(uncaught.map((call) => call.workflow!))].sort();
  const python = proxy.language === 'python';
  const attempts = policy.maximumAttempts;
  const one = types.length === 1;
  return verdict(['retry window'], {
    location: proxy.location,
    severity: 'info',
    message:
      `The retry policy of ${review.label} allows ${attempts} attempts ${describeIntervals(policy.initialIntervalMs, policy.backoffCoefficient, policy.maximumIntervalMs, attempts)}: ` +
      `when ${listNames(types)} ${one ? 'fails' : 'fail'} because a dependency is down, the last attempt starts ${formatDuration(window)} after the first failure. ` +
      `A database failover, a rate-limit window or a rolling deploy of the service ${one ? 'it calls' : 'they call'} lasts longer than that, and nothing in ` +
      `${workflows.length === 1 ? 'workflow' : 'workflows'} ${listNames(workflows)} ${python ? 'catches the ActivityError' : 'catches the failure'}${found.handledElsewhere}, ` +
      'so the workflow fails for an outage that was over a minute later, and only a new run (started by its caller, a schedule or a person) finishes the work.' +
      (review.retry.known ? configurableNote(review.retry.configurable) : ''),
    fix: python
      ? 'Let the retries outlast a routine outage: raise the intervals and the attempts so they span a few minutes ' +
        '(e.g. RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=1), maximum_attempts=10), about 6 minutes), ' +
        'or bound the whole by schedule_to_close_timeout; or catch ActivityError in the workflow and handle it. ' +
        'A comment next to retry_policy= or maximum_attempts= at the call saying why it is short records the choice and silences this finding.'
      : "Let the retries outlast a routine outage: raise initialInterval / maximumInterval and the attempts so they span a few minutes (e.g. retry: { initialInterval: '5s', maximumInterval: '1 minute', maximumAttempts: 10 }, about 6 minutes), " +
        'or bound the whole by scheduleToCloseTimeout; or catch the failure in the workflow and handle it. ' +
        'A comment next to retry or maximumAttempts saying why it is short records the choice and silences this finding.',
    related: uncaught.slice(0, 3).map((call) => ({ ...call.location, message: `${call.activityType} called without a catch in ${call.workflow}` })),
    data: { ...policyData(review), retryWindowMs: window, uncaughtActivityTypes: types, workflows },
  });
}

/**
 * True when the comment above the statement that declares the proxy speaks of its retries or
 * attempts (`// A short retry window: the next scheduled run tries again`): the author weighed the
 * policy there rather than next to `retry`.
 */
function declarationExplainsRetries(proxy: ActivityProxy): boolean {
  let node: ts.Node = proxy.node;
  while (node.parent && !ts.isSourceFile(node.parent) && !ts.isBlock(node.parent) && !ts.isModuleBlock(node.parent) && !ts.isClassLike(node.parent)) node = node.parent;
  const text = node.getSourceFile().text;
  return (ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []).some((range) => /retr|attempt/i.test(text.slice(range.pos, range.end)));
}

/**
 * The workflow catches the failure of the proxy's activities, keeps it as data (an errors list,
 * compensation) and completes (see workflow-failure-swallowed): a failed call is not retried by
 * anything after its last attempt, since the run ends as Completed and nobody starts it again.
 * With a window of seconds, a short outage of the service the activity calls loses the step for
 * good (or, with compensation, undoes the whole run).
 */
function givesUp(review: ProxyReview, model: TemporalModel) {
  if (model.language === 'python' || !model.workflows) return undefined;
  if (commentExplainsAttempts(review.proxy as ActivityProxy)) return undefined;
  // Only where nothing else records the failure: not when the catch hands the error to an activity
  // (a failure report) or returns a status that the starter waits for (see workflow-failure-swallowed).
  const returned = returnedFailures(model).filter(
    (r) => [...r.proxies].some((p) => p === review.proxy) && !r.reported && (!r.distinguishes || (r.starts > 0 && !r.resultRead)),
  );
  if (returned.length === 0) return undefined;
  const workflows = [...new Set(returned.map((r) => r.workflow))].sort();
  const one = workflows.length === 1;
  const compensates = returned.some((r) => r.compensates);
  return (attempts: number, window: number, initialMs: number, coefficient: number, maximumMs: number): ProxyVerdict<FindingDraft> =>
    verdict(['retry window'], {
      location: review.proxy.location,
      message:
        `The retry policy of ${review.label} allows ${attempts} attempts ${describeIntervals(initialMs, coefficient, maximumMs, attempts)}: ` +
        `when a dependency of these activities is down, every attempt has failed ${formatDuration(window)} after the first. ` +
        (one
          ? `Workflow ${workflows[0]} catches that failure, keeps it as data${compensates ? ', runs compensation' : ''} and then completes normally`
          : `Workflows ${listNames(workflows)} catch that failure, keep it as data${compensates ? ' (and run compensation)' : ''} and then complete normally`) +
        ', so nothing retries the step afterwards: a database failover, a rolling deploy of the service it calls or a rate-limit window of a minute ' +
        (compensates ? 'undoes the run or leaves the step undone for good.' : 'leaves the step undone for good.'),
      fix: "Let the retries outlast a routine outage: raise initialInterval / maximumInterval and the attempts (e.g. retry: { initialInterval: '5s', maximumInterval: '1 minute', maximumAttempts: 10 }), or bound the whole by scheduleToCloseTimeout. A comment next to retry or maximumAttempts saying why it is short records the choice and silences this finding.",
      related: returned.flatMap((r) => r.catches.filter((c) => c.proxy === review.proxy)).slice(0, 3).map((c) => ({ ...c.location, message: `catch that keeps the failure of ${c.what} and lets the run complete` })),
      data: { ...policyData(review), retryWindowMs: window, givesUpIn: workflows, compensates },
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
