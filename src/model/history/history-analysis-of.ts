// Checks receive the history analysis as `unknown` (CheckContext.histories); this narrows it.

import type { HistoryAnalysis } from './types.js';

export function historyAnalysisOf(value: unknown): HistoryAnalysis | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return 'executions' in value && 'report' in value ? (value as HistoryAnalysis) : undefined;
}
