// applyScope and the fingerprint recipe on hand-made findings: what --since keeps of project-wide
// findings, and which edits a fingerprint survives.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintFindings } from '../../src/engine/fingerprint.js';
import { applyScope } from '../../src/engine/review-scope.js';
import type { Finding, ReviewResult } from '../../src/engine/types.js';
import { AREAS } from '../../src/engine/types.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const base = { area: 'capacity', severity: 'error', fix: 'fix it', evidence: 'static' } as const;

function result(findings: Finding[]): ReviewResult {
  return {
    tool: { name: 'temporal-preflight', version: '0.0.0' },
    verdict: 'NO-GO',
    failOn: 'error',
    root: '/r',
    areas: AREAS.map((area) => ({ area, status: 'pass', evidence: ['static'], errors: 0, warnings: 0, infos: 0 })),
    findings,
    diagnostics: [],
  };
}

describe('applyScope with --since', () => {
  it('keeps a project-wide finding whose related location changed and drops one without changed evidence', () => {
    const findings: Finding[] = [
      { ...base, checkId: 'worker-capacity-below-peak', message: 'queue orders is short of slots', related: [{ file: 'src/worker.ts', line: 3, column: 1, message: 'a worker' }] },
      { ...base, checkId: 'no-replay-test', severity: 'warning', area: 'determinism', message: 'no replay test' },
    ];
    const scoped = applyScope(result(findings), { since: { ref: 'main', changedFiles: new Set(['src/worker.ts']) } });
    expect(scoped.findings.map((f) => f.checkId)).toEqual(['worker-capacity-below-peak']);
    expect(scoped.verdict).toBe('NO-GO');
    expect(scoped.areas.map((a) => `${a.area}:${a.status}:${a.outsideChange}`)).toEqual([
      'determinism:pass:1', 'retries:pass:0', 'timeouts:pass:0', 'payloads:pass:0', 'capacity:fail:0', 'observability:pass:0',
    ]);
  });

  it('keeps a not-verified area blocking GO when every finding is known', () => {
    const input = result([{ ...base, checkId: 'x', message: 'm', fingerprint: 'f:1' }]);
    input.areas[4] = { ...input.areas[4]!, status: 'not-verified', gaps: ['No worker found'] };
    const scoped = applyScope(input, { baseline: { file: 'b.json', fingerprints: new Set(['f:1']) } });
    expect(scoped.findings).toEqual([]);
    expect(scoped.areas[4]).toMatchObject({ status: 'not-verified', known: 1 });
    expect(scoped.verdict).toBe('NO-GO');
    expect(applyScope(input, { baseline: { file: 'b.json', fingerprints: new Set(['f:1']) } }, 'go').verdict).toBe('GO');
  });
});

describe('fingerprintFindings', () => {
  const root = scratchFolderForSuite('fp');
  const write = (text: string) => fs.writeFileSync(path.join(root, 'wf.ts'), text);
  const at = (line: number): Finding => ({ ...base, checkId: 'workflow-throws-plain-error', message: `line ${line}`, file: 'wf.ts', line, column: 3 });
  const body = "export async function a() {\n  throw new Error('x');\n}\nexport async function b() {\n  throw new Error('x');\n}\n";

  it('ignores moved lines and whitespace, and tells the same line in two functions apart', () => {
    write(body);
    const before = fingerprintFindings([at(2), at(5)], root);
    write(`// header\n\n${body.replace("  throw new Error('x');\n}\nexport async function b", "  throw   new Error('x') ;\n}\nexport async function b")}`);
    const after = fingerprintFindings([at(4), at(7)], root);
    expect(after).toEqual(before);
    expect(before[0]).not.toBe(before[1]);
    expect(before.every((fp) => /^[0-9a-f]{32}:1$/.test(fp))).toBe(true);
  });

  it('hashes the message without its numbers when the finding has no line', () => {
    const project = (message: string): Finding => ({ ...base, checkId: 'history-size-over-budget', message });
    const [one, two] = fingerprintFindings([project('history of 1,200 events'), project('history of 48 events')], root);
    expect(one!.split(':')[0]).toBe(two!.split(':')[0]);
    expect([one!.split(':')[1], two!.split(':')[1]]).toEqual(['1', '2']);
  });
});
