// activity-schedule-to-close-missing where every start of the enclosing workflow sets a run or
// execution timeout: the server ends the run, and the activity's attempts with it, at that deadline,
// so "nothing stops the retries" is not true there. A workflow with one start that sets none keeps
// the warning. TypeScript (workflowExecutionTimeout / workflowRunTimeout) and Python
// (execution_timeout / run_timeout), child starts and client starts alike.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/engine/config.js';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { buildFixture, fixturesDir, where, type BuiltFixture } from '../helpers/review-fixture.js';

const ID = 'activity-schedule-to-close-missing';

describe('activity-schedule-to-close-missing on TypeScript workflows started under a deadline', () => {
  let built: BuiltFixture;
  beforeAll(() => {
    built = buildFixture('ts-child-deadline');
  });

  it('reports only the activity of the workflow that a client starts without workflowExecutionTimeout', () => {
    expect(built.findings([ID]).map(where)).toEqual([{ checkId: ID, severity: 'warning', file: 'src/workflows.ts', line: 6 }]);
  });

  it('with a configured business deadline, names the execution timeout that still passes it', () => {
    const config = { ...built.config, deadlines: { activities: { crawlSite: '1 day' } } };
    const found = built.findings([ID], config);
    expect(found.map(where)).toEqual([
      { checkId: ID, severity: 'warning', file: 'src/workflows.ts', line: 4 },
      { checkId: ID, severity: 'warning', file: 'src/workflows.ts', line: 6 },
    ]);
    expect(found[0]!.message).toContain("Every start of crawlSiteWorkflow sets a deadline (workflowExecutionTimeout '3 days' at src/workflows.ts:20), which ends the attempts within 3d, still past it.");
    expect(found[0]!.data).toMatchObject({ workflowDeadlineMs: 3 * 86_400_000 });
  });

  it('is silent when that execution timeout is within the configured deadline', () => {
    const config = { ...built.config, deadlines: { activities: { crawlSite: '4 days' } } };
    expect(built.findings([ID], config).map(where)).toEqual([{ checkId: ID, severity: 'warning', file: 'src/workflows.ts', line: 6 }]);
  });
});

describe('activity-schedule-to-close-missing on Python child workflows started with execution_timeout or run_timeout', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const dir = path.join(fixturesDir, 'python-child-deadline');
    ({ findings } = await review({ dir, config: loadConfig(dir).config }));
  });

  it('reports only the activity of the workflow that a client also starts without a timeout', () => {
    expect(findings.filter((f) => f.checkId === ID).map(where)).toEqual([{ checkId: ID, severity: 'warning', file: 'app/workflows.py', line: 26 }]);
  });
});
