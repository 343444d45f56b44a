// Which workflow types the project's Prometheus alert rules cover for workflow failures: a rule
// whose expression reads `temporal_workflow_failed` (with or without the `_total` suffix) covers
// the types its `workflow_type` matchers admit; without a workflow_type matcher (per-series or a
// `by (workflow_type)` aggregation) it covers every type. Reads plain rule files and
// PrometheusRule resources (`spec.groups`), found by name or by content (alert-rule-files.ts).

import { scanAlertRuleFiles, TEMPLATE_PLACEHOLDER, type AlertRuleFiles, type ProjectFiles } from '../engine/alert-rule-files.js';
import { SDK_METRICS } from './metric-names.js';

export type { ProjectFiles };

export interface FailureAlert {
  /** Relative to the project. */
  file: string;
  alert: string;
  /** Whether the rule fires for a workflow type. */
  covers(workflowType: string): boolean;
}

export interface FailureAlertScan {
  /** Every file read as a rule file (config matches and files found by content). */
  ruleFiles: string[];
  /** The rule files that hold at least one alerting rule. */
  alertFiles: string[];
  /** How many alerting rules they hold. */
  alertCount: number;
  alerts: FailureAlert[];
  unreadable: { file: string; message: string }[];
}

const FAILED = SDK_METRICS.workflowFailed.name;
const SELECTOR = new RegExp(`\\b${FAILED}(?:_total)?\\b(\\s*\\{([^}]*)\\})?`, 'g');
// A value that is a Helm template action (see alert-rule-files.ts) admits no type we can name.
const MATCHER = new RegExp(`(\\w+)\\s*(=~|!~|!=|=)\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|'((?:[^'\\\\]|\\\\.)*)'|\`([^\`]*)\`|(${TEMPLATE_PLACEHOLDER}))`, 'g');

export function scanFailureAlerts(files: ProjectFiles, patterns: string[]): FailureAlertScan {
  return failureAlerts(scanAlertRuleFiles(files, patterns));
}

/** The alerts on workflow failures among rule files already read. */
export function failureAlerts(rules: AlertRuleFiles): FailureAlertScan {
  const scan: FailureAlertScan = { ruleFiles: rules.files, alertFiles: rules.alertFiles, alertCount: rules.rules.length, alerts: [], unreadable: rules.unreadable };
  for (const rule of rules.rules) {
    const covers = coverageOf(rule.expr);
    if (covers) scan.alerts.push({ file: rule.file, alert: rule.alert, covers });
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
      .map((m) => (m[6] !== undefined ? () => false : condition(m[2]!, unescape(m[3] ?? m[4] ?? m[5] ?? ''))));
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
