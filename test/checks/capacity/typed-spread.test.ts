// A spread in Worker.create's options hides which options it sets, unless its type says: a
// `Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle'>` cannot set shutdownGraceTime, so the
// missing grace is reported; a spread of the whole WorkerOptions may set it (cannot tell).
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/worker-shutdown-grace-missing.js';
import { fixtureReview } from './fixture-review.js';

describe('spreads with a declared type', () => {
  const review = fixtureReview('capacity-typed-spread');

  it('records the keys a typed spread can carry', () => {
    const worker = review.model.workers.find((w) => w.location.line === 12)!;
    expect(worker.options.kind === 'object' && worker.options.unknownSpreads.map((s) => s.keys)).toEqual([['workflowBundle', 'workflowsPath']]);
  });

  it('reports the missing shutdownGraceTime behind a spread that cannot carry it, and stays quiet behind one that can', () => {
    expect(review.run(check).map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['worker-shutdown-grace-missing info src/worker.ts:12']);
  });
});
