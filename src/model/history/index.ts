// The history model: streaming parser for every history dialect, normalized event facts, and the
// per-workflow-type analysis that history checks and the `histories` command use.

export { analyzeHistories, type AnalyzeHistoriesOptions } from './analyze-histories.js';
export { collectHistoryFiles, historyLabel } from './collect-history-files.js';
export { readHistoryFile, type ReadHistoryOptions, type ReadHistoryResult } from './read-history-file.js';
export { originLabel } from './origin-label.js';
export type * from './types.js';
export { historyAnalysisOf } from './history-analysis-of.js';
export { executionsPhrase, formatBytesLike } from './describe-executions.js';
