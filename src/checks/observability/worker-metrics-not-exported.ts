// Prevents running blind in production: without Runtime.install and a metrics exporter the SDK
// emits no metrics, so saturated slots, activity latency and non-determinism seen from the worker go
// unseen. A warning, not an error: nothing breaks, and the server (Temporal Cloud or self-hosted)
// still emits its own workflow failure and schedule-to-start metrics. A note when the application
// exports metrics of its own (engine/own-metrics.ts): it is watched, only not through the SDK.

import { defineCheck, type CheckContext } from '../define-check.js';
import { relativePath } from '../../model/typescript/locate.js';
import { exportsMetrics, installKey, runtimeReach } from '../../model/typescript/observability/runtime-reach.js';
import { workerLabel, workerTaskQueue } from '../../model/typescript/observability/worker-options.js';
import { ephemeralWorkerNote } from '../../engine/ephemeral-worker-note.js';
import { listNames } from '../../engine/name-list.js';
import type { TemporalModel, WorkerDefinition } from '../../model/typescript/types.js';
import type { RuntimeInstallFacts, RuntimeReach } from '../../model/types.js';
import { ownMetrics, type OwnMetrics } from '../../engine/own-metrics.js';

const FIX =
  "Call Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: '0.0.0.0:9464' } } } }) (or metrics: { otel: { url } }) " +
  'once, before any connection or Worker.create, in the worker entry point; then scrape /metrics and load the rules from `temporal-preflight generate alerts`.';

// What is lost, and what is not: the server's own metrics (Temporal Cloud or self-hosted) still
// count workflow failures and schedule-to-start latency per task queue.
const IMPACT =
  ': the SDK emits no metrics. The worker-side view stays dark (exhausted slots, activity and workflow task latency, ' +
  'non-determinism errors) and the SDK alerts from `generate alerts` cannot fire; the server-side failure and schedule-to-start metrics still work.';

// The project exports metrics of its own: it is watched, only not through the SDK's metrics.
function ownImpact(own: OwnMetrics): string {
  return (
    `: the SDK emits no metrics. The application exports metrics of its own (${own.library}, imported at ${own.file}:${own.line}), so it is not blind, ` +
    'but the SDK-side view is missing from them (exhausted slots, workflow task latency, non-determinism errors) and the SDK alerts from `generate alerts` cannot fire. ' +
    'A note: adding the SDK exporter to the same stack is a small step, and whether those views are needed is a choice.'
  );
}

export default defineCheck({
  id: 'worker-metrics-not-exported',
  area: 'observability',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'No Runtime.install exporting metrics (Prometheus or OpenTelemetry) reaches the worker entry point.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    // Workers that miss metrics for the same reason (the same install without an exporter, or no
    // install at all) share one finding: one fix, every worker a related location.
    const groups = new Map<string, { install: RuntimeInstallFacts | undefined; workers: WorkerDefinition[] }>();
    // A worker no running code creates (notRun) joins no group while others run: the finding is
    // about the workers that do.
    const running = model.workers.filter((worker) => !worker.notRun);
    for (const worker of running.length > 0 ? running : model.workers) {
      // A front-end that follows the worker's client itself (Python) gives the runtimes it found.
      const reach = worker.runtime ?? runtimeReach(model, worker);
      if (!reach.decided) {
        reportUndecided(ctx, model, worker, reach);
        continue;
      }
      const installs = reach.installs;
      if (installs.some(exportsMetrics)) continue;
      const unknown = installs.find((i) => i.metrics === 'unknown');
      if (unknown) {
        const label = workerLabel(worker, model);
        ctx.report({
          location: unknown.location,
          severity: 'info',
          message: unknown.unknownReason
            ? `Cannot tell whether ${lowerFirst(label)} exports metrics: ${unknown.unknownReason}.`
            : `Cannot tell whether this Runtime.install exports metrics for ${lowerFirst(label)}: its telemetry options are not statically resolvable.`,
          fix: 'Write telemetryOptions.metrics inline (prometheus or otel), or suppress this note with a reason.',
        });
        continue;
      }
      if (worker.ephemeral) {
        ctx.report({
          location: worker.location,
          severity: 'info',
          // The missing metrics are certain; whether anyone would watch a process that lives for one
          // run (a push exporter, a scrape of a long run) is a deployment choice the code does not show.
          message: `${workerLabel(worker, model)} runs without Runtime.install exporting metrics. ${ephemeralWorkerNote(
            worker,
            ctx.root,
            undefined,
            'It still emits no SDK metrics while a run lasts, however long: slot use, task latency and activity failures of the run show only in its logs. ' +
              'No long-running fleet is there to scrape, and whether anyone watches these runs is a deployment choice the code does not show, so this is a note.',
          )}`,
          fix: 'If these runs are long or costly and someone watches them, call Runtime.install({ telemetryOptions: { metrics: { otel: { url } } } }) before connecting: a push exporter suits a process that lives for one run.',
          data: { metrics: installs[0] ? 'none' : 'no-runtime-install', ephemeral: worker.ephemeral.how },
        });
        continue;
      }
      const install = installs[0];
      const key = install ? installKey(install) : 'none';
      const group = groups.get(key) ?? { install, workers: [] };
      group.workers.push(worker);
      groups.set(key, group);
    }
    const elsewhere = (model.runtimeInstalls as RuntimeInstallFacts[]).filter(exportsMetrics);
    const own = groups.size > 0 ? ownMetrics(model) : undefined;
    for (const { install, workers } of groups.values()) {
      const subject = workers.length === 1 ? lowerFirst(workerLabel(workers[0]!, model)) : describeWorkers(workers, model);
      ctx.report({
        location: install?.location ?? workers[0]!.location,
        ...(own ? { severity: 'info' as const } : {}),
        message:
          (install
            ? `This Runtime.install configures no metrics exporter, and it is the runtime of ${subject}`
            : `${upperFirst(subject)} ${workers.length === 1 ? 'runs' : 'run'} without Runtime.install exporting metrics${elsewhere.length ? ` (the installs that export them are not imported by ${workers.length === 1 ? 'its entry point' : 'their entry points'})` : ''}`) +
          (own ? ownImpact(own) : IMPACT),
        fix: FIX,
        related: [
          ...(install || workers.length > 1 ? workers.map((w) => ({ ...w.location, message: install ? 'a worker this runtime serves' : 'a worker without a metrics exporter' })) : []),
          ...elsewhere.map((i) => ({ ...i.location, message: `a Runtime.install with metrics that ${workers.length === 1 ? 'this worker does' : 'these workers do'} not import` })),
        ],
        data: { metrics: install ? 'none' : 'no-runtime-install', workers: workers.length, ...(own ? { ownMetrics: own } : {}) },
      });
    }
  },
});

/**
 * Several entry points reach the worker's module and they do not reach the same installs (two
 * apps of a monorepo sharing a module): which process runs the worker is not known statically, so
 * no install is named as its runtime. When one of those processes exports metrics the worker may
 * run there: no finding. When none does, the worker runs without metrics whichever it is: the
 * finding sits on the worker, with the candidate installs as related locations.
 */
function reportUndecided(ctx: CheckContext, model: TemporalModel, worker: WorkerDefinition, reach: RuntimeReach): void {
  const installs = reach.entries.flatMap((entry) => entry.installs);
  if (installs.some(exportsMetrics)) return;
  const candidates = [...new Map(installs.map((i) => [installKey(i), i])).values()];
  const label = workerLabel(worker, model);
  const entries = listNames(reach.entries.map((entry) => relativePath(ctx.root, entry.file)), 4);
  if (candidates.some((i) => i.metrics === 'unknown')) {
    ctx.report({
      location: worker.location,
      severity: 'info',
      message: `Cannot tell whether ${lowerFirst(label)} exports metrics: it is reachable from ${reach.entries.length} entry points (${entries}), which of them starts it is not statically known, and a Runtime.install among them has telemetry options that are not statically resolvable.`,
      fix: 'Write telemetryOptions.metrics inline (prometheus or otel), or suppress this note with a reason.',
      related: candidates.map((i) => ({ ...i.location, message: 'a Runtime.install in an entry point that reaches this worker' })),
    });
    return;
  }
  const own = ownMetrics(model);
  ctx.report({
    location: worker.location,
    ...(own ? { severity: 'info' as const } : {}),
    message:
      `${upperFirst(label)} runs without a metrics exporter whichever entry point starts it: ${reach.entries.length} entry points reach its module (${entries}), ` +
      `and none of them installs a runtime with metrics${candidates.length ? ` (${candidates.length === 1 ? 'the Runtime.install among them configures' : 'the Runtime.install calls among them configure'} no exporter)` : ''}` +
      (own ? ownImpact(own) : IMPACT),
    fix: FIX,
    related: candidates.map((i) => ({ ...i.location, message: 'a Runtime.install without metrics in an entry point that reaches this worker; the worker may run in another process' })),
    data: { metrics: candidates.length ? 'none' : 'no-runtime-install', workers: 1, entryPoints: reach.entries.length },
  });
}

/** "3 workers (task queues 'a', 'b' and 'c')", naming the queues that are known. */
function describeWorkers(workers: WorkerDefinition[], model: TemporalModel): string {
  const queues = [...new Set(workers.map((w) => workerTaskQueue(w, model)).filter((q): q is string => q !== undefined))].sort();
  return `${workers.length} workers${queues.length ? ` (task queue${queues.length === 1 ? '' : 's'} ${listNames(queues.map((q) => `'${q}'`))})` : ''}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
