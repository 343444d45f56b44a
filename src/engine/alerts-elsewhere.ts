// Whether the project's alerting lives outside the reviewed directory. A missing alert rule is a
// real gap only when the alerts would be written here: a project that ships its rule files but
// none on a metric has the gap; a project whose workers export SDK metrics and that holds no
// alert rule at all sends those metrics to a monitoring stack kept elsewhere (another repository,
// a hosted Grafana), where preflight cannot see what fires. Teams can also say where they keep
// them with config `alerts.external`.

import type { PreflightConfig } from './config.js';
import type { AlertRuleFiles } from './alert-rule-files.js';
import { exportsMetrics, runtimeReach } from '../model/typescript/observability/runtime-reach.js';
import type { TemporalModel } from '../model/typescript/types.js';

export type AlertsElsewhere =
  /** config alerts.external names where the alerts live. */
  | { kind: 'declared'; where: string }
  /** Every long-running worker exports metrics and the project holds no alert rule. */
  | { kind: 'metrics-exported' };

export function alertsElsewhere(config: PreflightConfig, model: TemporalModel, rules: AlertRuleFiles): AlertsElsewhere | undefined {
  const declared = config.alerts.external?.trim();
  if (declared) return { kind: 'declared', where: declared };
  // Rule files in the project are where its alerts are written: what they lack is a gap.
  if (rules.alertFiles.length > 0) return undefined;
  const workers = model.workers.filter((worker) => !worker.ephemeral);
  if (workers.length === 0) return undefined;
  const exported = workers.every((worker) => {
    // A front-end that follows the worker's client itself (Python) gives the runtimes it found.
    const reach = worker.runtime ?? runtimeReach(model, worker);
    return reach.decided ? reach.installs.some(exportsMetrics) : reach.entries.some((entry) => entry.installs.some(exportsMetrics));
  });
  return exported ? { kind: 'metrics-exported' } : undefined;
}

/** The sentence that says why the finding is a note, and how to make it a warning again. */
export function alertsElsewhereNote(elsewhere: AlertsElsewhere): string {
  if (elsewhere.kind === 'declared') {
    return `The config says the alerts live elsewhere (alerts.external: "${elsewhere.where}"): check there that one covers this; preflight cannot read it.`;
  }
  return (
    'The workers export SDK metrics, yet the project holds no alert rule at all: the monitoring stack that receives them is kept outside this directory, ' +
    'where preflight cannot see what fires. Check it there; set alerts.ruleFiles to a copy of those rules (or alerts.external to say where they live) to make this check exact.'
  );
}
