// The retries checks over real mini-projects: test/fixtures/retries-defects (one defect per proxy),
// retries-correct (every proxy right, options from another module) and retries-monorepo (the
// activities live in another package). Models are built once per fixture: building is the slow part.

import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/engine/config.js';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let defects: BuiltFixture;
let correct: BuiltFixture;
let monorepo: BuiltFixture;

beforeAll(() => {
  defects = buildFixture('retries-defects');
  correct = buildFixture('retries-correct');
  monorepo = buildFixture('retries-monorepo');
});

const RETRY_CHECKS = [
  'activity-retry-policy-missing',
  'activity-retry-attempts-unbounded',
  'activity-retry-backoff-default',
  'activity-retry-max-interval-unset',
  'activity-non-retryable-errors-uncovered',
  'activity-non-retryable-type-unknown',
  'activity-retry-policy-invalid',
];

function only(fixture: BuiltFixture, checkId: string) {
  return fixture.findings([checkId]);
}

describe('activity-retry-policy-missing', () => {
  it('flags a remote proxy without retry, with the default policy and the outage cost in numbers', () => {
    const findings = only(defects, 'activity-retry-policy-missing');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows/local.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows/no-retry.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows/unresolved.ts', line: 6 },
    ]);
    const remote = findings[1]!;
    expect(remote.message).toContain('initial interval 1s, backoff 2, maximum interval 1m 40s, unlimited attempts, no scheduleToCloseTimeout');
    expect(remote.message).toContain('An outage of 30 minutes makes 25 attempts per activity; at 10,000 workflows in flight that is 250,000 Actions (about $12.50)');
    expect(remote.data).toMatchObject({ activityTypes: ['sendEmail'], outage: { attemptsPerActivity: 25, actions: 250_000, costUsd: 12.5 } });
  });

  it('prices a local proxy in dependency calls and names the retries that localRetryThreshold turns into timers', () => {
    const local = only(defects, 'activity-retry-policy-missing')[0]!;
    expect(local.message).toContain('proxyLocalActivities for lookupRate');
    expect(local.message).toContain('the worker retries failures with the default policy');
    expect(local.message).toContain('25 attempts per activity, 18 retries of them after a workflow timer because the backoff passes localRetryThreshold (1m)');
    expect(local.message).toContain('250,000 calls to the failing dependency');
  });

  it('says "cannot tell" as info when the options come from an unresolved spread', () => {
    const info = only(defects, 'activity-retry-policy-missing')[2]!;
    expect(info.message).toContain('Cannot tell the retry policy');
    expect(info.message).toContain('`dynamicOptions`');
  });

  it('does not repeat the base proxy defect at an executeWithOptions override that leaves retry alone', () => {
    const lines = only(defects, 'activity-retry-policy-missing').filter((f) => f.file === 'src/workflows/no-retry.ts').map((f) => f.line);
    expect(lines).toEqual([4]);
  });

  it('prices the outage from config.volume', () => {
    const config = { ...defects.config, volume: { ...defects.config.volume, outage: '1h', workflowsInFlight: 1000 } };
    const remote = defects.findings(['activity-retry-policy-missing'], config).find((f) => f.file === 'src/workflows/no-retry.ts')!;
    expect(remote.message).toContain('An outage of 1 hour makes 43 attempts per activity; at 1,000 workflows in flight that is 43,000 Actions (about $2.15)');
  });

  it('passes proxies whose retry policy comes from another module', () => {
    expect(only(correct, 'activity-retry-policy-missing')).toEqual([]);
  });
});

describe('activity-retry-attempts-unbounded', () => {
  it('flags a retry policy without maximumAttempts and without scheduleToCloseTimeout', () => {
    const findings = only(defects, 'activity-retry-attempts-unbounded');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-attempts-unbounded', severity: 'warning', file: 'src/workflows/unbounded.ts', line: 4 },
    ]);
    expect(findings[0]!.message).toContain('initial interval 1s, backoff 2, maximum interval 1m, unlimited attempts, no scheduleToCloseTimeout');
    expect(findings[0]!.message).toContain('An outage of 30 minutes makes 36 attempts per activity; at 10,000 workflows in flight that is 360,000 Actions (about $18.00)');
  });

  it('passes bounded policies', () => {
    expect(only(correct, 'activity-retry-attempts-unbounded')).toEqual([]);
  });
});

describe('activity-retry-backoff-default', () => {
  it('warns on a coefficient below 2 with the attempts it costs, and notes an unset one as info', () => {
    const findings = only(defects, 'activity-retry-backoff-default');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-backoff-default', severity: 'warning', file: 'src/workflows/backoff.ts', line: 4 },
      { checkId: 'activity-retry-backoff-default', severity: 'info', file: 'src/workflows/backoff.ts', line: 10 },
    ]);
    expect(findings[0]!.message).toContain('makes 50 attempts per activity with this policy');
    expect(findings[0]!.message).toContain('against 36 with backoffCoefficient 2');
    expect(findings[1]!.message).toContain('leaves backoffCoefficient unset, so the server uses 2');
  });

  it('passes an explicit coefficient of 2', () => {
    expect(only(correct, 'activity-retry-backoff-default')).toEqual([]);
  });
});

describe('activity-retry-max-interval-unset', () => {
  it('notes an unset maximumInterval (100 x initial) under a finite maximumAttempts as info with its retry window, and flags one longer than the business deadline', () => {
    const findings = only(defects, 'activity-retry-max-interval-unset');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-max-interval-unset', severity: 'info', file: 'src/workflows/max-interval.ts', line: 4 },
      { checkId: 'activity-retry-max-interval-unset', severity: 'warning', file: 'src/workflows/max-interval.ts', line: 10 },
    ]);
    expect(findings[0]!.message).toContain('100 x initialInterval = 3m 20s');
    // 2+4+...+128 = 254s, then two waits at the 200s cap.
    expect(findings[0]!.message).toContain('With maximumAttempts 10, 2 of the 9 waits reach that cap and the waits add up to 10m 54s');
    expect(findings[1]!.message).toContain('longer than the business deadline of refundPayment (2m)');
    expect(findings[1]!.data).toMatchObject({ deadlinesExceeded: [{ activityType: 'refundPayment', deadlineMs: 120_000 }] });
  });

  it('judges a process.env value by its default and says it is configurable', () => {
    const configurable = only(defects, 'activity-retry-max-interval-unset')[1]!;
    expect(configurable.message).toContain("sets maximumInterval '30m'");
    expect(configurable.message).toContain('retry.maximumInterval comes from process.env.REFUND_MAX_BACKOFF; judged by its default');
  });

  it('has nothing to say without deadlines once maximumInterval is set', () => {
    const config = { ...defects.config, deadlines: { activities: {} } };
    expect(defects.findings(['activity-retry-max-interval-unset'], config).map((f) => f.line)).toEqual([4]);
  });

  it('passes a maximumInterval under the deadline', () => {
    expect(only(correct, 'activity-retry-max-interval-unset')).toEqual([]);
  });
});

describe('activity-non-retryable-errors-uncovered', () => {
  it('names the business error types the implementation throws that are not non-retryable', () => {
    const findings = only(defects, 'activity-non-retryable-errors-uncovered');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-non-retryable-errors-uncovered', severity: 'info', file: 'src/workflows/errors.ts', line: 5 },
    ]);
    const finding = findings[0]!;
    // CardExpired is listed, FraudSuspected is ApplicationFailure.nonRetryable, Error is not a business error.
    expect(finding.data).toMatchObject({ uncoveredErrorTypes: ['PaymentDeclined'] });
    expect(finding.message).toContain('chargeCard throws PaymentDeclined');
    expect(finding.message).toContain('attempted 5 times');
    expect(finding.related).toEqual([{ file: 'src/activities/payments.ts', line: 5, column: 20, message: 'chargeCard throws PaymentDeclined here' }]);
  });

  it('reads a retry policy spread from a constant in another module', () => {
    // errors.ts spreads FULL_RETRY from shared-retry.ts and adds its own nonRetryableErrorTypes.
    const finding = only(defects, 'activity-non-retryable-errors-uncovered')[0]!;
    expect(finding.data).toMatchObject({
      effectiveRetryPolicy: { initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60_000, maximumAttempts: 5, nonRetryableErrorTypes: ['CardExpired'] },
    });
  });

  it('leaves a type with a misspelt entry to activity-non-retryable-type-unknown', () => {
    expect(only(defects, 'activity-non-retryable-errors-uncovered').some((f) => f.line === 11)).toBe(false);
  });

  it('follows the activity into another package of a monorepo', () => {
    const findings = only(monorepo, 'activity-non-retryable-errors-uncovered');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-non-retryable-errors-uncovered', severity: 'info', file: 'packages/app/src/workflows.ts', line: 6 },
    ]);
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['packages/activities/src/billing.ts:6']);
    expect(findings[0]!.message).toContain('issueInvoice throws InvoiceRejected');
  });

  it('passes when the thrown business types are listed in nonRetryableErrorTypes', () => {
    expect(only(correct, 'activity-non-retryable-errors-uncovered')).toEqual([]);
  });
});

describe('activity-non-retryable-type-unknown', () => {
  it('names an entry nothing throws and suggests the thrown type it resembles', () => {
    const findings = only(defects, 'activity-non-retryable-type-unknown');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-non-retryable-type-unknown', severity: 'warning', file: 'src/workflows/errors.ts', line: 11 },
    ]);
    // TemporalTimeout:StartToClose and AbortError are well known, not typos.
    expect(findings[0]!.data).toMatchObject({ unknownErrorTypes: ['CardExpried'] });
    expect(findings[0]!.message).toContain("'CardExpried' looks like 'CardExpired'");
  });

  it('passes entries that an activity throws', () => {
    expect(only(correct, 'activity-non-retryable-type-unknown')).toEqual([]);
  });
});

describe('activity-retry-policy-invalid', () => {
  it('flags a policy the SDK rejects, with the SDK message', () => {
    const findings = only(defects, 'activity-retry-policy-invalid');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-invalid', severity: 'error', file: 'src/workflows/invalid-retry.ts', line: 4 },
    ]);
    expect(findings[0]!.message).toContain('RetryPolicy.maximumAttempts must be a positive integer');
  });

  it('passes valid policies', () => {
    expect(only(correct, 'activity-retry-policy-invalid')).toEqual([]);
  });
});

describe('retries checks together', () => {
  it('report a correctly configured project, options from another module included, with no finding at all', () => {
    expect(correct.findings(RETRY_CHECKS)).toEqual([]);
  });

  it('honour config: a check turned off reports nothing, a severity override applies', () => {
    const config = { ...defaultConfig(), ...defects.config, checks: { 'activity-retry-policy-missing': 'off' as const, 'activity-retry-attempts-unbounded': 'error' as const } };
    expect(defects.findings(['activity-retry-policy-missing'], config)).toEqual([]);
    expect(defects.findings(['activity-retry-attempts-unbounded'], config).map((f) => f.severity)).toEqual(['error']);
  });
});
