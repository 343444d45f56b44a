// Prevents running blind in production: without Runtime.install and a metrics exporter the SDK
// emits no metrics, so failure spikes, saturated slots and non-determinism go unseen.

import { defineCheck } from '../define-check.js';
import { installsReaching } from '../../model/typescript/observability/runtime-reach.js';
import { workerLabel } from '../../model/typescript/observability/worker-options.js';

const FIX =
  "Call Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: '0.0.0.0:9464' } } } }) (or metrics: { otel: { url } }) " +
  'once, before any connection or Worker.create, in the worker entry point; then scrape /metrics and load the rules from `temporal-preflight generate alerts`.';

export default defineCheck({
  id: 'worker-metrics-not-exported',
  area: 'observability',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'No Runtime.install exporting metrics (Prometheus or OpenTelemetry) reaches the worker entry point.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const worker of model.workers) {
      const installs = installsReaching(model, worker);
      const label = workerLabel(worker, model);
      if (installs.some((i) => i.metrics === 'prometheus' || i.metrics === 'otel')) continue;
      const unknown = installs.find((i) => i.metrics === 'unknown');
      if (unknown) {
        ctx.report({
          location: unknown.location,
          severity: 'info',
          message: `Cannot tell whether this Runtime.install exports metrics for ${label.charAt(0).toLowerCase()}${label.slice(1)}: its telemetry options are not statically resolvable.`,
          fix: 'Write telemetryOptions.metrics inline (prometheus or otel), or suppress this note with a reason.',
        });
        continue;
      }
      const withoutMetrics = installs[0];
      const elsewhere = model.runtimeInstalls.filter((i) => i.metrics === 'prometheus' || i.metrics === 'otel');
      ctx.report({
        location: withoutMetrics?.location ?? worker.location,
        message:
          (withoutMetrics
            ? `This Runtime.install configures no metrics exporter, and it is the runtime of ${label.charAt(0).toLowerCase()}${label.slice(1)}`
            : `${label} runs without Runtime.install exporting metrics${elsewhere.length ? ' (the installs that export them are not imported by its entry point)' : ''}`) +
          ': the SDK emits no metrics. Workflow failure rates, non-determinism errors, exhausted slots and schedule-to-start latency stay invisible, and no alert can fire.',
        fix: FIX,
        related: [
          ...(withoutMetrics ? [{ ...worker.location, message: 'the worker this runtime serves' }] : []),
          ...elsewhere.map((i) => ({ ...i.location, message: 'a Runtime.install with metrics that this worker does not import' })),
        ],
        data: { metrics: withoutMetrics ? 'none' : 'no-runtime-install' },
      });
    }
  },
});
