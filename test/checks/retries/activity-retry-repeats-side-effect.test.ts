// An activity that sends a signal whose handler appends each delivery, under a proxy that allows
// more than one attempt, is a warning; a signal to a handler outside the reviewed code and a
// library submission without an idempotency key are info; idempotent handlers, a key in the
// arguments (a property or a positional run id), reads, a single-attempt proxy, a branch switched
// off by a literal argument and a call whose failure is dropped with no write before it are left alone. One finding per side effect and
// policy: proxies with the same attempts and timeout share it.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-repeats-side-effect.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-repeats-side-effect', () => {
  const review = fixtureReview('activity-retry-repeats-side-effect');
  const findings = review.run(check);
  const byCall = (text: string) => findings.filter((f) => f.message.includes(text));

  it('reports each repeated side effect once per policy, at the first proxy, and not under the single-attempt proxy', () => {
    expect(where(findings).sort()).toEqual([
      'activity-retry-repeats-side-effect info src/workflows.ts:31',
      'activity-retry-repeats-side-effect info src/workflows.ts:31',
      'activity-retry-repeats-side-effect info src/workflows.ts:31',
      'activity-retry-repeats-side-effect info src/workflows.ts:31',
      'activity-retry-repeats-side-effect info src/workflows.ts:67',
      'activity-retry-repeats-side-effect warning src/workflows.ts:31',
    ]);
  });

  it('warns about a signal whose handler appends, with the attempts, the timeout and the other proxy', () => {
    const [signal] = byCall('sends signal enqueue');
    expect(signal!.severity).toBe('warning');
    expect(signal!.message).toContain('This proxy allows up to 5 attempts (the same policy is used by src/workflows.ts:61)');
    expect(signal!.message).toContain('runs past its startToCloseTimeout (30s) after its side effect is retried');
    expect(signal!.message).toContain('enqueueJob sends signal enqueue with `client.workflow.signalWithStart(...)` at src/activities.ts:14');
    expect(signal!.message).toContain('its handler (src/workflows.ts:10) appends every delivery');
    expect(signal!.fix).toContain('request id');
    expect(signal!.related!.map((r) => `${r.file.split('/').pop()}:${r.line}`)).toEqual(['activities.ts:14', 'workflows.ts:10', 'workflows.ts:61']);
  });

  it('notes a signal to a handler outside the code and submissions without a key, with an earlier write', () => {
    expect(byCall('notifyPartner sends signal partner-update')[0]!.message).toContain('its handler is not in the reviewed code');
    expect(byCall('auditOrder sends signal audit')[0]!.message).toContain('its handler (src/workflows.ts:21) calls code this review does not judge');
    const [composite] = byCall('recordAndNotify submits');
    expect(composite!.message).toContain(
      'recordAndNotify submits with `push.sendNotification(...)` at src/activities.ts:58 (through src/activities.ts:66) after writing with `createNotice(...)` at src/activities.ts:65',
    );
    const submits = byCall('submitOrder submits with `payments.submitPayment(...)` at src/activities.ts:45');
    expect(submits.map((f) => f.line)).toEqual([31, 67]);
    expect(submits[1]!.message).toContain('This proxy allows unlimited attempts (no maximumAttempts)');
    expect(submits[0]!.message).toContain('a receiver that refuses the repeat (a duplicate or nonce error) fails the activity');
    expect(findings.some((f) => /requestStop|addItem|notifyPartnerOnce|submitOrderWithKey|lookupOrder|enqueueJobQuietly|alertOps|pushQuietly|submitOrderForRun/.test(f.message))).toBe(false);
  });
});
