// Prevents workflows whose histories outgrow their budget or the server limits: slow replays,
// storage that grows with retention, and at 50 MiB a workflow the server terminates.

import { defineCheck } from '../define-check.js';
import { formatSize, parseSize } from '../../engine/duration.js';
import { executionsPhrase, formatBytesLike, historyAnalysisOf, type WorkflowTypeReport } from '../../model/history/index.js';
import { compareText } from '../../model/history/compare-text.js';


const MiB = 1024 * 1024;

// TEMPORAL-FACTS.md section 5: continue-as-new suggested at 4 MiB, warning at 10 MiB, limit 50 MiB
const TIERS = [
  { bytes: 50 * MiB, severity: 'error', phrase: 'at the 50 MiB history limit, where the server terminates the workflow' },
  { bytes: 10 * MiB, severity: 'warning', phrase: 'over 10 MiB, where the server starts warning (it terminates workflows at 50 MiB)' },
  { bytes: 4 * MiB, severity: 'warning', phrase: 'over 4 MiB, where Temporal suggests continue-as-new (the server terminates workflows at 50 MiB)' },
] as const;

export default defineCheck({
  id: 'history-size-over-budget',
  area: 'payloads',
  severity: 'warning',
  evidence: 'history',
  needs: 'histories',
  description: 'History size per workflow type over the budget (50 KB by default) or near the server limits',
  run(ctx) {
    const analysis = historyAnalysisOf(ctx.histories);
    if (!analysis) return;
    const budget = parseSize(ctx.config.histories.budget) ?? 50_000;
    for (const type of analysis.report.workflowTypes) {
      const executions = analysis.executions.filter((e) => e.workflowType === type.workflowType);
      const tier = TIERS.find((t) => executions.some((e) => e.sizeBytes >= t.bytes));
      const threshold = tier?.bytes ?? budget;
      const affected = executions
        .filter((e) => (tier ? e.sizeBytes >= threshold : e.sizeBytes > threshold))
        .sort((a, b) => b.sizeBytes - a.sizeBytes || compareText(a.file, b.file));
      if (affected.length === 0) continue;
      const largest = affected[0]!;
      const subject = executionsPhrase(affected.length, executions.length, type.workflowType);
      const phrase = tier?.phrase ?? `over the history budget of ${formatBytesLike(budget, String(ctx.config.histories.budget))} per execution`;
      ctx.report({
        ...(affected.length === 1 ? { file: largest.file } : {}),
        ...(tier ? { severity: tier.severity } : {}),
        message:
          `${subject} ${affected.length === 1 ? 'is' : 'are'} ${phrase} ` +
          `(p50 ${formatSize(type.historyBytes.p50)}, p95 ${formatSize(type.historyBytes.p95)}, max ${formatSize(largest.sizeBytes)} in ${largest.file})` +
          `${mainSource(type)}. History is kept for the whole retention period, and every replay and worker cache miss loads all of it.`,
        fix:
          'Keep identifiers and summaries in the workflow and the data in your system of record (pass an order id, not the order lines); ' +
          'continue-as-new long-running workflows when workflowInfo().continueAsNewSuggested is true. ' +
          'If this size is intended, raise histories.budget in preflight.config.',
        data: {
          workflowType: type.workflowType,
          executions: executions.length,
          affected: affected.length,
          thresholdBytes: threshold,
          budgetBytes: budget,
          historyBytes: type.historyBytes,
          largestFile: largest.file,
        },
      });
    }
  },
});

/** "; most payload bytes come from activity fetchOrders result (1.2 MiB in 40 payloads)" */
function mainSource(type: WorkflowTypeReport): string {
  const top = type.payloadOrigins[0];
  if (!top || top.totalBytes < type.historyBytes.mean * type.executions * 0.2) return '';
  return `; most payload bytes come from ${top.label} (${formatSize(top.totalBytes)} in ${top.count} payload${top.count === 1 ? '' : 's'})`;
}
