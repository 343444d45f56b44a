// Runs the built CLI as a user does: `node dist/cli/main.js ...` as a child process, with a
// deadline. Every run carries a unique environment marker that its descendants inherit, so a test
// can find any process the run left behind even after it was re-parented (by its /proc environ).
// Each run also gets its own empty TMPDIR, so the temporary folders it leaves are its own.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliScript = path.join(repoRoot, 'dist/cli/main.js');
const MARKER = 'PREFLIGHT_TEST_RUN';

export interface CliProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time to exit, in milliseconds. */
  ms: number;
  /** True when the deadline passed and the run was killed. */
  timedOut: boolean;
  /** The marker value of this run (see leftoverProcesses). */
  marker: string;
  /** What the run left in its TMPDIR (which is then removed). */
  leftoverTemp: string[];
}

export interface CliProcessOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs: number;
  /** Called with the running child and its output so far on every stdout/stderr chunk. */
  onOutput?(child: ChildProcess, stdout: string, stderr: string): void;
}

export function runCliProcess(args: string[], options: CliProcessOptions): Promise<CliProcessRun> {
  const marker = randomUUID();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-test-tmp-'));
  const started = Date.now();
  const child = spawn(process.execPath, [cliScript, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, TMPDIR: tmp, ...options.env, [MARKER]: marker },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    options.onOutput?.(child, stdout, stderr);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    options.onOutput?.(child, stdout, stderr);
  });
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      const leftoverTemp = fs.readdirSync(tmp);
      fs.rmSync(tmp, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr, ms, timedOut, marker, leftoverTemp });
    });
  });
}

/** Live processes (pid and command line) started by the run with this marker, waiting up to waitMs for them to go. */
export async function leftoverProcesses(marker: string, waitMs = 3_000): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = processesWithMarker(marker);
    if (found.length === 0 || Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function processesWithMarker(marker: string): string[] {
  const needle = `${MARKER}=${marker}`;
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (!environ.split('\0').includes(needle)) continue;
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      if (/^State:\s+Z/m.test(status)) continue; // a zombie has exited; its parent has not reaped it yet
      found.push(`${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Entries of dir whose names start with prefix (temporary folders a run may leave). */
export function entriesStartingWith(dir: string, prefix: string): string[] {
  try {
    return fs.readdirSync(dir).filter((name) => name.startsWith(prefix));
  } catch {
    return [];
  }
}

/**
 * The run's stdout read as JSON. When it is not JSON (the command failed before printing its
 * report), the error names the exit code and the end of stderr, so a failure says why.
 */
export function jsonOutput(run: CliProcessRun): unknown {
  try {
    return JSON.parse(run.stdout);
  } catch {
    const tail = run.stderr.trim().split('\n').slice(-8).join('\n');
    throw new Error(`stdout is not JSON (exit ${run.code}${run.signal ? `, ${run.signal}` : ''}${run.timedOut ? ', timed out' : ''}, ${run.stdout.length} bytes); stderr ends:\n${tail}`);
  }
}
