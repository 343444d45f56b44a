// worker-concurrency-implicit reads the load the code can put on a worker (src/model/worker-load.ts,
// fixture worker-load): a worker whose workflows only schedules start, each running its activities
// one at a time, cannot fill the default slots (info); a scheduled workflow that fans out, and one
// started per request, keep the warning with the reason.
import { beforeAll, describe, expect, it } from 'vitest';
import implicit from '../../../src/checks/capacity/worker-concurrency-implicit.js';
import type { Finding } from '../../../src/engine/types.js';
import { fixtureReview, where } from './fixture-review.js';

let findings: Finding[];
beforeAll(() => {
  findings = fixtureReview('worker-load').run(implicit);
});

describe('worker-concurrency-implicit: the load the code can put on the worker', () => {
  it('is a note on the scheduled worker, and a warning on the fan-out and the per-request workers', () => {
    expect(where(findings)).toEqual([
      'worker-concurrency-implicit info src/workers/cron.ts:8',
      'worker-concurrency-implicit warning src/workers/fan.ts:8',
      'worker-concurrency-implicit warning src/workers/orders.ts:8',
    ]);
  });

  it('says why the scheduled load cannot fill the slots', () => {
    const [cron] = findings;
    expect(cron!.message).toContain('but its load cannot fill them');
    expect(cron!.message).toContain("but its load cannot fill them: dailyScrape is started only by one schedule per entry of SCHEDULES (src/schedules.ts:12); watchdog is started only by the cron start at src/schedules.ts:18.");
    expect(cron!.message).toContain('one schedule per entry of SCHEDULES');
    expect(cron!.data).toMatchObject({ load: 'bounded', workflows: ['dailyScrape', 'watchdog'] });
  });

  it('names the fan-out and the per-request start in the warnings', () => {
    const [, fan, orders] = findings;
    expect(fan!.message).toContain('Its load is not bounded by the code: resizeAll runs work side by side (`Promise.all(...)` at src/workflows-fan.ts:8)');
    expect(orders!.message).toContain('starts it once per request or message');
    expect(orders!.data).toMatchObject({ load: 'open' });
  });
});
