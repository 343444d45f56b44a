// Times `temporal-preflight check` against `tsc --noEmit` on the same synthetic project, in one
// run, and prints the wall-time and peak-RSS ratios. Target: check <= 1.0x tsc on both.
// Usage: npm run build && node bench/check-vs-tsc/run.mjs [N=2000] [repeats=3]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './generate.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const count = Number(process.argv[2] ?? 2000);
const repeats = Number(process.argv[3] ?? 3);
const dir = path.join(repo, 'bench/.generated/check-vs-tsc');
generateProject(dir, count);

function measure(args) {
  // GNU time prints elapsed seconds and max RSS (KiB) of the child on stderr's last line.
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
  const last = run.stderr.trim().split('\n').at(-1);
  const [seconds, kib] = last.split(' ').map(Number);
  return { seconds, rssMiB: kib / 1024, status: run.status };
}

const tscArgs = [path.join(repo, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', path.join(dir, 'tsconfig.json')];
const checkArgs = [path.join(repo, 'dist/cli/main.js'), 'check', dir, '--format', 'json', '-o', path.join(repo, 'bench/.generated/check-vs-tsc.json')];
const rows = { tsc: [], check: [] };
for (let i = 0; i < repeats; i++) {
  rows.tsc.push(measure(tscArgs));
  rows.check.push(measure(checkArgs));
}
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = (name) => ({ seconds: median(rows[name].map((r) => r.seconds)), rssMiB: median(rows[name].map((r) => r.rssMiB)) });
const tsc = summary('tsc');
const check = summary('check');
console.log(`workflow modules: ${count}, repeats: ${repeats} (medians)`);
console.log(`tsc --noEmit : ${tsc.seconds.toFixed(2)} s, peak RSS ${tsc.rssMiB.toFixed(0)} MiB (exit ${rows.tsc[0].status})`);
console.log(`check        : ${check.seconds.toFixed(2)} s, peak RSS ${check.rssMiB.toFixed(0)} MiB (exit ${rows.check[0].status})`);
console.log(`ratio check/tsc: time ${(check.seconds / tsc.seconds).toFixed(2)}x, memory ${(check.rssMiB / tsc.rssMiB).toFixed(2)}x`);
