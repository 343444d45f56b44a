// Prevents every deploy from cancelling in-flight activities: with shutdownGraceTime 0 (the
// default) a worker asked to stop (its own shutdown() call, or SIGINT / SIGTERM, which the SDK's
// Runtime turns into a shutdown) cancels its running activities at once, and the ones that react
// to the cancellation fail and run again. Activities whose attempts may run for hours lose the
// work done so far, which no grace time below the orchestrator's kill deadline saves. A Python
// worker whose process never handles SIGTERM is not shut down at all on a deploy: the grace time
// changes nothing there, and the finding names the missing signal handling with it.

import { defineCheck, type CheckContext } from '../define-check.js';
import { longestAttemptCapMs, neverRetried } from '../../engine/activity-policy/attempt-cap.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { DECLARED_LONG_START_TO_CLOSE_MS, LONG_START_TO_CLOSE_MS } from '../../engine/activity-policy/long-running.js';
import { readsHeartbeatDetails, workerActivitySpans, type WorkerActivitySpan } from '../../engine/worker-activity-spans.js';
import { environmentReference } from '../../model/environment-reference.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { formatDuration, parseDuration } from '../../engine/duration.js';
import { ephemeralWorkerNote } from '../../engine/ephemeral-worker-note.js';
import { sigtermUnhandled } from '../../engine/worker-stop-notice.js';
import { registersActivities, workerLabel, workerOption } from '../../model/typescript/observability/worker-options.js';
import type { ActivityImplementation, SourceLocation, StaticValue, TemporalModel, WorkerDefinition } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'worker-shutdown-grace-missing',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'shutdownGraceTime unset or 0 on a worker whose activities react to cancellation, or shorter than attempts that may run for hours: every deploy cancels them in flight.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const worker of model.workers) {
      if (!registersActivities(worker)) continue;
      const option = workerOption(worker, 'shutdownGraceTime', model);
      const label = workerLabel(worker, model);
      if (option.state === 'maybe' || option.state === 'unknown') continue;
      let state: string;
      if (option.state === 'absent') state = 'does not set shutdownGraceTime (default 0)';
      else {
        const value = option.value;
        const ms = value.kind === 'number' || value.kind === 'string' ? parseDuration(value.value) : null;
        if (ms === null) continue;
        if (ms > 0) {
          if (!worker.ephemeral) reportShortGrace(ctx, worker, model, value, ms, option.location, label);
          continue;
        }
        state = `sets shutdownGraceTime to ${writtenValue(value, 0)}`;
      }
      const location = option.state === 'set' ? option.location : worker.location;
      const data = { shutdownGraceTime: option.state === 'set' ? 0 : 'unset' };
      // A per-run worker shuts itself down after its one workflow finished, when nothing is in
      // flight; but the SDK also shuts it down on SIGINT / SIGTERM (Ctrl-C, docker stop), and a stop
      // mid-run cancels what is in flight. Stopping a run is deliberate, so this stays a note.
      if (worker.ephemeral) {
        const long = longAttempts(registered(worker, model).implementations, model);
        ctx.report({
          location,
          severity: 'info',
          message:
            `${label} ${state}: on shutdown it cancels its running activities at once. ` +
            ephemeralWorkerNote(
              worker,
              ctx.root,
              undefined,
              (model.language === 'python'
                ? // The Python SDK installs no signal handlers: asyncio.run turns Ctrl-C into a cancel of main (the worker shuts down), SIGTERM ends the process.
                  'Its own shutdown comes after the result, when nothing is in flight; but a stop mid-run ends it early: Ctrl-C (SIGINT) cancels the script\'s main task under asyncio.run, which shuts the worker down and cancels the activities in flight at once, ' +
                  'and SIGTERM (docker stop, a redeploy of its container) ends the process with them in flight, since the Python SDK installs no signal handlers, '
                : 'Its own shutdown comes after the result, when nothing is in flight; but the SDK also shuts the worker down on SIGINT or SIGTERM (Ctrl-C, docker stop, a redeploy of its container), ' +
                  'and a stop mid-run cancels the activities in flight at once: those that react to cancellation fail there, the others run on only until the process is killed, ') +
                `so the work done so far in the run's in-flight activities is lost${long ? `: ${long.span}` : ''}. Stopping a run is a deliberate act, so this is a note.`,
            ),
          fix: long
            ? 'No grace time below the kill deadline (docker stop: 10 s) saves attempts that run for hours: record progress in heartbeat details and resume from Context.current().info.heartbeatDetails, so a stopped run continues where it was.'
            : "Set shutdownGraceTime (e.g. '30s', below the kill deadline: docker stop waits 10 s) so activities in flight at a stop get that long to finish.",
          data: { ...data, ...(long ? { longAttempts: long.names } : {}) },
        });
        continue;
      }
      const { aware, unseen } = cancellationOf(worker, model);
      // The SDK never interrupts an activity function: one that never looks at cancellation runs to
      // its end whatever the grace time, and the worker waits for it (@temporalio/worker Worker.shutdown).
      if (aware.length === 0) {
        ctx.report({
          location,
          severity: 'info',
          message:
            `${label} ${state}, but none of its activities reacts to cancellation (no cancelled(), cancellationSignal, activity sleep() or worker client)` +
            `${unseen.length > 0 ? `, as far as can be seen (the code of ${listNames(unseen)} was not found)` : ''}: ` +
            'on shutdown the worker sends the cancellation and waits for them to finish either way, so the grace time changes nothing today. Only the process being killed (e.g. at the orchestrator\'s deadline) interrupts them.',
          fix: "Set shutdownGraceTime (e.g. '30s', below the orchestrator's kill deadline) when an activity starts to honour cancellation, so in-flight work gets that long to finish before it is cancelled.",
          data: { ...data, cancellationAware: [] },
        });
        continue;
      }
      const names = [...new Set(aware.map((impl) => impl.name))].sort();
      // A worker whose activity list could not be read is judged by every activity of the project:
      // say so instead of naming them as its own, and claim no hours-long attempts for it.
      const listUnread = worker.activityNames === 'unknown';
      const long = listUnread ? undefined : longAttempts(aware, model);
      const inFlight = listUnread
        ? `the activities it runs (its activity list could not be read; the project's activities include ${listNames(names)})`
        : listNames(names);
      if (sigtermUnhandled(worker, ctx)) {
        ctx.report({
          location,
          message:
            `${label} ${state}, and nothing in its process turns SIGTERM into a shutdown of the worker: ${NO_HANDLER} ` +
            "The Python SDK installs no signal handlers, so every deploy, scale-in or node drain ends the process at once (or, as PID 1 in a container, it ignores SIGTERM until the orchestrator's SIGKILL) " +
            `with its activities in flight: nothing cancels ${inFlight}, which a worker shutdown would (${pythonCancellationWay(aware)}), so ${names.length === 1 && !listUnread ? 'its attempt stops' : 'their attempts stop'} mid-way wherever the process is killed. ` +
            'Each attempt in flight is retried only once its start_to_close_timeout (or heartbeat_timeout) has run out on the server, and activities that are not idempotent do their side effect twice. ' +
            'Setting shutdownGraceTime alone changes nothing here.' +
            (long ? ` The work done so far is lost: ${long.sentence}.` : ''),
          fix:
            "Handle SIGTERM in the worker's process and shut the worker down on it: e.g. loop.add_signal_handler(signal.SIGTERM, stop.set), then run the worker as `async with worker: await stop.wait()` (or call await worker.shutdown()); " +
            "and set shutdownGraceTime to a little more than a typical activity run (e.g. '30s'), below the orchestrator's kill deadline (Kubernetes terminationGracePeriodSeconds defaults to 30 s)." +
            (long ? ' No grace time saves attempts that run for hours: record progress in heartbeat details and resume from Context.current().info.heartbeatDetails, or drain the worker (stop polling, wait) before a planned stop.' : ''),
          related: aware.map((impl) => ({ ...impl.cancellation!, message: `a worker shutdown's cancellation would reach ${impl.name} here` })),
          data: { ...data, sigtermHandled: false, cancellationAware: names, ...(long ? { longAttempts: long.names } : {}) },
        });
        continue;
      }
      ctx.report({
        location,
        message:
          `${label} ${state}: on shutdown it cancels its running activities at once, and ${inFlight} ${names.length === 1 && !listUnread ? 'reacts' : 'react'} to cancellation. ` +
          'Every deploy, scale-in or node drain (SIGTERM) then interrupts that in-flight work; the attempts fail and run again, and activities that are not idempotent do their side effect twice.' +
          (long ? ` The work done so far is lost: ${long.sentence}.` : ''),
        fix:
          "Set shutdownGraceTime to a little more than a typical activity run (e.g. '30s'), below the orchestrator's kill deadline (Kubernetes terminationGracePeriodSeconds defaults to 30 s)." +
          (long ? ' No grace time saves attempts that run for hours: record progress in heartbeat details and resume from Context.current().info.heartbeatDetails, or drain the worker (stop polling, wait) before a planned stop.' : ''),
        related: aware.map((impl) => ({ ...impl.cancellation!, message: `${impl.name} reacts to cancellation here` })),
        data: { ...data, cancellationAware: names, ...(long ? { longAttempts: long.names } : {}) },
      });
    }
  },
});

/**
 * How the Python SDK delivers a worker shutdown's cancellation to these activities (temporalio
 * 1.35.0, test/model/python/python-sdk-capacity-facts.test.ts): CancelledError raised in a sync
 * activity's thread, asyncio's CancelledError at an async one's next await.
 */
function pythonCancellationWay(aware: ActivityImplementation[]): string {
  const sync = aware.some((impl) => impl.sync === true);
  const async = aware.some((impl) => impl.sync !== true);
  const thread = "the SDK raises CancelledError in a sync activity's thread";
  const awaitPoint = 'asyncio raises CancelledError at the next await of an async one';
  return sync && async ? `${thread}, ${awaitPoint}` : sync ? thread : awaitPoint;
}

/** A grace time as the code spells it: `'5s'`, `5000`, or a Python `timedelta(seconds=5)` (read as milliseconds). */
function writtenValue(value: StaticValue, ms: number): string {
  if ('written' in value && value.written) return value.written;
  return value.kind === 'string' ? `'${value.value}'` : value.kind === 'number' ? String(value.value) : formatDuration(ms);
}

/** The implementations a worker registers, and the registered names whose code was not found. */
function registered(worker: WorkerDefinition, model: TemporalModel): { implementations: ActivityImplementation[]; unseen: string[] } {
  const names = worker.activityNames;
  const implementations = names === 'unknown' ? model.activities : model.activities.filter((impl) => names.includes(impl.name));
  const unseen = names === 'unknown' ? [] : names.filter((name) => !implementations.some((impl) => impl.name === name));
  return { implementations, unseen };
}

/**
 * The worker's activities that react to cancellation, and the registered names whose code was not
 * found. A worker whose registration could not be read is judged by every activity of the project.
 */
function cancellationOf(worker: WorkerDefinition, model: TemporalModel): { aware: ActivityImplementation[]; unseen: string[] } {
  const { implementations, unseen } = registered(worker, model);
  return { aware: implementations.filter((impl) => impl.cancellation !== null), unseen };
}

/**
 * Among these implementations, those whose attempts may run for DECLARED_LONG_START_TO_CLOSE_MS or
 * more by every proxy that schedules them (the timeout says the authors expect long runs), with a
 * sentence on what a stop mid-attempt costs: "buildfs and prebuild may run for up to 1d per attempt,
 * and with maximumAttempts 1 on prebuild the workflow gets the failure instead of a new attempt".
 */
function longAttempts(implementations: ActivityImplementation[], model: TemporalModel): { names: string[]; span: string; sentence: string } | undefined {
  const reviews = proxyReviews(model).filter((review) => review.proxy.kind === 'remote');
  const long: { name: string; capMs: number; once: boolean }[] = [];
  for (const implementation of implementations) {
    const callers = reviews.filter((review) => review.uses.some((use) => use.implementations.includes(implementation)));
    const capMs = longestAttemptCapMs(callers);
    if (capMs === undefined || capMs < DECLARED_LONG_START_TO_CLOSE_MS) continue;
    long.push({ name: implementation.name, capMs, once: neverRetried(callers) });
  }
  if (long.length === 0) return undefined;
  const names = [...new Set(long.map((entry) => entry.name))].sort();
  const once = [...new Set(long.filter((entry) => entry.once).map((entry) => entry.name))].sort();
  const capMs = Math.max(...long.map((entry) => entry.capMs));
  const retry =
    once.length === 0
      ? ', and the next attempt starts over'
      : `, and with maximumAttempts 1 on ${once.length === names.length ? (names.length === 1 ? 'it' : 'them') : listNames(once)} the workflow gets the failure instead of a new attempt`;
  const span = `${listNames(names)} may run for up to ${formatDuration(capMs)} per attempt (startToCloseTimeout)`;
  return { names, span, sentence: `${span}${retry}` };
}

/**
 * A grace time that is set but shorter than attempts the worker's activities may run for (10
 * minutes or more by every proxy that sends them to this worker): every stop cancels those attempts
 * that long after the signal. A warning when some of them run for 30 minutes or more, react to
 * cancellation and record no heartbeat, so the next attempt starts from the beginning; a note when
 * they heartbeat (progress can survive), never look at cancellation (the cancel does not stop them),
 * or have timeouts under 30 minutes (often a generous cap on shorter work).
 */
function reportShortGrace(
  ctx: CheckContext,
  worker: WorkerDefinition,
  model: TemporalModel,
  value: StaticValue,
  graceMs: number,
  location: SourceLocation,
  label: string,
): void {
  const spans = workerActivitySpans(worker, model);
  if (!spans) return;
  const long = spans
    .filter((span): span is WorkerActivitySpan & { longestAttemptMs: number } => span.longestAttemptMs !== undefined && Number.isFinite(span.longestAttemptMs) && span.longestAttemptMs >= LONG_START_TO_CLOSE_MS && span.longestAttemptMs > graceMs)
    .sort((a, b) => b.longestAttemptMs - a.longestAttemptMs || a.name.localeCompare(b.name));
  const reactsFirst = (span: WorkerActivitySpan) => span.implementation.cancellation !== null && span.implementation.cancellation !== undefined;
  // Activities that heartbeat and read their heartbeat details back resume where they stopped: nothing to report.
  if (long.every((span) => reactsFirst(span) && span.implementation.heartbeat !== null && readsHeartbeatDetails(span.implementation))) return;
  const reacts = reactsFirst;
  const restart = long.filter((span) => span.longestAttemptMs >= DECLARED_LONG_START_TO_CLOSE_MS && reacts(span) && span.implementation.heartbeat === null);
  const timeoutFromEnv = restart.find((span) => span.configurable)?.configurable;
  const heartbeating = long.filter((span) => span.implementation.heartbeat !== null && reacts(span));
  const unaware = long.filter((span) => !reacts(span));
  const shorter = long.filter((span) => span.longestAttemptMs < DECLARED_LONG_START_TO_CLOSE_MS && reacts(span) && span.implementation.heartbeat === null);
  const configurable = 'configurable' in value ? value.configurable : undefined;
  const written = writtenValue(value, graceMs);
  const grace = formatDuration(graceMs);
  const spansText = listNames(long.map((span) => `${span.name} (up to ${formatDuration(span.longestAttemptMs)})`));
  const verb = (names: WorkerActivitySpan[], one: string, many: string) => `${listNames(names.map((span) => span.name))} ${names.length === 1 ? one : many}`;
  const parts: string[] = [];
  if (restart.length > 0)
    parts.push(
      `${verb(restart, 'reacts', 'react')} to cancellation and ${restart.length === 1 ? 'records' : 'record'} no heartbeat, so the attempt fails and the next one starts from the beginning: ` +
        `up to ${formatDuration(Math.max(...restart.map((span) => span.longestAttemptMs)))} of work is lost and done again for each stop that lands mid-run.`,
    );
  if (heartbeating.length > 0) {
    const resuming = heartbeating.filter((span) => readsHeartbeatDetails(span.implementation));
    const notResuming = heartbeating.filter((span) => !readsHeartbeatDetails(span.implementation));
    if (resuming.length > 0) parts.push(`${verb(resuming, 'heartbeats and reads', 'heartbeat and read')} heartbeatDetails, so the next attempt can continue from the last progress recorded.`);
    if (notResuming.length > 0)
      parts.push(`${verb(notResuming, 'heartbeats', 'heartbeat')}: the next attempt continues where the last one stopped only if the progress goes into the heartbeat details and is read back from heartbeatDetails (not seen in ${notResuming.length === 1 ? 'its' : 'their'} body).`);
  }
  if (unaware.length > 0) parts.push(`${verb(unaware, 'never looks', 'never look')} at cancellation, so the cancel does not stop ${unaware.length === 1 ? 'it' : 'them'}: ${unaware.length === 1 ? 'it runs' : 'they run'} on until the process exits or is killed at the orchestrator's deadline.`);
  if (shorter.length > 0) parts.push(`The timeouts of ${listNames(shorter.map((span) => span.name))} (under 30 minutes) may be a generous cap on shorter work.`);
  const warning = restart.length > 0 && !configurable && !timeoutFromEnv;
  const source = configurable
    ? ` The grace time is the default of ${environmentReference(configurable)}, so the deployed value may differ; this is a note.`
    : timeoutFromEnv && restart.length > 0
      ? ` The timeout is the default of ${environmentReference(timeoutFromEnv)}, so the deployed one may differ; this is a note.`
      : '';
  ctx.report({
    location,
    severity: warning ? 'warning' : 'info',
    message:
      `${label} sets shutdownGraceTime to ${written}, but its activities may run far longer per attempt (startToCloseTimeout): ${spansText}. ` +
      `On every deploy, scale-in or node drain (SIGTERM) the worker cancels the activities still running ${grace} after the stop. ${parts.join(' ')}${source}`,
    fix: warning
      ? `Make ${listNames(restart.map((span) => span.name))} resumable: heartbeat with the progress as details and continue from Context.current().info.heartbeatDetails on the next attempt. ` +
        "A longer grace time helps only up to the orchestrator's kill deadline (Kubernetes terminationGracePeriodSeconds, 30 s by default); for runs of hours, drain the worker before a planned stop or give those activities a task queue whose workers are rolled out only when idle."
      : "Check that a stop mid-run costs no more than you accept: record progress in heartbeat details and resume from them, or drain the worker before a planned stop; or suppress this note with a reason.",
    related: long.map((span) => ({ ...span.implementation.location, message: `${span.name}: attempts up to ${formatDuration(span.longestAttemptMs)}` })),
    data: {
      shutdownGraceTimeMs: graceMs,
      ...(configurable ? { configurable: configurable.env } : {}),
      longActivities: long.map((span) => ({ name: span.name, longestAttemptMs: span.longestAttemptMs, heartbeats: span.implementation.heartbeat !== null, reactsToCancellation: reacts(span) })),
    },
  });
}

const NO_HANDLER =
  'no signal handler (loop.add_signal_handler or signal.signal), no framework that handles the signal, and no call of worker.shutdown().';

