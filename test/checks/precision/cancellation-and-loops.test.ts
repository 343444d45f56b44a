// Issue 13, the warnings still read FALSE on production code (docs/accuracy.md): a shutdown grace
// time on workers whose activities never look at cancellation, loops capped at a small number of
// iterations, and a heartbeatTimeout that serves the heartbeating activities of a shared proxy.
// Over test/fixtures/activity-cancellation-loops.

import { beforeAll, describe, expect, it } from 'vitest';
import grace from '../../../src/checks/capacity/worker-shutdown-grace-missing.js';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';
import { fixtureReview, where as whereText, type FixtureReview } from '../capacity/fixture-review.js';

let fixture: BuiltFixture;
let review: FixtureReview;

beforeAll(() => {
  fixture = buildFixture('activity-cancellation-loops');
  review = fixtureReview('activity-cancellation-loops');
});

describe('worker-shutdown-grace-missing and cancellation', () => {
  it('records where an activity reacts to cancellation: cancellationSignal(), Context sleep through a helper; not a heartbeat', () => {
    const byName = new Map(fixture.model.activities.map((a) => [a.name, a]));
    expect(byName.get('downloadExport')!.cancellation).toMatchObject({ file: expect.stringMatching(/exports\.ts$/), line: 5 });
    expect(byName.get('renderExport')!.cancellation).toMatchObject({ file: expect.stringMatching(/exports\.ts$/), line: 15 });
    expect(byName.get('sendDigest')!.cancellation).toBeNull();
    expect(byName.get('countDigests')!.cancellation).toBeNull();
  });

  it('warns when a registered activity reacts to cancellation, info when none does', () => {
    const findings = review.run(grace);
    expect(whereText(findings)).toEqual([
      'worker-shutdown-grace-missing info src/workers/digests.ts:8',
      'worker-shutdown-grace-missing warning src/workers/exports.ts:5',
    ]);
    const [digests, exports] = findings;
    expect(exports!.message).toContain('downloadExport and renderExport react to cancellation');
    expect(exports!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/activities/exports.ts:5', 'src/activities/exports.ts:15']);
    expect(digests!.message).toContain('none of its activities reacts to cancellation');
    expect(digests!.data).toEqual({ shutdownGraceTime: 0, cancellationAware: [] });
  });
});

describe('activity-long-loop-without-heartbeat on capped loops', () => {
  it('ignores a page fetched with limit 100, a counter exit at 100, a counted loop to 20 and a builder .limit(50)', () => {
    const longRunning = new Map(fixture.model.activities.map((a) => [a.name, a.longRunning.map((s) => s.kind)]));
    expect(longRunning.get('reconcileStale')).toEqual([]);
    expect(longRunning.get('collectLists')).toEqual([]);
    expect(longRunning.get('warmFirstPages')).toEqual([]);
    expect(longRunning.get('restartExpired')).toEqual([]);
  });

  it('still reports a page of 5000, a drain with no cap, a capped loop that sleeps, a helper given a page size and a capped loop around another', () => {
    const findings = fixture.findings(['activity-long-loop-without-heartbeat']).filter((f) => f.file === 'src/activities/maintenance.ts');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities/maintenance.ts', line: 57 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities/maintenance.ts', line: 63 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities/maintenance.ts', line: 71 },
      // Still reported; info since every attempt is capped at 5 minutes (a crash is noticed within that).
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities/maintenance.ts', line: 85 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities/maintenance.ts', line: 89 },
    ]);
    expect(findings.map((f) => f.data?.activityType)).toEqual(['purgeAll', 'drainQueue', 'waitUntilReady', 'restartAll', 'sweepShards']);
  });
});

describe('activity-heartbeat-timeout-without-heartbeat on a shared proxy', () => {
  it('is info for a short activity beside one that heartbeats; error for a long one beside it; info when nothing heartbeats but the activity runs in memory', () => {
    const findings = fixture.findings(['activity-heartbeat-timeout-without-heartbeat']);
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-heartbeat-timeout-without-heartbeat', severity: 'info', file: 'src/workflows/cron.ts', line: 4 },
      { checkId: 'activity-heartbeat-timeout-without-heartbeat', severity: 'error', file: 'src/workflows/cron.ts', line: 10 },
      // lookupRate only computes over its input (no await, no I/O): no slow dependency can hold it.
      { checkId: 'activity-heartbeat-timeout-without-heartbeat', severity: 'info', file: 'src/workflows/cron.ts', line: 16 },
    ]);
    expect(findings[0]!.message).toContain("heartbeatTimeout '1 minute' on proxyActivities for drainCronBatch and readCronFanout serves drainCronBatch, which heartbeats");
    expect(findings[0]!.data?.activitiesWithoutHeartbeat).toEqual(['readCronFanout']);
    expect(findings[1]!.data?.activitiesWithoutHeartbeat).toEqual(['awaitExport']);
    expect(findings[2]!.data?.activitiesWithoutHeartbeat).toEqual(['lookupRate']);
    expect(findings[2]!.data?.inMemory).toBe(true);
  });
});
