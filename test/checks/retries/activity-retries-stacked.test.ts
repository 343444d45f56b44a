// Retrying inside an activity attempt (a retry library, a counted loop with a growing pause, in the
// activity or in a helper it calls) under a retry policy that allows several attempts.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

const FIXTURE = 'retries-stacked';

describe('activity-retries-stacked', () => {
  it('reports a retry library in a helper, a growing-pause loop paused through a helper, and a helper retry loop; not a single try, a single attempt or a fixed pause', { timeout: 120_000 }, () => {
    const findings = findingsOf(FIXTURE, ['activity-retries-stacked']);
    expect(where(findings)).toEqual([
      'activity-retries-stacked info src/activities.ts:17',
      'activity-retries-stacked info src/helpers.ts:19',
      'activity-retries-stacked info src/helpers.ts:33',
    ]);
    const [poll, library, loop] = findings.map((finding) => finding.message);
    expect(poll).toContain('Activity waitForSync retries inside each attempt: a counted loop waits a growing delay between its turns');
    expect(poll).toContain('the pause at src/activities.ts:21');
    expect(poll).toContain('up to `maxTurns` turns per attempt');
    expect(poll).toContain('up to 3 attempts: 3 times the inner turns of the loop, and up to 3 x 20m (startToCloseTimeout) = 1h of attempts before the step fails');
    expect(library).toContain('Activity fetchReport retries inside each attempt: it calls the retry library p-retry');
    expect(library).toContain('(reached from fetchReport through the call at src/activities.ts:5): up to 5 tries (retries: 4) per attempt, with up to 7.5s of pauses between them');
    expect(library).toContain('up to 5 attempts: up to 5 x 5 = 25 tries in all, with up to 5 x 7.5s = 37.5s of inner pauses.');
    expect(library).not.toContain('fetchSingleAttempt');
    // saveToken's p-retry runs in an event handler and under .catch(): its failure never fails syncWithRefresh.
    expect(findings.flatMap((finding) => (finding.data as { activityTypes: string[] }).activityTypes)).not.toContain('syncWithRefresh');
    expect(loop).toContain('Activity tagRelease retries inside each attempt');
    expect(loop).toContain('up to 4 turns (`tries` defaults to 4) per attempt');
    expect(loop).toContain('up to 4 x 5 = 20 turns of the loop in all');
    expect(findings[1]!.data).toMatchObject({ activityTypes: ['fetchReport'], kind: 'library', library: 'p-retry', innerTries: 5, attempts: 5 });
  });
});
