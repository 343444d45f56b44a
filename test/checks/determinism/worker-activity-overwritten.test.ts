// worker-activity-overwritten: a worker's activities merge modules that export different functions
// under one name. The fixture's main worker spreads gemini then openai (same names, different
// functions) while a workflow proxy typed with gemini calls chooseTags: a warning pointing at that
// call. Object.assign of two search modules with no proxy typed by the loser: info. An explicit
// property after the spreads, disjoint modules and one function re-exported by two modules: silent.
// Two factories whose returned objects both define notify: info.
// Python: two activities of one type in activities=[...] make the Worker constructor raise.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import workerActivityOverwritten from '../../../src/checks/determinism/worker-activity-overwritten.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';
import { fixturesDir } from '../helpers/review-fixture.js';

describe('worker-activity-overwritten', () => {
  it('reports the later spread that replaces another module’s activities, and the workflow call that runs the wrong one', { timeout: 120_000 }, () => {
    const review = fixtureReview('worker-activity-overwritten');
    const findings = review.run(workerActivityOverwritten);
    expect(where(findings)).toEqual([
      'worker-activity-overwritten info src/worker-assign.ts:12',
      'worker-activity-overwritten info src/worker-factories.ts:26',
      'worker-activity-overwritten warning src/worker.ts:13',
    ]);
    const [assign, factories, spread] = findings;
    expect(factories!.message).toContain('activity notify of `...createMailActivities(\'ops\')` (src/worker-factories.ts) replaced by `...createSmsActivities()`\'s (src/worker-factories.ts)');
    expect(spread!.message).toContain('2 activities chooseTags, generateURL of `...gemini` (src/activities/gemini.ts) replaced by `...openai`\'s (src/activities/openai.ts)');
    expect(spread!.message).toContain('chooseTags at src/workflows.ts:12 (serviceWorkflow)');
    expect(spread!.message).not.toContain('sendEmail');
    expect(spread!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'src/worker.ts:12 spread whose activities are replaced',
      'src/workflows.ts:12 call of chooseTags that runs the replacing implementation',
    ]);
    expect(spread!.data?.['activityTypes']).toEqual(['chooseTags', 'generateURL']);
    expect(assign!.message).toContain('activity lookup of `...search` (src/activities/search.ts) replaced by `...fallback`\'s (src/activities/search-fallback.ts)');
    expect(assign!.message).toContain('No workflow proxy here is typed with the module that loses');
  });

  it('reports two Python activities of one type as a worker that fails to start', { timeout: 120_000 }, async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'python-worker-activity-overwritten'), config: undefined });
    const found = findings.filter((f) => f.checkId === 'worker-activity-overwritten');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['worker-activity-overwritten error app/worker.py:8']);
    expect(found[0]!.message).toContain('ValueError("More than one activity named fetch_page")');
  });
});
