// What an activity's failure can be (issue 13 held-out pattern 4): a throw the activity catches and
// handles (returns a Result, converts to an ApplicationFailure of its own type, logs and swallows)
// never reaches Temporal, and an error whose own flag says retryable is meant to be retried.
// A plain rethrow, a new error thrown from the catch and a rethrow an instanceof test lets through
// still escape. Over test/fixtures/retries-caught-errors.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('retries-caught-errors');
});

describe('activity-non-retryable-errors-uncovered and caught errors', () => {
  it('names only the errors that escape their activity', () => {
    const findings = fixture.findings(['activity-non-retryable-errors-uncovered']);
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-non-retryable-errors-uncovered', severity: 'info', file: 'src/workflows.ts', line: 4 },
    ]);
    expect(findings[0]!.data?.['uncoveredErrorTypes']).toEqual(['CardDeclined', 'LedgerError', 'OutOfStock', 'RefundRejected']);
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'src/helpers.ts:17 chargeCard throws CardDeclined here',
      'src/activities.ts:69 closeLedger throws LedgerError here',
      'src/activities.ts:55 reserveStock throws OutOfStock here',
      'src/helpers.ts:21 refund throws RefundRejected here',
    ]);
  });

  it('models the escaping throws of each activity', () => {
    const thrown = (name: string) =>
      fixture.model.activities.find((a) => a.name === name)!.thrownErrors.map((e) => `${e.type ?? '?'}${e.retryableByIntent ? ' (retryable)' : ''}`);
    expect(thrown('loadConfig')).toEqual([]);
    expect(thrown('runAgent')).toEqual(['?', 'AgentFailed']);
    expect(thrown('assembleReport')).toEqual([]);
    expect(thrown('syncLedger')).toEqual(['LedgerError (retryable)']);
    expect(thrown('chargeCard')).toEqual(['CardDeclined', '?']);
    expect(thrown('reserveStock')).toEqual(['OutOfStock']);
    // The guarded `throw err` stays a rethrow of unknown type: a library error may pass the test too.
    expect(thrown('refund')).toEqual(['RefundRejected', '?']);
    // The wrapper picks the flag from the error's data: not known, so not claimed retryable.
    const invoice = fixture.model.activities.find((a) => a.name === 'publishInvoice')!.thrownErrors;
    expect(invoice.filter((e) => e.type === 'InvoiceError').map((e) => `${e.type} ${String(e.nonRetryable)}`)).toEqual(['InvoiceError unknown']);
  });
});
