import { describe, expect, it } from 'vitest';
import {
  allenCunneenFactor,
  erlangB,
  erlangC,
  meanWait,
  probabilityWaitExceeds,
  queueWait,
  waitPercentile,
} from '../../src/simulate/erlang-c.js';

// Reference vectors from TEMPORAL-FACTS.md §11.
describe('Erlang C', () => {
  it('gives C = 0.174, service level 0.888 at 20 s and occupancy 0.714 for a = 10, c = 14, 180 s service', () => {
    const wait = queueWait({ slots: 14, ratePerSecond: 10 / 180, meanServiceSeconds: 180 });
    expect(wait.probabilityOfWaiting).toBeCloseTo(0.174, 3);
    expect(1 - probabilityWaitExceeds(wait, 20)).toBeCloseTo(0.888, 3);
    expect(wait.utilization).toBeCloseTo(0.714, 3);
  });

  it('gives C = 0.102, service level 0.941 and occupancy 0.667 for c = 15', () => {
    const wait = queueWait({ slots: 15, ratePerSecond: 10 / 180, meanServiceSeconds: 180 });
    expect(wait.probabilityOfWaiting).toBeCloseTo(0.102, 3);
    expect(1 - probabilityWaitExceeds(wait, 20)).toBeCloseTo(0.941, 3);
    expect(wait.utilization).toBeCloseTo(0.667, 3);
  });

  it('gives C = 0.2387 and a mean wait of 8.18 s for a = 48, c = 55, 240 s service', () => {
    const wait = queueWait({ slots: 55, ratePerSecond: 48 / 240, meanServiceSeconds: 240 });
    expect(wait.probabilityOfWaiting).toBeCloseTo(0.2387, 4);
    expect(meanWait(wait)).toBeCloseTo(8.18, 2);
  });

  it('reduces to M/M/1 for one slot: lambda 0.5, mu 1 gives C 0.5, Wq 1.0, P(W > 1) 0.3033', () => {
    const wait = queueWait({ slots: 1, ratePerSecond: 0.5, meanServiceSeconds: 1 });
    expect(wait.probabilityOfWaiting).toBeCloseTo(0.5, 10);
    expect(meanWait(wait)).toBeCloseTo(1.0, 10);
    expect(probabilityWaitExceeds(wait, 1)).toBeCloseTo(0.3033, 4);
  });

  it('stays finite for thousands of slots where a^c / c! would overflow', () => {
    const c = erlangC(5200, 5000);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThan(1);
    expect(erlangB(5200, 5000)).toBeGreaterThan(0);
  });

  it('marks a >= c as unstable: everyone waits, forever', () => {
    const wait = queueWait({ slots: 10, ratePerSecond: 10, meanServiceSeconds: 1 });
    expect(wait.stable).toBe(false);
    expect(erlangC(10, 10)).toBe(1);
    expect(meanWait(wait)).toBe(Infinity);
    expect(waitPercentile(wait, 50)).toBe(Infinity);
  });
});

describe('wait percentiles', () => {
  const wait = queueWait({ slots: 1, ratePerSecond: 0.5, meanServiceSeconds: 1 });

  it('is 0 while the mass at zero covers the percentile', () => {
    // Half the tasks find the slot free, so the median wait is 0.
    expect(waitPercentile(wait, 50)).toBe(0);
  });

  it('inverts the exponential tail above the mass at zero', () => {
    // P(W > t) = 0.5 exp(-0.5 t) = 0.01  =>  t = 2 ln 50.
    expect(waitPercentile(wait, 99)).toBeCloseTo(2 * Math.log(50), 10);
    expect(probabilityWaitExceeds(wait, waitPercentile(wait, 95))).toBeCloseTo(0.05, 10);
  });
});

describe('Allen-Cunneen correction', () => {
  it('scales waits by (1 + cv^2) / 2 and keeps exponential service unchanged', () => {
    expect(allenCunneenFactor(1)).toBe(1);
    expect(allenCunneenFactor(0)).toBe(0.5);
    expect(allenCunneenFactor(2)).toBe(2.5);
    const base = queueWait({ slots: 55, ratePerSecond: 0.2, meanServiceSeconds: 240 });
    const deterministic = queueWait({ slots: 55, ratePerSecond: 0.2, meanServiceSeconds: 240, serviceCv: 0 });
    expect(meanWait(deterministic)).toBeCloseTo(meanWait(base) / 2, 10);
    expect(deterministic.probabilityOfWaiting).toBe(base.probabilityOfWaiting);
  });
});
