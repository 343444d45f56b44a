// The outage drill on a real dev server: chargeCard fails for 10 s while 50 invoices start; the
// attempts the server recorded land within 10% of simulateOutage fed with the same starts.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { OutageDrillReport } from '../../src/drill/outage/outage-report.js';
import { fakeIo } from '../helpers/fake-io.js';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/drill-outage');

describe('drill outage', () => {
  it('measures attempts within 10% of the simulation for a 10 s outage of chargeCard across 50 workflows', async () => {
    const io = fakeIo();
    await runCli(
      [
        'drill', 'outage',
        '--workflows', path.join(fixture, 'src/workflows.ts'),
        '--activities', path.join(fixture, 'src/activities.ts'),
        '--scenario', path.join(fixture, 'scenario.json'),
        '--fail-activity', 'chargeCard',
        '--outage', '10s',
        '--rate', '10',
        '--format', 'json',
      ],
      io,
    );
    const report = JSON.parse(io.out) as OutageDrillReport;
    expect(report.problems).toEqual([]);
    expect(io.exitCode).toBe(0);
    expect(report.workflows).toEqual({ started: 50, completed: 50, failed: 0, open: 0 });
    const byType = Object.fromEntries(report.activities.map((a) => [a.activityType, a]));
    expect(byType['chargeCard']).toMatchObject({ activities: 50, completed: 50, failed: 0, affected: true });
    expect(byType['sendReceipt']).toMatchObject({ activities: 50, attempts: 50, maxAttempts: 1, affected: false });
    // the outage made chargeCard retry: at least the workflows started early went past 5 attempts
    expect(byType['chargeCard']!.maxAttempts).toBeGreaterThan(5);
    // one Action per start, one per activity attempt
    expect(report.actions).toBe(50 + byType['chargeCard']!.attempts + 50);
    const { measuredAttempts, simulatedAttempts } = report.simulation;
    expect(measuredAttempts).toBe(byType['chargeCard']!.attempts);
    expect(Math.abs(measuredAttempts - simulatedAttempts) / simulatedAttempts, `measured ${measuredAttempts}, simulated ${simulatedAttempts}`).toBeLessThanOrEqual(0.1);
    expect(report.simulation.scenarios.map((s) => s.name)).toEqual(['given', 'server-default']);
  }, 120_000);

  it('refuses to run without something to break', async () => {
    const io = fakeIo();
    await runCli(['drill', 'outage', '--workflows', path.join(fixture, 'src/workflows.ts'), '--scenario', path.join(fixture, 'scenario.json')], io);
    expect(io.err).toBe('temporal-preflight: drill outage needs --fail-activity <type> or --fail-dependency <url-or-host>\n');
    expect(io.exitCode).toBe(2);
  });
});
