import { describe, expect, it } from 'vitest';
import { actionsCostUsd, formatUsd } from '../../src/simulate/actions-cost.js';
import { outageCostSentence, spokenDuration } from '../../src/simulate/outage-cost-sentence.js';
import { effectiveRetryPolicy } from '../../src/simulate/retry-policy.js';

describe('actionsCostUsd (TEMPORAL-FACTS.md §10)', () => {
  it('prices 11.25 M Actions at $525 like the Temporal Cloud docs', () => {
    expect(actionsCostUsd(11_250_000)).toBe(525);
  });

  it.each([
    [0, 0],
    [1_000_000, 50],
    [5_000_000, 250],
    [10_000_000, 475],
    [20_000_000, 875],
    [50_000_000, 1925],
    [100_000_000, 3425],
    [200_000_000, 5925],
    [250_000, 12.5],
  ])('prices %i Actions at $%d, tier by tier', (actions, usd) => {
    expect(actionsCostUsd(actions)).toBe(usd);
  });

  it('formats dollars with two decimals', () => {
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(1925)).toBe('$1,925.00');
  });
});

describe('outageCostSentence', () => {
  it('renders the attempts, Actions and cost of an outage', () => {
    expect(outageCostSentence({ policy: effectiveRetryPolicy(), outageMs: 30 * 60_000, workflowsInFlight: 10_000 })).toBe(
      'an outage of 30 minutes makes 25 attempts per activity; at 10,000 workflows in flight that is 250,000 Actions (about $12.50)',
    );
  });

  it('says when activities give up before the dependency recovers', () => {
    expect(
      outageCostSentence({ policy: effectiveRetryPolicy({ scheduleToCloseMs: 300_000 }), outageMs: 600_000, workflowsInFlight: 1 }),
    ).toBe(
      'an outage of 10 minutes makes 9 attempts per activity; at 1 workflow in flight that is 9 Actions (under $0.01), and every activity still fails (scheduleToClose timeout) before the dependency recovers',
    );
  });

  it('speaks durations the way people do', () => {
    expect([3_600_000, 5_400_000, 45_000, 60_000, 500].map(spokenDuration)).toEqual([
      '1 hour', '1.5 hours', '45 seconds', '1 minute', '500 ms',
    ]);
  });
});
