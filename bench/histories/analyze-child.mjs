// Analyzes every history under a folder and prints peak RSS and time as JSON (run by run.mjs in a
// fresh process, so the benchmark's own memory does not count).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { analyzeHistories } = await import(path.join(here, '../../dist/model/history/index.js'));
const dir = process.argv[2];
const started = performance.now();
const analysis = analyzeHistories({ paths: [dir], root: dir });
process.stdout.write(JSON.stringify({
  maxRssKb: process.resourceUsage().maxRSS,
  seconds: (performance.now() - started) / 1000,
  parsed: analysis.report.parsed,
  failed: analysis.report.failed.length,
}));
