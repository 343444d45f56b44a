import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/config.js';
import { runChecks } from '../../src/engine/run-checks.js';
import { defineCheck } from '../../src/checks/define-check.js';
import { renderJson } from '../../src/report/json.js';
import { renderPretty } from '../../src/report/pretty.js';
import type { TemporalModel } from '../../src/model/typescript/types.js';

const model = { files: [], workers: [], starts: [], sourceFile: () => undefined } as unknown as TemporalModel;
const check = defineCheck({
  id: 'workflow-uses-weakref',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'x',
  run: (ctx) =>
    ctx.report({ location: { file: '/app/src/workflows.ts', line: 7, column: 15 }, message: 'WeakRef throws DeterminismViolationError in the workflow sandbox.', fix: 'Keep a plain reference.' }),
});
const result = runChecks({ root: '/app', config: defaultConfig(), checks: [check], model });

describe('json reporter', () => {
  it('writes the DESIGN.md shape without the absolute root', () => {
    const json = JSON.parse(renderJson(result));
    expect(Object.keys(json)).toEqual(['tool', 'inventory', 'verdict', 'areas', 'findings', 'diagnostics']);
    expect(json.inventory).toEqual({ files: 0, workflows: 0, activities: 0, proxies: 0, workers: 0, taskQueues: 0, starts: 0, histories: 0 });
    expect(json.tool.name).toBe('temporal-preflight');
    expect(json.verdict).toBe('NO-GO');
    expect(json.areas[0]).toEqual({ area: 'determinism', status: 'fail', evidence: ['static'], errors: 1, warnings: 0, infos: 0 });
    expect(json.findings[0]).toMatchObject({ checkId: 'workflow-uses-weakref', file: 'src/workflows.ts', line: 7, column: 15 });
    expect(JSON.stringify(json)).not.toContain('/app');
  });
});

describe('pretty reporter', () => {
  it('prints the scorecard first, then errors with file:line and fix under their area, then the summary', () => {
    const text = renderPretty(result, { color: false });
    const lines = text.split('\n');
    expect(lines[2]).toBe('   NO-GO   1 of 6 areas fail');
    expect(lines[4]).toMatch(/^ {2}determinism +FAIL +1 error +static$/);
    expect(text).toContain('errors (1)\n  determinism\n    src/workflows.ts:7:15  error  workflow-uses-weakref\n      WeakRef throws DeterminismViolationError in the workflow sandbox.\n      fix: Keep a plain reference.\n');
    expect(lines.at(-2)).toBe('NO-GO: 1 error, 0 warnings, 0 info in 1 file');
    expect(text).not.toMatch(/\x1b\[/);
  });

  it('uses colours only when asked', () => {
    expect(renderPretty(result, { color: true })).toMatch(/\x1b\[31m/);
  });
});
