// A call into a synchronous utility package (remeda's `pick`) that the checker cannot type because
// the package is not installed is no request in flight, nor is a call of a reviewed synchronous
// function whose return type is untyped for the same reason (a config accessor typed from an
// uninstalled schema library): the activity still runs in memory. An untyped call into any other
// package (an HTTP client) may be one.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('retries-untyped-utility');
});

describe('untyped calls of packages that are not installed', () => {
  it('counts an untyped remeda pick as in memory and an untyped HTTP call as possible I/O', () => {
    const findings = fixture.findings(['activity-retry-policy-missing']);
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 6 },
    ]);
    expect(findings[0]!.message).toContain('settings performs no I/O');
    expect(findings[0]!.data).toMatchObject({ inMemory: true });
  });
});
