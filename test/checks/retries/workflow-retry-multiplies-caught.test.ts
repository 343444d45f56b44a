// workflow-retry-multiplies-activity-retries: a workflow retry policy multiplies only the retries of
// activities whose failure can fail the run. An activity awaited in a try whose catch (except)
// neither throws nor calls something that does, with nothing thrown after it, never makes the
// server retry the run: no finding when that holds for every activity of the workflow, and only the
// others are counted when it holds for some. TypeScript and Python, the same rules.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { findingsOf, where } from '../determinism/review-fixture.js';
import { fixturesDir } from '../helpers/review-fixture.js';

const CHECK = 'workflow-retry-multiplies-activity-retries';

describe(`${CHECK}: failures the workflow catches (TypeScript)`, () => {
  let findings: Finding[];
  beforeAll(() => {
    findings = findingsOf('workflow-start-retries-caught', [CHECK]);
  }, 120_000);

  it('leaves out the starts of workflows that catch every activity failure, and reports the others', () => {
    // Not src/starters.ts:4 (syncCalendar: caught, the compensation in a try/catch of its own) nor :5
    // (syncBoth: the catch returns a status; the throw after it is not reached from the catch).
    expect(where(findings)).toEqual([
      `${CHECK} warning src/starters.ts:6`, // chargeOrFail: compensates, then throws
      `${CHECK} info src/starters.ts:7`, // noticeOrFail: throws later on a flag the catch set
      `${CHECK} warning src/starters.ts:8`, // noticeThenCharge: chargeFee is not caught
      `${CHECK} info src/starters.ts:9`, // noticeOrHelper: the catch calls a function that throws
    ]);
  });

  it('names only the activities whose failure can fail the run in the multiplication', () => {
    const partial = findings.find((f) => f.line === 8)!;
    expect(partial.message).toContain('a retried run repeats the steps from the first one (sendNotice, chargeFee), side effects included');
    expect(partial.message).toContain('Activity chargeFee, whose failure can fail the run, already retries on its own, up to 3 attempts per call');
    expect(partial.message).toContain('up to 2 x 3 = 6 times');
    expect(partial.message).toContain('The failures of sendNotice are caught in workflow noticeThenCharge and do not fail the run');
    expect(partial.data).toMatchObject({ steps: ['sendNotice', 'chargeFee'], caughtSteps: ['sendNotice'] });
    const compensated = findings.find((f) => f.line === 6)!;
    expect(compensated.message).toContain('Its activities already retry on their own');
    expect(compensated.data).not.toHaveProperty('caughtSteps');
  });
});

describe(`${CHECK}: failures the workflow catches (Python)`, () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-workflow-retry-caught'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === CHECK);
  }, 120_000);

  it('leaves out the child start of a workflow that catches every activity failure, and reports the others', () => {
    // Not app/workflows.py:12 (SyncCalendarWorkflow: except ActivityError, the compensation in a try/except of its own).
    expect(findings.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual([
      'warning app/workflows.py:13', // ChargeOrFailWorkflow: compensates, then raises
      'info app/workflows.py:14', // NoticeFlagWorkflow: raises later on a flag the handler set
      'info app/workflows.py:15', // NoticeHelperWorkflow: the handler calls a method that raises
      'warning app/workflows.py:16', // NoticeThenChargeWorkflow: charge_fee is not caught
    ]);
  });

  it('names only the activities whose failure can fail the run in the multiplication', () => {
    const partial = findings.find((f) => f.line === 16)!;
    expect(partial.message).toContain('Activity charge_fee, whose failure can fail the run, already retries on its own, up to 3 attempts per call');
    expect(partial.message).toContain('The failures of send_notice are caught in workflow NoticeThenChargeWorkflow and do not fail the run');
    expect(partial.data).toMatchObject({ steps: ['send_notice', 'charge_fee'], caughtSteps: ['send_notice'] });
  });
});
