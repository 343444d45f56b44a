// TEMPORAL-FACTS.md section 2: durations are milliseconds or `ms` strings, and what the SDK rejects
// throws at run time. These tests run the SDK's own conversion (@temporalio/common/lib/time) and
// option validation (@temporalio/workflow proxyActivities) next to ours, so an SDK upgrade that
// changes what is rejected fails here.

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { durationVerdict } from '../../../src/engine/activity-policy/duration-verdict.js';

const require = createRequire(import.meta.url);
const sdkTime = require('@temporalio/common/lib/time.js') as { msOptionalToTs(value: unknown): unknown };
const sdkWorkflow = require('@temporalio/workflow') as { proxyActivities(options: unknown): unknown };

/** What the SDK does with a duration option: the error it throws, or null when it accepts it. */
function sdkError(value: unknown): string | null {
  try {
    sdkTime.msOptionalToTs(value);
    return null;
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

const TABLE: unknown[] = ['30s', '5m', '1.5h', '2 days', '5 M', '.5s', '500', 1500, 0, '0s', -5000, '-5m', '5 minuts', '1e3', '5 minutes ', '', 'x'.repeat(101), Number.NaN, Number.POSITIVE_INFINITY, true];

describe('durationVerdict', () => {
  it.each(TABLE)('agrees with the SDK on %j', (value) => {
    const verdict = durationVerdict(value);
    const sdkRejects = sdkError(value) !== null;
    expect(verdict.kind === 'invalid' && verdict.problem.rejectedBy === 'sdk').toBe(sdkRejects);
  });

  it('quotes the SDK error for an unparsable string', () => {
    expect(sdkError('5 minuts')).toBe("TypeError: Invalid duration string: '5 minuts'");
    expect(durationVerdict('5 minuts')).toEqual({
      kind: 'invalid',
      problem: { reason: 'unparsable', rejectedBy: 'sdk', error: "TypeError: Invalid duration string: '5 minuts'" },
    });
  });

  it('quotes the SDK error for non-finite numbers', () => {
    expect(sdkError(Number.NaN)).toBe('ValueError: Invalid millis NaN');
    expect(durationVerdict(Number.NaN)).toMatchObject({ problem: { reason: 'not-finite', error: 'ValueError: Invalid millis NaN' } });
  });

  it('leaves negatives to the server, which rejects them, and 0 to mean "unset"', () => {
    expect(sdkError(-5000)).toBeNull();
    expect(durationVerdict(-5000)).toMatchObject({ kind: 'invalid', problem: { reason: 'negative', rejectedBy: 'server' } });
    expect(durationVerdict('-5m')).toMatchObject({ kind: 'invalid', problem: { reason: 'negative', rejectedBy: 'server' } });
    expect(durationVerdict(0)).toEqual({ kind: 'zero' });
  });

  it('reads strings exactly like ms', () => {
    expect(durationVerdict('1.5h')).toEqual({ kind: 'duration', ms: 5_400_000 });
    expect(durationVerdict('5 M')).toEqual({ kind: 'duration', ms: 300_000 });
    expect(durationVerdict('500')).toEqual({ kind: 'duration', ms: 500 });
  });
});

describe('the SDK option validation the checks encode', () => {
  it('throws a TypeError when neither startToCloseTimeout nor scheduleToCloseTimeout is given', () => {
    expect(() => sdkWorkflow.proxyActivities({ scheduleToStartTimeout: '1m' })).toThrow(new TypeError('Required either scheduleToCloseTimeout or startToCloseTimeout'));
    expect(() => sdkWorkflow.proxyActivities({ startToCloseTimeout: undefined })).toThrow(TypeError);
  });

  it('lets null and 0 through, leaving the rejection to the server', () => {
    expect(() => sdkWorkflow.proxyActivities({ startToCloseTimeout: null })).not.toThrow();
    expect(() => sdkWorkflow.proxyActivities({ startToCloseTimeout: 0 })).not.toThrow();
  });
});
