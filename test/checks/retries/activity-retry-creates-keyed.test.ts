// activity-retry-repeats-side-effect, creates whose repeat is certain: a Stripe create without the
// `idempotencyKey` request option is a warning (Stripe recognises a repeat only by that key), and
// an insert whose primary key comes from the activity's input with no conflict handling is info
// (the retry fails on the key), even as the last step and under a retry policy whose
// maximumAttempts comes from configuration. Left alone: a key passed (literally or in options the
// reading cannot see), a lookup first, a checkout session, a conflict clause, a caught duplicate,
// a fresh random id as the last step, and a single-attempt proxy. A key the caller of a helper draws
// fresh is a new row per attempt, reported when a later step can fail.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-repeats-side-effect.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-repeats-side-effect: Stripe creates and inserts keyed by the input', () => {
  const review = fixtureReview('activity-retry-creates-keyed');
  const findings = review.run(check);
  const of = (activity: string) => findings.find((f) => f.message.includes(`. ${activity} creates`));

  it('reports the Stripe create as a warning and the two keyed inserts as info', () => {
    expect(where(findings)).toEqual([
      'activity-retry-repeats-side-effect warning src/workflows.ts:5',
      'activity-retry-repeats-side-effect info src/workflows.ts:5',
      'activity-retry-repeats-side-effect info src/workflows.ts:5',
      'activity-retry-repeats-side-effect info src/workflows.ts:9',
    ]);
  });

  it('names the Stripe object and the request option', () => {
    const product = of('createProduct')!;
    expect(product.message).toContain('createProduct creates a Stripe product with `payments.products.create(...)` at src/activities.ts:18');
    expect(product.message).toContain('Stripe recognises a repeated create only by its `idempotencyKey` request option, and the call passes none');
    expect(product.fix).toContain('`payments.products.create(params, { idempotencyKey })`');
    expect((product.data as { sideEffect: { sdk: string } }).sideEffect.sdk).toBe('Stripe');
  });

  it('names the input key and the failure of every retry', () => {
    const notify = of('saveAndNotify')!;
    expect(notify.message).toContain(
      'saveAndNotify creates a row in artifacts with `db.insert(...)` at src/activities.ts:52, with its primary key from the input (`id: artifact.id`), then awaits `notify(...)` at src/activities.ts:53: when that fails, the retry runs the activity from the top and its insert fails on the key the first attempt stored',
    );
    expect(notify.fix).toContain('`.onConflictDoNothing()` (Drizzle)');
    const last = of('saveArtifact')!;
    expect(last.message).toContain('This proxy allows a number of attempts set by `settings.maxAttempts`, which this review cannot read');
    expect(last.message).toContain('saveArtifact creates a row in artifacts with `db.insert(...)` at src/activities.ts:47, as its last step, with its primary key from the input (`id: artifact.id`)');
    expect(last.message).toContain('every retry fails on that key and the workflow fails although the row exists');
    expect((last.data as { sideEffect: { keyedBy: string; lastStep: string } }).sideEffect).toMatchObject({ keyedBy: 'id: artifact.id', lastStep: 'keyed' });
  });

  it('a key the caller draws fresh is no input key: a failing later step makes the retry insert a second row', () => {
    const generated = of('saveGenerated')!;
    expect(generated.message).toContain(
      'saveGenerated creates a row in artifacts with `db.insert(...)` at src/activities.ts:84 (through src/activities.ts:79), then awaits `notify(...)` at src/activities.ts:80: when that fails, the retry runs the activity from the top and creates a row in artifacts again.',
    );
    expect(generated.data).not.toHaveProperty('sideEffect.keyedBy');
  });

  it('leaves keyed, looked-up, harmless and conflict-handling creates alone', () => {
    const quiet = /createProductWithKey|createCustomerWithOptions|findOrCreateCustomer|openCheckout|saveArtifactOnce|saveArtifactCaught|saveFreshArtifact/;
    expect(findings.some((f) => quiet.test(f.message))).toBe(false);
  });
});
