// worker-task-queue-versioned names the code that starts workflows on a task queue named with the
// release: as related locations of the worker's finding, and, when the starter is another
// deployable package than the worker, with a sentence about the two builds' versions drifting.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/worker-task-queue-versioned.js';
import { fixtureReview, where } from './fixture-review.js';

describe('worker-task-queue-versioned and the start sites', () => {
  it('names the start in another package and says the versions can drift', { timeout: 120_000 }, () => {
    const findings = fixtureReview('queue-start-drift').run(check);
    expect(where(findings)).toEqual(['worker-task-queue-versioned info apps/worker/src/worker.ts:9']);
    expect(findings[0]!.related).toEqual([
      { file: 'apps/api/src/start.ts', line: 9, column: 9, message: 'starts order on a task queue named with the version in package.json' },
    ]);
    expect(findings[0]!.message).toContain('The code that starts workflows names the task queue the same way (apps/api/src/start.ts:9).');
    expect(findings[0]!.message).toContain(
      "Those starts are in apps/api, outside the worker's package (apps/worker): the release in the name is the one built into the process that starts the run, so when the app that starts workflows and the worker are deployed at different versions, new runs start on a queue no worker polls.",
    );
    expect(findings[0]!.data).toMatchObject({ releaseNamedStarts: [{ at: 'apps/api/src/start.ts:9', package: 'apps/api', samePackage: false }] });
  });

  it('names the start in the same package without the drift sentence', { timeout: 120_000 }, () => {
    const findings = fixtureReview('queue-start-same-package').run(check);
    expect(where(findings)).toEqual(['worker-task-queue-versioned info src/app.ts:8']);
    expect(findings[0]!.related).toEqual([{ file: 'src/app.ts', line: 16, column: 9, message: 'starts order on a task queue named with process.env.GIT_SHA' }]);
    expect(findings[0]!.message).toMatch(/The code that starts workflows names the task queue the same way \(src\/app\.ts:16\)\.$/);
    expect(findings[0]!.message).not.toContain('deployed at different versions');
  });

  it('adds nothing when no start names the queue with the release', { timeout: 120_000 }, () => {
    const findings = fixtureReview('versioned-task-queue').run(check);
    expect(findings.map((f) => f.related)).toEqual([undefined, undefined]);
    expect(findings[0]!.message).not.toContain('The code that starts workflows');
  });
});

describe('worker-task-queue-versioned and Python start sites', () => {
  it('names the start_workflow in another project and says the versions can drift', { timeout: 120_000 }, async () => {
    const { review } = await import('../../../src/review.js');
    const dir = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-queue-start-drift');
    const findings = (await review({ dir })).findings.filter((f) => f.checkId === 'worker-task-queue-versioned');
    expect(where(findings)).toEqual(['worker-task-queue-versioned info worker/orders/worker.py:16']);
    expect(findings[0]!.related).toEqual([
      { file: 'api/web/start.py', line: 7, column: 11, message: `starts Order on a task queue named with os.environ["GIT_SHA"]` },
    ]);
    expect(findings[0]!.message).toContain("Those starts are in api, outside the worker's package (worker):");
  });
});
