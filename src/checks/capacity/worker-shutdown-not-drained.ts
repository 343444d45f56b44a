// Prevents a shutdown that kills the activities it was meant to let finish. In @temporalio/worker
// `Worker.shutdown()` returns void and only starts the shutdown; the promise `worker.run()` returned
// resolves once the worker has drained (its running activities finished, or were cancelled after
// shutdownGraceTime and returned). A stop function that calls shutdown() and then process.exit(),
// or a SIGTERM handler that exits or closes the database pools while the worker still runs, ends or
// cripples the process with activities in flight: their attempts fail or time out, and what they
// had done half runs again on the next attempt.

import { defineCheck } from '../define-check.js';
import { formatDuration, parseDuration } from '../../engine/duration.js';
import { workerOption } from '../../model/typescript/observability/worker-options.js';
import type { ShutdownExit } from '../../model/typescript/worker-shutdown-paths.js';
import type { TemporalModel } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'worker-shutdown-not-drained',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A shutdown path exits the process (or closes its connections and pools) before the worker has drained: worker.shutdown() without awaiting the promise worker.run() returned, or a signal handler that never shuts the worker down.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const path of model.workerShutdownExits()) {
      const exitText = compact(path.exit.getText());
      const timer = closeCallbackNote(path) + timerNote(path, model);
      const related = [
        ...(path.shutdown ? [{ ...model.locate(path.shutdown), message: 'worker.shutdown() only starts the shutdown; it returns at once' }] : []),
        ...(path.signalHandler ? [{ ...model.locate(path.signalHandler), message: 'the signal handler this path starts from' }] : []),
        ...(path.worker ? [{ ...model.locate(path.worker), message: 'the worker that is still running' }] : []),
        ...(path.forceExitTimer ? [{ ...model.locate(path.forceExitTimer.call), message: 'the force-exit timer' }] : []),
      ];
      const indirect = path.direct ? '' : ' The path goes through more than one call or a value whose callers pass different functions, so this is a note.';
      if (path.kind === 'force-exit-timer') {
        // Reported only when the timer fires no later than the grace time the drain may take.
        const { delay, grace } = timerAndGrace(path, model);
        if (delay === undefined || grace === undefined || grace <= 0 || delay > grace) continue;
        ctx.report({
          location: model.locate(path.forceExitTimer!.call),
          severity: path.direct ? 'warning' : 'info',
          message:
            `This signal handler shuts the worker down and also arms a force-exit timer (\`${compact(path.forceExitTimer!.call.getText())}\`) that ends the process after ${formatDuration(delay)}, ` +
            `no longer than the worker's shutdownGraceTime (${formatDuration(grace)}): the time the worker lets its running activities finish before it cancels them. ` +
            'An activity that needs more than the timer gives is cut off by the exit even though the handler waits for the drain: its attempt fails or times out, and the work it had half done runs again.' +
            indirect,
          fix: "Give the force-exit timer more than the worker's shutdownGraceTime plus the time activities take to stop once cancelled (and keep it below the orchestrator's grace period, such as Kubernetes terminationGracePeriodSeconds), or shorten shutdownGraceTime to what the timer allows.",
          related,
          data: { kind: path.kind, direct: path.direct },
        });
        continue;
      }
      if (path.kind === 'exit-before-drain') {
        ctx.report({
          location: model.locate(path.exit),
          severity: path.direct ? 'warning' : 'info',
          message:
            `\`${exitText}\` runs right after worker.shutdown() without waiting for the worker to drain. ` +
            'Worker.shutdown() returns void and only starts the shutdown (the worker stops polling and cancels its running activities after shutdownGraceTime); ' +
            'the promise worker.run() returned resolves once they have finished. ' +
            'Exiting here ends the process with activities still running: each attempt in flight fails or times out, and work it had half done runs again on the next attempt.' +
            timer +
            indirect,
          fix: 'Keep the promise worker.run() returned and await it after worker.shutdown(), then close the connections and exit; or let the SDK handle SIGINT / SIGTERM (its Runtime shuts the workers down) and exit once worker.run() has resolved.',
          related,
          data: { kind: path.kind, direct: path.direct },
        });
        continue;
      }
      const exits = /^process\.exit\b/.test(exitText);
      const disabled = signalsDisabled(model);
      ctx.report({
        location: model.locate(path.exit),
        severity: path.direct ? 'warning' : 'info',
        message:
          `This signal handler path ${exits ? `exits the process (\`${exitText}\`)` : `closes \`${receiverText(exitText)}\``} while a worker runs in the process, and never calls worker.shutdown() or waits for worker.run() to resolve. ` +
          (disabled
            ? 'The Runtime is installed with shutdownSignals: [], so nothing shuts the worker down: '
            : "The SDK's Runtime also handles SIGINT and SIGTERM by starting the worker's shutdown (Runtime option shutdownSignals), but it does not hold this handler back: ") +
          (exits
            ? 'the process ends with activities still running, and each attempt in flight fails or times out and runs again.'
            : 'the activities still running lose what was closed under them and fail, and their attempts run again.') +
          timer +
          indirect,
        fix: 'Shut the worker down first and wait for it: call worker.shutdown(), await the promise worker.run() returned, and only then close pools and connections and exit. Or leave SIGINT / SIGTERM to the SDK and do the cleanup after worker.run() has resolved.',
        related,
        data: { kind: path.kind, direct: path.direct },
      });
    }
  },
});

/** `server.close(() => process.exit(0))`: the callback waits for the server, not the worker. */
function closeCallbackNote(path: ShutdownExit): string {
  if (!path.closeCallback) return '';
  const callee = path.closeCallback.expression.getText().replace(/\s+/g, ' ');
  return ` The exit sits in the callback of \`${callee.length > 60 ? `${callee.slice(0, 57)}...` : callee}(...)\`, which runs once that has closed, not once the worker has drained.`;
}

/** The force-exit timer's longest delay and the worker's shutdownGraceTime, in ms, when known. */
function timerAndGrace(path: ShutdownExit, model: TemporalModel): { delay: number | undefined; grace: number | undefined } {
  const timer = path.forceExitTimer;
  const delays = (timer?.delayValues ?? []).map((value) => model.resolveValue(value)).map((value) => (value.kind === 'number' || value.kind === 'string' ? parseDuration(value.value) : null));
  const delay = delays.length > 0 && delays.every((ms): ms is number => ms !== null) ? Math.max(...(delays as number[])) : undefined;
  const grace = path.workerDefinition ? graceMs(path.workerDefinition, model) : undefined;
  return { delay, grace };
}

/** A force-exit timer no longer than the worker's shutdownGraceTime cuts off even a drain that waits. */
function timerNote(path: ShutdownExit, model: TemporalModel): string {
  const timer = path.forceExitTimer;
  if (!timer) return '';
  const { delay: known, grace } = timerAndGrace(path, model);
  const delayText = known !== undefined ? ` after ${formatDuration(known)}` : '';
  const shorter = known !== undefined && grace !== undefined && known <= grace ? `, no longer than the worker's shutdownGraceTime (${formatDuration(grace)}), so it would cut off even a shutdown that waited for the drain` : '';
  return ` A force-exit timer (setTimeout with process.exit${delayText}) is armed as well${shorter}.`;
}

function graceMs(worker: NonNullable<ShutdownExit['workerDefinition']>, model: TemporalModel): number | undefined {
  const option = workerOption(worker, 'shutdownGraceTime', model);
  if (option.state === 'absent') return 0;
  if (option.state !== 'set') return undefined;
  const value = option.value;
  return value.kind === 'number' || value.kind === 'string' ? (parseDuration(value.value) ?? undefined) : undefined;
}

/** A Runtime.install whose shutdownSignals is an empty list. */
function signalsDisabled(model: TemporalModel): boolean {
  return model.runtimeInstalls.some((install) => {
    const options = install.options;
    if (options.kind !== 'object') return false;
    const signals = options.properties.get('shutdownSignals');
    return signals?.kind === 'array' && signals.elements.length === 0;
  });
}

function compact(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

/** `this.pool.end()` → `this.pool`. */
function receiverText(callText: string): string {
  return callText.replace(/\.[$\w]+\([^]*\)$/, '');
}
