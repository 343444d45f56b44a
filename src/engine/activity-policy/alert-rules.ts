// Finds a Prometheus alerting rule on a metric in the project's rule files (config.alerts.ruleFiles):
// plain rule files (`groups: [{ rules: [{ alert, expr }] }]`) and PrometheusRule resources
// (`spec.groups`), several YAML documents a file.

import { parseAllDocuments } from 'yaml';

export interface ProjectFiles {
  globProjectFiles(patterns: string[]): string[];
  readProjectFile(relativeOrAbsolute: string): string | undefined;
}

export interface AlertRuleMatch {
  /** Relative to the reviewed directory. */
  file: string;
  alert: string;
}

/** The first alert (by file, then order in the file) whose expression reads `metric`. */
export function findAlertOnMetric(files: ProjectFiles, patterns: string[], metric: string): AlertRuleMatch | undefined {
  for (const file of files.globProjectFiles(patterns)) {
    const text = files.readProjectFile(file);
    if (!text || !text.includes(metric)) continue;
    for (const document of parseAllDocuments(text)) {
      if (!('errors' in document) || document.errors.length > 0) continue;
      const alert = findAlert(document.toJS(), metric);
      if (alert) return { file, alert };
    }
  }
  return undefined;
}

function findAlert(node: unknown, metric: string): string | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findAlert(item, metric);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const record = node as Record<string, unknown>;
  if (typeof record.alert === 'string' && typeof record.expr === 'string' && record.expr.includes(metric)) return record.alert;
  for (const value of Object.values(record)) {
    const found = findAlert(value, metric);
    if (found) return found;
  }
  return undefined;
}
