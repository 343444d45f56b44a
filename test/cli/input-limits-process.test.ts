// Absurd numbers are usage errors naming the flag and the limit, given before anything starts:
// before, `capacity --rate 1e308` never returned, `simulate outage --rate 1e308` printed infinite
// attempts with exit 0, and `drill outage --outage 100y` ran a whole drill before failing.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonOutput, leftoverProcesses, repoRoot, runCliProcess } from '../helpers/cli-process.js';

// the CLI starts in well under a second, but the test machine is shared
const BOUND_MS = 60_000;
const drillFixture = path.join(repoRoot, 'test/fixtures/drill-outage');

async function usageError(args: string[], stderr: string): Promise<void> {
  const run = await runCliProcess(args, { timeoutMs: BOUND_MS });
  expect(run.timedOut).toBe(false);
  expect(run.stderr).toBe(`temporal-preflight: ${stderr}\n`);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(await leftoverProcesses(run.marker)).toEqual([]);
  expect(run.leftoverTemp).toEqual([]);
}

describe('capacity answers huge loads at once and rejects the impossible', () => {
  it('plans 1,000,000 activities per second of an hour each', async () => {
    const run = await runCliProcess(['capacity', '--rate', '1000000', '--duration-mean', '1h', '--format', 'json'], { timeoutMs: BOUND_MS });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(0);
    const report = jsonOutput(run);
    // a = 2e6/s x 3600 s = 7.2e9 busy slots; the p99 wait target needs a few sqrt(a) more
    expect(report.plan.slots).toBeGreaterThan(7.2e9);
    expect(report.plan.slots).toBeLessThan(7.2e9 + 10 * Math.sqrt(7.2e9));
    expect(report.plan.waitAtPercentile).toBeLessThanOrEqual(0.5);
  }, BOUND_MS);

  it.each([
    [['--rate', '1e308', '--duration-mean', '1s'], '--rate 1e308: more than the limit of 100,000,000 per second'],
    [['--rate', '10', '--duration-mean', '100y'], '--duration-mean 100y: more than the limit of 366 days'],
    [['--rate', '10', '--duration-mean', '1s', '--headroom', '1e308'], '--headroom 1e308: more than the limit of 1000'],
    [['--rate', '10', '--duration-mean', '1s', '--slots', '1e308'], '--slots 1e308: more than the limit of 10,000,000,000 slots'],
    [['--rate', '1e8', '--duration-mean', '1h'], '--rate x --headroom x --duration-mean is 7.20e+11 busy slots at once: more than the limit of 10,000,000,000 busy slots'],
  ])('capacity %j', (flags, stderr) => usageError(['capacity', ...flags], stderr), BOUND_MS);
});

describe('simulate outage rejects inputs with no finite answer', () => {
  it.each([
    [['--rate', '1e308'], '--rate 1e308: more than the limit of 100,000,000 per second'],
    [['--attempt-duration', '100y'], '--attempt-duration 100y: more than the limit of 30 days (the longest simulated horizon)'],
    [['--workflows', '1e300'], '--workflows 1e300: more than the limit of 1,000,000,000'],
  ])('%j', (flags, stderr) => usageError(['simulate', 'outage', '--outage', '30m', ...flags], stderr), BOUND_MS);
});

describe('drills check their inputs before starting a server', () => {
  const drill = ['drill', 'outage', '--workflows', path.join(drillFixture, 'src/workflows.ts'), '--activities', path.join(drillFixture, 'src/activities.ts'), '--fail-activity', 'chargeCard'];

  it('drill outage --outage 100y', () =>
    usageError(
      [...drill, '--scenario', path.join(drillFixture, 'scenario.json'), '--outage', '100y'],
      '--outage 100y: more than the limit of 15 days (the simulation beside the drill covers twice the outage, at most 30 days)',
    ), BOUND_MS);

  it('drill outage --attempt-duration 100y', () =>
    usageError([...drill, '--scenario', path.join(drillFixture, 'scenario.json'), '--attempt-duration', '100y'], '--attempt-duration 100y: more than the limit of 7 days'), BOUND_MS);

  it('a scenario with count 1e9', () =>
    usageError(
      [...drill, '--scenario', path.join(repoRoot, 'test/fixtures/drill-limits/huge-scenario.json')],
      'huge-scenario.json: invalid scenario at [0].count: at most 100,000 starts per drill',
    ), BOUND_MS);

  it('drill outage --count 1e9', () =>
    usageError([...drill, '--scenario', path.join(drillFixture, 'scenario.json'), '--count', '1000000000'], '--count 1000000000: more than the limit of 100,000 starts per drill'), BOUND_MS);
});
