// Times the Python front-end on a directory of .py files: parsing alone, the whole model build,
// and `python3 -m py_compile` over the same files as a parse-only floor.
// Usage: npm run build && node bench/python-parse/run.mjs <dir> [python=python3]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { parsePythonFile } = await import(path.join(repo, 'dist/model/python/parse-python.js'));
const { buildPythonModel, pythonSourceFiles } = await import(path.join(repo, 'dist/model/python/build-python-model.js'));

const dir = path.resolve(process.argv[2] ?? '.');
const python = process.argv[3] ?? 'python3';
const { files, testFiles } = pythonSourceFiles({ root: dir });
const all = [...files, ...testFiles];
let bytes = 0;
for (const file of all) bytes += fs.statSync(file).size;

let start = performance.now();
await parsePythonFile(all[0]);
const initMs = performance.now() - start;
start = performance.now();
for (const file of all) {
  const outcome = await parsePythonFile(file);
  if (outcome.kind === 'parsed') outcome.parsed.tree.delete();
}
const parseMs = performance.now() - start;
start = performance.now();
await buildPythonModel({ root: dir });
const modelMs = performance.now() - start;

const list = path.join(fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'py-bench-')), 'files.txt');
fs.writeFileSync(list, all.join('\n'));
const script = 'import py_compile,sys,tempfile\nout=tempfile.mktemp()\nfor f in open(sys.argv[1]).read().split("\\n"):\n    py_compile.compile(f, cfile=out, doraise=False)\n';
start = performance.now();
const compiled = spawnSync(python, ['-c', script, list], { encoding: 'utf8' });
const pyCompileMs = performance.now() - start;
fs.rmSync(path.dirname(list), { recursive: true, force: true });

console.log(JSON.stringify({
  files: all.length,
  megabytes: +(bytes / 1e6).toFixed(2),
  initMs: Math.round(initMs),
  parseMs: Math.round(parseMs),
  buildModelMs: Math.round(modelMs),
  pyCompileMs: compiled.status === 0 ? Math.round(pyCompileMs) : `failed: ${compiled.stderr.split('\n')[0]}`,
}));
