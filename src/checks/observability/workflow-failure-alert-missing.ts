// Prevents a failure spike nobody hears about: without an alert on temporal_workflow_failed for a
// workflow type, a 10% failure rate becomes thousands of failed executions before anyone looks.

import path from 'node:path';
import { defineCheck } from '../define-check.js';
import { scanFailureAlerts } from '../../generate/alert-rule-coverage.js';
import { SDK_METRICS } from '../../generate/metric-names.js';

export default defineCheck({
  id: 'workflow-failure-alert-missing',
  area: 'observability',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'No Prometheus alert rule on workflow failures covers a workflow type (rule files from config alerts.ruleFiles).',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.workflows.length === 0) return;
    const patterns = ctx.config.alerts.ruleFiles;
    const scan = scanFailureAlerts(ctx, patterns);
    for (const problem of scan.unreadable) {
      ctx.report({
        location: { file: path.resolve(ctx.root, problem.file), line: 1, column: 1 },
        severity: 'info',
        message: `Rule file ${problem.file} ${problem.message}: its alerts were not considered.`,
        fix: 'Fix the file (promtool check rules validates it).',
      });
    }
    const where = scan.ruleFiles.length
      ? `the rule files (${scan.ruleFiles.join(', ')})`
      : `no rule file matches alerts.ruleFiles (${patterns.join(', ')})`;
    for (const workflow of [...model.workflows].sort((a, b) => a.name.localeCompare(b.name))) {
      if (scan.alerts.some((alert) => alert.covers(workflow.name))) continue;
      ctx.report({
        location: workflow.location,
        message:
          `No alert fires when ${workflow.name} workflows fail: ${scan.ruleFiles.length ? `no rule in ${where} reads ${SDK_METRICS.workflowFailed.name} for this type` : where}. ` +
          'Failed executions only show up when someone opens the Web UI; a bad deploy or a broken dependency fails executions for hours first.',
        fix:
          `Add an alert on ${SDK_METRICS.workflowFailed.name}{workflow_type="${workflow.name}"} (a failure ratio over 10 minutes, for 5 minutes): ` +
          '`temporal-preflight generate alerts -o prometheus/temporal.rules.yml` writes one per workflow type; or point alerts.ruleFiles at your rule files.',
        data: { workflowType: workflow.name, ruleFiles: scan.ruleFiles },
      });
    }
  },
});
