// Retry policies whose warnings could not come true (issue 13, pattern B and the like), over
// test/fixtures/retries-precision: a default maximumInterval that no wait ever reaches, a backoff
// coefficient that a small maximumAttempts makes irrelevant.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('retries-precision');
});

const inCaps = (checkId: string) => fixture.findings([checkId]).filter((f) => f.file === 'src/workflows/retry-caps.ts');

describe('activity-retry-max-interval-unset when the default cap can never apply', () => {
  it('stays quiet for one attempt, a flat backoff of 3 attempts, 8 doubling attempts and a scheduleToClose under the cap', () => {
    const lines = inCaps('activity-retry-max-interval-unset').map((f) => f.line);
    for (const quiet of [4, 6, 11, 15]) expect(lines).not.toContain(quiet);
  });

  it('notes 10 doubling attempts (the 9th wait, 4m 16s, passes the 1m 40s cap) as info with the retry window; an unresolved maximumAttempts is cannot tell (info)', () => {
    const findings = inCaps('activity-retry-max-interval-unset');
    // A finite maximumAttempts: the cap only stretches the tail of a window that ends (see the check's docs).
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-max-interval-unset', severity: 'info', file: 'src/workflows/retry-caps.ts', line: 13 },
      { checkId: 'activity-retry-max-interval-unset', severity: 'info', file: 'src/workflows/retry-caps.ts', line: 17 },
    ]);
    expect(findings[0]!.message).toContain('100 x initialInterval = 1m 40s');
    expect(findings[0]!.data).toMatchObject({ maximumIntervalUnset: true, longestWaitMs: 100_000 });
  });
});

describe('activity-retry-backoff-default when maximumAttempts stops retrying first', () => {
  it('does not call backoffCoefficient 1 dense when 3 attempts are made either way', () => {
    expect(inCaps('activity-retry-backoff-default').filter((f) => f.severity !== 'info')).toEqual([]);
  });

  // A policy of one attempt never waits, one of two waits initialInterval once: the coefficient
  // multiplies nothing, so leaving it unwritten hides no decision.
  it('says nothing of an unset backoffCoefficient under maximumAttempts 1, and still notes it under 8 attempts', () => {
    expect(inCaps('activity-retry-backoff-default').map((f) => `${f.severity} ${f.line}`)).toEqual(['info 11', 'info 13', 'info 15', 'info 17']);
  });
});
