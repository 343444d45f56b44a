// workflow-unbounded-history on a fan-out of child workflows (recall on real code: a workflow
// starts one child per project group an activity returned, or one per 200-id slice of an id range,
// all in one run with no cap). `items.map((item) => executeChild(...))` is judged like a loop over
// `items`: info with the count that reaches the warning, plus the 2,000 pending children when the
// callback starts them itself; not reported under a constant limit; left to the loop when it sits
// in one (batches); activities alone are not a fan-out finding.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-unbounded-history on a fan-out of child workflows', () => {
  const root = path.join(fixturesDir, 'payloads-child-fan-out');
  const { model } = buildTemporalModel({ root });
  const { config } = loadConfig(root);
  const found = runChecks({ root, config, checks: checks.filter((c) => c.id === 'workflow-unbounded-history'), model }).findings;

  it('reports the map over a collection of unknown size, and the loop around a batch', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 25 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 36 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 48 },
    ]);
  });

  it('says how many items reach the warning, and the pending-children limit when all start at once', () => {
    expect(found[0]!.message).toBe(
      'Workflow billAllTenants starts a child workflow for every item of tenants (`tenants.map((tenant) => executeChild(billOneTenant, { arg...`), all in the same run, ' +
        'and each item adds about 6 history events (child workflow billOneTenant). About 1,706 items reach the 10,240-event warning (the server terminates the workflow at 51,200): fine while tenants stays below that. ' +
        'The children are started together: past 2,000 pending at once, the server fails the workflow task that starts more.',
    );
    expect(found[1]!.message).toContain('starts a child workflow for every item of slices(low, high, 200)');
    expect(found[1]!.message).not.toContain('pending at once');
    expect(found[2]!.message).toContain('loops (`for (let i = 0; i < tenants.length; i += 10) {`)');
  });
});
