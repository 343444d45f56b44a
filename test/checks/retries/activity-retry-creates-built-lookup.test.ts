// activity-retry-repeats-side-effect, a lookup of the insert's table written as a query built in a
// variable (`let query = supabase.from('t').select(...).eq(...)`, narrowed, then awaited as
// `query.maybeSingle()`): the code looks before it creates, so the insert is left alone. A built
// query on another table is no such lookup.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-repeats-side-effect.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-repeats-side-effect: a lookup built in a variable', () => {
  const review = fixtureReview('activity-retry-creates-built-lookup');
  const findings = review.run(check);

  it('reports only the insert after a lookup of another table', () => {
    expect(where(findings)).toEqual(['activity-retry-repeats-side-effect info src/workflows.ts:4']);
    expect(findings[0]!.message).toContain("addTag creates a row in tags with `rows.from('tags').insert(...)` at src/activities.ts:25");
    expect(findings.some((f) => f.message.includes('ensureTag'))).toBe(false);
  });
});
