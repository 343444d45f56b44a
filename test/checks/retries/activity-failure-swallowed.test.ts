// activity-failure-swallowed: an activity that catches the failure of the work it awaits and only
// logs it completes as a success, so Temporal never retries it. Reported at the catch (in the
// activity, a callback it passes on, or a helper two levels down); a warning when the catch runs
// once per item or page, a note otherwise; left alone on best-effort steps.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('activity-failure-swallowed', () => {
  const findings = findingsOf('activity-failure-swallowed', ['activity-failure-swallowed']);

  it('reports catches that only log the failure of awaited work, warning when they run per item', () => {
    expect(where(findings)).toEqual([
      'activity-failure-swallowed warning src/activities.ts:14',
      'activity-failure-swallowed warning src/activities.ts:32',
      'activity-failure-swallowed info src/activities.ts:52',
      'activity-failure-swallowed info src/broker.ts:11',
    ]);
  });

  it('names the call, the helpers followed and the retry policy that never runs', () => {
    expect(findings[0]!.message).toBe(
      'Activity exportPages catches every error of reportsApi.page(...) (src/activities.ts:10), only logs it and goes on, so the activity completes as a success: ' +
        "a timeout, a lost connection or an outage there is never retried by its retry policy (maximumAttempts: 5) and counts nowhere in Temporal's metrics. " +
        'The catch runs once per item or page: during an outage every round fails the same way within one attempt, and the activity still reports success with part of the work done.',
    );
    // An `instanceof HttpError` branch that logs, with the other errors rethrown, still swallows the outages.
    expect(findings[1]!.message).toContain('Activity exportUsers through exportUser catches every error of reportsApi.user(...) (src/activities.ts:29)');
    expect(findings[2]!.message).toContain('this is a note');
    expect(findings[3]!.message).toContain('Activity publishReply through open → connectOnce catches every error of brokerLib.connect(...) (src/broker.ts:10)');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/activities.ts:10']);
  });

  it('leaves alone best-effort steps, rethrows, decisions, recorded failures, cleanup and single attempts', () => {
    const lines = findings.map((f) => `${f.file}:${f.line}`);
    // notifyOwner (mail), warmReport (cache), copyReport (commented), storeReport (rethrows),
    // saveReport (tests what the try set), loadReport (looks at the status), exportParts (records
    // the failed part), probeBucket (maximumAttempts: 1), renderReport (cleanup in finally),
    // mirrorUser (its answer is tested by the activity), dropCopies (logged at debug level), refetchReport (reads what the try fetched), undoImport (its doc comment says best effort).
    for (const line of [61, 71, 81, 91, 103, 113, 125, 137, 150, 166, 176, 187, 201]) expect(lines).not.toContain(`src/activities.ts:${line}`);
  });
});
