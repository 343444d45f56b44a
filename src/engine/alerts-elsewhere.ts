// Whether the project's alerting lives outside the reviewed directory. A missing alert rule is a
// real gap only when the alerts would be written here: a project that ships its rule files but
// none on a metric has the gap; a project whose workers export SDK metrics and that holds no
// alert rule at all sends those metrics to a monitoring stack kept elsewhere (another repository,
// a hosted Grafana), where preflight cannot see what fires; so does a project that exports metrics
// of its own (a Prometheus client, an OpenTelemetry meter) and holds no rule. Teams can also say
// where they keep them with config `alerts.external`.

import path from 'node:path';
import type { PreflightConfig } from './config.js';
import type { AlertRuleFiles } from './alert-rule-files.js';
import { exportsMetrics, runtimeReach } from '../model/typescript/observability/runtime-reach.js';
import type { TemporalModel } from '../model/typescript/types.js';
import { ownMetrics } from './own-metrics.js';

export type AlertsElsewhere =
  /** config alerts.external names where the alerts live. */
  | { kind: 'declared'; where: string }
  /** Every long-running worker exports metrics and the project holds no alert rule. */
  | { kind: 'metrics-exported' }
  /** A workflow interceptor of the project reports failures itself (a Slack message, a page). */
  | { kind: 'interceptor'; file: string; line: number }
  /** The application exports metrics of its own (prom-client, OpenTelemetry) and holds no alert rule. */
  | { kind: 'own-metrics'; library: string; file: string; line: number };

/**
 * `failures`: the question is about workflow failures, which a workflow interceptor of the project
 * may report itself (not about schedule-to-start latency, which only a metric shows).
 */
export function alertsElsewhere(config: PreflightConfig, model: TemporalModel, rules: AlertRuleFiles, options: { failures?: boolean } = {}): AlertsElsewhere | undefined {
  const declared = config.alerts.external?.trim();
  if (declared) return { kind: 'declared', where: declared };
  // Rule files in the project are where its alerts are written: what they lack is a gap.
  if (rules.alertFiles.length > 0) return undefined;
  const interceptor = options.failures ? failureReportingInterceptor(model) : undefined;
  if (interceptor) return interceptor;
  const workers = model.workers.filter((worker) => !worker.ephemeral);
  if (workers.length === 0) return undefined;
  const exported = workers.every((worker) => {
    // A front-end that follows the worker's client itself (Python) gives the runtimes it found.
    const reach = worker.runtime ?? runtimeReach(model, worker);
    return reach.decided ? reach.installs.some(exportsMetrics) : reach.entries.some((entry) => entry.installs.some(exportsMetrics));
  });
  if (exported) return { kind: 'metrics-exported' };
  const own = ownMetrics(model);
  return own ? { kind: 'own-metrics', ...own } : undefined;
}

/** Words of a call that tells people about a failure. */
const NOTIFIES = /\b\w*(slack|pagerduty|opsgenie|alert|notify|captureException|sentry)\w*\s*\(/i;

/**
 * A workflow inbound interceptor (a class with `execute(input, next)`) in the reviewed code whose
 * file calls something that notifies people (`slackNotify(...)`, `captureException(...)`,
 * `sendAlert(...)`): failures are reported by the workers themselves, not by a metric alert.
 */
function failureReportingInterceptor(model: TemporalModel): AlertsElsewhere | undefined {
  // The Python front-end reads no TypeScript source: its interceptors are not looked at (yet).
  if (model.language === 'python') return undefined;
  for (const file of model.files) {
    const text = model.sourceFile(file)?.text;
    if (!text || !text.includes('WorkflowInboundCallsInterceptor')) continue;
    const execute = text.search(/\basync\s+execute\s*\(|\bexecute\s*\(\s*input/);
    const notify = text.search(NOTIFIES);
    if (execute < 0 || notify < 0) continue;
    const line = text.slice(0, execute).split('\n').length;
    return { kind: 'interceptor', file: path.relative(model.root, file), line };
  }
  return undefined;
}

/** The sentence that says why the finding is a note, and how to make it a warning again. */
export function alertsElsewhereNote(elsewhere: AlertsElsewhere): string {
  if (elsewhere.kind === 'interceptor') {
    return `The workflow interceptor at ${elsewhere.file}:${elsewhere.line} reports failures itself (it calls a notifier), so failures may reach people without a metric alert; check that it covers these types and that a failed notification is noticed.`;
  }
  if (elsewhere.kind === 'own-metrics') {
    return (
      `The application exports metrics of its own (${elsewhere.library}, imported at ${elsewhere.file}:${elsewhere.line}) and the project holds no alert rule at all: ` +
      'its monitoring stack, and any alert, is kept outside this directory, where preflight cannot see what fires. Check it there; set alerts.ruleFiles to a copy of those rules (or alerts.external to say where they live) to make this check exact.'
    );
  }
  if (elsewhere.kind === 'declared') {
    return `The config says the alerts live elsewhere (alerts.external: "${elsewhere.where}"): check there that one covers this; preflight cannot read it.`;
  }
  return (
    'The workers export SDK metrics, yet the project holds no alert rule at all: the monitoring stack that receives them is kept outside this directory, ' +
    'where preflight cannot see what fires. Check it there; set alerts.ruleFiles to a copy of those rules (or alerts.external to say where they live) to make this check exact.'
  );
}
