// Files a command writes: named from untrusted input only through the shared encoding, kept inside
// the output folder, and written atomically (issue 14 items 1 and 4). The built CLI in a child process.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyOfType, runBuiltCli, scratchFolder } from './run-built-cli.js';


describe('generate runbooks stays inside its folder', () => {
  it('encodes a workflow type that is a path, so the runbook lands in the output folder', { timeout: 90_000 }, () => {
    const project = scratchFolder('runbook-escape', 'hostile-runbook');
    fs.mkdirSync(path.join(project, 'escaped'));
    const run = runBuiltCli(['generate', 'runbooks', '.', '-o', 'out/runbooks'], { cwd: project });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(fs.readdirSync(path.join(project, 'escaped'))).toEqual([]);
    expect(fs.readdirSync(path.join(project, 'out/runbooks')).sort()).toEqual(['..%2F..%2Fescaped%2FPWNED-runbook.md', 'temporal-workers.md']);
    expect(run.stdout).toContain('wrote out/runbooks/..%2F..%2Fescaped%2FPWNED-runbook.md\n');
  });
});

describe('-o writes atomically', () => {
  it('keeps the previous report and leaves no temporary file when the write fails (file size limit)', { timeout: 60_000 }, () => {
    const folder = scratchFolder('atomic-report');
    fs.writeFileSync(path.join(folder, 'h.json'), historyOfType('orderWorkflow'));
    fs.writeFileSync(path.join(folder, 'report.json'), 'previous report\n');
    // a 512-byte file size limit: the report (several KB) cannot be written in full (EFBIG)
    const run = runBuiltCli(['histories', 'h.json', '--format', 'json', '-o', 'report.json'], { cwd: folder, shellPrefix: 'ulimit -f 1' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('temporal-preflight: report.json: cannot write the report (EFBIG)\n');
    expect(fs.readFileSync(path.join(folder, 'report.json'), 'utf8')).toBe('previous report\n');
    expect(fs.readdirSync(folder).sort()).toEqual(['h.json', 'report.json']);
  });

  it('replaces the previous report in one step when the write succeeds', { timeout: 60_000 }, () => {
    const folder = scratchFolder('atomic-report-ok');
    fs.writeFileSync(path.join(folder, 'h.json'), historyOfType('orderWorkflow'));
    fs.writeFileSync(path.join(folder, 'report.json'), 'previous report\n');
    const run = runBuiltCli(['histories', 'h.json', '--format', 'json', '-o', 'report.json'], { cwd: folder });
    expect(run.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(folder, 'report.json'), 'utf8')).verdict).toBe('GO');
    expect(fs.readdirSync(folder).sort()).toEqual(['h.json', 'report.json']);
  });

  it('generate runbooks: a runbook that cannot be written leaves no partial file', { timeout: 90_000 }, () => {
    const project = scratchFolder('atomic-runbook', 'hostile-runbook');
    fs.mkdirSync(path.join(project, 'out'));
    fs.writeFileSync(path.join(project, 'out/temporal-workers.md'), 'my own notes\n');
    const run = runBuiltCli(['generate', 'runbooks', '.', '-o', 'out', '--force'], { cwd: project, shellPrefix: 'ulimit -f 1' });
    expect(run.status).toBe(2);
    // runbooks are written in name order: the first one fails
    expect(run.stderr).toBe('temporal-preflight: out/..%2F..%2Fescaped%2FPWNED-runbook.md: cannot write the runbook (EFBIG)\n');
    expect(fs.readFileSync(path.join(project, 'out/temporal-workers.md'), 'utf8')).toBe('my own notes\n');
    expect(fs.readdirSync(path.join(project, 'out')).sort()).toEqual(['temporal-workers.md']);
  });
});
