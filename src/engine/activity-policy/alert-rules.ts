// Finds a Prometheus alerting rule on a metric among the project's rule files (see
// alert-rule-files.ts: config.alerts.ruleFiles and YAML files found by content).

import { scanAlertRuleFiles, type AlertRuleFiles, type ProjectFiles } from '../alert-rule-files.js';

export type { ProjectFiles };

export interface AlertRuleMatch {
  /** Relative to the reviewed directory. */
  file: string;
  alert: string;
}

/** The first alert (by file, then order in the file) whose expression reads `metric`. */
export function findAlertOnMetric(files: ProjectFiles, patterns: string[], metric: string): AlertRuleMatch | undefined {
  return alertOnMetric(scanAlertRuleFiles(files, patterns), metric);
}

/** The same, over rule files already scanned. */
export function alertOnMetric(scan: AlertRuleFiles, metric: string): AlertRuleMatch | undefined {
  const reads = new RegExp(`\\b${metric}`);
  const rule = scan.rules.find((r) => reads.test(r.expr));
  return rule ? { file: rule.file, alert: rule.alert } : undefined;
}
