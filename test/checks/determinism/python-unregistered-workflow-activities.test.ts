// workflow-not-registered on Python names the activities of the unregistered workflow that no
// worker registers either: registering the workflow alone would move the failure to its first
// activity call. "summarize_scan_activity" (called by string) is defined by no @activity.defn;
// archive_scan is defined but in no worker's list; fetch_scan is registered and not named.
// Fixture: test/fixtures/python-unregistered-workflow-activities.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-not-registered on Python, with the workflow\'s missing activities', () => {
  it('reports the start and names the activities no worker registers', { timeout: 120_000 }, async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'python-unregistered-workflow-activities'), config: undefined });
    const found = findings.filter((f) => f.checkId === 'workflow-not-registered');
    expect(found.map(where)).toEqual([{ checkId: 'workflow-not-registered', severity: 'error', file: 'app/starter.py', line: 8 }]);
    expect(found[0]!.message).toContain(
      "Registering it is not enough: the activities it schedules are missing too: 'summarize_scan_activity' is defined by no @activity.defn of the project, and 'archive_scan' is defined but in no worker's activities=[...].",
    );
    expect(found[0]!.message).not.toContain('fetch_scan');
    expect(found[0]!.data).toMatchObject({ workflowType: 'ReportWorkflow', activityTypesMissing: ['summarize_scan_activity', 'archive_scan'] });
    // the workflow runs on no worker: activity-not-registered, which judges workflows on a worker, stays silent
    expect(findings.filter((f) => f.checkId === 'activity-not-registered')).toEqual([]);
  });
});
