// The load drill on a real dev server at 20 starts per second of a workflow with one 200 ms
// activity: two activity slots (offered load 4) cannot keep up, so schedule-to-start p99 climbs
// past the 500 ms target and the drill fails; twenty slots pass. Both runs share one server.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { LoadDrillReport } from '../../src/drill/load/load-report.js';
import { startDevServer, type DevServer } from '../helpers/dev-server.js';
import { fakeIo } from '../helpers/fake-io.js';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/drill-load');

async function loadDrill(address: string, slots: number): Promise<{ report: LoadDrillReport; exitCode: number }> {
  process.env['SEAT_SLOTS'] = String(slots);
  try {
    const io = fakeIo();
    await runCli(
      [
        'drill', 'load',
        '--address', address,
        '--worker', path.join(fixture, 'src/worker.ts'),
        '--scenario', path.join(fixture, 'scenario.json'),
        '--config', path.join(fixture, 'preflight.config.json'),
        '--duration', '5s',
        '--format', 'json',
      ],
      io,
    );
    return { report: JSON.parse(io.out) as LoadDrillReport, exitCode: io.exitCode };
  } finally {
    delete process.env['SEAT_SLOTS'];
  }
}

describe('drill load', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer();
  }, 120_000);
  afterAll(async () => server?.stop());

  it('fails an undersized worker: 2 slots for 20 starts/s of 200 ms activities, p99 climbing', async () => {
    const { report, exitCode } = await loadDrill(server.address, 2);
    expect(exitCode).toBe(1);
    // 2 x the declared peak of 10/s from the config, for 5 s
    expect(report.rates).toEqual([{ workflowType: 'bookSeat', ratePerSecond: 20 }]);
    expect(report.workflows).toEqual({ started: 100, completed: 100, failed: 0, open: 0 });
    const queue = report.queues.find((q) => q.taskQueue === report.taskQueue)!;
    expect(queue.slots).toBe(2);
    expect(queue.maxConcurrentActivities).toBe(2);
    expect(queue.activities.count).toBe(100);
    expect(queue.activities.p99).toBeGreaterThan(2_000);
    expect(queue.climbing).toBe(true);
    expect(queue.pass).toBe(false);
    expect(queue.predicted!.stable).toBe(false);
    expect(report.problems[0]).toMatch(new RegExp(`^${report.taskQueue}: activity schedule-to-start p99 \\d+ ms is over the 500 ms target, and it climbed`));
  }, 120_000);

  it('passes a sized worker at the same rate', async () => {
    const { report, exitCode } = await loadDrill(server.address, 20);
    const queue = report.queues.find((q) => q.taskQueue === report.taskQueue)!;
    expect(report.problems, JSON.stringify({ ...queue, p99BySecond: undefined })).toEqual([]);
    expect(exitCode).toBe(0);
    expect(queue.slots).toBe(20);
    expect(queue.activities.count).toBe(100);
    expect(queue.activities.p99).toBeLessThanOrEqual(500);
    expect(queue.predicted!.stable).toBe(true);
    expect(queue.metrics!.scheduleToStart!.count).toBe(100);
  }, 120_000);
});
