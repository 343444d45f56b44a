// Whether a file's text calls the SDK's replayer (TEMPORAL-FACTS.md §9): `Worker.runReplayHistory`
// / `Worker.runReplayHistories`, or those functions imported from @temporalio/worker. A text scan,
// because test files are often outside every tsconfig, so the model never parsed them.

/** Where tests usually live, relative to the reviewed directory (node_modules is skipped by the caller). */
export const TEST_FILE_GLOBS: readonly string[] = [
  '**/*.{test,spec}.{ts,tsx,mts,cts,js,jsx,mjs,cjs}',
  '{test,tests,__tests__}/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}',
  '**/__tests__/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}',
];

const REPLAYER_CALL = /\brunReplayHistor(?:y|ies)\s*\(/;
const WORKER_PACKAGE = /['"]@temporalio\/worker['"]/;

export function callsReplayer(text: string): boolean {
  if (!REPLAYER_CALL.test(text)) return false;
  return WORKER_PACKAGE.test(text) || /\bWorker\s*\.\s*runReplayHistor/.test(text);
}
