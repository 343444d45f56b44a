// activity-permanent-error-retried: a plain error thrown for a condition retrying cannot change
// (a lookup that came back empty, configuration that is not there, a decision already taken,
// input that fails validation), under a proxy that retries it. Reported at the throw, as info
// (on real code most such throws are guards that cannot fire); nothing under maximumAttempts: 1, for a
// caught failure thrown again, a transient condition, a message that is only a variable, a throw
// the activity catches, a non-retryable failure or a class of the project's own.

import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-permanent-error-retried.js';
import uncovered from '../../../src/checks/retries/activity-non-retryable-errors-uncovered.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-permanent-error-retried', () => {
  const review = fixtureReview('permanent-error-retried');
  const findings = review.run(check);

  it('reports each permanent plain error at its throw, as a note whether the attempts are unlimited or capped', { timeout: 120_000 }, () => {
    expect(where(findings)).toEqual([
      'activity-permanent-error-retried info src/activities.ts:9',
      'activity-permanent-error-retried info src/activities.ts:15',
      'activity-permanent-error-retried info src/activities.ts:23',
      'activity-permanent-error-retried info src/activities.ts:58',
      'activity-permanent-error-retried info src/activities.ts:68',
      'activity-permanent-error-retried info src/activities.ts:75',
      'activity-permanent-error-retried info src/activities.ts:97',
      'activity-permanent-error-retried info src/helpers.ts:8',
    ]);
  });

  it('says why the condition is permanent, how long it is retried and how to stop it', () => {
    const notFound = findings.find((f) => f.line === 9)!;
    expect(notFound.message).toContain('lookupVariableSet throws a plain Error "variable set not found: …" for a condition that would be permanent (the message says "not found"): if it occurs, another attempt meets the same condition');
    expect(notFound.message).toContain('attempts are unlimited (no maximumAttempts, no scheduleToCloseTimeout)');
    expect(notFound.message).toMatch(/\d+ attempts in the first 1 day at one every 30s once the backoff reaches its cap, and the workflow never gets to handle the failure\./);
    expect(notFound.fix).toContain("ApplicationFailure.nonRetryable(message, 'NotFound')");
    expect(notFound.related?.map((r) => `${r.file}:${r.line}`)).toEqual([expect.stringMatching(/src\/activities\.ts:7$/), expect.stringMatching(/src\/workflows\.ts:4$/)]);
    const capped = findings.find((f) => f.line === 58)!;
    expect(capped.message).toContain('4 attempts over 7 seconds (maximumAttempts is 4), and the workflow sees the failure only after that.');
    const helper = findings.find((f) => f.file === 'src/helpers.ts')!;
    expect(helper.message).toContain('applyOperation throws a plain Error "malformed operation payload" (in a function it calls)');
    expect(helper.fix).toContain("'InvalidInput'");
    expect(findings.find((f) => f.line === 23)!.fix).toContain("'PermissionDenied'");
    expect(findings.find((f) => f.line === 15)!.fix).toContain("'NotConfigured'");
    expect(findings.find((f) => f.line === 75)!.message).toContain('for a condition that would be permanent (it fires only when a value just read is missing)');
  });

  it('reports an activity once, at its first permanent throw, with the others (an ownership check) as related locations', () => {
    const claim = findings.find((f) => f.line === 97)!;
    expect(claim.message).toContain('claimShelf throws a plain Error "shelf not found: …" for a condition that would be permanent (the message says "not found")');
    expect(claim.message).toContain('It also throws a plain error of that kind: line 98 "Unauthorized access to shelf".');
    expect(claim.fix).toContain("ApplicationFailure.nonRetryable(message, 'NotFound') here and at the other places listed");
    expect(claim.related?.map((r) => `${r.file}:${r.line}`)).toEqual([
      expect.stringMatching(/src\/activities\.ts:98$/),
      expect.stringMatching(/src\/activities\.ts:95$/),
      expect.stringMatching(/src\/workflows\.ts:4$/),
    ]);
    expect(claim.related?.[0]?.message).toBe('Error "Unauthorized access to shelf", also permanent (the message says "Unauthorized")');
    // The token refresh (line 99) says the next attempt differs; line 102 reads what the activity has just written.
    expect(findings.some((f) => [99, 102].includes(f.line!) || f.related?.some((r) => r.file.endsWith('activities.ts') && [99, 102].includes(r.line)))).toBe(false);
  });

  it('leaves out the plain errors it reports from the note of activity-non-retryable-errors-uncovered', () => {
    expect(where(review.run(uncovered))).toEqual(['activity-non-retryable-errors-uncovered error src/workflows.ts:4']);
    const note = review.run(uncovered)[0]!;
    expect(note.message).toContain('OrderMissing');
  });
});
