// A production worker that bundles its workflow code at start (workflowsPath, bundleWorkflowCode in
// its process, or a prebuilt bundle chosen by an environment variable the deployment files do not
// set to the selecting value) gets a note; a prebuilt codePath, a script and a choice the
// Dockerfile settles are left alone.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/worker-bundles-at-startup.js';
import { fixtureReview, where } from './fixture-review.js';

describe('worker-bundles-at-startup', () => {
  const findings = fixtureReview('worker-bundles-at-startup').run(check);

  it('reports workflowsPath, bundleWorkflowCode at start and an environment choice the Dockerfile does not settle', () => {
    expect(where(findings)).toEqual([
      'worker-bundles-at-startup info src/bundle-worker.ts:5',
      'worker-bundles-at-startup info src/choice-worker.ts:5',
      'worker-bundles-at-startup info src/path-worker.ts:7',
    ]);
  });

  it('names how it bundles, and for a choice the variable, the selecting values and what the Dockerfile sets', () => {
    const byFile = (name: string) => findings.find((f) => f.file === name)!;
    expect(byFile('src/path-worker.ts').message).toContain("The worker for task queue 'reminders' passes workflowsPath");
    expect(byFile('src/bundle-worker.ts').message).toContain('builds its workflowBundle with bundleWorkflowCode in its own process at every start');
    const choice = byFile('src/choice-worker.ts');
    expect(choice.message).toContain("loads the prebuilt bundle only when APP_STAGE is 'production' or 'staging'");
    expect(choice.message).toContain("Dockerfile:4 sets it to 'development', which bundles");
    expect(choice.related).toEqual([expect.objectContaining({ file: expect.stringContaining('choice-worker.ts'), line: 8 })]);
    expect(choice.fix).toContain('ENV APP_STAGE=production');
  });

  it('leaves a choice the production Dockerfile settles and test code alone', () => {
    expect(fixtureReview('worker-bundles-at-startup-deployed').run(check)).toEqual([]);
  });
});
