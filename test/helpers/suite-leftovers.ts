// Global setup: every process the test suite starts (CLI runs, dev servers, workers, replay
// children) inherits a marker in its environment. When the suite ends, none may still be running:
// the teardown lists the ones that are, stops them, and fails the run.
//
// Temporary files and folders must be gone too. The suite runs with its own TMPDIR, a fresh
// `preflight-suite-` folder in the system temporary folder, which the test processes and
// everything they start inherit (Node's os.tmpdir(), Python's tempfile and the Temporal CLI all
// read TMPDIR). Whatever is still in it at the end was left by this run and nothing else, however
// many other runs share the machine: the teardown lists it, removes it and fails the run.

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MARKER = 'PREFLIGHT_TEST_SUITE';

export function setup(): () => Promise<void> {
  const marker = randomUUID();
  // Forked test workers start after this and inherit both, and so does everything they spawn.
  process.env[MARKER] = marker;
  const savedTmpDir = process.env['TMPDIR'];
  const suiteTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-suite-'));
  process.env['TMPDIR'] = suiteTmp;
  // Stopped early (Ctrl-C, a CI timeout's SIGTERM), the runner exits without the teardown below:
  // the folder goes with the process (a folder of a run stopped midway may hold its children's files).
  process.once('exit', () => fs.rmSync(suiteTmp, { recursive: true, force: true }));
  return async () => {
    const left = await waitForExit(marker, 10_000);
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    // after the processes are stopped, so none is still writing into the folder
    const leftEntries = entriesOf(suiteTmp);
    fs.rmSync(suiteTmp, { recursive: true, force: true });
    if (savedTmpDir === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = savedTmpDir;
    const problems = [
      ...left.map(({ pid, command }) => `process ${pid} still running: ${command}`),
      ...leftEntries.map((name) => `temporary ${name.endsWith('/') ? 'folder' : 'file'} left behind (now removed): ${name}`),
    ];
    if (problems.length === 0) return;
    // Vitest reports an error thrown here but keeps exit code 0: set it, so CI fails.
    process.exitCode = 1;
    throw new Error(`the test suite left things behind:\n${problems.join('\n')}`);
  };
}

async function waitForExit(marker: string, waitMs: number): Promise<{ pid: number; command: string }[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = processesWith(marker);
    if (found.length === 0 || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function processesWith(marker: string): { pid: number; command: string }[] {
  if (process.platform !== 'linux') return [];
  const needle = `${MARKER}=${marker}`;
  const found: { pid: number; command: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (!environ.split('\0').includes(needle)) continue;
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
      // A zombie has no command line and holds nothing: its parent reaps it.
      if (command) found.push({ pid, command });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** The names of what is in dir, folders with a trailing slash. */
function entriesOf(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
      .sort();
  } catch {
    return [];
  }
}
