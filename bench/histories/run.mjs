// History analysis benchmark: throughput against bare JSON.parse of the same bytes and against
// the SDK's historyFromJSON, and peak RSS of analyzing the whole generated set in a child process.
//
//   npm run build && node bench/histories/run.mjs [--size 1GB] [--sample 64MB] [--rounds 5] [--dir <reuse>] [--keep]
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

/** CPU seconds (user + system) of one call. */
function cpuSeconds(fn) {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

// historyFromJSON is far slower: measure it on a quarter of the sample
const sdkFiles = sample.slice(0, Math.max(1, Math.floor(sample.length / 4)));
const sdkBytes = sdkFiles.reduce((sum, f) => sum + fs.statSync(f).size, 0);
const contenders = [
  { label: 'JSON.parse(readFileSync(file, "utf8"))', files: sample, bytes: sampled, run: (files) => { for (const file of files) JSON.parse(fs.readFileSync(file, 'utf8')); } },
  { label: 'analyzeHistories (temporal-preflight)', files: sample, bytes: sampled, run: (files) => analyzeHistories({ paths: files, root: dir }) },
  { label: 'JSON.parse + historyFromJSON (@temporalio/common)', files: sdkFiles, bytes: sdkBytes, run: (files) => { for (const file of files) historyFromJSON(JSON.parse(fs.readFileSync(file, 'utf8'))); } },
];
// Interleaved rounds, best of each: on a shared machine one slow round says little.
const rounds = Number(arg('--rounds', '5'));
const best = contenders.map(() => Infinity);
for (let round = 0; round < rounds; round++) {
  contenders.forEach((c, i) => {
    best[i] = Math.min(best[i], cpuSeconds(() => c.run(c.files)));
  });
}
const mbps = contenders.map((c, i) => c.bytes / 1e6 / best[i]);
contenders.forEach((c, i) => console.log(`${c.label.padEnd(50)} ${mbps[i].toFixed(0).padStart(5)} MB/s  (${(c.bytes / 1e6).toFixed(0)} MB, best of ${rounds}: ${best[i].toFixed(2)} s CPU)`));
const [jsonParse, analysis, sdk] = mbps;
// the SDK ran on a quarter of the sample: compare it with the analysis of the same files
let analysisOnSdkFiles = Infinity;
for (let round = 0; round < rounds; round++) analysisOnSdkFiles = Math.min(analysisOnSdkFiles, cpuSeconds(() => contenders[1].run(sdkFiles)));
const analysisSdkMbps = sdkBytes / 1e6 / analysisOnSdkFiles;
console.log(`analysis / JSON.parse: ${(analysis / jsonParse * 100).toFixed(0)}%   analysis / historyFromJSON (same ${(sdkBytes / 1e6).toFixed(0)} MB): ${analysisSdkMbps.toFixed(0)} / ${sdk.toFixed(0)} MB/s = ${(analysisSdkMbps / sdk).toFixed(1)}x`);

// The ratios depend on the mix: payload bytes are cheap to skip, structure costs per token.
// Per workflow kind of the generator (up to 8 MB of files each, best of `rounds`; fewer bytes
// than that measure mostly the machine's noise):
const KIND_BYTES = 8e6;
const byKind = new Map();
for (const file of sample) {
  const head = fs.readFileSync(file, 'utf8').slice(0, 800);
  const kind = /"name": ?"(\w+)"/.exec(head)?.[1] ?? 'unknown';
  if (!byKind.has(kind)) byKind.set(kind, { files: [], bytes: 0 });
  const entry = byKind.get(kind);
  if (entry.bytes < KIND_BYTES) {
    entry.files.push(file);
    entry.bytes += fs.statSync(file).size;
  }
}
for (const [kind, { files }] of [...byKind].sort()) {
  const bytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0) / 1e6;
  const times = contenders.map(() => Infinity);
  for (let round = 0; round < rounds; round++) contenders.forEach((c, i) => (times[i] = Math.min(times[i], cpuSeconds(() => c.run(files)))));
  const [j, a, k] = times.map((t) => bytes / t);
  console.log(`  ${kind.padEnd(15)} ${String(files.length).padStart(4)} files ${(bytes / files.length * 1000).toFixed(0).padStart(5)} KB/file  analysis ${a.toFixed(0).padStart(4)} MB/s  JSON.parse ${j.toFixed(0).padStart(4)} MB/s  historyFromJSON ${k.toFixed(0).padStart(3)} MB/s  -> ${(a / j * 100).toFixed(0)}% of JSON.parse, ${(a / k).toFixed(1)}x historyFromJSON`);
}

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
