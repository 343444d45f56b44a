// worker-concurrency-implicit on Python workers (fixture python-worker-load), the same reasoning as
// TypeScript (src/model/worker-load.ts): workflows that only schedules start (a loop over a module
// list of dicts), each running its activities one at a time, make the default slots a note; a
// scheduled workflow that gathers its activities and one started per request keep the warning. A
// gather of a fixed set of calls written out (Watchdog) runs no more than it lists: still bounded.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-worker-load');
let findings: Finding[];

beforeAll(async () => {
  findings = (await review({ dir: root })).findings.filter((f) => f.checkId === 'worker-concurrency-implicit');
});

describe('worker-concurrency-implicit: the load of Python workers', () => {
  test('a note on the scheduled worker, warnings on the gathering and the per-request ones', () => {
    expect(findings.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['info app/worker.py:13', 'warning app/worker.py:14', 'warning app/worker.py:15']);
  });

  test('the messages say why', () => {
    const [cron, fan, orders] = findings;
    expect(cron!.message).toContain('but its load cannot fill them: DailyScrape and Watchdog are started only by one schedule per entry of SCHEDULES (scripts/register_schedules.py:20)');
    expect(cron!.message).toContain('one after another (or a fixed few written out in one asyncio.gather)');
    expect(cron!.data).toMatchObject({ load: 'bounded', workflows: ['DailyScrape', 'Watchdog'] });
    expect(fan!.message).toContain('Its load is not bounded by the code: ResizeAll runs work side by side (`asyncio.gather(...)` at app/workflows.py:33)');
    expect(orders!.message).toContain('starts it once per request or message (create_order handles requests or messages: @app.post)');
  });
});
