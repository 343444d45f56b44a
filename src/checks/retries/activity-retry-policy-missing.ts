// Prevents the retry storm of an activity with no retry policy: the server retries every retryable
// failure without limit, and a dependency outage multiplies into Actions and load; a business error
// the implementation throws without marking it non-retryable is retried with it.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { capitalize, configurableNote, describeRetryPolicy, listNames, localRetryThresholdMs, outageCost, outageData, outageSettings } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { implementationThrows, missingSdkNameText, type ImplementationThrows, type RetriedThrow } from '../../engine/activity-policy/implementation-throws.js';
import { singleInstanceReason } from '../../engine/activity-policy/single-instance.js';
import { deadlineWithinOutage, timedOutSentence, workflowDeadline, type WorkflowDeadline } from '../../engine/activity-policy/workflow-deadline.js';
import { formatDuration } from '../../engine/duration.js';
import { attemptsDuringOutage } from '../../simulate/retry-policy.js';
import { implementationsUsedBy } from '../../model/activity-uses.js';
import { groupCallFindings } from '../../engine/activity-policy/group-calls.js';
import { runsInNoWorker } from '../../model/typescript/unregistered-code.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { ActivityImplementationFacts as ActivityImplementation, ActivityProxyFacts, SourceLocation } from '../../model/types.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { activityReturnedFailures } from '../../model/typescript/activity-failures-returned.js';
import { locate } from '../../model/typescript/locate.js';
import type { ActivityImplementation as TsActivityImplementation, TemporalModel } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'activity-retry-policy-missing',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'An activity proxy without a retry policy: unlimited attempts at the default backoff.',
  run(ctx) {
    if (!ctx.model) return;
    for (const finding of groupPythonCalls(ownVerdicts(ctx.model, (review) => evaluate(review, ctx)), ctx.root)) ctx.report(finding);
  },
});

/**
 * A Python "proxy" is one execute_activity call, so a workflow whose calls pass no retry policy
 * would get one warning per call, each saying the same. The warnings of one workflow, in one file,
 * whose activities throw nothing the review found retried (only transient failures are at stake)
 * become one, at the first call, naming the others. A call whose activity throws a retryable
 * business or plain error keeps its own finding: that error is the evidence, and it differs per call.
 */
function groupPythonCalls(verdicts: { review: ProxyReview; verdict: ProxyVerdict<FindingDraft> }[], root: string): FindingDraft[] {
  return groupCallFindings(
    verdicts,
    (review, verdict) => {
      const finding = verdict.value;
      const retried = finding.data?.['retriedThrows'] as unknown[] | undefined;
      const status = finding.data?.['statusRaises'] as unknown[] | undefined;
      if (review.proxy.language !== 'python' || !verdict.defects.includes('no retry policy') || retried === undefined || retried.length > 0) return undefined;
      // The notes on activities that catch every failure say the same of each call: grouped apart from the warnings.
      if (finding.severity !== undefined) {
        if (finding.data?.['failuresCaught'] === undefined) return undefined;
        return JSON.stringify(['caught', review.proxy.location.file, [...review.proxy.workflowNames].sort(), finding.data?.['effectiveRetryPolicy'] ?? null, finding.data?.['effectiveTimeouts'] ?? null, finding.data?.['failuresCaught']]);
      }
      // Same workflow, same file, and the same effective policy and outage cost: the message of the
      // first call is then true of the others word for word, but for the activity's name.
      // Calls whose activities call raise_for_status() group only with each other: their message says so.
      return JSON.stringify([review.proxy.location.file, [...review.proxy.workflowNames].sort(), finding.data?.['effectiveRetryPolicy'] ?? null, finding.data?.['outage'] ?? null, finding.data?.['effectiveTimeouts'] ?? null, (status?.length ?? 0) > 0]);
    },
    (first, others) => {
      const names = [...new Set(others.flatMap((other) => other.review.uses.map((use) => use.type)))].sort();
      const lines = others.map((other) => other.review.proxy.location.line);
      const workflows = first.review.proxy.workflowNames;
      const status = ((first.finding.data?.['statusRaises'] as unknown[] | undefined)?.length ?? 0) > 0;
      const seen = new Set((first.finding.related ?? []).map((r) => `${r.file}:${r.line}:${r.column}`));
      const owner = workflows.length === 1 ? `workflow ${workflows[0]}` : workflows.length > 1 ? `workflows ${listNames(workflows)}` : relativePath(root, first.review.proxy.location.file);
      if (first.finding.data?.['failuresCaught'] !== undefined) {
        return {
          ...first.finding,
          message: `${first.finding.message} The same holds for ${others.length} more ${others.length === 1 ? 'call' : 'calls'} of ${owner} without a retry policy (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}).`,
          related: [...(first.finding.related ?? []), ...others.map((other) => ({ ...other.review.proxy.location, message: 'another call without a retry policy' }))],
          data: { ...first.finding.data, sameCallLines: lines },
        };
      }
      return {
        ...first.finding,
        message:
          `${first.finding.message} The same holds for ${others.length} more ${others.length === 1 ? 'call' : 'calls'} of ${owner} without a retry policy ` +
          `(${listNames(names)}; line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}), whose activities ${status ? 'likewise call raise_for_status() (each place is a related location) and throw nothing else' : 'throw nothing'} the review found retried: one policy, passed to each call, fixes them all.`,
        related: [
          ...(first.finding.related ?? []),
          ...others.map((other) => ({ ...other.review.proxy.location, message: 'another call without a retry policy' })),
          ...(status ? others.flatMap((other) => (other.finding.related ?? []).filter((r) => !seen.has(`${r.file}:${r.line}:${r.column}`) && (seen.add(`${r.file}:${r.line}:${r.column}`), true))) : []),
        ],
        data: { ...first.finding.data, sameCallLines: lines },
      };
    },
  );
}

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, retry, label } = review;
  // This check speaks once for a proxy whose options or retry policy cannot be read; the other
  // retry checks then stay silent about it.
  const unresolved = options.unresolved
    ? { field: 'the options', text: options.unresolved.text, location: options.unresolved.location }
    : unresolvedField('retry', options.retry);
  if (unresolved) {
    return { defects: [`unresolved ${unresolved.text}`], value: cannotTellFinding(proxy.location, label, 'the retry policy', unresolved) };
  }
  if (options.retry.state !== 'absent') return undefined;
  // No worker runs the workflow code that holds the proxy, so it schedules nothing: the
  // registration is the defect (workflow-not-registered reports the starts of such a workflow).
  if (runsInNoWorker(ctx.model!, proxy.location.file)) return undefined;
  const settings = outageSettings(ctx.config);
  const who = proxy.kind === 'local' ? 'the worker retries' : 'the server retries';
  let effect = `${who} failures with the default policy`;
  let cost = '';
  let data: Record<string, unknown> = policyData(review);
  if (retry.known) effect += ` (${describeRetryPolicy(retry.policy)})`;
  const bounded = retry.known && retry.policy.scheduleToCloseMs !== undefined;
  const until = bounded ? 'until scheduleToCloseTimeout runs out' : 'for as long as the workflow runs';
  const throws = implementationThrows(review.uses);
  const head = `No retry policy on ${label}: ${effect}, ${until}.`;
  const configurable = retry.known ? configurableNote(retry.configurable) : '';
  const related = [...throws.retried, ...throws.plainRetried]
    .sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line)
    .map((t) => {
      const missing = missingSdkNameText(t);
      return { ...t.location, message: missing ? `${t.activity} raises ${t.type} here: ${missing}` : `${t.activity} throws ${t.type} here, not marked non-retryable` };
    })
    .concat(throws.statusRaises.map((r) => ({ ...r.location, message: `${r.activity} raises ${r.type ?? "the HTTP client's status error"} here on a 4xx or 5xx response` })));
  const finding = (message: string, extra: Record<string, unknown> = {}, severity?: 'info'): ProxyVerdict<FindingDraft> => ({
    defects: ['no retry policy'],
    value: {
      location: proxy.location,
      ...(severity ? { severity } : {}),
      message: message + configurable,
      fix:
        "Write the policy down, sized to the dependency: retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', " +
        "maximumAttempts: 5, nonRetryableErrorTypes: ['YourBusinessError'] }, and bound the total time with scheduleToCloseTimeout.",
      related,
      data: {
        ...data,
        implementations: throws.unknown.length === review.uses.length ? 'unknown' : throws.unknown.length === 0 ? 'known' : 'partly-known',
        retriedThrows: [...throws.retried, ...throws.plainRetried].map((t) => ({ type: t.type, activity: t.activity, file: relativePath(ctx.root, t.location.file), line: t.location.line })),
        ...(throws.statusRaises.length ? { statusRaises: throws.statusRaises.map((r) => ({ type: r.type ?? null, activity: r.activity, file: relativePath(ctx.root, r.location.file), line: r.location.line })) } : {}),
        ...(throws.unfollowed.length ? { unfollowedCalls: throws.unfollowed.map((c) => ({ call: c.text, activity: c.activity, file: relativePath(ctx.root, c.location.file), line: c.location.line })) } : {}),
        ...extra,
      },
    },
  });
  const limit = bounded ? '' : ' without limit';
  const inMemory = implementationsUsedBy(review.uses);
  // A Python activity that cannot fail at all is said so below (failureFreeActivities), in its own words.
  const noIO = (implementation: (typeof inMemory)[number]) => implementation.inMemory === true || (implementation.performsNoIO === true && implementation.failureFree === undefined);
  if (throws.unknown.length === 0 && inMemory.length > 0 && inMemory.every(noIO)) {
    // No I/O: no outage or transient error can fail it, so what fails an attempt (a bad input, a
    // bug) fails every attempt the same way, and with no policy the run retries it instead of failing.
    const names = inMemory.map((implementation) => implementation.name);
    const one = inMemory.length === 1;
    const python = proxy.language === 'python';
    const how = python
      ? `no await, no client, file or unknown call in ${one ? 'it' : 'them'} or the project helpers ${one ? 'it calls' : 'they call'}`
      : `no await, no promise and no I/O call in ${one ? 'it' : 'them'} or the helpers ${one ? 'it calls' : 'they call'}`;
    const draft = finding(
      `${head} ${one ? `${names[0]} performs` : `${listNames(names)} perform`} no I/O (${how}), so no dependency outage or transient error can fail ` +
        `${one ? 'it' : 'them'} and retrying adds load nowhere. A failure there (a bad input, a bug) is deterministic: it repeats on every attempt, ` +
        `and with no policy it is retried ${bounded ? 'until scheduleToCloseTimeout runs out' : 'without limit'}, so the run waits instead of failing. ${permanentErrors(throws, ctx.root, limit, proxy.activityParameter)}`,
      { inMemory: true },
      'info',
    );
    draft.value.fix = python
      ? 'Give the call retry_policy=RetryPolicy(maximum_attempts=1) (or a small cap), so a failure of the computation fails the workflow at once instead of retrying.'
      : 'Give the proxy retry: { maximumAttempts: 1 } (or a small cap), so a failure of the computation fails the workflow at once instead of retrying.';
    return draft;
  }
  const failureFree = failureFreeActivities(review, throws);
  if (failureFree) {
    const one = failureFree.length === 1;
    const names = listNames(failureFree.map((implementation) => implementation.name));
    const swallowed = failureFree.filter((implementation) => implementation.failureFree === 'failures-swallowed').map((implementation) => implementation.name);
    const how = swallowed.length
      ? `${one ? 'its' : 'their'} code, read in full with the project helpers ${one ? 'it calls' : 'they call'}, throws nothing and makes no call that can fail ` +
        `but through Promise.allSettled (in ${listNames(swallowed)} or ${swallowed.length === 1 ? 'its' : 'their'} helpers), which swallows every rejection, and the calls it settles make no failing call either`
      : `${one ? 'its' : 'their'} code, read in full with the project helpers ${one ? 'it calls' : 'they call'}, makes no call that can fail and throws nothing`;
    return finding(
      `${head} ${names} cannot fail into this policy: ${how}, so no dependency outage can fail ${one ? 'it' : 'them'} and the missing policy risks no retry storm. ` +
        `Write a policy down when ${one ? 'it starts' : 'they start'} calling a service.`,
      { failureFree: failureFree.map((implementation) => ({ activity: implementation.name, how: implementation.failureFree })) },
      'info',
    );
  }
  const caught = failuresCaughtActivities(review, throws);
  if (caught) {
    // Every failure of the work is caught and the activity returns: an outage ends each attempt as
    // a success, so the retry storm the warning prices cannot happen. Only a timeout or a lost
    // worker fails an attempt, and those are what the missing policy retries.
    const one = caught.length === 1;
    const names = caught.map((implementation) => implementation.name);
    const catching = caught.filter((implementation) => implementation.failuresCaught === true).map((implementation) => implementation.name);
    const python = proxy.language === 'python';
    const how = python
      ? `${catching.length === 1 ? 'its' : 'their'} body, but for imports and statements that cannot fail, is inside a try whose \`except\` takes every exception (bare, Exception or BaseException), raises nothing and returns normally`
      : `${catching.length === 1 ? 'its' : 'their'} body, but for statements that cannot fail, is inside try blocks whose catch throws nothing and makes no call that can fail`;
    const pointers = swallowPointers(ctx, caught);
    const shown = pointers.slice(0, MAX_THROWS_NAMED).map((p) => `${p.check} (${relativePath(ctx.root, p.location.file)}:${p.location.line})`);
    const timeout = python ? 'start_to_close_timeout' : 'startToCloseTimeout';
    const verdict = finding(
        `${head} ${listNames(names)} ${one ? 'catches' : 'catch'} every failure of ${one ? 'its' : 'their'} work (${catching.length === names.length ? how : `${listNames(catching)}: ${how}; the others make no call that can fail`}), so a dependency outage ends an attempt ` +
          `as a success, not as a failure this policy retries, and no retry storm can follow. The missing policy matters only when an attempt times out ` +
          `(a call that hangs past ${timeout}) or its worker is lost: those are retried${limit}. ` +
          `The failures are swallowed instead${shown.length ? `: see ${listNames(pointers.length > shown.length ? [...shown, `${pointers.length - shown.length} more`] : shown, MAX_THROWS_NAMED + 1)}` : ''}; ` +
          `if the work should be retried, let the ${python ? 'exception' : 'error'} out and write a policy down.`,
        { failuresCaught: names.map((name) => ({ activity: name, how: catching.includes(name) ? 'failures-caught' : caught.find((c) => c.name === name)!.failureFree })) },
        'info',
      );
    verdict.value.related = [...(verdict.value.related ?? []), ...pointers.map((p) => ({ ...p.location, message: `${p.check} reports this catch` }))];
    return verdict;
  }
  const single = singleInstanceReason(ctx.model!, proxy.workflowNames);
  if (single) {
    const every = retry.known ? formatDuration(retry.policy.maximumIntervalMs) : 'the maximum interval';
    const workflows = proxy.workflowNames.length === 1 ? `${proxy.workflowNames[0]} runs` : `${listNames(proxy.workflowNames)} run`;
    return finding(
      `${head} ${workflows} one instance at a time (${single}), so a dependency outage is retried by that one workflow, about every ${every} ` +
        `once the backoff reaches its cap, until the dependency recovers: no fleet of workflows retries in step, and for an idempotent sweep that is a fair default. ` +
        permanentErrors(throws, ctx.root, limit, proxy.activityParameter),
      { singleInstance: single },
      'info',
    );
  }
  const deadline = bounded ? undefined : workflowDeadline(ctx.model!, proxy.workflowNames);
  // A deadline longer than the outage the warning prices bounds nothing it says (see deadlineWithinOutage).
  if (deadline && deadlineWithinOutage(deadline, ctx.config)) {
    const within = ` until the deadline`;
    return finding(
      `${head} ${deadlineSentence(deadline, proxy.workflowNames, ctx.root)} Within that deadline every workflow in flight still retries in step ` +
        `(there is no jitter). ${permanentErrors(throws, ctx.root, within, proxy.activityParameter)}`,
      { workflowDeadlineMs: deadline.ms },
      'info',
    );
  }
  if (retry.known) {
    // For activities that call an HTTP service the count takes every attempt to fail at once; an
    // HTTP call can instead wait until its own timeout, bounded by start_to_close_timeout: the
    // count is then an upper bound.
    const bounded = proxy.kind === 'remote' && throws.statusRaises.length > 0;
    const startToClose = review.timeouts.startToClose;
    const attemptMs = bounded && startToClose.known && Number.isFinite(startToClose.ms) ? startToClose.ms : undefined;
    const slow = attemptMs !== undefined ? attemptsDuringOutage(retry.policy, settings.outageMs, attemptMs) : undefined;
    const upperBound = !bounded
      ? undefined
      : slow
        ? `, when each attempt fails at once; attempts that wait on the HTTP call until start_to_close_timeout (${formatDuration(attemptMs!)}) make ${slow.attempts}`
        : ', when each attempt fails at once; fewer when attempts wait on a slow HTTP call';
    cost = ` ${capitalize(outageCost(retry.policy, proxy.kind, settings, localRetryThresholdMs(options.localRetryThreshold), upperBound))}.`;
    data = { ...data, outage: outageData(retry.policy, proxy.kind, settings) };
    if (slow) data = { ...data, outage: { ...(data['outage'] as object), attemptsIfEachRunsToStartToClose: slow.attempts } };
  }
  return finding(`${head} ${evidence(throws, ctx.root, limit, proxy.activityParameter)}` + cost);
}

/**
 * The implementations the proxy schedules, when every one is found and cannot fail into the retry
 * policy (failureFree, set by the front-end under strict rules) and throws nothing: undefined otherwise.
 */
function failureFreeActivities(review: ProxyReview, throws: ImplementationThrows): ActivityImplementation[] | undefined {
  if (throws.unknown.length > 0 || review.uses.length === 0 || review.uses.some((use) => use.implementations.length === 0)) return undefined;
  const implementations = implementationsUsedBy(review.uses);
  if (implementations.length === 0) return undefined;
  if (!implementations.every((implementation) => implementation.failureFree !== undefined && implementation.thrownErrors.length === 0)) return undefined;
  return implementations;
}

/**
 * The implementations the proxy schedules, when every one is found, throws nothing the review
 * found, calls no raise_for_status() outside a try that catches it, and either cannot fail
 * (failureFree) or catches every failure around its whole body and returns (failuresCaught), with
 * at least one of the latter: undefined otherwise.
 */
function failuresCaughtActivities(review: ProxyReview, throws: ImplementationThrows): ActivityImplementation[] | undefined {
  if (throws.unknown.length > 0 || throws.statusRaises.length > 0 || review.uses.length === 0 || review.uses.some((use) => use.implementations.length === 0)) return undefined;
  const implementations = implementationsUsedBy(review.uses);
  if (implementations.length === 0 || !implementations.some((implementation) => implementation.failuresCaught === true)) return undefined;
  if (!implementations.every((implementation) => (implementation.failureFree !== undefined || implementation.failuresCaught === true) && implementation.thrownErrors.length === 0)) return undefined;
  return implementations;
}

/**
 * Where activity-failure-returned or activity-failure-swallowed reports the catch of these
 * activities (the proxy has no retry policy, so it allows more than one attempt): Python, the
 * model's activityFailures of either kind; TypeScript, the catches that return a failure value
 * after an awaited call (the sites activity-failure-returned reports whatever reads the result).
 */
function swallowPointers(ctx: CheckContext, implementations: ActivityImplementation[]): { check: string; location: SourceLocation }[] {
  const model = ctx.model!;
  const found: { check: string; location: SourceLocation }[] = [];
  if (model.language === 'python') {
    for (const failure of pythonModelOf(model)?.activityFailures ?? []) {
      if (failure.kind === 'unread') continue;
      if (!implementations.some((i) => i.name === failure.activity && i.location.file === failure.activityLocation.file && i.location.line === failure.activityLocation.line)) continue;
      found.push({ check: `activity-failure-${failure.kind}`, location: failure.location });
    }
    return found;
  }
  for (const implementation of implementations) {
    for (const site of activityReturnedFailures(implementation as TsActivityImplementation, model as TemporalModel, { throughVariables: true })) {
      if (site.synchronous) continue;
      found.push({ check: 'activity-failure-returned', location: locate(site.returned) });
    }
  }
  return found;
}

/**
 * What the missing policy means for these activities, stated only as far as the code shows it:
 * the retryable errors the implementations throw, by type and place; or, when every error they
 * throw is already non-retryable, that only transient failures are retried; or that the
 * implementation was not found.
 */
function evidence(throws: ImplementationThrows, root: string, limit: string, parameter?: ActivityProxyFacts['activityParameter']): string {
  const inStep = 'every workflow in flight retries in step (there is no jitter).';
  const missing = passedIn(throws, parameter)
    ? ` The activity is passed in by the callers of ${parameter!.helper} (its parameter ${parameter!.parameter}), and the review could not resolve what they pass, so what it throws is not known.`
    : throws.unknown.length
    ? ` The implementation of ${listNames(throws.unknown)} is not in the reviewed code, so what ${throws.unknown.length === 1 ? 'it throws' : 'they throw'} is not known.`
    : '';
  const plain = throws.plainRetried.length ? ` Plain errors are retried${limit} too: ${throwSites(throws.plainRetried, root)}.` : '';
  const status = throws.statusRaises.length ? ` ${statusSentence(throws, root, limit)}` : '';
  if (throws.retried.length) {
    return (
      `That includes the business errors the implementations throw without marking them non-retryable: ${throwSites(throws.retried, root)}. ` +
      `A failure that cannot succeed is retried like an outage, and ${inStep}` +
      plain +
      status +
      missing
    );
  }
  if (throws.unknown.length || throws.activities === 0) return `Transient failures (a timeout, a dependency down) are retried${limit}, and ${inStep}${plain}${status}${missing}`;
  if (throws.plainRetried.length) {
    // A plain Error carries no type a policy could tell apart: a permanent condition thrown that
    // way is retried like an outage.
    return (
      `${throws.nonRetryable ? 'The business errors found are already non-retryable, but the' : 'The'} implementations throw plain errors, which are retried${limit}: ` +
      `${throwSites(throws.plainRetried, root)}. Their type does not tell a permanent condition from a transient one, so a permanent one is retried like an outage, and ${inStep}${status}`
    );
  }
  if (throws.unfollowed.length) {
    return `${nothingFound(throws, root)}${status} Transient failures (a timeout, a dependency down) are retried${limit}${status ? ' too' : ''}, and ${inStep}`;
  }
  if (status) {
    // The raise is in the HTTP library, not in the project's code: no raise is found there, but a
    // rejected request fails every attempt alike.
    return (
      `${throws.nonRetryable ? 'Every error found thrown by the implementations and the project helpers they call is already non-retryable, but ' : 'No error is found thrown by the implementations or the project helpers they call themselves, but '}` +
      `${status.slice(1)} Transient failures (a timeout, a dependency down) are retried${limit} too, and ${inStep}`
    );
  }
  return (
    // Only what the analysis found: throws inside package code (a driver, an ORM helper) are not followed.
    (throws.nonRetryable
      ? 'Every error found thrown by the implementations and the project helpers they call is already non-retryable; '
      : 'No error is found thrown by the implementations or the project helpers they call; ') +
    `what is retried${limit} are transient failures (a timeout, a dependency down), and ${inStep}`
  );
}

/**
 * What the review found thrown when some calls into the project's code could not be followed:
 * their errors are not known, so the sentence names them instead of claiming nothing is thrown.
 */
function nothingFound(throws: ImplementationThrows, root: string): string {
  const calls = throws.unfollowed;
  const shown = calls.slice(0, MAX_THROWS_NAMED).map((call) => `${call.text} (${relativePath(root, call.location.file)}:${call.location.line})`);
  const more = calls.length - shown.length;
  const found = throws.nonRetryable ? 'Every error found thrown by the implementations is already non-retryable' : 'No error is found thrown by the implementations';
  return (
    `${found}, but preflight could not follow ${calls.length === 1 ? 'a call' : `${calls.length} calls`} into the project's code, ` +
    `so what ${calls.length === 1 ? 'it throws' : 'they throw'} is not known: ${listNames(more ? [...shown, `${more} more`] : shown, MAX_THROWS_NAMED + 1)}.`
  );
}

/**
 * `Every start of syncWorkflow sets workflowExecutionTimeout ('20 minutes') (src/a.ts:12), so the
 * server ends a run, and the activity's retries with it, within 20m: attempts are not unlimited.`
 */
function deadlineSentence(deadline: WorkflowDeadline, workflows: string[], root: string): string {
  const shown = deadline.sites.slice(0, MAX_THROWS_NAMED).map((site) => `${site.option} ${site.written} (${relativePath(root, site.location.file)}:${site.location.line})`);
  const more = deadline.sites.length - shown.length;
  const sites = listNames(more ? [...shown, `${more} more`] : shown, MAX_THROWS_NAMED + 1);
  const who = workflows.length === 1 ? workflows[0] : listNames(workflows);
  return (
    `Every start of ${who} in the reviewed code sets a deadline: ${sites}, so the server ends a run, and the activity's retries with it, ` +
    `within ${formatDuration(deadline.ms)}: attempts are not unlimited. ${timedOutSentence(deadline, 'retrying')}`
  );
}

/** The only activity without an implementation is a helper's parameter its callers fill: chosen by them, not absent. */
function passedIn(throws: ImplementationThrows, parameter: ActivityProxyFacts['activityParameter']): boolean {
  return !!parameter && throws.unknown.length === 1 && throws.unknown[0] === parameter.parameter;
}

/** For a finding that is not about a fleet: the errors a retry cannot fix, which one workflow retries forever. */
function permanentErrors(throws: ImplementationThrows, root: string, limit: string, parameter?: ActivityProxyFacts['activityParameter']): string {
  const all = [...throws.retried, ...throws.plainRetried].sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line);
  if (all.length) return `An error that cannot succeed is retried${limit} as well: ${throwSites(all, root)}; mark the permanent ones non-retryable.`;
  if (passedIn(throws, parameter)) return `The activity is passed in by the callers of ${parameter!.helper} (its parameter ${parameter!.parameter}), which the review could not resolve; a permanent error it throws would be retried${limit} as well.`;
  if (throws.unknown.length) return `What ${listNames(throws.unknown)} throws is not in the reviewed code; a permanent error would be retried${limit} as well.`;
  if (throws.unfollowed.length) return `${nothingFound(throws, root)}${throws.statusRaises.length ? ` ${statusSentence(throws, root, limit)}` : ''}`;
  if (throws.statusRaises.length) return statusSentence(throws, root, limit);
  return throws.nonRetryable
    ? 'Every error found thrown by the implementations and the project helpers they call is already non-retryable.'
    : 'No error is found thrown by the implementations or the project helpers they call.';
}

/**
 * `They call raise_for_status(), which raises httpx.HTTPStatusError on any 4xx or 5xx response (a.py:12):
 * a 4xx other than 408 or 429 ... is retried without limit like an outage.` Each site is also a related location.
 */
function statusSentence(throws: ImplementationThrows, root: string, limit: string): string {
  const types = [...new Set(throws.statusRaises.map((r) => r.type ?? "the HTTP client's status error"))];
  const shown = throws.statusRaises.slice(0, MAX_THROWS_NAMED).map((r) => `${relativePath(root, r.location.file)}:${r.location.line}`);
  const more = throws.statusRaises.length - shown.length;
  const sites = listNames(more ? [...shown, `${more} more`] : shown, MAX_THROWS_NAMED + 1);
  return (
    `raise_for_status() is called (${sites}): it raises ${listNames(types)} on any 4xx or 5xx response. ` +
    `A 4xx other than 408 or 429 (a rejected request, a missing resource, a refused credential) fails the same way on every attempt, and it is retried${limit} like an outage.`
  );
}

/** `Error (src/a.ts:12), Error (src/b.ts:30) and 2 more`: each is also a related location. */
function throwSites(throws: RetriedThrow[], root: string): string {
  const shown = throws.slice(0, MAX_THROWS_NAMED).map((t) => {
    const missing = missingSdkNameText(t);
    return `${t.type} (${relativePath(root, t.location.file)}:${t.location.line}${missing ? `: ${missing}` : ''})`;
  });
  const more = throws.length - shown.length;
  return listNames(more ? [...shown, `${more} more`] : shown, MAX_THROWS_NAMED + 1);
}

/** Past this many, the list says "and N more": every one is a related location. */
const MAX_THROWS_NAMED = 3;
