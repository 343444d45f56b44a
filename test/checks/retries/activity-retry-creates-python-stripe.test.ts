// activity-retry-repeats-side-effect on Python: a Stripe create (`stripe.Price.create(...)`, a
// StripeClient's `customers.create(...)`) without `idempotency_key` is a warning at the
// execute_activity call; with the key (as an argument or in `options`) it is left alone.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-retry-repeats-side-effect on Python: Stripe creates', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-creates-stripe'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-retry-repeats-side-effect');
  }, 120_000);

  it('reports the two creates without a key', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-repeats-side-effect', severity: 'warning', file: 'app/workflows.py', line: 15 },
      { checkId: 'activity-retry-repeats-side-effect', severity: 'warning', file: 'app/workflows.py', line: 17 },
    ]);
    expect(findings[0]!.message).toContain('create_price creates a Stripe price with `stripe.Price.create(...)` at app/activities.py:9');
    expect(findings[0]!.message).toContain('only by its `idempotency_key` request option');
    expect(findings[0]!.fix).toContain('`stripe.Price.create(..., idempotency_key=key)`');
    expect(findings[1]!.message).toContain('create_customer creates a Stripe customer with `stripe_client.customers.create(...)` at app/activities.py:21');
    expect(findings.some((f) => /with_key|with_options/.test(f.message))).toBe(false);
  });
});
