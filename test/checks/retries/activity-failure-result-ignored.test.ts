// activity-failure-result-ignored: an activity returns a failure flag (`{ ok: false, reason }`,
// `{ success: report.passing }`) and a workflow call drops the result or reads only other fields of
// it, then goes on to another activity or returns a success. A call that reads the flag, passes the
// result on or returns it, an activity whose failure comes from a catch (activity-failure-returned),
// a failure returned only by a nested callback, and a call that is the workflow's last step are left alone.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { findingsOf, where } from '../determinism/review-fixture.js';
import { fixturesDir, where as whereOf } from '../helpers/review-fixture.js';

describe('activity-failure-result-ignored (TypeScript)', () => {
  const findings = findingsOf('activity-failure-result-ignored', ['activity-failure-result-ignored']);

  it('reports the dropped result, the result read around its flag, and the dropped result before a success', () => {
    expect(where(findings)).toEqual([
      'activity-failure-result-ignored warning src/workflows.ts:10',
      'activity-failure-result-ignored warning src/workflows.ts:11',
      'activity-failure-result-ignored warning src/workflows.ts:19',
    ]);
  });

  it('names the failing return, what the workflow reads and its next step', () => {
    expect(findings[0]!.message).toContain(
      "Workflow buildWorkflow awaits activity commitWork, which reports a failure by returning { ok: false, ... } (src/activities.ts:6) instead of throwing, and drops the result, never testing ok: when the step fails, the workflow goes on to activity runTests (src/workflows.ts:11)",
    );
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/activities.ts:6']);
    expect(findings[1]!.message).toContain('which says in success whether the step succeeded ({ success: report.passing || false, ... }, src/activities.ts:13)');
    expect(findings[1]!.message).toContain('reads only other fields of it (files)');
    expect(findings[2]!.message).toContain('the workflow goes on to return a success (src/workflows.ts:20)');
  });
});

describe('activity-failure-result-ignored (Python)', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-failure-result-ignored'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-failure-result-ignored');
  }, 120_000);

  it('reports the dropped result and the result read around its flag; nothing else', () => {
    expect(findings.map(whereOf)).toEqual([
      { checkId: 'activity-failure-result-ignored', severity: 'warning', file: 'app/workflows.py', line: 15 },
      { checkId: 'activity-failure-result-ignored', severity: 'warning', file: 'app/workflows.py', line: 16 },
    ]);
  });

  it('names the failing return and the next activity', () => {
    expect(findings[0]!.message).toContain(
      'Workflow ScrapeWorkflow awaits activity scrape_city, which reports a failure by returning {"success": False, "error": "nothing scraped"} (app/activities.py:10) instead of raising, and drops the result, never testing success: when the step fails, the workflow goes on to activity run_tests (app/workflows.py:16)',
    );
    expect(findings[1]!.message).toContain('reads only other fields of it (files)');
  });
});
