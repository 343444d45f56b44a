// Symbolic links out of the reviewed folder are not followed, and a file reached twice through a
// link is read once (issue 14 items 2 and 14). The built CLI in a child process.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyOfType, runBuiltCli, scratchFolder } from './run-built-cli.js';

interface JsonReport {
  findings: { checkId: string; location?: { file: string }; data?: { ruleFiles?: string[] } }[];
  diagnostics: { kind: string; file?: string; message: string }[];
  histories?: { files: number; parsed: number };
}

/** A project with `src/outlink -> <elsewhere>/code` and `src/etclink -> <elsewhere>/etc`. */
function projectWithOutsideLinks(): string {
  const project = scratchFolder('symlink-project', 'hostile-runbook');
  const elsewhere = scratchFolder('symlink-elsewhere');
  fs.mkdirSync(path.join(elsewhere, 'code'));
  fs.writeFileSync(path.join(elsewhere, 'code/broken.ts'), 'export const x = ;\n');
  fs.mkdirSync(path.join(elsewhere, 'etc/prometheus'), { recursive: true });
  fs.writeFileSync(path.join(elsewhere, 'etc/prometheus/prometheus.yml'), 'global:\n  scrape_interval: 15s\n');
  fs.symlinkSync(path.join(elsewhere, 'code'), path.join(project, 'src/outlink'));
  fs.symlinkSync(path.join(elsewhere, 'etc'), path.join(project, 'src/etclink'));
  return project;
}

describe('check does not follow symbolic links out of the reviewed folder', () => {
  it('skips a linked source folder and a linked rule folder, with a diagnostic for each', { timeout: 120_000 }, () => {
    const project = projectWithOutsideLinks();
    const run = runBuiltCli(['check', '.', '--format', 'json'], { cwd: project });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.diagnostics.filter((d) => d.kind === 'parse-error')).toEqual([]);
    const alert = report.findings.find((f) => f.checkId === 'workflow-failure-alert-missing');
    expect(alert?.data?.ruleFiles).toEqual([]);
    expect(report.diagnostics.filter((d) => d.message.includes('outside the reviewed folder'))).toEqual([
      { kind: 'skipped-file', file: 'src/etclink', message: 'src/etclink: symbolic link to a path outside the reviewed folder; not read' },
      { kind: 'skipped-file', file: 'src/outlink', message: 'src/outlink: symbolic link to a path outside the reviewed folder; not read' },
    ]);
  });

  it('without a tsconfig.json (the walk alone) the linked folder is skipped too', { timeout: 120_000 }, () => {
    const project = projectWithOutsideLinks();
    fs.rmSync(path.join(project, 'tsconfig.json'));
    const run = runBuiltCli(['check', '.', '--format', 'json'], { cwd: project });
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.diagnostics.filter((d) => d.message.includes('broken.ts'))).toEqual([]);
    expect(report.diagnostics.some((d) => d.message === 'src/outlink: symbolic link to a path outside the reviewed folder; not read')).toBe(true);
  });
});

describe('histories reads each file once', () => {
  it('a link back to the folder (again -> .) does not count the runs twice', { timeout: 60_000 }, () => {
    const folder = scratchFolder('symlink-histories');
    fs.mkdirSync(path.join(folder, 'histories'));
    fs.writeFileSync(path.join(folder, 'histories/h.json'), historyOfType('orderWorkflow'));
    fs.symlinkSync('.', path.join(folder, 'histories/again'));
    const run = runBuiltCli(['histories', 'histories', '--format', 'json'], { cwd: folder });
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.histories).toMatchObject({ files: 1, parsed: 1 });
  });

  it('a link in a history folder to a file outside it is not read', { timeout: 60_000 }, () => {
    const folder = scratchFolder('symlink-histories-out');
    const elsewhere = scratchFolder('symlink-histories-elsewhere');
    fs.mkdirSync(path.join(folder, 'histories'));
    fs.writeFileSync(path.join(folder, 'histories/h.json'), historyOfType('orderWorkflow'));
    fs.writeFileSync(path.join(elsewhere, 'secret.json'), historyOfType('secretWorkflow'));
    fs.symlinkSync(path.join(elsewhere, 'secret.json'), path.join(folder, 'histories/secret.json'));
    const run = runBuiltCli(['histories', 'histories', '--format', 'json'], { cwd: folder });
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.histories).toMatchObject({ files: 1, parsed: 1 });
    expect(report.diagnostics).toContainEqual({ kind: 'note', file: 'histories/secret.json', message: 'histories/secret.json: symbolic link to a path outside histories; not read' });
  });
});
