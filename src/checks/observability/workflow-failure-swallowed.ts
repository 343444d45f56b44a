// Keeps failures visible: a workflow that catches an activity's (or child workflow's) failure and
// only logs it completes as a success, so failure alerts (which count failed workflows per type),
// retries of the workflow and the Temporal UI never see it. Only a catch that does nothing but log
// is reported (see typescript/swallowed-failures.ts and python/python-swallowed-failures.ts for
// what is left alone). Info: a log-only catch is sometimes a deliberate best-effort step that
// nobody commented. Also a workflow that keeps the failure as data (an errors list, compensation)
// and returns normally (typescript/failures-returned.ts, python/python-failures-returned.ts): a
// warning when nobody can tell the result from a success. And calls run together whose failures come back as values nobody checks
// (`await Promise.allSettled(...)`, `asyncio.gather(..., return_exceptions=True)` dropped or never
// read): a warning, since not even a log line is left.

import { defineCheck, type FindingDraft } from '../define-check.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { SwallowedFailure } from '../../model/swallowed-failures.js';
import type { ReturnedFailure } from '../../model/failures-returned.js';
import { returnedFailures } from '../../model/typescript/failures-returned.js';
import { swallowedFailures } from '../../model/typescript/swallowed-failures.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import type { CodeModel } from '../../model/types.js';

export default defineCheck({
  id: 'workflow-failure-swallowed',
  area: 'observability',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description:
    'A workflow catches an activity or child workflow failure and only logs it, keeps it in its result (an errors list, after compensation) and returns normally, or runs calls together (Promise.allSettled, asyncio.gather with return_exceptions=True) and never checks the results for failures, so the run completes as a success',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    const found = python ? (python.swallowedFailures ?? []) : swallowedFailures(model as TemporalModel);
    for (const swallowed of found) ctx.report(swallowedFinding(model, swallowed, python !== undefined));
    const returned = python ? (python.returnedFailures ?? []) : returnedFailures(model as TemporalModel);
    for (const failure of returned) ctx.report(returnedFinding(failure, !!python, retriesWithoutEnd(model, failure)));
  },
});

/**
 * A log-only catch (info), or settled results whose failures nobody checks: a warning when the
 * results are dropped or never read (outside cleanup code), info when they are only logged or only
 * the fulfilled ones are read.
 */
function swallowedFinding(model: CodeModel, swallowed: SwallowedFailure, python: boolean): FindingDraft {
  const call = swallowed.via ? `${swallowed.what} (called in ${swallowed.via})` : swallowed.what;
  const settled = swallowed.shape === 'allSettled' || swallowed.shape === 'settledResults' || swallowed.shape === 'gatherResults';
  // Settled results nobody checks leave no trace at all, not even a log line.
  const unchecked = (swallowed.shape === 'allSettled' || swallowed.shape === 'gatherResults') && swallowed.results !== undefined && swallowed.results !== 'logged';
  const handler =
    swallowed.shape === 'gatherResults'
      ? !unchecked
        ? `The exceptions asyncio.gather(..., return_exceptions=True) returns in place of the results of ${call} are only logged`
        : `asyncio.gather(..., return_exceptions=True) returns the failures of ${call} as exception objects among the results, and nothing looks at them`
      : swallowed.shape === 'allSettled'
        ? swallowed.results === 'dropped'
          ? `Promise.allSettled over ${call} turns their failures into rejected results, and this statement drops the results unread`
          : swallowed.results === 'unread'
            ? `Promise.allSettled over ${call} turns their failures into rejected results, and nothing reads the results`
            : swallowed.results === 'fulfilledOnly'
              ? `Only the fulfilled results of Promise.allSettled over ${call} are read: the rejected ones are dropped without being counted, logged or rethrown`
              : `The rejected results of Promise.allSettled over ${call} are only logged`
        : swallowed.shape === 'settledResults'
          ? `The rejected results of ${swallowed.what} are only logged`
          : swallowed.shape === 'promiseCatch'
            ? `This .catch handler only logs the failure of ${call}`
            : python
              ? `This except clause only logs the failure of ${call}`
              : `This catch only logs the failure of ${call}`;
  const once = runsOnce(model, swallowed);
  const goesOn = swallowed.inLoop
    ? 'the loop goes on to its next round'
    : settled
      ? 'the workflow carries on as if every call had succeeded'
      : 'the workflow carries on as if the call had succeeded';
  const child = /child workflow/.test(swallowed.what);
  const unseen = !unchecked
    ? `Failure alerts (which count failed workflows per type), workflow retries and the Temporal UI never see this failure; it is visible only in the worker logs.`
    : child
      ? `The failed child's own run shows as Failed, but this workflow ends as Completed: nothing retries the child beyond its own retry policy, failure alerts on this workflow (which count failed workflows per type) never fire, and nothing logs the failure here either.`
      : `${once ? 'W' : 'A failed activity is not tried again beyond its own retry policy, w'}orkflow retries never start (the run does not fail), and failure alerts (which count failed workflows per type) and the Temporal UI show a success; nothing logs it either.`;
  const warning = unchecked && (swallowed.results === 'dropped' || swallowed.results === 'unread') && !swallowed.inCleanup;
  return {
    location: swallowed.location,
    ...(warning ? { severity: 'warning' as const } : {}),
    message:
      `${handler}: ${goesOn}, and the run does not fail because of it. ` +
      (once
        ? `The activity has ${python ? 'maximum_attempts=1' : 'retry.maximumAttempts: 1'}, so it runs once: a single network blip or worker restart during it and the work is never done, with ${unchecked ? 'nothing' : 'only a log line'} to show for it. `
        : '') +
      unseen +
      (swallowed.inCleanup ? ` (This sits in a ${python ? 'except or finally' : 'catch or finally'} clause: when the run is failing anyway, only the failure of this cleanup is lost.)` : ''),
    fix:
      swallowed.shape === 'gatherResults'
        ? 'Let it fail: drop return_exceptions=True so the first failure is raised, or raise the exceptions among the results (`for r in results: if isinstance(r, BaseException): raise r`); ' +
          'or return or record the failures in the workflow result; if the calls are best effort, say so in a comment right above the gather.'
        : swallowed.shape === 'allSettled' && unchecked
          ? 'Use Promise.all so the first failure fails the workflow, or check the settled results and fail the run when any was rejected ' +
            "(`const failed = results.filter((r) => r.status === 'rejected'); if (failed.length > 0) throw ApplicationFailure.nonRetryable(...)`); " +
            'or return the failures in the workflow result; if the calls are best effort, say so in a comment right above the allSettled.'
          : python
            ? 'Let it fail (`raise`, or raise an ApplicationError from it), or return or record the failure in the workflow result; ' +
              'if the step is best effort, say so in a comment in or right above the try.'
            : 'Let it fail (rethrow, or throw an ApplicationFailure), or return or record the failure in the workflow result; ' +
              'if the step is best effort, say so in a comment in or right above the catch.',
    related: [
      { ...swallowed.callLocation, message: `the call whose failure is swallowed (${swallowed.what})` },
      ...(once ? [{ ...swallowed.proxy!.location, message: python ? 'the activity call whose retry policy sets maximum_attempts=1' : 'the proxy that sets retry.maximumAttempts: 1' }] : []),
    ],
    data: {
      call: swallowed.what,
      shape: swallowed.shape,
      ...(swallowed.via ? { via: swallowed.via } : {}),
      ...(swallowed.results ? { results: swallowed.results } : {}),
      ...(swallowed.inCleanup ? { inCleanup: true } : {}),
      inLoop: swallowed.inLoop,
      ...(once ? { maximumAttempts: 1 } : {}),
    },
  };
}

/**
 * A workflow that keeps a caught failure as data and returns normally. Warning when the returned
 * value does not say that the run failed (only an errors list, or nothing), or when every start of
 * the workflow found in the code drops the handle without waiting for the result: nobody reads the
 * failure. Info when a caller reads a result that carries a status (a deliberate business outcome),
 * or when the catch hands the error to an activity that records it in the application.
 */
function returnedFinding(returned: ReturnedFailure, python: boolean, endless: boolean): FindingDraft {
  const unread = returned.starts > 0 && !returned.resultRead;
  const distinguishes = returned.distinguishes || returned.carriesError;
  // Activities retried without end never fail into the catch (only a non-retryable failure or a
  // cancellation does): the path is real only if they raise non-retryable errors, so a note.
  const warning = (!distinguishes || unread) && !returned.reported && !endless;
  const first = returned.catches[0]!;
  const call = first.via ? `${first.what} (called in ${first.via})` : first.what;
  const others = returned.catches.length - 1;
  const caught =
    `Workflow ${returned.workflow} catches the failure of ${call}` +
    (others > 0 ? ` (and of ${others} other call${others === 1 ? '' : 's'})` : '') +
    (first.gathered ? ' (returned among the results of asyncio.gather(..., return_exceptions=True))' : '') +
    (returned.compensates ? ', runs compensation' : '') +
    ', keeps the error as data and then returns normally, so the run ends as Completed.';
  const why = returned.reported
    ? ` The ${python ? 'except clause' : 'catch'} hands the error to an activity (a failure report or a state change), so the application records it; Temporal does not.`
    : !distinguishes
    ? ' The value it returns has no field that says the run failed (the error is only in a list or a log).'
    : unread
      ? ` The result says whether it failed, but ${returned.starts === 1 ? 'the code that starts it does not wait for' : 'none of the starts found waits for'} the result, so nobody reads it.`
      : ' The result says whether it failed and a caller waits for it: if the caller branches on it, this is a deliberate business outcome.';
  return {
    location: returned.location,
    ...(warning ? { severity: 'warning' as const } : {}),
    message:
      caught + why +
      ' Failure alerts (which count failed workflows per type), workflow retries and the Temporal UI status all report a success for a run whose work was not done.' +
      (endless
        ? ` The ${returned.catches.length === 1 ? 'activity it calls retries' : 'activities it calls retry'} without end (no maximum attempts, no schedule-to-close timeout), so only a non-retryable failure or a cancellation reaches the ${python ? 'except clause' : 'catch'}: ` +
          'unless the activities raise non-retryable errors, this path does not run, and the risk is the unlimited retries instead.'
        : ''),
    fix: python
      ? 'Raise after the compensation or once the errors are collected (`raise`, or `raise ApplicationError(..., non_retryable=True) from e`; `if errors: raise ApplicationError(...)`), so the run ends as Failed; ' +
        'or, if a failed result is a normal outcome, keep the status field and make the caller read it; a comment saying the step is best effort silences this finding.'
      : 'Throw an ApplicationFailure after the compensation or once the errors are collected (`if (errors.length > 0) throw ApplicationFailure.nonRetryable(...)`), so the run ends as Failed; ' +
        'or, if a partial result is a normal outcome, return a status field that says so and make the caller read it; a comment saying the step is best effort silences this finding.',
    related: returned.catches.slice(0, 5).map((c) => ({
      ...c.location,
      message: c.gathered
        ? `isinstance test that keeps the failure of ${c.what}, returned by asyncio.gather(..., return_exceptions=True)`
        : `${python ? 'except clause' : 'catch'} that keeps the failure of ${c.what}`,
    })),
    data: { shape: 'returned', workflow: returned.workflow, calls: returned.catches.map((c) => c.what), compensates: returned.compensates, reported: returned.reported, resultHasStatus: distinguishes, starts: returned.starts, resultRead: returned.resultRead, ...(endless ? { retriedWithoutEnd: true } : {}) },
  };
}

/**
 * True when every call the catches take is an activity whose effective policy retries without end:
 * no maximum attempts, no schedule-to-close timeout, no non-retryable error types. Its failures are
 * retried, not raised into the workflow; a child workflow, or a proxy that cannot be read, is not.
 */
function retriesWithoutEnd(model: CodeModel, returned: ReturnedFailure): boolean {
  if (returned.catches.length === 0 || returned.catches.some((c) => !c.proxy)) return false;
  const proxies = new Set([...returned.proxies, ...returned.catches.map((c) => c.proxy!)]);
  const reviews = proxyReviews(model);
  return [...proxies].every((proxy) => {
    const review = reviews.find((r) => r.proxy === proxy);
    if (!review || !review.retry.known) return false;
    const { policy } = review.retry;
    const closeMs = review.timeouts.scheduleToClose;
    return policy.maximumAttempts === 0 && policy.nonRetryableErrorTypes.length === 0 && !policy.scheduleToCloseMs && !(closeMs.known && Number.isFinite(closeMs.ms));
  });
}

/** True when the swallowed call is an activity whose proxy turns retries off (maximumAttempts: 1). */
function runsOnce(model: CodeModel, swallowed: SwallowedFailure): boolean {
  if (!swallowed.proxy) return false;
  const review = proxyReviews(model).find((r) => r.proxy === swallowed.proxy);
  const retry = review?.options.retry;
  return retry?.state === 'set' && retry.maximumAttempts.state === 'set' && retry.maximumAttempts.value === 1;
}
