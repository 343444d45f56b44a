// schedule-create-ignores-existing, second shape: the schedule is created only when describing it
// fails (`try { await handle.describe() } catch { await client.schedule.create(...) }`), so an
// existing schedule keeps its first definition. The registrations of one package are one finding.
import { beforeAll, describe, expect, it } from 'vitest';
import scheduleIgnoresExisting from '../../src/checks/timeouts/schedule-create-ignores-existing.js';
import { fixtureReview, where, type FixtureReview } from './capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('schedule-registration');
});

describe('schedule-create-ignores-existing: describe-then-create', () => {
  it('warns once per package at the first describe guard, with the other guarded creates as related locations', () => {
    const findings = review.run(scheduleIgnoresExisting);
    expect(where(findings)).toEqual([
      'schedule-create-ignores-existing warning apps/billing/src/bootstrap.ts:9',
      'schedule-create-ignores-existing warning apps/reports/src/schedules.ts:10',
    ]);
    const billing = findings[0]!;
    expect(billing.message).toMatch(/^Schedule is created only when this describe call fails, and an existing schedule is left as it is\./);
    expect(billing.message).toMatch(/The package registers 1 other schedule the same way \(related locations\)/);
    expect(billing.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['apps/billing/src/bootstrap.ts:11', 'apps/billing/src/bootstrap.ts:23']);
    expect(findings[1]!.message).toMatch(/^Schedule 'nightly-report' is created only when this describe call fails/);
    expect(findings[1]!.related).toHaveLength(1);
  });

  it('leaves alone the guard whose try block updates the existing schedule', () => {
    const findings = review.run(scheduleIgnoresExisting);
    expect(findings.some((f) => f.file === 'apps/reports/src/schedules.ts' && f.line === 20)).toBe(false);
  });
});
