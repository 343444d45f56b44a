// `check` on examples/python-prototype-app as a user runs it (built CLI, child process): the
// observability findings on its Python code, at their lines, with the check's own severity.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');

describe('check on the Python prototype app: observability (built CLI, child process)', () => {
  it('finds the worker without metrics, the operator script starting a run without search attributes (a note), the TEXT identifier and the missing alerts and runbooks', { timeout: 180_000 }, () => {
    const run = spawnSync(process.execPath, ['dist/cli/main.js', 'check', 'examples/python-prototype-app', '--format', 'json'], { cwd: repoRoot, encoding: 'utf8', timeout: 170_000 });
    expect(run.error).toBeUndefined();
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    const observability = report.findings
      .filter((f: { area: string }) => f.area === 'observability')
      .map((f: { checkId: string; severity: string; file: string; line: number }) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);
    // One finding per project-level gap, anchored at the first place in file order, the others related.
    expect(observability).toEqual([
      'workflow-start-without-search-attributes info refunds.py:16',
      'workflow-failure-alert-missing warning reports.py:33',
      'workflow-runbook-missing info reports.py:33',
      'worker-metrics-not-exported warning reports_worker.py:13',
      'search-attribute-text-for-identifier warning search_attributes.py:6',
      'workflow-start-without-search-attributes info starter.py:14',
      'workflow-start-without-search-attributes info starter.py:29',
    ]);
    const metrics = report.findings.find((f: { checkId: string }) => f.checkId === 'worker-metrics-not-exported');
    expect(metrics.related.map((r: { file: string; line: number }) => `${r.file}:${r.line}`)).toContain('worker.py:16');
    const runbooks = report.findings.find((f: { checkId: string }) => f.checkId === 'workflow-runbook-missing');
    expect(runbooks.related.map((r: { file: string; line: number }) => `${r.file}:${r.line}`)).toContain('workflows.py:15');
    // worker-metrics-not-exported is a warning: the area warns, the prototype is NO-GO through other areas
    expect(report.areas.find((a: { area: string }) => a.area === 'observability').status).toBe('warn');
    expect(report.diagnostics.some((d: { message: string }) => d.message.startsWith('observability not verified'))).toBe(false);
  });
});
