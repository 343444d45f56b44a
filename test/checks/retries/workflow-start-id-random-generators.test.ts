// Random ids made by generators the fixed list does not name: an aliased import of uuid's v4
// (`import { v4 as makeId } from 'uuid'`), a helper named as a generator from a package the
// checker cannot load (`generateUUIDv4()`), a project helper without parameters that draws
// Math.random() in a callback, and a const drawn as `Math.random().toString(36).substring(2, 10)`.
// uuid's v5 (a hash of a key) and a key builder are left alone.
import { beforeAll, describe, expect, it } from 'vitest';
import startIdRandom from '../../../src/checks/retries/workflow-start-id-random.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;

beforeAll(() => {
  review = fixtureReview('start-id-generators');
}, 120_000);

describe('workflow-start-id-random with id generators beyond the list', () => {
  it('notes aliased, named and project generators, not a name-based uuid or a key builder', () => {
    const findings = review.run(startIdRandom);
    expect(where(findings)).toEqual([
      'workflow-start-id-random info src/routes/orders.ts:11',
      'workflow-start-id-random info src/routes/orders.ts:15',
      'workflow-start-id-random info src/routes/orders.ts:19',
      'workflow-start-id-random info src/routes/orders.ts:32',
    ]);
    expect(findings[0]!.message).toContain('its workflow id is random (`order-${makeId()}`)');
    expect(findings[1]!.message).toContain('generateUUIDv4()');
    expect(findings[2]!.message).toContain('Math.random()');
    expect(findings[3]!.message).toContain('its workflow id is random (`order-${orderId}-${suffix}`)');
  });
});
