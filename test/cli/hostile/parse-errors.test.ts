// A syntax error in the workflows module makes the areas that depend on it not-verified with the
// parse error as the reason, instead of a false workflow-not-registered error (issue 14 item 13).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli, scratchFolder } from './run-built-cli.js';

const GAP =
  "The workflow code does not parse (src/workflows.ts:8: ')' expected.), so its workflows were not reviewed for determinism or payloads, " +
  'nor whether the workers register the workflow types that are started. Fix the syntax error.';


describe('a workflows module that does not parse', () => {
  it('check: determinism and payloads are not verified, and no workflow is reported unregistered', { timeout: 120_000 }, () => {
    const run = runBuiltCli(['check', 'test/fixtures/hostile-workflow-syntax', '--format', 'json'], { timeoutMs: 110_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as {
      findings: { checkId: string }[];
      diagnostics: { kind: string; file?: string; line?: number; message: string }[];
      areas: { area: string; status: string }[];
    };
    expect(report.findings.map((f) => f.checkId)).not.toContain('workflow-not-registered');
    expect(report.diagnostics).toContainEqual({ kind: 'not-verified', file: 'src/workflows.ts', line: 8, message: `determinism, payloads not verified: ${GAP}` });
    expect(report.diagnostics.filter((d) => d.kind === 'not-verified')).toHaveLength(1);
    expect(report.areas.filter((a) => a.area === 'determinism' || a.area === 'payloads').map((a) => a.status)).toEqual(['not-verified', 'not-verified']);
  });

  it('generate runbooks says the runbooks are incomplete and exits 1', { timeout: 120_000 }, () => {
    const folder = scratchFolder('parse-error-runbooks');
    const run = runBuiltCli(['generate', 'runbooks', 'test/fixtures/hostile-workflow-syntax', '-o', folder], { timeoutMs: 110_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`temporal-preflight: incomplete: ${GAP}\n`);
    expect(fs.readdirSync(folder)).toEqual(['temporal-workers.md']);
    expect(path.isAbsolute(folder)).toBe(true);
  });
});
