// A Python start whose `timedelta` is imported inside the handler (`from datetime import timedelta`
// in the function body) is read like one with a module-level import: its execution_timeout of two
// hours is compared with the workflow's 24-hour approval wait (workflow-execution-timeout-below-waits).
// Fixture: test/fixtures/python-local-import-bound.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('a name imported inside the enclosing function (Python)', () => {
  it('resolves timedelta imported in the handler, so the run bound is read', { timeout: 120_000 }, async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'python-local-import-bound'), config: undefined });
    const found = findings.filter((f) => f.checkId === 'workflow-execution-timeout-below-waits');
    expect(found.map(where)).toEqual([{ checkId: 'workflow-execution-timeout-below-waits', severity: 'warning', file: 'app/api.py', line: 9 }]);
    expect(found[0]!.message).toContain('sets execution_timeout timedelta(hours=2) (2h), but Pentest itself waits longer: workflow.wait_condition(..., timeout=timedelta(hours=24))');
  });
});
