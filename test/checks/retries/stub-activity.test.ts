// An activity that only writes a log line and returns a constant cannot fail, even when the
// logger's package is not installed and the checker types its calls `any`: a missing retry policy
// costs nothing there (info), also when it logs through `Context.current().log` and the SDK's types
// are not installed. One that awaits a database call can fail with the database (warning).

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('retries-stub-activity');
});

describe('activities that only log', () => {
  it('reports info for a stub that logs and returns [] and a warning for one that awaits the database', () => {
    const findings = fixture.findings(['activity-retry-policy-missing']);
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 6 },
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows.ts', line: 14 },
    ]);
    expect(findings[0]!.message).toContain('listOverdueInvoices performs no I/O');
    // `Context.current().log.warn(...)` with the SDK's activity package not installed
    expect(findings[2]!.message).toContain('renewWebhooks performs no I/O');
  });
});
