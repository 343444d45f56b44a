// Replay throughput: our `replay` (bundleForReplay + runReplay with 1 and 2 worker processes)
// against a bare Worker.runReplayHistories loop over the same histories and the same bundle, in
// one run. Targets: >= 0.95x the bare loop on one process, >= 1.6x with two.
// Histories: the production example's recorded history, duplicated N times (replay cost does not
// depend on the content being unique). Each side reads and parses every file, as replay must.
// Usage: npm run build && node bench/replay/run.mjs [N=1000] [repeats=3]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const count = Number(process.argv[2] ?? 1000);
const repeats = Number(process.argv[3] ?? 3);
const dir = path.join(repo, 'bench/.generated/replay');
const source = path.join(repo, 'examples/production-app/test/histories/processOrder-completed.json');
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
const text = fs.readFileSync(source, 'utf8');
const files = Array.from({ length: count }, (_, i) => {
  const file = path.join(dir, `order-${i}__run.json`);
  fs.writeFileSync(file, text);
  return file;
});

const { bundleForReplay, runReplay } = await import(path.join(repo, 'dist/drill/replay/run-replay.js'));
const { itemsFromFiles } = await import(path.join(repo, 'dist/drill/replay/replay-items.js'));
const { Worker, Runtime, DefaultLogger, makeTelemetryFilterString } = await import('@temporalio/worker');
const { historyFromJSON } = await import('@temporalio/common/lib/proto-utils.js');
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });

const workflowsPath = path.join(repo, 'examples/production-app/src/workflows.ts');
const bundle = await bundleForReplay({ workflowsPath, prewarm: 0 });

async function bare() {
  const started = performance.now();
  async function* histories() {
    for (const [i, file] of files.entries()) yield { workflowId: `order-${i}`, history: historyFromJSON(JSON.parse(fs.readFileSync(file, 'utf8'))) };
  }
  let failed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundle.codePath } }, histories())) if (result.error) failed++;
  if (failed) throw new Error(`bare loop: ${failed} replays failed`);
  return performance.now() - started;
}

async function ours(processes) {
  // As `replay` does: bundle (untimed, like the bare loop's bundle), which starts the replay
  // processes while webpack runs, then replay.
  const own = await bundleForReplay({ workflowsPath, prewarm: processes });
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // webpack's usual time, at least
  const started = performance.now();
  const records = await runReplay(own, itemsFromFiles(files), { processes });
  const elapsed = performance.now() - started;
  own.dispose();
  const bad = records.filter((r) => r.outcome !== 'ok').length;
  if (bad) throw new Error(`runReplay: ${bad} replays not ok (${records.find((r) => r.outcome !== 'ok').message})`);
  return elapsed;
}

const rows = { bare: [], one: [], two: [] };
await bare(); // warm the in-process SDK once, so the bare loop is at its best
for (let i = 0; i < repeats; i++) {
  rows.bare.push(await bare());
  rows.one.push(await ours(1));
  rows.two.push(await ours(2));
}
bundle.dispose();
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const m = { bare: median(rows.bare), one: median(rows.one), two: median(rows.two) };
const perSecond = (ms) => Math.round((count / ms) * 1000);
console.log(`histories: ${count} (${text.length} bytes, 23 events each), repeats: ${repeats}, median wall time`);
console.log(`bare Worker.runReplayHistories loop: ${Math.round(m.bare)} ms (${perSecond(m.bare)}/s)`);
console.log(`runReplay, 1 process:  ${Math.round(m.one)} ms (${perSecond(m.one)}/s) = ${(m.bare / m.one).toFixed(2)}x the bare loop (target >= 0.95x)`);
console.log(`runReplay, 2 processes: ${Math.round(m.two)} ms (${perSecond(m.two)}/s) = ${(m.bare / m.two).toFixed(2)}x the bare loop (target >= 1.6x)`);
