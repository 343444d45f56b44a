// activity-non-retryable-errors-uncovered on the evidence it has (issue 13, round-5 readings): a
// throw caught on the way (by a type guard of the project's, or by a helper that runs a callback
// inside its own try) does not leave the activity; `error` rests on a throw in the activity or a
// function it calls; a short policy whose failure the workflow catches and handles is info; a
// not-found guard (a throw reacting only to a row just read being missing) is no evidence.
// Over test/fixtures/retries-nonretry-precision.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('retries-nonretry-precision');
});

describe('activity-non-retryable-errors-uncovered evidence and severity', () => {
  it('grades each proxy by where the throw sits and whether the workflow handles the failure', () => {
    const findings = fixture.findings(['activity-non-retryable-errors-uncovered']);
    expect(findings.map(where)).toEqual([
      // Only QuotaExceeded, three helpers deep: behind helpers' conditions preflight does not weigh, so a note.
      { checkId: 'activity-non-retryable-errors-uncovered', severity: 'info', file: 'src/workflows.ts', line: 4 },
      // RecordMissing in a function the activity calls: retried without end.
      { checkId: 'activity-non-retryable-errors-uncovered', severity: 'error', file: 'src/workflows.ts', line: 6 },
      // Three attempts over seconds, and the workflow catches both activities' failures.
      { checkId: 'activity-non-retryable-errors-uncovered', severity: 'info', file: 'src/workflows.ts', line: 8 },
      // Same policy, but nothing in the workflow handles holdStock's failure.
      { checkId: 'activity-non-retryable-errors-uncovered', severity: 'info', file: 'src/workflows.ts', line: 13 },
      // AccountNotFound and UserNotFound are thrown only when a row just read is missing: a note.
      { checkId: 'activity-non-retryable-errors-uncovered', severity: 'info', file: 'src/workflows.ts', line: 18 },
      // UnknownPlan: the input looked up in the code's own table, a wrong input retried without end.
      { checkId: 'activity-non-retryable-errors-uncovered', severity: 'error', file: 'src/workflows.ts', line: 20 },
    ]);
    expect(findings.map((f) => f.data?.['uncoveredErrorTypes'])).toEqual([[], ['RecordMissing'], ['CardDeclined', 'RefundRejected'], ['StockMissing'], [], ['UnknownPlan']]);
    expect(findings[4]!.data?.['deepErrorTypes']).toEqual(['AccountNotFound', 'UserNotFound']);
    expect(findings[4]!.message).toMatch(/^Not-found guards in loadAccount and loadUser throw AccountNotFound and UserNotFound/);
    expect(findings[4]!.related!.map((r) => `${r.file}:${r.line}`)).toEqual(['src/activities.ts:47', 'src/activities.ts:55']);
    expect(findings[0]!.data?.['deepErrorTypes']).toEqual(['QuotaExceeded']);
    expect(findings[0]!.message).toContain('Helpers two or more calls below');
    expect(findings[2]!.message).toContain('The workflow catches the activity\'s failure where it calls it');
  });

  it('models what escapes each activity and how deep it is thrown', () => {
    const thrown = (name: string) =>
      fixture.model.activities
        .find((a) => a.name === name)!
        .thrownErrors.map((e) => `${e.type ?? '?'} depth ${e.callDepth}${e.nonRetryable === true ? ' non-retryable' : ''}`);
    // The callback's OrderRejected meets withTranslation's catch, which converts it; the guarded
    // `throw error` stays a rethrow of unknown type, as everywhere else.
    expect(thrown('translateOrder')).toEqual(['? depth 1', 'PermanentFailure depth 1 non-retryable']);
    // isPermanent(error) names both classes: the catch turns them into a result (only its own
    // `throw error`, of unknown type, remains).
    expect(thrown('materializeOrder')).toEqual(['? depth 1']);
    expect(thrown('reserveQuota')).toEqual(['QuotaExceeded depth 3']);
    expect(thrown('loadRecord')).toEqual(['RecordMissing depth 1']);
    expect(thrown('chargeCard')).toEqual(['CardDeclined depth 0']);
    const guards = (name: string) => fixture.model.activities.find((a) => a.name === name)!.thrownErrors.map((e) => e.guardsMissingRead === true);
    expect(guards('loadAccount')).toEqual([true]);
    expect(guards('loadUser')).toEqual([true]);
    expect(guards('pricePlan')).toEqual([false]);
    expect(guards('loadRecord')).toEqual([false]);
  });

  it('marks the activity calls the workflow handles', () => {
    const handled = fixture.model.activityProxies.flatMap((p) => (p.usedActivityTypes === 'all' ? [] : p.usedActivityTypes.filter((u) => u.handled).map((u) => u.name)));
    expect(handled.sort()).toEqual(['chargeCard', 'refundCard']);
  });
});
