// workflow-unbounded-history counts the events of the path every iteration takes, not the sum of
// every branch (round-4 readers on a monitor loop: about 11 real events per iteration against 24
// claimed; on a sync loop 38 against 70, and "terminated at 51,200" was wrong). Branches appear as
// "up to", and only the path every iteration takes decides whether a full run reaches the limit.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-unbounded-history and branches in an iteration', () => {
  const root = path.join(fixturesDir, 'payloads-loop-branches');
  const { model } = buildTemporalModel({ root });
  const { config } = loadConfig(root);
  const found = runChecks({ root, config, checks: checks.filter((c) => c.id === 'workflow-unbounded-history'), model }).findings;

  it('counts the unconditional path as the figure and branches as "up to"', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 8 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 22 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 44 },
    ]);
    expect(found[0]!.message).toBe(
      'Workflow watchMachine loops (`for (let i = 0; i < 1000; i++) {`) up to 1,000 times (1000), and each iteration adds about 12 history events (up to 24 when every branch runs) ' +
        '(timer sleep, activity checkStatus, activity stopMachine, activity notify). About 853 iterations reach the 10,240-event warning, so a run that goes the full 1,000 writes about 12,000 events ' +
        '(the server terminates the workflow at 51,200), and every replay and cache miss gets slower on the way.',
    );
  });

  it('never claims termination from the sum of branches', () => {
    expect(found[1]!.message).toContain('each iteration adds about 18 history events (up to 54 when every branch runs)');
    expect(found[1]!.message).toContain('writes about 18,000 events (the server terminates the workflow at 51,200)');
    expect(found[1]!.message).not.toContain('past the 51,200');
  });

  it('gives an input-sized loop the range of iterations to the warning, every branch taken or none', () => {
    expect(found[2]!.message).toContain('each iteration adds about 6 history events (up to 12 when every branch runs)');
    expect(found[2]!.message).toContain('About 853 (every branch taken) to 1,706 iterations reach the 10,240-event warning');
  });
});
