// The history model: parsers for every history dialect (whole-file and streaming), normalized
// event facts, and the per-workflow-type analysis that history checks and `histories` use.

export { analyzeHistories, type AnalyzeHistoriesOptions } from './analyze-histories.js';
export { collectHistoryFiles, historyLabel } from './collect-history-files.js';
export { readHistoryFile, type ReadHistoryOptions, type ReadHistoryResult } from './read-history-file.js';
export { originLabel } from './origin-label.js';
export type * from './types.js';
export { historyAnalysisOf } from './history-analysis-of.js';
export { executionsPhrase, formatBytesLike } from './describe-executions.js';
