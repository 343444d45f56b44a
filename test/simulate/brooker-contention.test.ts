import { describe, expect, it } from 'vitest';
import { runContention } from './brooker-contention.js';

// Published means over 100 runs with 100 clients (TEMPORAL-FACTS.md §11): our jitter functions
// in the same experiment must land within 5 % of Brooker's write calls and times.
describe("Brooker's contention experiment with our jitter functions", () => {
  it.each([
    ['none', 1861, 63.6],
    ['full', 795, 4.9],
    ['equal', 813, 6.6],
    ['decorrelated', 1000, 4.6],
    ['no-backoff', 2422, 2.0],
  ] as const)('%s jitter makes about %i write calls and finishes in about %d s', (strategy, calls, seconds) => {
    const result = runContention(strategy, { clients: 100, runs: 100, seed: 2015 });
    expect(Math.abs(result.meanCalls / calls - 1)).toBeLessThan(0.05);
    expect(Math.abs(result.meanTimeMs / 1000 / seconds - 1)).toBeLessThan(0.05);
  });

  it('cuts calls by more than half with full jitter against no jitter', () => {
    const none = runContention('none', { clients: 100, runs: 100, seed: 1 });
    const full = runContention('full', { clients: 100, runs: 100, seed: 1 });
    expect(full.meanCalls).toBeLessThan(none.meanCalls / 2);
  });
});
