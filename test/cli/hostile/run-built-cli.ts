// Runs the built CLI as a user does: `node dist/cli/main.js ...` in a child process with a
// timeout, and gives scratch project folders inside the repository (so the fixtures' imports of
// @temporalio resolve through the repository's node_modules) that are removed when the test that
// asked for them ends, passed or failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { scratchFolder as sharedScratchFolder } from '../../helpers/scratch-folder.js';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
const scratchRoot = path.join(repoRoot, '.preflight-tmp');

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runBuiltCli(args: string[], options: { cwd?: string; timeoutMs?: number; shellPrefix?: string } = {}): CliRun {
  const main = path.join(repoRoot, 'dist/cli/main.js');
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined };
  const spawnOptions = { cwd: options.cwd ?? repoRoot, encoding: 'utf8' as const, timeout: options.timeoutMs ?? 60_000, env, maxBuffer: 64 * 1024 * 1024 };
  // a shell prefix sets limits (ulimit) for the CLI alone
  const run = options.shellPrefix
    ? spawnSync('/bin/sh', ['-c', `${options.shellPrefix}; exec "$0" "$@"`, process.execPath, main, ...args], spawnOptions)
    : spawnSync(process.execPath, [main, ...args], spawnOptions);
  if (run.error) throw run.error;
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}

/**
 * A fresh folder under the repository's ignored .preflight-tmp/, optionally a copy of a fixture,
 * removed when the current test ends. Call it inside a test.
 */
export function scratchFolder(name: string, fixture?: string): string {
  return sharedScratchFolder(name, { parent: scratchRoot, ...(fixture ? { copyOf: path.join(repoRoot, 'test/fixtures', fixture) } : {}) });
}

/** A minimal valid history (proto3 JSON, as `temporal workflow show -o json` writes) of the given type. */
export function historyOfType(workflowType: string, runId = 'run-1'): string {
  const template = fs.readFileSync(path.join(repoRoot, 'test/fixtures/hostile-histories/template.json'), 'utf8');
  return template.replace('"WORKFLOW_TYPE"', JSON.stringify(workflowType)).replaceAll('RUN_ID', runId);
}
