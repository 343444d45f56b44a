// Findings inside a private function or method of Python workflow or activity code that no name in
// the project refers to are notes: no run reaches them. Over
// test/fixtures/python-unreferenced-private: OrderWorkflow._switch_carrier is called by nothing, and
// the module function _legacy_price only by it, so the cancellation clauses in both are info with
// the reason; _ship (called through self) and _notify (read by getattr with its name) still report.
// Also activity-failure-returned and asyncio.gather: with return_exceptions=True the gather hands
// the exceptions back instead of raising, so the catch-all around it returns no failure of the
// gathered work (fetch_all); without it (fetch_each) the finding stays.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { review } from '../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', 'fixtures', 'python-unreferenced-private');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

const where = (f: Finding) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`;

describe('Python private functions nothing refers to', () => {
  test('lowers the findings inside them to info with the reason, and keeps the reachable ones', () => {
    const swallowed = findings.filter((f) => f.checkId === 'workflow-cancellation-swallowed');
    expect(swallowed.map(where)).toEqual([
      'workflow-cancellation-swallowed info shop/workflows.py:12',
      'workflow-cancellation-swallowed warning shop/workflows.py:35',
      'workflow-cancellation-swallowed warning shop/workflows.py:41',
      'workflow-cancellation-swallowed info shop/workflows.py:48',
    ]);
    expect(swallowed[0]!.message).toMatch(/^Nothing in the project calls _legacy_price \(no code refers to it\); once called: This except Exception/);
    expect(swallowed[3]!.message).toMatch(/^Nothing in the project calls _switch_carrier \(no code refers to it\); once called: /);
    expect(swallowed[3]!.data?.['neverRun']).toBe('Nothing in the project calls _switch_carrier (no code refers to it)');
  });
});

describe('activity-failure-returned and asyncio.gather(return_exceptions=True)', () => {
  test('reports the gather that raises and not the one that returns the exceptions', () => {
    expect(findings.filter((f) => f.checkId === 'activity-failure-returned').map(where)).toEqual(['activity-failure-returned warning shop/activities.py:29']);
  });
});
