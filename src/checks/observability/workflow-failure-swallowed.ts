// Keeps failures visible: a workflow that catches an activity's (or child workflow's) failure and
// only logs it completes as a success, so failure alerts (which count failed workflows per type),
// retries of the workflow and the Temporal UI never see it. Only a catch that does nothing but log
// is reported (see typescript/swallowed-failures.ts and python/python-swallowed-failures.ts for
// what is left alone). Info: a log-only catch is sometimes a deliberate best-effort step that
// nobody commented. Also a workflow that keeps the failure as data (an errors list, compensation)
// and returns normally (typescript/failures-returned.ts, python/python-failures-returned.ts): a
// warning when nobody can tell the result from a success, a note when no call of the try can fail
// into the catch (activities retried without end or returning their failures as values, a child
// whose whole run is caught). And calls run together whose failures come back as values nobody checks
// (`await Promise.allSettled(...)`, `asyncio.gather(..., return_exceptions=True)` dropped or never
// read): a warning, since not even a log line is left.

import { defineCheck, type FindingDraft } from '../define-check.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { activitiesReturningFailures } from '../../engine/activity-policy/activities-returning-failures.js';
import { relative } from '../../engine/run-checks.js';
import { activityUsesOf } from '../../model/activity-uses.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { SwallowedFailure } from '../../model/swallowed-failures.js';
import type { CaughtCall, ReturnedFailure } from '../../model/failures-returned.js';
import { returnedFailures } from '../../model/typescript/failures-returned.js';
import { swallowedFailures } from '../../model/typescript/swallowed-failures.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import type { CodeModel, SourceLocation } from '../../model/types.js';

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
    for (const failure of returned) ctx.report(returnedFinding(failure, !!python, unreachable(model, failure, ctx.root), ctx.root));
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
function returnedFinding(returned: ReturnedFailure, python: boolean, unreached: Unreached | undefined, root: string): FindingDraft {
  const relativeTo = (location: { file: string; line: number }) => `${relative(root, location.file)}:${location.line}`;
  const unread = returned.starts > 0 && !returned.resultRead;
  const distinguishes = returned.distinguishes || returned.carriesError;
  // Calls that cannot fail into the catch (activities retried without end or returning their
  // failures as values, a child whose run cannot fail): only a timeout, a non-retryable error, a
  // cancellation or a termination reaches it, so a note.
  const warning = (!distinguishes || unread) && !returned.reported && !unreached;
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
      : returned.laterReader
        ? ` The result says whether it failed, and the project reads ${returned.laterReader.kind === 'query' ? 'the run\'s state through a query' : returned.laterReader.typed ? 'it' : 'a workflow\'s result'} by the workflow id later (${relativeTo(returned.laterReader.location)}${returned.laterReader.typed ? '' : ', on a handle that names no workflow type'}): if that reader surfaces the failure, this is a deliberate business outcome.`
        : ' The result says whether it failed and a caller waits for it: if the caller branches on it, this is a deliberate business outcome.';
  return {
    location: returned.location,
    ...(warning ? { severity: 'warning' as const } : {}),
    message:
      caught + why +
      ' Failure alerts (which count failed workflows per type), workflow retries and the Temporal UI status all report a success for a run whose work was not done.' +
      (unreached ? ` ${unreachedText(unreached, python)}` : ''),
    fix: python
      ? 'Raise after the compensation or once the errors are collected (`raise`, or `raise ApplicationError(..., non_retryable=True) from e`; `if errors: raise ApplicationError(...)`), so the run ends as Failed; ' +
        'or, if a failed result is a normal outcome, keep the status field and make the caller read it; a comment saying the step is best effort silences this finding.'
      : 'Throw an ApplicationFailure after the compensation or once the errors are collected (`if (errors.length > 0) throw ApplicationFailure.nonRetryable(...)`), so the run ends as Failed; ' +
        'or, if a partial result is a normal outcome, return a status field that says so and make the caller read it; a comment saying the step is best effort silences this finding.',
    related: [
      ...returned.catches.slice(0, 5).map((c) => ({
        ...c.location,
        message: c.gathered
          ? `isinstance test that keeps the failure of ${c.what}, returned by asyncio.gather(..., return_exceptions=True)`
          : `${python ? 'except clause' : 'catch'} that keeps the failure of ${c.what}`,
      })),
      ...(unreached?.returns ?? []).slice(0, 3).map((r) => ({ ...r.at, message: `${r.call.what} returns its failures as a value here (activity-failure-returned)` })),
      ...(unreached?.children ?? []).slice(0, 3).map((c) => ({ ...c.childCannotFail!.location, message: `workflow ${c.childCannotFail!.workflow}, whose run catches every error and returns a value` })),
    ],
    data: {
      shape: 'returned',
      workflow: returned.workflow,
      calls: returned.catches.map((c) => c.what),
      compensates: returned.compensates,
      reported: returned.reported,
      resultHasStatus: distinguishes,
      starts: returned.starts,
      resultRead: returned.resultRead,
      ...(returned.laterReader ? { laterReader: { kind: returned.laterReader.kind, typed: returned.laterReader.typed } } : {}),
      ...(unreached && unreached.endless.length > 0 && unreached.returns.length === 0 && unreached.children.length === 0 ? { retriedWithoutEnd: true } : {}),
      ...(unreached ? { unreachable: { retriedWithoutEnd: unique(unreached.endless.map((c) => c.what)), returnsFailures: unique(unreached.returns.map((r) => r.call.what)), childCannotFail: unique(unreached.children.map((c) => c.what)) } } : {}),
    },
  };
}


/** Why no call of the caught try blocks can fail into the catch, grouped by kind. */
interface Unreached {
  /** Activities whose effective policy retries without end. */
  endless: CaughtCall[];
  /** Activities that catch every error of their work and return it as a value, with that return. */
  returns: { call: CaughtCall; at: SourceLocation; where: string }[];
  /** Child workflows whose whole run is caught and always completes. */
  children: CaughtCall[];
}

/**
 * Every call of the caught try blocks (the catches' own calls, those written in the tries and in
 * the project functions they call) is one whose failure does not reach the catch: an activity that
 * retries without end (no maximum attempts, no schedule-to-close timeout, no non-retryable error
 * types), an activity activity-failure-returned reports (it returns its failures as values), or a
 * child workflow of the code whose whole run is caught and returns a value. Undefined when one call
 * is none of these, or cannot be read (a proxy or child not found).
 */
function unreachable(model: CodeModel, returned: ReturnedFailure, root: string): Unreached | undefined {
  if (returned.calls.length === 0) return undefined;
  const found: Unreached = { endless: [], returns: [], children: [] };
  for (const call of returned.calls) {
    if (call.kind === 'child') {
      if (!call.childCannotFail) return undefined;
      found.children.push(call);
      continue;
    }
    if (!call.proxy) return undefined;
    if (retriesWithoutEnd(model, call.proxy)) {
      found.endless.push(call);
      continue;
    }
    const implementations = call.activity ? activityUsesOf(model, call.proxy).find((use) => use.type === call.activity)?.implementations ?? [] : [];
    const returning = activitiesReturningFailures(model);
    const at = implementations.length > 0 && implementations.every((i) => returning.has(i)) ? returning.get(implementations[0]!) : undefined;
    if (!at) return undefined;
    found.returns.push({ call, at, where: `${relative(root, at.file)}:${at.line}` });
  }
  return found;
}

const unique = (list: string[]): string[] => [...new Set(list)];

/** `a, b and c` (or `a, b or c`), without repeats. */
function names(calls: CaughtCall[], last = 'and'): string {
  const list = [...new Set(calls.map((c) => c.what))];
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} ${last} ${list.at(-1)}`;
}

function unreachedText(unreached: Unreached, python: boolean): string {
  const clause = python ? 'except clause' : 'catch';
  const { endless, returns, children } = unreached;
  const parts: string[] = [];
  if (returns.length > 0) {
    const many = new Set(returns.map((r) => r.call.what)).size > 1;
    const where = [...new Set(returns.map((r) => r.where))].slice(0, 3).join(', ');
    parts.push(`${names(returns.map((r) => r.call))} ${many ? 'catch' : 'catches'} every error of ${many ? 'their' : 'its'} work and ${many ? 'return' : 'returns'} it as a value (see activity-failure-returned at ${where})`);
  }
  if (children.length > 0) {
    const many = new Set(children.map((c) => c.what)).size > 1;
    parts.push(`${names(children)} ${many ? 'catch' : 'catches'} every error of ${many ? 'their' : 'its'} whole run and ${many ? 'return' : 'returns'} a value, so ${many ? 'they' : 'it'} always ${many ? 'complete' : 'completes'}`);
  }
  if (endless.length > 0) {
    const many = new Set(endless.map((c) => c.what)).size > 1;
    parts.push(`${names(endless)} ${many ? 'retry' : 'retries'} without end (no maximum attempts, no schedule-to-close timeout)`);
  }
  const reach = [
    ...(returns.length > 0 ? [`a timeout of ${names(returns.map((r) => r.call), 'or')} on its last attempt`] : []),
    ...(children.length > 0 ? ['a conflict when starting the child', 'its timeout', 'its termination'] : []),
    ...(endless.length > 0 ? ['a non-retryable failure'] : []),
    'a cancellation',
  ];
  const reaches = reach.length === 1 ? reach[0] : `${reach.slice(0, -1).join(', ')} or ${reach.at(-1)}`;
  const joined = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')}, and ${parts.at(-1)}`;
  // The wording of the endless-only case, as before.
  if (returns.length === 0 && children.length === 0) {
    return (
      `The ${endless.length === 1 ? 'activity it calls retries' : 'activities it calls retry'} without end (no maximum attempts, no schedule-to-close timeout), so only a non-retryable failure or a cancellation reaches the ${clause}: ` +
      'unless the activities raise non-retryable errors, this path does not run, and the risk is the unlimited retries instead.'
    );
  }
  return (
    `${joined.charAt(0).toUpperCase()}${joined.slice(1)}: only ${reaches} reaches this ${clause}, so this path rarely runs` +
    (returns.length > 0 ? ', and the failures themselves are reported where they are returned as values.' : '.')
  );
}

/**
 * True when the activity call's effective policy retries without end: no maximum attempts, no
 * schedule-to-close timeout, no non-retryable error types. Its failures are retried, not raised
 * into the workflow; a proxy that cannot be read is not.
 */
function retriesWithoutEnd(model: CodeModel, proxy: CaughtCall['proxy']): boolean {
  const review = proxyReviews(model).find((r) => r.proxy === proxy);
  if (!review || !review.retry.known) return false;
  const { policy } = review.retry;
  const closeMs = review.timeouts.scheduleToClose;
  return policy.maximumAttempts === 0 && policy.nonRetryableErrorTypes.length === 0 && !policy.scheduleToCloseMs && !(closeMs.known && Number.isFinite(closeMs.ms));
}

/** True when the swallowed call is an activity whose proxy turns retries off (maximumAttempts: 1). */
function runsOnce(model: CodeModel, swallowed: SwallowedFailure): boolean {
  if (!swallowed.proxy) return false;
  const review = proxyReviews(model).find((r) => r.proxy === swallowed.proxy);
  const retry = review?.options.retry;
  return retry?.state === 'set' && retry.maximumAttempts.state === 'set' && retry.maximumAttempts.value === 1;
}
