// Global setup: every process the test suite starts (CLI runs, dev servers, workers, replay
// children) inherits a marker in its environment. When the suite ends, none may still be running:
// the teardown lists the ones that are, stops them, and fails the run. Drill temporary folders
// created during the suite must be gone too.

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MARKER = 'PREFLIGHT_TEST_SUITE';
const DRILL_TEMP_PREFIXES = ['preflight-drill-bundle-', 'temporal-dev-server-'];

export function setup(): () => Promise<void> {
  const marker = randomUUID();
  // Forked test workers start after this and inherit it, and so does everything they spawn.
  process.env[MARKER] = marker;
  const started = Date.now();
  const tempBefore = new Set(drillTempFolders());
  return async () => {
    const left = await waitForExit(marker, 10_000);
    const folders = drillTempFolders().filter((name) => !tempBefore.has(name) && createdAfter(name, started));
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    const problems = [
      ...left.map(({ pid, command }) => `process ${pid} still running: ${command}`),
      ...folders.map((name) => `temporary folder left behind: ${path.join(os.tmpdir(), name)}`),
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

function drillTempFolders(): string[] {
  try {
    return fs.readdirSync(os.tmpdir()).filter((name) => DRILL_TEMP_PREFIXES.some((prefix) => name.startsWith(prefix)));
  } catch {
    return [];
  }
}

function createdAfter(name: string, started: number): boolean {
  try {
    return fs.statSync(path.join(os.tmpdir(), name)).mtimeMs >= started;
  } catch {
    return false;
  }
}
