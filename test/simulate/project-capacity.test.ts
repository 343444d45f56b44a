import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { planProject } from '../../src/engine/project-capacity.js';
import { planSlots } from '../../src/simulate/slot-planner.js';
import { fakeIo } from '../helpers/fake-io.js';

const production = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/production-app');

describe('capacity [dir]', () => {
  it('plans the production app task queue from its declared load and judges its configured slots', async () => {
    const report = await planProject(production);
    expect(report.queues.map((q) => [q.taskQueue, q.slotKind, q.configuredSlots, q.evaluation?.meetsTarget])).toEqual([['orders', 'activity', 120, true]]);
    const queue = report.queues[0]!;
    // the plan is the planner's answer for the derived load, at the config's target and headroom
    const expected = planSlots({ ratePerSecond: queue.ratePerSecond, meanDurationMs: queue.meanDurationMs, durationCv: queue.durationCv, targetMs: 500, headroom: 2, percentile: 99 });
    expect(queue.plan.slots).toBe(expected.slots);
    expect(queue.activities.map((a) => a.name)).toEqual(['awaitShipment', 'chargePayment', 'releaseInventory', 'reserveInventory']);
  });

  it('is a usage error for a project without declared load', async () => {
    const io = fakeIo();
    await runCli(['capacity', path.resolve(production, '../prototype-app')], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toMatch(/no load declared; add load\.workflows/);
  });

  it('refuses a directory together with --rate', async () => {
    const io = fakeIo();
    await runCli(['capacity', production, '--rate', '10'], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toBe('temporal-preflight: give either [dir] (load from the config) or --rate/--duration-mean/--slots, not both\n');
  });
});
