// activity-not-registered: a workflow on a worker schedules an activity no worker's activities
// object provides (the fixture's worker left a factory out of its activity set).

import { describe, expect, it } from 'vitest';
import activityNotRegistered from '../../../src/checks/determinism/activity-not-registered.js';
import activityRetryPolicyMissing from '../../../src/checks/retries/activity-retry-policy-missing.js';
import { registeredActivityKeys } from '../../../src/model/typescript/activity-registration.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-not-registered', () => {
  it('reports the call of an activity that no fully read worker registers', { timeout: 120_000 }, () => {
    const review = fixtureReview('activity-not-registered');
    const findings = review.run(activityNotRegistered);
    expect(where(findings)).toEqual(['activity-not-registered error src/workflows.ts:6', 'activity-not-registered error src/workflows.ts:9']);
    expect(findings[0]!.message).toContain("schedules activity 'shipOrder'");
    expect(findings[1]!.message).toContain("schedules activity 'trackShipment'");
    // src/client.ts starts orderWorkflow: every run fails, so an error.
    expect(findings[0]!.message).not.toContain('Nothing in this code base starts');
    // The call's retry policy decides what the failing attempts do next: here the default, without end.
    expect(findings[0]!.message).toContain('and is retried by the default retry policy, without end, while the workflow waits.');
  });

  it('says what a bounded retry policy does with the failing attempts', { timeout: 120_000 }, () => {
    // The same fixture, but trackShipment's proxy allows 3 attempts.
    const findings = fixtureReview('activity-not-registered-bounded').run(activityNotRegistered);
    expect(where(findings)).toEqual(['activity-not-registered error src/workflows.ts:6', 'activity-not-registered error src/workflows.ts:9']);
    expect(findings[1]!.message).toContain('and is retried 2 more times (maximumAttempts 3), and then the activity fails in the workflow: every run that reaches this call fails here unless it catches the failure.');
  });

  it('says that a scheduleToCloseTimeout ends the retries of a policy without maximumAttempts', { timeout: 120_000 }, () => {
    // The same fixture, but trackShipment's proxy sets scheduleToCloseTimeout: '10 minutes' and no retry policy.
    const findings = fixtureReview('activity-not-registered-deadline').run(activityNotRegistered);
    expect(where(findings)).toEqual(['activity-not-registered error src/workflows.ts:6', 'activity-not-registered error src/workflows.ts:9']);
    expect(findings[1]!.message).toContain("and is retried by the default retry policy, until the call's scheduleToCloseTimeout (10m) ends them, and then the activity fails in the workflow: every run that reaches this call fails here unless it catches the failure.");
    expect(findings[1]!.message).not.toContain('without end');
    expect(findings[0]!.message).toContain('and is retried by the default retry policy, without end, while the workflow waits.');
  });

  it("makes the retry and timeout findings of a proxy whose activities no worker registers info", { timeout: 120_000 }, () => {
    const review = fixtureReview('activity-not-registered');
    const findings = review.run(activityRetryPolicyMissing);
    // Line 6 schedules registered activities too: its missing policy applies today. Line 9's
    // trackShipment fails as not registered before its code runs.
    expect(where(findings)).toEqual(['activity-retry-policy-missing warning src/workflows.ts:6', 'activity-retry-policy-missing info src/workflows.ts:9']);
    expect(findings[1]!.message).toContain('No worker registers the activities this proxy schedules (activity-not-registered reports it)');
    expect(findings[1]!.data?.['activitiesUnregistered']).toBe(true);
  });

  it('reads workflows chosen by an options helper and activities merged by factory helpers', { timeout: 120_000 }, () => {
    // `...workflowOption()` names only workflowsPath/workflowBundle, so it cannot set activities;
    // the workflowsPath written in the helper is the worker's workflow module.
    const review = fixtureReview('activity-not-registered-helper-options');
    const findings = review.run(activityNotRegistered);
    // Nothing in the fixture starts monthlyReport: a warning that says so, not a certain failure.
    expect(where(findings)).toEqual(['activity-not-registered warning src/reports/workflow.ts:4']);
    expect(findings[0]!.message).toContain("Workflow monthlyReport schedules activity 'buildReport'");
    expect(findings[0]!.message).toContain('Nothing in this code base starts monthlyReport');
  });

  it('keeps the error, and says the start could not be resolved, when only a start of unreadable type could start the workflow', { timeout: 120_000 }, () => {
    // src/client.ts starts whatever type its caller names, and nothing calls it: the review cannot
    // tell that orderWorkflow never runs, so it neither claims so nor lowers the severity.
    const review = fixtureReview('activity-not-registered-unknown-start');
    const findings = review.run(activityNotRegistered);
    expect(where(findings)).toEqual(['activity-not-registered error src/workflows.ts:6', 'activity-not-registered error src/workflows.ts:9']);
    expect(findings[0]!.message).toContain('The review could not resolve the workflow type the start at src/client.ts:6 passes; it may start orderWorkflow.');
    expect(findings[0]!.message).not.toContain('Nothing in this code base starts');
  });

  it("reads a CommonJS worker's `activities: require('./activities')` as the module's exports", { timeout: 120_000 }, () => {
    // The activity module's index re-exports createRun and fetchAnswer; scoreAnswer is written in
    // one of its files but not exported by the index, so the worker does not register it.
    const review = fixtureReview('worker-require-activities');
    const findings = review.run(activityNotRegistered);
    expect(where(findings)).toEqual(['activity-not-registered error src/workflows/report.ts:6']);
    expect(findings[0]!.message).toContain("schedules activity 'scoreAnswer'");
    expect(review.model.workers.map((worker) => registeredActivityKeys(worker))).toEqual([['createRun', 'fetchAnswer']]);
  });

  it('stays silent when a worker registers activities the model cannot read', { timeout: 120_000 }, () => {
    // capacity-per-run-worker registers `import * as activities`, read in full: no finding either.
    const review = fixtureReview('activity-registration-unknown');
    expect(review.run(activityNotRegistered)).toEqual([]);
  });
});
