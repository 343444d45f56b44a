// History analysis benchmark: throughput against bare JSON.parse of the same bytes and against
// the SDK's historyFromJSON, and peak RSS of analyzing the whole generated set in a child process.
//
//   npm run build && node bench/histories/run.mjs [--size 1GB] [--sample 64MB] [--dir <reuse>] [--keep]
//   quick run: node bench/histories/run.mjs --size 64MB --sample 32MB

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { generateHistories, parseSizeArg } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { analyzeHistories } = await import(path.join(here, '../../dist/model/history/index.js'));
const { historyFromJSON } = createRequire(import.meta.url)('@temporalio/common/lib/proto-utils');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const totalBytes = parseSizeArg(arg('--size', '1GB'));
const sampleBytes = parseSizeArg(arg('--sample', '64MB'));
const reuse = arg('--dir', undefined);
const dir = reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-bench-histories-'));

if (!reuse || !fs.existsSync(path.join(dir, '000'))) {
  const started = performance.now();
  const generated = generateHistories(dir, { totalBytes, seed: 1 });
  console.log(`generated ${generated.files} histories, ${(generated.bytes / 1e6).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const allFiles = listFiles(dir);
const allBytes = allFiles.reduce((sum, f) => sum + fs.statSync(f).size, 0);
const sample = [];
let sampled = 0;
for (const file of allFiles) {
  if (sampled >= sampleBytes) break;
  sample.push(file);
  sampled += fs.statSync(file).size;
}

/** Best of `runs` CPU times (user + system) of fn over the sample, as MB/s of file bytes. */
function throughput(label, files, bytes, fn, runs = 3) {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    fn(files);
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1e6);
  }
  const mbps = bytes / 1e6 / best;
  console.log(`${label.padEnd(42)} ${mbps.toFixed(0).padStart(6)} MB/s  (${(bytes / 1e6).toFixed(0)} MB, best of ${runs}: ${best.toFixed(2)} s CPU)`);
  return mbps;
}

const jsonParse = throughput('JSON.parse(readFileSync(file, "utf8"))', sample, sampled, (files) => {
  for (const file of files) JSON.parse(fs.readFileSync(file, 'utf8'));
});
const analysis = throughput('analyzeHistories (temporal-preflight)', sample, sampled, (files) => {
  analyzeHistories({ paths: files, root: dir });
});
// historyFromJSON is far slower: measure it on a quarter of the sample
const sdkFiles = sample.slice(0, Math.max(1, Math.floor(sample.length / 4)));
const sdkBytes = sdkFiles.reduce((sum, f) => sum + fs.statSync(f).size, 0);
const sdk = throughput('JSON.parse + historyFromJSON (@temporalio/common)', sdkFiles, sdkBytes, (files) => {
  for (const file of files) historyFromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
}, 1);

console.log(`analysis / JSON.parse: ${(analysis / jsonParse * 100).toFixed(0)}%   analysis / historyFromJSON: ${(analysis / sdk).toFixed(1)}x`);

// peak RSS of the whole set, in a fresh process so this one's memory does not count
const child = execFileSync(process.execPath, [path.join(here, 'analyze-child.mjs'), dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
const { maxRssKb, seconds, parsed, failed } = JSON.parse(child);
console.log(`whole set: ${allFiles.length} files, ${(allBytes / 1e6).toFixed(0)} MB, ${parsed} analyzed, ${failed} failed, ${seconds.toFixed(1)} s wall, peak RSS ${(maxRssKb / 1024).toFixed(0)} MB`);
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

if (!reuse && !process.argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
else console.log(`histories kept in ${dir}`);

function listFiles(root) {
  const out = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out;
}
