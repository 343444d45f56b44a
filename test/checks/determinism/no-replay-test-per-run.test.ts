// no-replay-test when every worker is per-run (a CLI that starts one worker per invocation for the
// one workflow it runs): a workflow then runs on the code that started it, so the missing replay
// test is a note. A project with one long-running worker keeps the warning.

import { describe, expect, it } from 'vitest';
import noReplayTest from '../../../src/checks/determinism/no-replay-test.js';
import { fixtureReview } from '../capacity/fixture-review.js';

describe('no-replay-test and per-run workers', () => {
  it('is info, saying why, when every worker is per-run', () => {
    const review = fixtureReview('replay-per-run-only');
    expect(review.model.workers.map((w) => w.ephemeral?.how)).toEqual(['run-until']);
    const [finding, ...rest] = review.run(noReplayTest);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ checkId: 'no-replay-test', severity: 'info' });
    expect(finding!.message).toMatch(/^Every worker here is per-run, so a workflow runs on the code that started it unless a run outlives its process\. No test replays/);
    expect(finding!.message).toMatch(/ so a run that outlives its process has no safe path onto changed workflow code\.$/);
  });

  it('stays a warning when some worker is long-running', () => {
    const review = fixtureReview('capacity-per-run-worker');
    expect(review.run(noReplayTest).map((f) => `${f.checkId} ${f.severity}`)).toEqual(['no-replay-test warning']);
  });
});
