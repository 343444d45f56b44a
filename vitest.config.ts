import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Test files that start processes (CLI runs, Temporal dev servers, workers, Python, replay
// children) or measure time run one at a time, after the rest: they compete for the machine's
// cores with what they start, and their deadlines assume a quiet machine. The rest (in-process
// static checks and models, most of the suite) run on every core.
const SERIAL_FOLDERS = /^test\/(drill|integration|cli|report|generate|history|simulate)\//;
const STARTS_PROCESSES = /\b(spawn|spawnSync|execFile|execFileSync|fork|startDevServer)\b|helpers\/(cli-process|dev-server)|src\/(drill|replay)\//;

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(file);
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

// Files that mock modules or change the process's environment also run there, isolated: the
// in-process files share module caches (see below).
const CHANGES_PROCESS = /\bvi\.(mock|doMock|stubGlobal|stubEnv)\b|process\.chdir\(|process\.env\.[A-Za-z_]+\s*=[^=]|process\.env\[[^\]]+\]\s*=[^=]|delete process\.env/;

const serial = testFiles('test').filter((file) => {
  const text = fs.readFileSync(file, 'utf8');
  return SERIAL_FOLDERS.test(file) || STARTS_PROCESSES.test(text) || CHANGES_PROCESS.test(text);
});

const shared = {
  exclude: ['**/node_modules/**', 'test/fixtures/**', 'examples/**'],
  testTimeout: 30_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    // Fails the run when a process the suite started is still running at the end (see the file).
    globalSetup: ['test/helpers/suite-leftovers.ts'],
    projects: [
      // In-process files share their worker's module cache (isolate: false): each file would
      // otherwise import the compiler and the whole model again, which cost more than the tests
      // (import 1490 s against tests 1014 s in a full run). Files that mock modules or change the
      // environment are in the serial project (CHANGES_PROCESS).
      { test: { ...shared, name: 'in-process', isolate: false, maxWorkers: Math.max(2, os.availableParallelism()), include: ['test/**/*.test.ts'], exclude: [...shared.exclude, ...serial], sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'processes', include: serial, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
