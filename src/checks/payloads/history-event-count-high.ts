// Prevents workflows terminated by the history event limit: at 51,200 events the server
// terminates the workflow, and long before that every replay gets slower.

import { defineCheck } from '../define-check.js';
import { executionsPhrase, historyAnalysisOf } from '../../model/history/index.js';
import { compareText } from '../../model/history/compare-text.js';

// TEMPORAL-FACTS.md section 5: continue-as-new suggested at 4,096 events, warning at 10,240, limit 51,200
const TIERS = [
  { events: 51_200, severity: 'error', phrase: 'at the 51,200-event history limit, where the server terminates the workflow' },
  { events: 10_240, severity: 'warning', phrase: 'over 10,240 events, where the server starts warning (it terminates workflows at 51,200)' },
  { events: 4_096, severity: 'info', phrase: 'over 4,096 events, where Temporal suggests continue-as-new (the server terminates workflows at 51,200)' },
] as const;

export default defineCheck({
  id: 'history-event-count-high',
  area: 'payloads',
  severity: 'warning',
  evidence: 'history',
  needs: 'histories',
  description: 'History event counts near the 10,240 warning and 51,200 limit',
  run(ctx) {
    const analysis = historyAnalysisOf(ctx.histories);
    if (!analysis) return;
    for (const type of analysis.report.workflowTypes) {
      const executions = analysis.executions.filter((e) => e.workflowType === type.workflowType);
      const tier = TIERS.find((t) => executions.some((e) => e.events >= t.events));
      if (!tier) continue;
      const affected = executions.filter((e) => e.events >= tier.events).sort((a, b) => b.events - a.events || compareText(a.file, b.file));
      const largest = affected[0]!;
      ctx.report({
        ...(affected.length === 1 ? { file: largest.file } : {}),
        severity: tier.severity,
        message:
          `${executionsPhrase(affected.length, executions.length, type.workflowType)} ${affected.length === 1 ? 'is' : 'are'} ${tier.phrase} ` +
          `(p50 ${type.events.p50.toLocaleString('en-US')}, max ${largest.events.toLocaleString('en-US')} events in ${largest.file}). ` +
          'Every replay and worker cache miss re-runs the whole history.',
        fix:
          'Continue-as-new when workflowInfo().continueAsNewSuggested is true (or after a fixed number of iterations), ' +
          'and batch work into fewer activities or child workflows so each run stays short.',
        data: {
          workflowType: type.workflowType,
          executions: executions.length,
          affected: affected.length,
          thresholdEvents: tier.events,
          maxEvents: largest.events,
          largestFile: largest.file,
        },
      });
    }
  },
});
