// activity-retry-window-short: a bounded retry policy whose attempts all fall within the first
// minute gives up inside a routine outage; reported when the workflow does not catch the failure.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import activityRetryBackoffDefault from '../../../src/checks/retries/activity-retry-backoff-default.js';
import activityRetryWindowShort, { retryWindowMs } from '../../../src/checks/retries/activity-retry-window-short.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';
import { fixturesDir } from '../helpers/review-fixture.js';

describe('activity-retry-window-short', () => {
  it('computes the time to the last attempt with the server arithmetic (TEMPORAL-FACTS §3)', () => {
    // Default 1s, x2: attempts start at 0, 1, 3, 7 s.
    expect(retryWindowMs(1000, 2, 100_000, 3)).toBe(3000);
    expect(retryWindowMs(1000, 2, 100_000, 4)).toBe(7000);
    // Capped by maximumInterval: 5 + 10 + 20 + 40 + 60 x 5 = 375 s.
    expect(retryWindowMs(5000, 2, 60_000, 10)).toBe(375_000);
  });

  it('reports the uncaught short policy of a long-lived workflow, and only that one', { timeout: 120_000 }, () => {
    const findings = fixtureReview('retry-window-short').run(activityRetryWindowShort);
    // Not reported: loadBot (about six minutes of retries), notify (caught), chargeOnce (a comment
    // explains it), saveReport (line 42: a one-off run that its schedule starts again).
    expect(where(findings)).toEqual(['activity-retry-window-short warning src/workflows.ts:5']);
    expect(findings[0]!.message).toContain('throttle is long-lived and holds what its signals brought (it sets handlers and continues as new or loops without end)');
    expect(findings[0]!.message).toContain('allows 3 attempts (retries after waits of 1s and 2s)');
    expect(findings[0]!.message).toContain('every attempt has failed 3s after the first');
    expect(findings[0]!.data?.['retryWindowMs']).toBe(3000);
  });
});

describe('activity-retry-window-short where the workflow gives up', () => {
  it('reports a short policy whose failures a workflow catches, keeps as data and completes on', { timeout: 120_000 }, () => {
    const findings = fixtureReview('workflow-failure-returned').run(activityRetryWindowShort);
    expect(where(findings)).toEqual(['activity-retry-window-short warning src/workflows.ts:4']);
    expect(findings[0]!.message).toContain('every attempt has failed 3s after the first');
    // renameTenant's result carries the error for its caller, but no field the caller acts on: the
    // short window still ends the step for good.
    expect(findings[0]!.message).toContain('Workflows removeTenant, renameTenant and setupTenant catch that failure, keep it as data (and run compensation) and then complete normally');
    expect(findings[0]!.data).toMatchObject({ givesUpIn: ['removeTenant', 'renameTenant', 'setupTenant'], compensates: true });
  });
});

describe('activity-retry-window-short on Python', () => {
  it('reports an uncaught short RetryPolicy as info; not one a comment explains, a caught call or a long window', { timeout: 120_000 }, async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-window-note'), config: undefined });
    const findings = result.findings.filter((f) => f.checkId === 'activity-retry-window-short');
    // Not reported: book_payment (line 18, a comment explains it), send_invoice (26, caught),
    // record_audit (29, about six minutes), send_invoice (41, grouped with line 17).
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-retry-window-short info app/workflows.py:17',
      'activity-retry-window-short info app/workflows.py:35',
    ]);
    expect(findings[0]!.message).toContain(
      'The retry policy of workflow.execute_activity for load_invoice allows 5 attempts (retries after waits of 1s, 2s, 4s and 8s): when load_invoice fails because a dependency is down, the last attempt starts 15s after the first failure.',
    );
    expect(findings[0]!.message).toContain('nothing in workflow InvoiceWorkflow catches the ActivityError');
    // Line 41 passes the same policy, uncaught too: one note for the workflow, naming it.
    expect(findings[0]!.message).toContain('The same policy is passed to 1 more uncaught call of the workflow (send_invoice).');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:17', 'app/workflows.py:41']);
    expect(findings[0]!.fix).toContain('schedule_to_close_timeout');
    expect(findings[1]!.data).toMatchObject({ retryWindowMs: 14_000 });
  });

  it('leaves the warning shapes to TypeScript: the uncaught three attempts of a one-off run are a note', { timeout: 120_000 }, async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-disabled'), config: undefined });
    const findings = result.findings.filter((f) => f.checkId === 'activity-retry-window-short');
    expect(findings.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['info app/workflows.py:46']);
  });
});

describe('activity-retry-window-short as a note on any uncaught call', () => {
  it('reports each short, unexplained policy with an uncaught call as info, one finding per proxy', { timeout: 120_000 }, () => {
    const fixture = fixtureReview('retry-window-note');
    expect(fixture.model.testOnlyWorkflows?.map((w) => w.name)).toEqual(['testOrderProbe']);
    expect(fixture.model.activities.find((a) => a.name === 'formatLabel')?.inMemory).toBe(true);
    // `await wordCount(text)` awaits a reviewed synchronous function; probeOrder awaits fetch.
    expect(fixture.model.activities.find((a) => a.name === 'countWords')?.inMemory).toBe(true);
    expect(fixture.model.activities.find((a) => a.name === 'probeOrder')?.inMemory).toBe(false);
    const findings = fixture.run(activityRetryWindowShort);
    // Not reported: chargeCard (line 10, a comment explains the two tries), notifyOwner (16, caught),
    // archiveOrder (18, about six minutes), readCache (23, a local activity), formatLabel (25, runs in
    // memory), probeOrder (27, only the test workflow testOrderProbe uses it), syncStock (30, the comment
    // above its declaration weighs the retries).
    expect(where(findings)).toEqual(['activity-retry-window-short info src/workflows.ts:5', 'activity-retry-window-short info src/workflows.ts:8']);
    expect(findings[0]!.message).toContain('allows 2 attempts (retries after waits of 1s): when loadOrder fails because a dependency is down, the last attempt starts 1s after the first failure.');
    expect(findings[0]!.message).toContain('nothing in workflow processOrder catches the failure, so the workflow fails for an outage that was over a minute later');
    expect(findings[1]!.message).toContain('the last attempt starts 15s after the first failure');
    expect(findings[1]!.fix).toContain('scheduleToCloseTimeout');
    expect(findings[1]!.data).toMatchObject({ retryWindowMs: 15_000, uncaughtActivityTypes: ['saveOrder'], workflows: ['processOrder'] });
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/workflows.ts:33']);
  });

  it('keeps the warning of the long-lived fixture; its saveReport runs in memory and is left out', { timeout: 120_000 }, () => {
    // saveReport (line 42) runs in memory in that fixture: left out; the warning stays as it was.
    const findings = fixtureReview('retry-window-short').run(activityRetryWindowShort);
    expect(where(findings)).toEqual(['activity-retry-window-short warning src/workflows.ts:5']);
  });
});

describe('activity-retry-backoff-default next to a short window', () => {
  it('states the window of a seconds-long policy instead of calling it sound', { timeout: 120_000 }, () => {
    const findings = fixtureReview('retry-window-note').run(activityRetryBackoffDefault);
    // Two attempts never apply the coefficient (lines 5 and 10): not reported.
    expect(where(findings)).toEqual([
      'activity-retry-backoff-default info src/workflows.ts:8',
      'activity-retry-backoff-default info src/workflows.ts:16',
      'activity-retry-backoff-default info src/workflows.ts:18',
      'activity-retry-backoff-default info src/workflows.ts:23',
      'activity-retry-backoff-default info src/workflows.ts:25',
      'activity-retry-backoff-default info src/workflows.ts:27',
      'activity-retry-backoff-default info src/workflows.ts:30',
    ]);
    expect(findings[0]!.message).toContain('With 5 attempts the last one starts 15s after the first failure, sooner than a database failover or a rolling deploy is over');
    expect(findings[0]!.message).not.toContain('sound value');
    // About six minutes of retries: the default coefficient is a sound value there.
    expect(findings[2]!.message).toContain('That is a sound value, but an unwritten one');
  });
});
