// Prevents retry storms written twice: a workflow loop that calls an activity again after it
// failed runs the activity's own retry policy once per turn, so the attempts multiply, and every
// turn writes more history (the failed activity, usually a timer between turns). The same holds
// for a workflow retry policy on a start (`retry` in the options of a client start, a child start
// or a schedule action): the server retries a failed run by starting a new run from the first
// step, so every step runs again with its own activity retries, and without a
// workflowExecutionTimeout nothing bounds the total time of all the runs. Activities that run only
// once a signal arrived (in its handler, or after a wait only the signal ends) are not repeated:
// a retried run does not receive the failed run's signals and waits again instead, so when all the
// retrying activities are such, the start is a note about the dropped work, not a multiplication.

import { defineCheck } from '../define-check.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';
import { workflowRetryLoops } from '../../model/typescript/workflow-retry-loops.js';
import { startsWithWorkflowRetry, type StartRetry, type StartRetryCall } from '../../model/typescript/workflow-start-retries.js';
import type { SignalGate } from '../../model/typescript/signal-gated-calls.js';
import type { ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import type { CheckContext } from '../define-check.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { pythonStartsWithWorkflowRetry, type PythonStartRetry } from '../../model/python/python-start-retries.js';

export default defineCheck({
  id: 'workflow-retry-multiplies-activity-retries',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow-level retry loop, or a workflow retry policy on a start, runs activities again after they failed, although their proxies already retry them.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    if (python) {
      const pythonReviews = proxyReviews(python);
      for (const hit of pythonStartsWithWorkflowRetry(python)) reportStartRetry(ctx, hit, pythonReviews);
      return;
    }
    const reviews = proxyReviews(model);
    for (const loop of workflowRetryLoops(model)) {
      const review = reviews.find((r) => r.proxy === loop.proxy);
      if (!review?.retry.known) continue;
      const attempts = review.retry.policy.maximumAttempts;
      if (attempts === 1) continue;
      const where = loop.helperCall ? `the retry helper called at ${relativePath(model.root, loop.helperCall.file)}:${loop.helperCall.line} (${loop.text})` : `the loop ${loop.text}`;
      const written = review.retry.written ? 'its retry policy' : "the server's default retry policy";
      const unlimited = attempts === 0;
      const deadline = review.timeouts.scheduleToClose.known && Number.isFinite(review.timeouts.scheduleToClose.ms);
      ctx.report({
        location: loop.location,
        // Unlimited attempts under a scheduleToCloseTimeout: the loop may be meant to extend that deadline.
        ...(unlimited && deadline ? { severity: 'info' as const } : {}),
        message: unlimited
          ? `Activity ${loop.activityType} is called up to ${loop.calls} times by ${where}, but ${written} (${review.label}) already retries it without a limit on attempts: ` +
            `a failure reaches the loop only when it is non-retryable or the activity's deadline ran out, so the loop re-runs exactly the failures meant to be final, ` +
            `and each turn writes more events to the history.`
          : `Activity ${loop.activityType} is called up to ${loop.calls} times by ${where}, and ${written} (${review.label}) makes up to ${attempts} attempts per call: ` +
            `up to ${loop.calls} x ${attempts} = ${loop.calls * attempts} attempts of a failure that does not go away, ` +
            `and each workflow-level turn writes more events to the history.`,
        fix:
          `Retry in one place: drop the workflow loop and give the proxy the attempts and backoff you want (retry: { maximumAttempts, backoffCoefficient, maximumInterval }), ` +
          `or keep the loop and set retry.maximumAttempts: 1 on a proxy used only here.`,
        related: [{ ...loop.loop, message: 'the workflow-level retry loop' }, { ...review.proxy.location, message: `the proxy: up to ${unlimited ? 'unlimited' : attempts} attempts per call` }],
        data: { activityType: loop.activityType, workflowCalls: loop.calls, activityAttempts: unlimited ? null : attempts, proxy: review.proxy.id },
      });
    }
    for (const hit of startsWithWorkflowRetry(model)) reportStartRetry(ctx, hit, reviews);
  },
});

/** The activity calls of the workflow whose proxy makes more than one attempt, with their attempts (0: unlimited). */
function retryingCalls(calls: (StartRetryCall | PythonStartRetry['calls'][number])[], reviews: ProxyReview[]): { name: string; attempts: number; review: ProxyReview; gate?: SignalGate }[] {
  const found: { name: string; attempts: number; review: ProxyReview; gate?: SignalGate }[] = [];
  for (const call of calls) {
    const review = reviews.find((r) => r.proxy === call.proxy);
    if (!review?.retry.known || review.retry.policy.maximumAttempts === 1) continue;
    found.push({ name: call.activityType, attempts: review.retry.policy.maximumAttempts, review, ...(call.gate ? { gate: call.gate } : {}) });
  }
  return found;
}

const unique = (names: string[]) => names.filter((name, i, all) => all.indexOf(name) === i);
const listed = (names: string[]) => (names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', '));

function reportStartRetry(ctx: CheckContext, hit: StartRetry | PythonStartRetry, reviews: ProxyReview[]): void {
  const python = 'messageHandlers' in hit;
  // Activities whose failures the workflow contains (caught where they are called, and nothing
  // fails the run afterwards) never make the server retry the run: only the others multiply.
  const failing = (hit.calls as (StartRetryCall | PythonStartRetry['calls'][number])[]).filter((c) => !c.contained);
  const caughtNames = unique(hit.calls.filter((c) => c.contained).map((c) => c.activityType)).filter((name) => !failing.some((c) => c.activityType === name));
  const allRetrying = retryingCalls(failing, reviews);
  if (allRetrying.length === 0) return;
  const workflow = hit.workflow.name;
  const runs = hit.workflowAttempts === 0 ? 'without a limit on attempts' : `up to ${hit.workflowAttempts} attempts`;
  const starter = hit.start.method === 'schedule' ? "This schedule's action" : hit.start.child ? 'This child start' : 'This start';
  // Activities that run only once a message arrived: a retried run does not receive the failed
  // run's signals, so it does not reach them on its own, and their attempts do not multiply.
  if (!python && allRetrying.every((r) => r.gate)) {
    reportSignalDriven(ctx, hit as StartRetry, allRetrying, runs, starter);
    return;
  }
  const allNames = unique(hit.calls.map((c) => c.activityType));
  const gatedNames = unique(hit.calls.filter((c) => c.gate).map((c) => c.activityType)).filter((name) => !hit.calls.some((c) => !c.gate && c.activityType === name));
  const names = allNames.filter((name) => !gatedNames.includes(name));
  const retrying = allRetrying.filter((r) => !r.gate);
  const steps = listed(names);
  const unlimitedActivities = retrying.filter((r) => r.attempts === 0);
  const most = Math.max(...retrying.map((r) => r.attempts));
  // the proxy named in the message: one retrying without a limit, else the one with the most attempts
  const proxy = (unlimitedActivities[0] ?? retrying.find((r) => r.attempts === most)!).review;
  const policy = proxy.retry.known && proxy.retry.written ? `the retry policy of ${proxy.label}` : `the server's default retry policy (${proxy.label})`;
  let multiplied: string;
  if (unlimitedActivities.length > 0) {
    const which = unique(unlimitedActivities.map((r) => r.name));
    const subject = which.length === 1 ? `Activity ${which[0]} is` : `Activities ${which.slice(0, 3).join(', ')}${which.length > 3 ? ' and others' : ''} are`;
    multiplied =
      `${subject} already retried without a limit on attempts under ${policy}: ${which.length === 1 ? 'its' : 'their'} failures reach the workflow only when non-retryable or when an activity deadline ran out, ` +
      `and the workflow retry then runs again exactly the failures meant to be final.`;
  } else if (caughtNames.length > 0) {
    const total = hit.workflowAttempts === 0 ? 'without end' : `up to ${hit.workflowAttempts} x ${most} = ${hit.workflowAttempts * most} times`;
    const which = unique(retrying.map((r) => r.name));
    multiplied =
      `${sentenceList(which, 'Activity', 'Activities')}, whose failure can fail the run, already ${which.length === 1 ? 'retries' : 'retry'} on ${which.length === 1 ? 'its' : 'their'} own, up to ${most} attempts per call under ${policy}: ` +
      `a failure that does not go away is attempted ${total}.`;
  } else {
    const total = hit.workflowAttempts === 0 ? 'without end' : `up to ${hit.workflowAttempts} x ${most} = ${hit.workflowAttempts * most} times`;
    multiplied = `Its activities already retry on their own, up to ${most} attempts per call under ${policy}: a failure that does not go away is attempted ${total}.`;
  }
  const caught =
    caughtNames.length > 0
      ? ` The failures of ${listed(caughtNames)} are caught in workflow ${workflow} and do not fail the run, so they do not make the server retry it.`
      : '';
  const gatedRetrying = allRetrying.filter((r) => r.gate);
  const gatedRetryingNames = unique(gatedRetrying.map((r) => r.name));
  const one = gatedRetryingNames.length === 1;
  const waiting =
    gatedRetrying.length > 0
      ? ` ${sentenceList(gatedRetryingNames, 'Activity', 'Activities')} ${one ? 'runs' : 'run'} only ${gatedPhrase(gatedRetrying.map((r) => r.gate!))}, and a retried run does not receive the signals the failed run got, so ${one ? 'it is' : 'they are'} not repeated.`
      : '';
  const timeoutName = python ? 'execution_timeout' : 'workflowExecutionTimeout';
  const bound = hit.executionTimeout
    ? ` The start's ${timeoutName} (${hit.executionTimeout}) bounds the total time of all the runs.`
    : hit.workflowAttempts === 0
      ? ` No ${timeoutName} is set on this start, so nothing bounds the total time: the runs go on until one succeeds.`
      : ` No ${timeoutName} is set on this start, so nothing bounds the total time of all the runs.`;
  // Python: which activities wait for a signal or update is not read; a workflow with message
  // handlers may run its steps only once a message arrived, which a retried run does not receive.
  const handlers = python ? hit.messageHandlers : [];
  const messageNote =
    handlers.length > 0
      ? ` Workflow ${workflow} also handles ${listed(handlers)}: steps that run only once such a message arrived are not repeated by a retried run, which does not receive the failed run's messages.`
      : '';
  // A note rather than a warning when the total time is bounded, when the schedule fires again
  // anyway (a retry of its action is often a deliberate choice), when the workflow has one step, or
  // when every retrying activity already retries without a limit (the workflow retry then fires
  // only on failures meant to be final, rarely). Read on all the activities, gated ones included.
  const note =
    handlers.length > 0 ||
    hit.executionTimeout !== undefined ||
    hit.start.method === 'schedule' ||
    allNames.length === 1 ||
    allRetrying.every((r) => r.attempts === 0);
  ctx.report({
    location: hit.start.location,
    severity: note ? 'info' : 'warning',
    message:
      `${starter} gives workflow ${workflow} a workflow retry policy (${runs}). The server retries a failed run by starting a new run from the beginning, ` +
      (names.length === 1
        ? `so a retried run calls ${steps} again, with its own activity retries. `
        : `so a retried run repeats the steps from the first one (${steps}), side effects included, each with its own activity retries. `) +
      multiplied +
      caught +
      waiting +
      bound +
      messageNote,
    fix: python
      ? `Retry in one place: leave retries to the activities (drop retry_policy from the start, or pass RetryPolicy(maximum_attempts=1)) and give them the attempts and backoff you want; ` +
        `if a whole-run retry is needed, make every step safe to repeat and set execution_timeout on the start to bound the total time.`
      : `Retry in one place: leave retries to the activities (drop retry from the start options, or set retry.maximumAttempts: 1) and give them the attempts and backoff you want; ` +
      `if a whole-run retry is needed, make every step safe to repeat and set workflowExecutionTimeout on the start to bound the total time.`,
    related: [
      { ...hit.retryLocation, message: `the workflow retry policy: ${runs}` },
      { ...hit.workflow.location, message: `workflow ${workflow}` },
      { ...proxy.proxy.location, message: `the proxy: ${proxy.retry.known && proxy.retry.policy.maximumAttempts > 0 ? `up to ${proxy.retry.policy.maximumAttempts}` : 'unlimited'} attempts per call` },
    ],
    data: {
      workflowType: workflow,
      workflowAttempts: hit.workflowAttempts === 0 ? null : hit.workflowAttempts,
      activityAttempts: unlimitedActivities.length > 0 ? null : most,
      workflowExecutionTimeout: hit.executionTimeout ?? null,
      steps: names,
      ...(handlers.length > 0 ? { messageHandlers: handlers } : {}),
      ...(gatedNames.length > 0 ? { signalGatedSteps: gatedNames } : {}),
      ...(caughtNames.length > 0 ? { caughtSteps: caughtNames } : {}),
    },
  });
}

/**
 * Every activity of the workflow that retries runs only once a message arrived (in its handler,
 * or after a wait only the message ends). A retried run is a new run without the failed run's
 * signals: it waits again instead of repeating the activities, and the failed run's work is lost.
 */
function reportSignalDriven(ctx: CheckContext, hit: StartRetry, retrying: { name: string; gate?: SignalGate }[], runs: string, starter: string): void {
  const model = ctx.model!;
  const workflow = hit.workflow.name;
  const gates = retrying.map((r) => r.gate!);
  const names = unique(retrying.map((r) => r.name));
  // where each activity waits: `saveEdit, reindex after the wait at src/w.ts:42; auditEdit in the handler of update auditRequested (src/w.ts:39)`
  const places = unique(gates.map((g) => siteOf(g, model)));
  const where = places
    .map((place) => {
      const gate = gates.find((g) => siteOf(g, model) === place)!;
      const which = unique(retrying.filter((r) => siteOf(r.gate!, model) === place).map((r) => r.name));
      return `${which.join(', ')} ${gate.via === 'handler' ? `in the handler of ${gate.kind} ${gate.name} (${place})` : `after the wait for ${gate.kind} ${gate.name} (${place}${gate.timeout ? `, timeout ${gate.timeout}` : ', no timeout'})`}`;
    })
    .join('; ');
  const waits = gates.filter((g) => g.via === 'wait');
  const timed = waits.filter((g) => g.timeout);
  const waitsAgain =
    waits.length === 0
      ? 'so the handlers that ran in the failed run do not run in the retried run'
      : timed.length === waits.length
        ? `so it waits for ${messages(waits)} again, until the condition's timeout (${unique(timed.map((g) => g.timeout!)).join(', ')}) runs out`
        : timed.length === 0
          ? `so it waits for ${messages(waits)} again, forever, as the wait has no timeout`
          : `so it waits for ${messages(waits)} again, until the condition's timeout or forever`;
  const forever = waits.some((g) => !g.timeout) && !hit.executionTimeout ? ' No workflowExecutionTimeout is set on this start, so nothing ends a wait without timeout.' : '';
  ctx.report({
    location: hit.start.location,
    severity: 'info',
    message:
      `${starter} gives workflow ${workflow} a workflow retry policy (${runs}), but the activities of ${workflow} that retry run only ${gatedPhrase(gates)}: ${where}. ` +
      `The server retries a failed run by starting a new run, and a new run does not receive the ${gates.some((g) => g.kind === 'update') ? 'signals and updates' : 'signals'} the failed run got, ${waitsAgain}: ` +
      `the failed run's work is dropped rather than repeated, and the activity attempts do not multiply.` +
      forever,
    fix:
      `For a workflow driven by signals, drop the workflow retry policy (retry: { maximumAttempts: 1 }, or no retry on the start) and let the run fail, ` +
      `so the sender sees the failure and sends again; or have the sender signal again with signalWithStart, which starts a new run when needed and delivers the signal to it.`,
    related: [
      { ...hit.retryLocation, message: `the workflow retry policy: ${runs}` },
      { ...hit.workflow.location, message: `workflow ${workflow}` },
      ...unique(gates.map((g) => siteOf(g, model)))
        .slice(0, 3)
        .map((place) => {
          const gate = gates.find((g) => siteOf(g, model) === place)!;
          return { ...gate.location, message: gate.via === 'handler' ? `the handler of ${gate.kind} ${gate.name}` : `the wait for ${gate.kind} ${gate.name}` };
        }),
    ],
    data: {
      workflowType: workflow,
      workflowAttempts: hit.workflowAttempts === 0 ? null : hit.workflowAttempts,
      workflowExecutionTimeout: hit.executionTimeout ?? null,
      steps: [],
      signalGatedSteps: names,
    },
  });
}

function siteOf(gate: SignalGate, model: NonNullable<CheckContext['model']>): string {
  return `${relativePath(model.root, gate.location.file)}:${gate.location.line}`;
}

/** `in the handler of signal a`, `after a wait for signal a`, or both kinds of gates. */
function gatedPhrase(gates: SignalGate[]): string {
  if (gates.every((g) => g.via === 'handler')) return `in the handler of ${messages(gates)}`;
  if (gates.every((g) => g.via === 'wait')) return `after a wait for ${messages(gates)}`;
  return `in the handler of a message or after a wait for one (${messages(gates)})`;
}

/** `signal uploadDone`, `signals a or b`, `signal a or update b`. */
function messages(gates: SignalGate[]): string {
  const named = unique(gates.map((g) => `${g.kind} ${g.name}`));
  if (named.length === 1) return named[0]!;
  const kinds = unique(gates.map((g) => g.kind));
  if (kinds.length === 1) {
    const plain = unique(gates.map((g) => g.name));
    return `${kinds[0]}s ${plain.slice(0, -1).join(', ')} or ${plain[plain.length - 1]}`;
  }
  return `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}`;
}

function sentenceList(names: string[], one: string, many: string): string {
  return names.length === 1 ? `${one} ${names[0]}` : `${many} ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
