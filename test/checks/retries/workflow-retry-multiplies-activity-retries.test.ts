// workflow-retry-multiplies-activity-retries: a workflow loop that calls an activity again after
// it failed, while the activity's proxy already retries it; and a workflow retry policy on a start
// (client or child) of a workflow whose activities retry.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

const CHECK = 'workflow-retry-multiplies-activity-retries';

describe(CHECK, () => {
  it('reports activities a workflow loop retries on top of their own retry policy', { timeout: 120_000 }, () => {
    const findings = findingsOf('workflow-retry-loops', [CHECK]);
    expect(where(findings)).toEqual([`${CHECK} warning src/workflows.ts:13`, `${CHECK} warning src/workflows.ts:20`, `${CHECK} warning src/workflows.ts:50`, `${CHECK} warning src/workflows.ts:51`]);
    expect(findings[0]?.message).toContain('up to 10 x 5 = 50 attempts');
    expect(findings[1]?.message).toContain('called up to 4 times');
    expect(findings[1]?.message).toContain('without a limit on attempts');
  });

  // A wrapper that hands the function it gets on to the retry helper
  // (`const retry = (fn) => retryInWorkflow(fn, { retries: 6 })`) retries it just the same.
  it('follows a callback a local wrapper hands on to the retry helper', { timeout: 120_000 }, () => {
    const findings = findingsOf('workflow-retry-loops', [CHECK]).filter((f) => f.line! > 45);
    expect(where(findings)).toEqual([`${CHECK} warning src/workflows.ts:50`, `${CHECK} warning src/workflows.ts:51`]);
    expect(findings.map((f) => f.message.match(/called up to .* attempts/)?.[0])).toEqual([
      "called up to 6 times by the retry helper called at src/workflows.ts:50 (retry(() => fetchRate('EUR'))), and its retry policy (proxyActivities for fetchRate) makes up to 5 attempts per call: up to 6 x 5 = 30 attempts",
      'called up to 6 times by the retry helper called at src/workflows.ts:51 (retry(() => fetchRate(currency))), and its retry policy (proxyActivities for fetchRate) makes up to 5 attempts per call: up to 6 x 5 = 30 attempts',
    ]);
  });

  it('reports a workflow retry policy on a client or child start of a workflow whose activities retry', { timeout: 120_000 }, () => {
    const findings = findingsOf('workflow-start-retries', [CHECK]);
    expect(where(findings).sort()).toEqual([
      `${CHECK} info src/starters.ts:13`,
      `${CHECK} info src/starters.ts:27`,
      // mergeAccounts' activities already retry without a limit: the workflow retry fires rarely, a note.
      `${CHECK} info src/starters.ts:4`,
      `${CHECK} warning src/workflows.ts:30`,
    ]);
    const merge = findings.find((f) => f.file === 'src/starters.ts' && f.line === 4)!;
    expect(merge.message).toContain('This start gives workflow mergeAccounts a workflow retry policy (up to 10 attempts).');
    expect(merge.message).toContain('a retried run repeats the steps from the first one (moveHistory, deleteAccount)');
    expect(merge.message).toContain('already retried without a limit on attempts');
    expect(merge.message).toContain('No workflowExecutionTimeout is set on this start, so nothing bounds the total time of all the runs.');
    const child = findings.find((f) => f.file === 'src/workflows.ts')!;
    expect(child.message).toContain('This child start gives workflow fulfilOrder a workflow retry policy (up to 5 attempts)');
    expect(child.message).toContain('(reserveStock, chargeCard, sendReceipt)');
    expect(child.message).toContain('up to 5 x 4 = 20 times');
    expect(child.related?.[0]).toMatchObject({ file: 'src/workflows.ts', line: 30, message: 'the workflow retry policy: up to 5 attempts' });
    const bounded = findings.find((f) => f.line === 13)!;
    expect(bounded.message).toContain("The start's workflowExecutionTimeout (1 hour) bounds the total time of all the runs.");
    const single = findings.find((f) => f.line === 27)!;
    expect(single.message).toContain('a retried run calls rebuildIndex again');
  });

  // The fact the multiplication rests on: an activity call in workflow code returns only after
  // the server's retries are spent (the activity promise settles on the final resolution), and the
  // SDK's default retry policy has no maximumAttempts (unlimited).
  it('rests on the SDK: the default activity retry policy is unlimited', () => {
    const require = createRequire(import.meta.url);
    const retryPolicy = readFileSync(require.resolve('@temporalio/common/src/retry-policy.ts'), 'utf8');
    expect(retryPolicy).toMatch(/@default Infinity\s*\*\/\s*maximumAttempts\?: number;/);
  });
});

// A workflow driven by signals: its activities run in a signal or update handler, or after a wait
// only a signal can end. A retried run does not receive the failed run's signals: it waits again
// instead of repeating the activities, so their attempts do not multiply.
describe(`${CHECK}: activities gated by a signal`, () => {
  it('notes a start whose workflow runs every retrying activity only after a signal', { timeout: 120_000 }, () => {
    const findings = findingsOf('workflow-start-retries-gated', [CHECK]);
    expect(where(findings).sort()).toEqual([
      `${CHECK} info src/starters.ts:5`,
      `${CHECK} info src/starters.ts:9`,
      `${CHECK} warning src/starters.ts:20`,
      `${CHECK} warning src/starters.ts:24`,
    ]);
    const upload = findings.find((f) => f.line === 5)!;
    expect(upload.message).toContain(
      'This start gives workflow finishUpload a workflow retry policy (up to 5 attempts), but the activities of finishUpload that retry run only after a wait for signal partsUploaded: ' +
        "publishUpload, abortUpload, completeUpload after the wait for signal partsUploaded (src/workflows.ts:23, timeout '2 days').",
    );
    expect(upload.message).toContain("a new run does not receive the signals the failed run got, so it waits for signal partsUploaded again, until the condition's timeout ('2 days') runs out:");
    expect(upload.message).toContain("the failed run's work is dropped rather than repeated, and the activity attempts do not multiply.");
    expect(upload.message).not.toContain('x 5 = 25');
    expect(upload.fix).toContain('drop the workflow retry policy');
    expect(upload.fix).toContain('signalWithStart');
    const edits = findings.find((f) => f.line === 9)!;
    expect(edits.message).toContain('run only in the handler of a message or after a wait for one (update auditRequested or signal editSubmitted)');
    expect(edits.message).toContain('auditEdit in the handler of update auditRequested (src/workflows.ts:38)');
    expect(edits.message).toContain("saveEdit, reindex after the wait for signal editSubmitted (src/workflows.ts:41, timeout '30 seconds')");
    expect(edits.message).toContain('a new run does not receive the signals and updates the failed run got');
    expect(edits.related?.slice(2)).toMatchObject([
      { file: 'src/workflows.ts', line: 38, message: 'the handler of update auditRequested' },
      { file: 'src/workflows.ts', line: 41, message: 'the wait for signal editSubmitted' },
    ]);
  });

  it('names only the activities that run before the wait in the multiplication', { timeout: 120_000 }, () => {
    const settle = findingsOf('workflow-start-retries-gated', [CHECK]).find((f) => f.line === 20)!;
    expect(settle.severity).toBe('warning');
    expect(settle.message).toContain('a retried run repeats the steps from the first one (openStatement, closeStatement), side effects included');
    expect(settle.message).toContain('up to 5 x 5 = 25 times');
    expect(settle.message).toContain('Activity transferFunds runs only after a wait for signal payoutApproved, and a retried run does not receive the signals the failed run got, so it is not repeated.');
    expect(settle.data).toMatchObject({ steps: ['openStatement', 'closeStatement'], signalGatedSteps: ['transferFunds'] });
  });

  it('does not count a wait on a flag the workflow sets itself as a signal gate', { timeout: 120_000 }, () => {
    const review = findingsOf('workflow-start-retries-gated', [CHECK]).find((f) => f.line === 24)!;
    expect(review.severity).toBe('warning');
    expect(review.message).toContain('a retried run repeats the steps from the first one (autoApprove, publishDraft), side effects included');
    expect(review.message).toContain('up to 5 x 5 = 25 times');
    expect(review.message).not.toContain('after a wait for');
    expect(review.data).not.toHaveProperty('signalGatedSteps');
  });
});
