// Failure values by status and by a step's own flag: a runner in another module whose catch returns
// `{ status: ReviewStatus.FAILED }`, reached by the activity through a wrapper's callback
// (`await withCapability(id, () => runReview(id))`) and returned as it is, and `{ syncSuccess: false }`
// from a helper the activity returns. A workflow that reads only other fields (or drops the result)
// and goes on is reported; one that tests the status and the flag first is not. Python: an except
// clause returning `{"registration_success": False}` (its docstring calling a parameter "Optional"
// is no best-effort comment), and one returning `ToolOutput.failure(str(e))`, a project helper whose
// every return sets success=False; not a helper that computes the flag.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { findingsOf, where } from '../determinism/review-fixture.js';
import { fixturesDir, where as whereOf } from '../helpers/review-fixture.js';

describe('failure status results (TypeScript)', () => {
  const findings = findingsOf('failure-status-results', ['activity-failure-result-ignored', 'activity-failure-returned']);

  it('reports the workflow that reads around the failed status and drops the step flag; not the one that tests them', () => {
    expect(where(findings)).toEqual([
      'activity-failure-result-ignored warning src/workflows.ts:10',
      'activity-failure-result-ignored warning src/workflows.ts:11',
    ]);
  });

  it('names the runner return reached through the wrapper and the field read instead', () => {
    expect(findings[0]!.message).toContain(
      'Workflow approvalWorkflow awaits activity runReviewActivity, which reports a failure by returning { status: ReviewStatus.FAILED, ... } (src/review-runner.ts:22) instead of throwing, and keeps the result but reads only other fields of it (reviewId), never testing status',
    );
    expect(findings[1]!.message).toContain('returning { syncSuccess: false, ... } (src/review-runner.ts:28)');
    expect(findings[1]!.message).toContain('drops the result, never testing syncSuccess');
  });
});

describe('failure status results (Python)', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-failure-status-results'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-failure-returned' || f.checkId === 'activity-failure-result-ignored');
  }, 120_000);

  it('reports the _success flag and the failure() helper; not the computed helper', () => {
    // The workflow tests registration_success and returns on it: a note (only the retry of a
    // transient error is lost); scrape_pins' result is only read into the return value.
    expect(findings.map(whereOf)).toEqual([
      { checkId: 'activity-failure-returned', severity: 'info', file: 'app/activities.py', line: 35 },
      { checkId: 'activity-failure-returned', severity: 'warning', file: 'app/activities.py', line: 46 },
    ]);
  });

  it('names the call that can raise (not the class method that takes its own errors) and the value', () => {
    expect(findings[0]!.message).toContain('Activity register_tools catches every exception of client.post(...) (app/activities.py:31) and returns {"model_id": model_id, "registration_success": False');
    expect(findings[1]!.message).toContain('Activity scrape_pins catches every exception of client.get(...) (app/activities.py:42) and returns ToolOutput.failure(str(e)) instead of raising');
  });
});
