// workflow-catch-tests-application-failure leaves a pass-through alone: a clause or branch for the
// ApplicationFailure whose body only rethrows the caught error, placed before the code that wraps
// it, keeps the workflow's own failures from being wrapped twice and skips nothing meant for the
// activity's failure. Over test/fixtures/catch-passthrough and python-catch-passthrough.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { findingsOf, where } from '../determinism/review-fixture.js';

const CHECK = 'workflow-catch-tests-application-failure';

describe('workflow-catch-tests-application-failure pass-through', () => {
  it('TypeScript: not `if (err instanceof ApplicationFailure) throw err;` (alone or or-ed); still a branch that logs first, and a negated test', () => {
    const findings = findingsOf('catch-passthrough', [CHECK]);
    expect(where(findings)).toEqual([`${CHECK} warning src/workflows.ts:33`, `${CHECK} warning src/workflows.ts:46`]);
  });

  describe('Python', () => {
    let findings: Finding[];
    beforeAll(async () => {
      const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-catch-passthrough');
      ({ findings } = await review({ dir: root, config: undefined }));
    }, 120_000);

    it('not `except ApplicationError: raise`, `raise err`, nor an isinstance branch that only re-raises; still a clause that logs first, and a negated test', () => {
      const found = findings.filter((f) => f.checkId === CHECK);
      expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
        `${CHECK} warning app/workflows.py:51`,
        `${CHECK} warning app/workflows.py:59`,
      ]);
      expect(found[1]!.data).toEqual({ kind: 'activity', test: 'isinstance' });
    });
  });
});
