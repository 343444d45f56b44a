// Only regular files are read, each under a size cap: a named pipe, /dev/zero or a 5 MB minified
// source never hangs or exhausts memory (issue 14 items 7 and 8). The built CLI in a child process.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli, scratchFolder } from './run-built-cli.js';

function project(): string {
  const folder = scratchFolder('file-kinds', 'hostile-runbook');
  return folder;
}

interface JsonReport {
  diagnostics: { kind: string; file?: string; message: string }[];
}

describe('sources too large or minified are skipped with a diagnostic', () => {
  it('a 5 MB source and a minified one are not parsed', { timeout: 120_000 }, () => {
    const folder = project();
    fs.writeFileSync(path.join(folder, 'src/huge.ts'), `export const data = [${'1,'.repeat(2_600_000)}];\n`);
    fs.writeFileSync(path.join(folder, 'src/min.ts'), `export const m = [${'"x",'.repeat(100_000)}];`);
    const run = runBuiltCli(['check', '.', '--format', 'json'], { cwd: folder, timeoutMs: 110_000 });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.diagnostics.filter((d) => d.kind === 'skipped-file')).toEqual([
      { kind: 'skipped-file', file: 'src/huge.ts', message: 'src/huge.ts: not reviewed: 5 MiB, over the 4 MiB limit' },
      { kind: 'skipped-file', file: 'src/min.ts', message: 'src/min.ts: not reviewed: minified code (lines of 65536 characters on average)' },
    ]);
  });
});

describe('config files that are not regular files are a one-line error', () => {
  it('preflight.config.json -> /dev/zero', { timeout: 60_000 }, () => {
    const folder = project();
    fs.symlinkSync('/dev/zero', path.join(folder, 'preflight.config.json'));
    const run = runBuiltCli(['check', '.'], { cwd: folder, timeoutMs: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`temporal-preflight: ${path.join(folder, 'preflight.config.json')}: cannot read the config file (a character device, not a regular file)\n`);
  });

  it('a named pipe as --config does not hang', { timeout: 60_000 }, () => {
    const folder = project();
    execFileSync('mkfifo', [path.join(folder, 'pipe.yaml')]);
    const run = runBuiltCli(['check', '.', '--config', 'pipe.yaml'], { cwd: folder, timeoutMs: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`temporal-preflight: ${path.join(folder, 'pipe.yaml')}: cannot read the config file (a named pipe, not a regular file)\n`);
  });

  it('a config over 1 MiB', { timeout: 60_000 }, () => {
    const folder = project();
    fs.writeFileSync(path.join(folder, 'preflight.config.yaml'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const run = runBuiltCli(['check', '.'], { cwd: folder, timeoutMs: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`temporal-preflight: ${path.join(folder, 'preflight.config.yaml')}: cannot read the config file (2 MiB, over the 1 MiB limit)\n`);
  });
});

describe('drill scenarios that are not regular files', () => {
  it('a named pipe as --scenario is a one-line error before anything starts', { timeout: 60_000 }, () => {
    const folder = project();
    execFileSync('mkfifo', [path.join(folder, 'pipe.yaml')]);
    const run = runBuiltCli(['drill', 'load', '--worker', 'src/worker.ts', '--scenario', 'pipe.yaml'], { cwd: folder, timeoutMs: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('temporal-preflight: pipe.yaml: cannot read the scenario (a named pipe, not a regular file)\n');
  });
});

describe('rule files and histories that are not regular files', () => {
  it('a rule file linked to /dev/zero is not read', { timeout: 120_000 }, () => {
    const folder = project();
    fs.mkdirSync(path.join(folder, 'prometheus'));
    fs.symlinkSync('/dev/zero', path.join(folder, 'prometheus/zero.rules.yml'));
    const run = runBuiltCli(['check', '.', '--format', 'json'], { cwd: folder, timeoutMs: 110_000 });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.diagnostics).toContainEqual({ kind: 'skipped-file', file: 'prometheus/zero.rules.yml', message: 'prometheus/zero.rules.yml: symbolic link to a path outside the reviewed folder; not read' });
  });

  it('a named pipe as a history is named as such', { timeout: 60_000 }, () => {
    const folder = project();
    execFileSync('mkfifo', [path.join(folder, 'pipe.json')]);
    const run = runBuiltCli(['histories', 'pipe.json'], { cwd: folder, timeoutMs: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('temporal-preflight: no history could be analyzed: pipe.json: a named pipe, not a regular file\n');
  });
});
