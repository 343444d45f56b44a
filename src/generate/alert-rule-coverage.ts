// Which workflow types the project's Prometheus alert rules cover for workflow failures: a rule
// whose expression reads `temporal_workflow_failed` (with or without the `_total` suffix) covers
// the types its `workflow_type` matchers admit; without a workflow_type matcher (per-series or a
// `by (workflow_type)` aggregation) it covers every type. Reads plain rule files and
// PrometheusRule resources (`spec.groups`), several YAML documents a file.

import { parseAllDocuments } from 'yaml';
import { SDK_METRICS } from './metric-names.js';

export interface ProjectFiles {
  globProjectFiles(patterns: string[]): string[];
  readProjectFile(relativeOrAbsolute: string): string | undefined;
}

export interface FailureAlert {
  /** Relative to the project. */
  file: string;
  alert: string;
  /** Whether the rule fires for a workflow type. */
  covers(workflowType: string): boolean;
}

export interface FailureAlertScan {
  ruleFiles: string[];
  alerts: FailureAlert[];
  unreadable: { file: string; message: string }[];
}

const FAILED = SDK_METRICS.workflowFailed.name;
const SELECTOR = new RegExp(`\\b${FAILED}(?:_total)?\\b(\\s*\\{([^}]*)\\})?`, 'g');
const MATCHER = /(\w+)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`]*)`)/g;

export function scanFailureAlerts(files: ProjectFiles, patterns: string[]): FailureAlertScan {
  const scan: FailureAlertScan = { ruleFiles: files.globProjectFiles(patterns), alerts: [], unreadable: [] };
  for (const file of scan.ruleFiles) {
    const text = files.readProjectFile(file);
    if (text === undefined) {
      scan.unreadable.push({ file, message: 'cannot be read' });
      continue;
    }
    for (const document of parseAllDocuments(text)) {
      if (!('errors' in document)) continue;
      if (document.errors.length > 0) {
        scan.unreadable.push({ file, message: `is not valid YAML (${document.errors[0]!.message.split('\n')[0]!.replace(/:+$/, '')})` });
        continue;
      }
      for (const rule of alertRules(document.toJS())) {
        const covers = coverageOf(rule.expr);
        if (covers) scan.alerts.push({ file, alert: rule.alert, covers });
      }
    }
  }
  return scan;
}

/** The predicate over workflow types for an expression, or undefined when it does not read the metric. */
export function coverageOf(expr: string): ((workflowType: string) => boolean) | undefined {
  const selectors = [...expr.matchAll(SELECTOR)];
  if (selectors.length === 0) return undefined;
  const predicates = selectors.map((selector) => {
    const conditions = [...(selector[2] ?? '').matchAll(MATCHER)]
      .filter((m) => m[1] === 'workflow_type')
      .map((m) => condition(m[2]!, unescape(m[3] ?? m[4] ?? m[5] ?? '')));
    return (type: string) => conditions.every((test) => test(type));
  });
  // An expression with several selectors (failed / (failed + completed)) fires for what any admits.
  return (type) => predicates.some((admits) => admits(type));
}

function condition(op: string, value: string): (type: string) => boolean {
  switch (op) {
    case '=':
      return (type) => type === value;
    case '!=':
      return (type) => type !== value;
    default: {
      let regex: RegExp;
      try {
        regex = new RegExp(`^(?:${value})$`);
      } catch {
        return () => false;
      }
      return op === '=~' ? (type) => regex.test(type) : (type) => !regex.test(type);
    }
  }
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

function alertRules(node: unknown): { alert: string; expr: string }[] {
  if (Array.isArray(node)) return node.flatMap(alertRules);
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  if (typeof record.alert === 'string' && (typeof record.expr === 'string' || typeof record.expr === 'number')) {
    return [{ alert: record.alert, expr: String(record.expr) }];
  }
  return Object.values(record).flatMap(alertRules);
}
