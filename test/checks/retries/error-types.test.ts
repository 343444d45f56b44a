import { describe, expect, it } from 'vitest';
import { closestType, isBusinessErrorType, isWellKnownErrorType } from '../../../src/engine/activity-policy/error-types.js';

describe('error types', () => {
  it('does not count JavaScript and Temporal failure classes as business errors', () => {
    expect(['Error', 'TypeError', 'ApplicationFailure', 'CancelledFailure'].filter(isBusinessErrorType)).toEqual([]);
    expect(isBusinessErrorType('PaymentDeclined')).toBe(true);
  });

  it('accepts TemporalTimeout entries and runtime or client library errors without a thrower', () => {
    expect(['TemporalTimeout:StartToClose', 'AbortError', 'AxiosError', 'TypeError'].every(isWellKnownErrorType)).toBe(true);
    expect(isWellKnownErrorType('CardExpried')).toBe(false);
  });

  it('suggests the thrown type an entry was meant to be', () => {
    expect(closestType('CardExpried', ['CardExpired', 'PaymentDeclined'])).toBe('CardExpired');
    expect(closestType('paymentdeclined', ['PaymentDeclined'])).toBe('PaymentDeclined');
    expect(closestType('Timeout', ['PaymentDeclined'])).toBeUndefined();
  });
});
