// activity-retry-disabled on Python when an except around the call only cleans up and raises again:
// the workflow still fails at the first transient error, so the finding stands. An except that
// recovers (a fallback value) stays silent, and so does one that raises on some paths only (a
// cancellation that returns).

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-retry-disabled on Python with except-and-raise', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-disabled-rethrow'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-retry-disabled');
  }, 120_000);

  it('reports the calls whose except cleans up and raises on every path; not a fallback or an except that returns on some path', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-disabled', severity: 'info', file: 'app/workflows.py', line: 20 },
      { checkId: 'activity-retry-disabled', severity: 'info', file: 'app/workflows.py', line: 40 },
    ]);
    expect(findings[0]!.message).toContain(
      'during generate_report fails the activity at its first attempt, and nothing in workflow ReportWorkflow catches the ActivityError and recovers (an except that cleans up and then raises again on every path still fails the workflow), so the workflow fails with it.',
    );
    expect(findings[1]!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual(['app/workflows.py:40 publish_report called in ReportWorkflow, whose except around it raises again']);
  });
});
