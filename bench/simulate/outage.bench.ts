// How long `simulate outage` takes for a million workflows through an hour-long outage.
// Run: npx vitest bench --run bench/simulate/outage.bench.ts
import { bench, describe } from 'vitest';
import { simulateOutage } from '../../src/simulate/outage.js';

const HOUR = 3_600_000;

describe('simulateOutage, 1,000,000 workflows in flight, 60-minute outage, all three scenarios', () => {
  bench('default policy, no jitter, recovery capacity 5,000/s', () => {
    simulateOutage({ workflowsInFlight: 1_000_000, outageMs: HOUR, recoveryCapacityPerSecond: 5000 });
  });
  bench('scheduleToClose 2 h, full jitter, recovery capacity 5,000/s', () => {
    simulateOutage({ workflowsInFlight: 1_000_000, outageMs: HOUR, recoveryCapacityPerSecond: 5000, jitter: 'full', policy: { scheduleToCloseMs: 2 * HOUR } });
  });
  bench('decorrelated jitter', () => {
    simulateOutage({ workflowsInFlight: 1_000_000, outageMs: HOUR, recoveryCapacityPerSecond: 5000, jitter: 'decorrelated' });
  });
  bench('plus 100 new workflows a second during the outage', () => {
    simulateOutage({ workflowsInFlight: 1_000_000, ratePerSecond: 100, outageMs: HOUR, recoveryCapacityPerSecond: 5000 });
  });
});
