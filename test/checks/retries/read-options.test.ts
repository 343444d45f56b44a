import { describe, expect, it } from 'vitest';
import { readActivityOptions } from '../../../src/engine/activity-policy/read-options.js';
import { effectiveRetry } from '../../../src/engine/activity-policy/effective-retry.js';
import { literal, literalObject, unknownValue } from '../helpers/static-values.js';

describe('readActivityOptions', () => {
  it('reads durations, numbers and error type lists', () => {
    const view = readActivityOptions(
      literalObject({
        startToCloseTimeout: '30s',
        retry: literalObject({ maximumAttempts: 5, initialInterval: 500, nonRetryableErrorTypes: ['PaymentDeclined'] }),
      }),
    );
    expect(view.startToCloseTimeout).toMatchObject({ state: 'set', ms: 30_000, written: "'30s'" });
    expect(view.scheduleToCloseTimeout).toEqual({ state: 'absent' });
    expect(view.retry).toMatchObject({
      state: 'set',
      maximumAttempts: { state: 'set', value: 5 },
      initialInterval: { state: 'set', ms: 500 },
      backoffCoefficient: { state: 'absent' },
      nonRetryableErrorTypes: { state: 'set', entries: [{ value: 'PaymentDeclined' }], unresolved: [] },
    });
  });

  it("says 'maybe' for a missing key when an unresolved spread could provide it", () => {
    const view = readActivityOptions(literalObject({ startToCloseTimeout: '30s' }, ['...defaults']));
    expect(view.retry).toMatchObject({ state: 'maybe', text: '...defaults' });
    expect(view.startToCloseTimeout).toMatchObject({ state: 'set' });
  });

  it("says 'unknown' for a value it cannot resolve, and for every field of unresolved options", () => {
    expect(readActivityOptions(literalObject({ retry: unknownValue('buildRetry()') })).retry).toMatchObject({ state: 'unknown', text: 'buildRetry()' });
    const view = readActivityOptions(unknownValue('loadOptions()'));
    expect(view.unresolved).toMatchObject({ text: 'loadOptions()' });
    expect(view.heartbeatTimeout).toMatchObject({ state: 'unknown' });
  });

  it('keeps the configurable marker of process.env values, judged by their default', () => {
    const view = readActivityOptions(literalObject({ startToCloseTimeout: literal('2m', { env: 'ACTIVITY_TIMEOUT' }) }));
    expect(view.startToCloseTimeout).toMatchObject({ state: 'set', ms: 120_000, configurable: { env: 'ACTIVITY_TIMEOUT' } });
  });

  it('treats retry: undefined or null as no retry policy', () => {
    expect(readActivityOptions(literalObject({ retry: undefined })).retry).toEqual({ state: 'absent' });
    expect(readActivityOptions(literalObject({ retry: null })).retry).toEqual({ state: 'absent' });
  });
});

describe('effectiveRetry', () => {
  it('fills the server defaults and bounds retrying by scheduleToClose', () => {
    const retry = effectiveRetry(readActivityOptions(literalObject({ startToCloseTimeout: '10s', scheduleToCloseTimeout: '5m' })));
    expect(retry).toEqual({
      known: true,
      written: false,
      policy: { initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 100_000, maximumAttempts: 0, nonRetryableErrorTypes: [], scheduleToCloseMs: 300_000 },
      configurable: [],
    });
  });

  it('cannot tell when a field it needs is unresolved', () => {
    const retry = effectiveRetry(readActivityOptions(literalObject({ startToCloseTimeout: '10s', retry: literalObject({ maximumAttempts: unknownValue('env.n') }) })));
    expect(retry).toMatchObject({ known: false, unresolved: { field: 'retry.maximumAttempts', text: 'env.n' } });
  });

  it('lists the fields that come from configuration', () => {
    const retry = effectiveRetry(readActivityOptions(literalObject({ startToCloseTimeout: '10s', retry: literalObject({ maximumAttempts: literal(3, { env: 'RETRIES' }) }) })));
    expect(retry).toMatchObject({ known: true, written: true, policy: { maximumAttempts: 3 }, configurable: [{ field: 'retry.maximumAttempts', env: 'RETRIES' }] });
  });
});
