// activity-retry-policy-missing is info when every activity the proxy (or Python call) schedules is
// read in full and cannot fail into the retry policy: it makes no call that can fail and throws
// nothing, or swallows every failure through Promise.allSettled of calls that make no failing call
// either (a notifier whose only provider writes to the console). Strict: an implementation of the
// settled interface that fetches, a throw, an untyped package call or a floating promise keep the
// warning; in Python a raise, a client call or a parse of the payload keep it.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;
let python: Finding[];

beforeAll(async () => {
  fixture = buildFixture('retries-failure-free');
  ({ findings: python } = await review({ dir: path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-retry-failure-free') }));
}, 180_000);

describe('activity-retry-policy-missing on activities that cannot fail', () => {
  it('TypeScript: info for the console notifier and the in-memory summary; warning for fetch, throw, untyped package, floating promise and an interface an object literal implements', () => {
    const findings = fixture.findings(['activity-retry-policy-missing']);
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows.ts', line: 5 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 6 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 7 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 8 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 9 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 10 },
    ]);
    expect(findings[0]!.message).toContain('notifyAssignee cannot fail into this policy');
    expect(findings[0]!.message).toContain('Promise.allSettled');
    expect(findings[0]!.data?.['failureFree']).toEqual([{ activity: 'notifyAssignee', how: 'failures-swallowed' }]);
    expect(findings[1]!.message).toContain('buildSummary cannot fail into this policy: its code, read in full with the project helpers it calls, makes no call that can fail and throws nothing');
    expect(findings[1]!.data?.['failureFree']).toEqual([{ activity: 'buildSummary', how: 'no-failing-call' }]);
    for (const finding of findings.slice(2)) expect(finding.message).not.toContain('cannot fail');
  });

  it('Python: info for the stub that logs and returns a dict; warning for a raise, an HTTP call and json.loads of the payload', () => {
    const findings = python.filter((f) => f.checkId === 'activity-retry-policy-missing');
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-retry-policy-missing info app/workflows.py:15',
      'activity-retry-policy-missing warning app/workflows.py:22',
      'activity-retry-policy-missing warning app/workflows.py:29',
      'activity-retry-policy-missing warning app/workflows.py:36',
    ]);
    expect(findings[0]!.message).toContain('request_document cannot fail into this policy: its code, read in full with the project helpers it calls, makes no call that can fail and raises nothing');
  });
});
