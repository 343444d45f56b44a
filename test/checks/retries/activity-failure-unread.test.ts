// activity-failure-returned, the unread shape: an activity that returns a failure value outside any
// catch (`if (!row) return { error: 'Customer not found' }`) while every workflow call reads only
// other fields of the result, so the workflow takes the failed step for a success. A workflow that
// reads the error or the success flag, or only stores the result, is left alone.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { findingsOf, where } from '../determinism/review-fixture.js';
import { fixturesDir, where as whereOf } from '../helpers/review-fixture.js';

describe('activity-failure-returned: a failure value no workflow reads (TypeScript)', () => {
  const findings = findingsOf('activity-failure-unread', ['activity-failure-returned']);

  it('reports only the activity whose error no workflow call reads', () => {
    expect(where(findings)).toEqual(['activity-failure-returned warning src/activities.ts:6']);
  });

  it('names the value, the workflow call and the fields it reads instead', () => {
    expect(findings[0]!.message).toContain(
      "Activity loadCustomer returns { error: 'Customer not found', ... } instead of throwing, and no workflow call reads it (src/workflows.ts:11): each keeps the result and reads only other fields of it (risk) or stores it whole",
    );
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/workflows.ts:11']);
  });
});

describe('activity failures on Python: a failure value no workflow reads, a silent except in a loop', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-failure-unread'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-failure-returned' || f.checkId === 'activity-failure-swallowed');
  }, 120_000);

  it('reports the unread failure values and the silent per-item except; nothing else', () => {
    expect(findings.map(whereOf)).toEqual([
      { checkId: 'activity-failure-returned', severity: 'warning', file: 'app/activities.py', line: 10 },
      { checkId: 'activity-failure-returned', severity: 'warning', file: 'app/activities.py', line: 26 },
      { checkId: 'activity-failure-swallowed', severity: 'warning', file: 'app/activities.py', line: 45 },
    ]);
  });

  it('names the fields read instead and the dropped failure', () => {
    expect(findings[0]!.message).toContain(
      'Activity load_customer returns {"error": "Customer not found"} instead of raising, and no workflow call reads it (app/workflows.py:18): each keeps the result and reads only other fields of it (risk, flagged) or stores it whole',
    );
    expect(findings[2]!.message).toContain('Activity save_pages catches every exception of store.save(...) (app/activities.py:43), drops it without a log (`pass`) and goes on');
  });
});
