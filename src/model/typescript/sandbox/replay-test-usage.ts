// Whether a file's text runs a replay of recorded histories (TEMPORAL-FACTS.md §9): a call to
// `Worker.runReplayHistory` / `Worker.runReplayHistories` (or those imported from
// @temporalio/worker), or this tool's `temporal-preflight replay` in a package script or CI job.
// A text scan, because test files are often outside every tsconfig, so the model never parsed them.

/** Where tests and CI jobs usually live, relative to the reviewed directory (node_modules is skipped by the caller). */
export const REPLAY_TEST_GLOBS: readonly string[] = [
  '**/*.{test,spec}.{ts,tsx,mts,cts,js,jsx,mjs,cjs}',
  '{test,tests,__tests__}/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}',
  '**/__tests__/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}',
  'package.json',
  '.github/workflows/*.{yml,yaml}',
  '.gitlab-ci.yml',
  '.circleci/config.yml',
];

const REPLAYER_CALL = /\brunReplayHistor(?:y|ies)\s*\(/;
const WORKER_PACKAGE = /['"]@temporalio\/worker['"]/;
const REPLAY_COMMAND = /\btemporal-preflight\s+replay\b/;

export function runsReplay(text: string): boolean {
  if (REPLAY_COMMAND.test(text)) return true;
  if (!REPLAYER_CALL.test(text)) return false;
  return WORKER_PACKAGE.test(text) || /\bWorker\s*\.\s*runReplayHistor/.test(text);
}
