// The timeouts checks over real mini-projects: test/fixtures/retries-defects (one defect per proxy),
// retries-correct (every proxy right, options from another module, heartbeat through a helper)
// and retries-monorepo (activities in another package, a schedule-to-start alert rule).

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let defects: BuiltFixture;
let correct: BuiltFixture;
let monorepo: BuiltFixture;

beforeAll(() => {
  defects = buildFixture('retries-defects');
  correct = buildFixture('retries-correct');
  monorepo = buildFixture('retries-monorepo');
});

const TIMEOUT_CHECKS = [
  'activity-start-to-close-missing',
  'activity-schedule-to-start-missing',
  'activity-schedule-to-close-missing',
  'activity-heartbeat-timeout-missing',
  'activity-heartbeat-timeout-without-heartbeat',
  'activity-long-loop-without-heartbeat',
  'activity-timeouts-inconsistent',
  'activity-timeout-invalid',
];

function only(fixture: BuiltFixture, checkId: string) {
  return fixture.findings([checkId]);
}

describe('activity-start-to-close-missing', () => {
  it('flags a proxy with scheduleToCloseTimeout and no startToCloseTimeout', () => {
    const findings = only(defects, 'activity-start-to-close-missing');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-start-to-close-missing', severity: 'warning', file: 'src/workflows/timeouts.ts', line: 5 },
    ]);
    expect(findings[0]!.message).toContain('the server gives each attempt the whole 10s');
  });

  it('passes proxies with both', () => {
    expect(only(correct, 'activity-start-to-close-missing')).toEqual([]);
  });
});

describe('activity-schedule-to-start-missing', () => {
  it('warns without an alert, explaining the trade-off, and says cannot tell for an unresolved spread', () => {
    const findings = only(defects, 'activity-schedule-to-start-missing');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-schedule-to-start-missing', severity: 'warning', file: 'src/workflows/timeouts.ts', line: 7 },
      { checkId: 'activity-schedule-to-start-missing', severity: 'info', file: 'src/workflows/unresolved.ts', line: 6 },
    ]);
    expect(findings[0]!.message).toContain('until scheduleToCloseTimeout (1m) fails it');
    expect(findings[0]!.message).toContain('a ScheduleToStart timeout is never retried');
    expect(findings[0]!.message).toContain('temporal_activity_schedule_to_start_latency');
  });

  it('is info when the project alerts on schedule-to-start latency', () => {
    const findings = only(monorepo, 'activity-schedule-to-start-missing');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-schedule-to-start-missing', severity: 'info', file: 'packages/app/src/workflows.ts', line: 6 },
    ]);
    expect(findings[0]!.message).toContain('alert "ActivityScheduleToStartHigh" in ops/prometheus/temporal.rules.yml');
  });

  it('finds the rule file by its content when config.alerts.ruleFiles points elsewhere', () => {
    const config = { ...monorepo.config, alerts: { ruleFiles: ['alerts/**/*.yml'] } };
    expect(monorepo.findings(['activity-schedule-to-start-missing'], config).map((f) => f.severity)).toEqual(['info']);
  });

  it('passes proxies with scheduleToStartTimeout, including one from process.env with a default', () => {
    expect(only(correct, 'activity-schedule-to-start-missing')).toEqual([]);
  });
});

describe('activity-schedule-to-close-missing', () => {
  it('flags bounded retries that can run past the business deadline', () => {
    const findings = only(defects, 'activity-schedule-to-close-missing');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-schedule-to-close-missing', severity: 'warning', file: 'src/workflows/timeouts.ts', line: 9 },
    ]);
    // 10 attempts of 10 s, backoffs 1+2+4+8+16+32+60+60+60 s: the last attempt ends at 5m 43s.
    expect(findings[0]!.data).toMatchObject({ worstCaseMs: 343_000, deadlinesExceeded: [{ activityType: 'refundPayment', deadlineMs: 120_000 }] });
    expect(findings[0]!.message).toContain('can take 5m 43s, past the business deadline of refundPayment (2m)');
  });

  it('says nothing without a deadline when the worst case stays within a day: unbounded retries are the retries checks\' finding', () => {
    const config = { ...defects.config, deadlines: { activities: {} } };
    expect(defects.findings(['activity-schedule-to-close-missing'], config)).toEqual([]);
  });

  it('passes proxies with scheduleToCloseTimeout', () => {
    expect(only(correct, 'activity-schedule-to-close-missing')).toEqual([]);
  });

  it('without a configured deadline, flags retries whose worst case passes a day', () => {
    const findings = buildFixture('timeouts-default-deadline').findings(['activity-schedule-to-close-missing']);
    expect(findings.map(where)).toEqual([{ checkId: 'activity-schedule-to-close-missing', severity: 'warning', file: 'src/workflows.ts', line: 5 }]);
    expect(findings[0]!.message).toMatch(/^No scheduleToCloseTimeout on proxyActivities for auditLedger: 20 attempts of up to 2h each \(startToCloseTimeout\) plus their backoffs can take .*, more than the 1d preflight assumes when no business deadline is configured\./);
    expect(findings[0]!.data).toMatchObject({ defaultDeadlineMs: 86_400_000 });
  });
});

describe('activity-heartbeat-timeout-missing', () => {
  it('flags an activity that heartbeats through a helper in another module, and a long startToClose', () => {
    const findings = only(defects, 'activity-heartbeat-timeout-missing');
    expect(findings.map(where)).toEqual([
      // Heartbeats nothing watches under a 10 s startToClose: a crash is noticed within those 10 s anyway, info.
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'info', file: 'src/workflows/heartbeats.ts', line: 5 },
      // A one-call lookup whose code shows no long run under a 15-minute startToClose: info (a crash
      // stalls the workflow only if it lands in the seconds the lookup runs).
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'info', file: 'src/workflows/heartbeats.ts', line: 15 },
    ]);
    expect(findings[0]!.message).toContain('exportReport heartbeats but nothing watches it');
    expect(findings[0]!.related).toEqual([{ file: 'src/activities/progress.ts', line: 4, column: 3, message: 'exportReport heartbeats but nothing watches it' }]);
    expect(findings[1]!.message).toContain('lookupRate may run up to 15m');
  });

  it('passes a heartbeating activity with heartbeatTimeout, and a local proxy', () => {
    expect(only(correct, 'activity-heartbeat-timeout-missing')).toEqual([]);
  });
});

describe('activity-heartbeat-timeout-without-heartbeat', () => {
  it('flags heartbeatTimeout on an activity that never heartbeats, at the proxy and at an override', () => {
    const findings = only(defects, 'activity-heartbeat-timeout-without-heartbeat');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-heartbeat-timeout-without-heartbeat', severity: 'warning', file: 'src/workflows/heartbeats.ts', line: 7 },
      { checkId: 'activity-heartbeat-timeout-without-heartbeat', severity: 'warning', file: 'src/workflows/heartbeats.ts', line: 23 },
    ]);
    expect(findings[0]!.message).toContain("heartbeatTimeout '5s' on proxyActivities for sendEmail, but sendEmail never calls heartbeat()");
    expect(findings[1]!.message).toContain('executeWithOptions override for lookupRate');
  });

  it('follows heartbeats through helpers, across packages too', () => {
    expect(only(correct, 'activity-heartbeat-timeout-without-heartbeat')).toEqual([]);
    expect(only(monorepo, 'activity-heartbeat-timeout-without-heartbeat')).toEqual([]);
  });
});

describe('activity-long-loop-without-heartbeat', () => {
  it('reports the loop once, at the implementation, as an error when a caller sets heartbeatTimeout', () => {
    const findings = only(defects, 'activity-long-loop-without-heartbeat');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities/catalog.ts', line: 5 },
    ]);
    expect(findings[0]!.message).toContain("sets heartbeatTimeout '5s', so every attempt that loops longer than that fails");
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/workflows/heartbeats.ts:9', 'src/workflows/heartbeats.ts:11']);
  });

  it('passes loops that heartbeat through a helper', () => {
    expect(only(correct, 'activity-long-loop-without-heartbeat')).toEqual([]);
    expect(only(monorepo, 'activity-long-loop-without-heartbeat')).toEqual([]);
  });
});

describe('activity-timeouts-inconsistent', () => {
  it('lists every contradiction of a proxy in one finding', () => {
    const findings = only(defects, 'activity-timeouts-inconsistent');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-timeouts-inconsistent', severity: 'warning', file: 'src/workflows/timeouts.ts', line: 15 },
    ]);
    expect(findings[0]!.data).toMatchObject({ problems: [expect.stringContaining("heartbeatTimeout '2m'"), expect.stringContaining("startToCloseTimeout '1m'")] });
  });

  it('compares scheduleToCloseTimeout with the business deadline', () => {
    const config = { ...correct.config, deadlines: { activities: { chargeCard: '1m' } } };
    const findings = correct.findings(['activity-timeouts-inconsistent'], config);
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-timeouts-inconsistent', severity: 'warning', file: 'src/workflows/order.ts', line: 5 },
    ]);
    expect(findings[0]!.message).toContain('longer than the business deadline of chargeCard (1m)');
  });

  it('passes ordered timeouts', () => {
    expect(only(correct, 'activity-timeouts-inconsistent')).toEqual([]);
  });
});

describe('activity-timeout-invalid', () => {
  it('flags durations the SDK or the server rejects, and no startToClose or scheduleToClose', () => {
    const findings = only(defects, 'activity-timeout-invalid');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-timeout-invalid', severity: 'error', file: 'src/workflows/invalid-timeouts.ts', line: 5 },
      { checkId: 'activity-timeout-invalid', severity: 'error', file: 'src/workflows/invalid-timeouts.ts', line: 7 },
      { checkId: 'activity-timeout-invalid', severity: 'error', file: 'src/workflows/invalid-timeouts.ts', line: 9 },
      { checkId: 'activity-timeout-invalid', severity: 'error', file: 'src/workflows/invalid-timeouts.ts', line: 11 },
    ]);
    expect(findings[0]!.message).toContain("TypeError: Invalid duration string: '5 minuts'");
    expect(findings[1]!.message).toContain("TypeError 'Required either scheduleToCloseTimeout or startToCloseTimeout'");
    expect(findings[2]!.message).toContain('scheduleToCloseTimeout -5000: the server rejects the command (negative duration)');
    expect(findings[2]!.message).toContain('scheduleToStartTimeout 0: 0 is accepted and means "no scheduleToStartTimeout"');
  });

  it('flags a proxy no workflow uses only for what fails when proxyActivities itself runs', () => {
    const unused = only(defects, 'activity-timeout-invalid')[3]!;
    expect(unused.message).toContain('proxyActivities (no workflow takes an activity from it)');
    expect(unused.message).toContain("TypeError 'Required either scheduleToCloseTimeout or startToCloseTimeout'");
    // '5 sec0nds' is converted only when an activity is scheduled, which never happens here.
    expect(unused.message).not.toContain('5 sec0nds');
  });

  it('passes valid durations', () => {
    expect(only(correct, 'activity-timeout-invalid')).toEqual([]);
  });
});

/** Orders "severity checkId file:line" by file, then line, then check, as the review reports them. */
function bySite(a: string, b: string): number {
  const site = (text: string) => {
    const [severity, checkId, location] = text.split(' ');
    const [file, line] = location!.split(':');
    return { file: file!, line: Number(line), rest: `${checkId} ${severity}` };
  };
  const x = site(a);
  const y = site(b);
  return x.file.localeCompare(y.file) || x.line - y.line || x.rest.localeCompare(y.rest);
}

describe('retry and timeout checks together', () => {
  it('report every defect of the defects fixture exactly once, at the proxy or at the implementation line', () => {
    const all = defects.findings().map((f) => `${f.severity} ${f.checkId} ${f.file}:${f.line}`);
    expect([...all].sort(bySite)).toEqual([
      'info activity-long-loop-without-heartbeat src/activities/catalog.ts:5',
      // exportReport heartbeats after each row and never reads cancellation.
      'info activity-cancellation-ignored src/activities/catalog.ts:11',
      // sendEmail and lookupRate fetch with no signal; their attempts are not shorter than the
      // 5-minute limit fetch keeps on its own, so these are notes.
      'info activity-call-without-timeout src/activities/catalog.ts:19',
      'info activity-call-without-timeout src/activities/catalog.ts:23',
      // `if (!id) throw new TypeError('missing id')`: a wrong input, retried up to maximumAttempts.
      'info activity-permanent-error-retried src/activities/payments.ts:13',
      'warning activity-retry-backoff-default src/workflows/backoff.ts:4',
      'info activity-retry-backoff-default src/workflows/backoff.ts:10',
      'info activity-non-retryable-errors-uncovered src/workflows/errors.ts:5',
      'warning activity-non-retryable-type-unknown src/workflows/errors.ts:11',
      'info activity-heartbeat-timeout-missing src/workflows/heartbeats.ts:5',
      'warning activity-heartbeat-timeout-without-heartbeat src/workflows/heartbeats.ts:7',
      'info activity-heartbeat-timeout-missing src/workflows/heartbeats.ts:15',
      'warning activity-heartbeat-timeout-without-heartbeat src/workflows/heartbeats.ts:23',
      'error activity-retry-policy-invalid src/workflows/invalid-retry.ts:4',
      'error activity-timeout-invalid src/workflows/invalid-timeouts.ts:5',
      'error activity-timeout-invalid src/workflows/invalid-timeouts.ts:7',
      'error activity-timeout-invalid src/workflows/invalid-timeouts.ts:9',
      'error activity-timeout-invalid src/workflows/invalid-timeouts.ts:11',
      'warning activity-retry-policy-missing src/workflows/local.ts:4',
      'info activity-retry-max-interval-unset src/workflows/max-interval.ts:4',
      'warning activity-retry-max-interval-unset src/workflows/max-interval.ts:10',
      'warning activity-retry-policy-missing src/workflows/no-retry.ts:4',
      'warning activity-start-to-close-missing src/workflows/timeouts.ts:5',
      'warning activity-schedule-to-start-missing src/workflows/timeouts.ts:7',
      'warning activity-schedule-to-close-missing src/workflows/timeouts.ts:9',
      'warning activity-timeouts-inconsistent src/workflows/timeouts.ts:15',
      'warning activity-retry-attempts-unbounded src/workflows/unbounded.ts:4',
      'info activity-retry-policy-missing src/workflows/unresolved.ts:6',
      'info activity-schedule-to-start-missing src/workflows/unresolved.ts:6',
      // Five attempts from 1s: the last starts seconds after the first failure, on calls no
      // workflow catches (activity-retry-window-short notes them).
      ...[
        'src/workflows/backoff.ts:4',
        'src/workflows/backoff.ts:10',
        'src/workflows/heartbeats.ts:5',
        'src/workflows/heartbeats.ts:7',
        'src/workflows/heartbeats.ts:9',
        'src/workflows/heartbeats.ts:11',
        'src/workflows/heartbeats.ts:15',
        'src/workflows/heartbeats.ts:23',
        'src/workflows/invalid-timeouts.ts:5',
        'src/workflows/invalid-timeouts.ts:7',
        'src/workflows/timeouts.ts:5',
        'src/workflows/timeouts.ts:7',
        'src/workflows/timeouts.ts:15',
      ].map((site) => `info activity-retry-window-short ${site}`),
    ].sort(bySite));
  });

  it('report a correctly configured project, options from another module included, with no finding but a note on its short retry window', () => {
    expect(correct.findings(TIMEOUT_CHECKS)).toEqual([]);
    // REPORT_OPTIONS: five attempts from 1s, the last 15s after the first failure, uncaught.
    expect(correct.findings().map((f) => `${f.severity} ${f.checkId} ${f.file}:${f.line}`)).toEqual(['info activity-retry-window-short src/workflows/order.ts:7']);
  });

  it('report the monorepo only for its uncovered error type, the alert-covered queue wait and the ledger import that heartbeats per row but ignores cancellation', () => {
    expect(monorepo.findings().map((f) => `${f.severity} ${f.checkId} ${f.file}:${f.line}`)).toEqual([
      'info activity-cancellation-ignored packages/activities/src/billing.ts:10',
      'info activity-non-retryable-errors-uncovered packages/app/src/workflows.ts:6',
      'info activity-schedule-to-start-missing packages/app/src/workflows.ts:6',
      // RETRY: five attempts from 1s, the last 15s after the first failure, and importLedger is not caught.
      'info activity-retry-window-short packages/app/src/workflows.ts:8',
    ]);
  });
});
