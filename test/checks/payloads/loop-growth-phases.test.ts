// A loop over a list grows without bound only if something adds to the list while the loop runs:
// the loop body or what it calls, a signal or update handler, a task or promise left running beside
// it. A phase the workflow awaits before the loop (it fills the list, then returns) has finished when
// the loop starts: the loop is bounded by what that phase found (info), not a warning that the list
// grows. Python (`self.items` filled by `await self._collect()`) and TypeScript (a nested helper or
// callbacks that have all run before the loop).

import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir } from '../helpers/review-fixture.js';

const of = (findings: Finding[]) =>
  findings.filter((f) => f.checkId === 'workflow-unbounded-history').map((f) => `${f.severity} ${f.file}:${f.line} ${String(f.data?.['bound'])}`);
const grows = (findings: Finding[], line: number) =>
  findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === line)?.related?.find((r) => r.message.endsWith('grows here'))?.line;

describe('workflow-unbounded-history: a list filled before the loop (Python)', () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: path.join(fixturesDir, 'python-loop-growth'), config: undefined }));
  });

  test('a phase awaited before the loop does not make the list grow; the loop, a helper it awaits, a handler, a task or gather beside it still do', () => {
    expect(of(findings)).toEqual([
      'info app/workflows.py:30 bounded',
      'info app/workflows.py:54 bounded',
      'warning app/workflows.py:68 grows',
      'warning app/workflows.py:85 grows',
      'warning app/workflows.py:103 grows',
      'warning app/workflows.py:108 none',
      'warning app/workflows.py:128 grows',
    ]);
  });

  test('says what bounds the loop, and points at the addition that runs during it', () => {
    const phases = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 30)!;
    expect(phases.message).toContain('Workflow Phases loops (`for item in self.items:`) as many times as self.items, and each iteration adds about 6 history events');
    const fed = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 54)!;
    expect(fed.message).toContain('as many times as self.items (fed by a signal or update handler)');
    // The helper the loop awaits, not the seed appended before the loop.
    expect(grows(findings, 68)).toBe(72);
    expect(grows(findings, 85)).toBe(87);
    expect(grows(findings, 103)).toBe(109);
    expect(grows(findings, 128)).toBe(125);
  });
});

describe('workflow-unbounded-history: a list filled before the loop (TypeScript)', () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: path.join(fixturesDir, 'payloads-loop-growth'), config: undefined }));
  });

  test('a helper awaited before the loop and callbacks that have all run do not make the list grow; a helper the loop awaits and a promise left running do', () => {
    expect(of(findings)).toEqual([
      'info src/workflows.ts:15 bounded',
      'info src/workflows.ts:29 bounded',
      'info src/workflows.ts:44 bounded',
      'warning src/workflows.ts:55 grows',
      'warning src/workflows.ts:70 grows',
    ]);
  });

  test('says what bounds the loop, and points at the addition that runs during it', () => {
    const phases = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 15)!;
    expect(phases.message).toContain('Workflow phases loops (`for (const item of items) {`) as many times as items, and each iteration adds about 6 history events');
    expect(findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 44)!.message).toContain('as many times as items (fed by a signal or update handler)');
    expect(grows(findings, 55)).toBe(53);
    expect(grows(findings, 70)).toBe(65);
  });
});
