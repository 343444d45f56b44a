import path from 'node:path';
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { defineCheck, type CheckDefinition } from '../../src/checks/define-check.js';
import { defaultConfig } from '../../src/engine/config.js';
import { runChecks } from '../../src/engine/run-checks.js';
import type { TemporalModel } from '../../src/model/typescript/types.js';

const root = '/project';
const file = path.join(root, 'src/workflows.ts');

// The engine only needs the file list and parsed sources from the model; the rest is the checks'.
function modelWith(text: string): TemporalModel {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest);
  return { files: [file], workers: [], starts: [], sourceFile: (f: string) => (f === file ? sourceFile : undefined) } as unknown as TemporalModel;
}

function reportingCheck(id: string, line: number, severity: 'error' | 'warning' | 'info' = 'error', area: CheckDefinition['area'] = 'determinism') {
  return defineCheck({
    id,
    area,
    severity,
    evidence: 'static',
    needs: 'code',
    description: 'test check',
    run: (ctx) => ctx.report({ location: { file, line, column: 3 }, message: `${id} message`, fix: 'do it' }),
  });
}

describe('runChecks', () => {
  it('reports a finding with a path relative to the reviewed directory, and fails the area', () => {
    const result = runChecks({ root, config: defaultConfig(), checks: [reportingCheck('demo-check', 4)], model: modelWith('') });
    expect(result.findings).toEqual([
      { checkId: 'demo-check', area: 'determinism', severity: 'error', message: 'demo-check message', fix: 'do it', file: 'src/workflows.ts', line: 4, column: 3, evidence: 'static', fingerprint: expect.stringMatching(/^[0-9a-f]{32}:1$/) },
    ]);
    expect(result.verdict).toBe('NO-GO');
    expect(result.areas.find((a) => a.area === 'determinism')).toMatchObject({ status: 'fail', errors: 1, evidence: ['static'] });
  });

  it('marks areas with no checks run as not-verified and areas with silent checks as pass', () => {
    const silent = defineCheck({ id: 'silent-check', area: 'retries', severity: 'error', evidence: 'static', needs: 'code', description: 'x', run: () => {} });
    const silentPayloads = defineCheck({ ...silent, id: 'silent-payloads', area: 'payloads' });
    const result = runChecks({ root, config: defaultConfig(), checks: [silent, silentPayloads], model: modelWith('') });
    expect(result.verdict).toBe('GO');
    expect(result.areas.map((a) => [a.area, a.status])).toEqual([
      ['determinism', 'not-verified'],
      ['retries', 'pass'],
      ['timeouts', 'not-verified'],
      ['payloads', 'pass'],
      ['capacity', 'not-verified'],
      ['observability', 'not-verified'],
    ]);
    expect(result.areas.find((a) => a.area === 'payloads')?.note).toMatch(/static review only/);
  });

  it('honours a suppression with a reason on the line above and reports an unused one', () => {
    const text = ['// preflight-ignore demo-check -- legacy path, removed in Q3', 'line two', 'line three', '// preflight-ignore demo-check -- nothing here', 'x'].join('\n');
    const result = runChecks({ root, config: defaultConfig(), checks: [reportingCheck('demo-check', 2)], model: modelWith(text) });
    expect(result.findings).toEqual([]);
    expect(result.diagnostics).toEqual([
      { kind: 'unused-suppression', file: 'src/workflows.ts', line: 4, message: 'unused suppression: no demo-check finding on this line or the next; remove the comment' },
    ]);
  });

  it('rejects a suppression without a reason', () => {
    const text = 'const x = 1; // preflight-ignore demo-check\n';
    const result = runChecks({ root, config: defaultConfig(), checks: [reportingCheck('demo-check', 1)], model: modelWith(text) });
    expect(result.findings.map((f) => f.checkId)).toEqual(['demo-check']);
    expect(result.diagnostics[0]).toMatchObject({ kind: 'invalid-suppression', file: 'src/workflows.ts', line: 1 });
  });

  it('turns a check off and changes a severity from the config', () => {
    // built directly: the config file only accepts registered check ids, and these are test checks
    const config = { ...defaultConfig(), checks: { 'demo-check': 'off' as const, 'other-check': 'warning' as const } };
    const result = runChecks({ root, config, checks: [reportingCheck('demo-check', 2), reportingCheck('other-check', 3)], model: modelWith('') });
    expect(result.findings.map((f) => [f.checkId, f.severity])).toEqual([['other-check', 'warning']]);
    expect(result.verdict).toBe('GO');
    expect(runChecks({ root, config, checks: [reportingCheck('other-check', 3)], model: modelWith(''), failOn: 'warning' }).verdict).toBe('NO-GO');
  });

  it('sorts findings by file, line, column and check id whatever order checks report in', () => {
    const result = runChecks({
      root,
      config: defaultConfig(),
      checks: [reportingCheck('zeta-check', 9), reportingCheck('beta-check', 9), reportingCheck('alpha-check', 2)],
      model: modelWith(''),
    });
    expect(result.findings.map((f) => `${f.line}:${f.checkId}`)).toEqual(['2:alpha-check', '9:beta-check', '9:zeta-check']);
  });

  it('skips code checks when there is no model and history checks when there are no histories', () => {
    let ran = 0;
    const historyCheck = defineCheck({ id: 'history-demo', area: 'payloads', severity: 'error', evidence: 'history', needs: 'histories', description: 'x', run: () => void ran++ });
    const result = runChecks({ root, config: defaultConfig(), checks: [reportingCheck('demo-check', 1), historyCheck] });
    expect(ran).toBe(0);
    expect(result.findings).toEqual([]);
    expect(result.areas.every((a) => a.status === 'not-verified')).toBe(true);
  });
});
