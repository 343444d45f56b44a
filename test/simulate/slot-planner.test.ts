import { describe, expect, it } from 'vitest';
import { evaluateSlots, planSlots } from '../../src/simulate/slot-planner.js';

// Worker sizing vectors from TEMPORAL-FACTS.md §11 (exponential durations, no headroom).
describe('planSlots', () => {
  it.each([
    [100, 2000, 500, 214],
    [100, 2000, 100, 228],
    [10, 1000, 500, 15],
    [50, 10_000, 500, 538],
  ])('plans %i/s x %i ms at p99 <= %i ms with %i slots', (ratePerSecond, meanDurationMs, targetMs, slots) => {
    const plan = planSlots({ ratePerSecond, meanDurationMs, targetMs, headroom: 1 });
    expect(plan.slots).toBe(slots);
    expect(plan.wait.p99).toBeLessThanOrEqual(targetMs / 1000);
    expect(evaluateSlots({ ratePerSecond, meanDurationMs, slots: slots - 1 }).wait.p99).toBeGreaterThan(targetMs / 1000);
  });

  it('plans for twice the rate by default', () => {
    const plan = planSlots({ ratePerSecond: 50, meanDurationMs: 2000, targetMs: 500 });
    expect(planSlots({ ratePerSecond: 50, meanDurationMs: 2000, targetMs: 500, headroom: 2 })).toEqual(plan);
    expect(plan.headroom).toBe(2);
    expect(plan.slots).toBe(214);
    expect(plan.ratePerSecond).toBe(100);
    expect(plan.atExpectedRate.ratePerSecond).toBe(50);
    expect(plan.atExpectedRate.utilization).toBeCloseTo((50 * 2) / 214, 10);
    expect(plan.utilization).toBeCloseTo((100 * 2) / 214, 10);
  });

  it('reports utilization, probability of waiting and p50/p95/p99 in seconds', () => {
    const plan = planSlots({ ratePerSecond: 10, meanDurationMs: 1000, targetMs: 500, headroom: 1 });
    expect(plan.utilization).toBeCloseTo(10 / 15, 10);
    expect(plan.probabilityOfWaiting).toBeGreaterThan(0.01);
    expect(plan.wait.p50).toBe(0);
    expect(plan.wait.p95).toBeLessThan(plan.wait.p99);
    expect(plan.wait.p99).toBeGreaterThan(0.4);
  });

  it('needs more slots for a lower percentile target and for variable durations', () => {
    const base = { ratePerSecond: 100, meanDurationMs: 2000, targetMs: 100, headroom: 1 };
    expect(planSlots({ ...base, percentile: 95 }).slots).toBeLessThan(228);
    expect(planSlots({ ...base, durationCv: 2 }).slots).toBeGreaterThan(228);
    expect(planSlots({ ...base, durationCv: 0 }).slots).toBeLessThan(228);
  });

  it('builds a table from the first stable slot count past the answer, including it', () => {
    const plan = planSlots({ ratePerSecond: 100, meanDurationMs: 2000, targetMs: 500, headroom: 1 });
    const counts = plan.table.map((row) => row.slots);
    expect(counts[0]).toBe(201);
    expect(counts).toContain(214);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    const waits = plan.table.map((row) => row.p99);
    expect(waits).toEqual([...waits].sort((a, b) => b - a));
  });

  it('rejects impossible inputs', () => {
    expect(() => planSlots({ ratePerSecond: 0, meanDurationMs: 1000, targetMs: 500 })).toThrow('rate');
    expect(() => planSlots({ ratePerSecond: 1, meanDurationMs: 1000, targetMs: 500, percentile: 100 })).toThrow('percentile');
    expect(() => planSlots({ ratePerSecond: 1, meanDurationMs: 1000, targetMs: 500, headroom: 0.5 })).toThrow('headroom');
  });
});

describe('evaluateSlots', () => {
  it('reports an unstable pool when the slots cannot keep up', () => {
    const e = evaluateSlots({ ratePerSecond: 100, meanDurationMs: 2000, slots: 150 });
    expect(e.stable).toBe(false);
    expect(e.utilization).toBeCloseTo(200 / 150, 10);
    expect(e.wait.p99).toBe(Infinity);
  });
});
