// workflow-unbounded-history on a wait for a status before a batch (read on real code: a workflow
// that sleeps five minutes and counts running merges until fewer than a threshold run, then merges
// one batch and continues as new; readers judged the warning false). A loop that only sleeps and
// reads a status into the variable its condition tests, followed by continue-as-new, adds a few
// events per wait: info with the events per hour, as long as a day of waiting without a break stays
// under the 10,240-event warning. No continue-as-new after it, a short sleep, or other work in the
// loop keeps the warning.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-unbounded-history on a wait for a status followed by continue-as-new', () => {
  const root = path.join(fixturesDir, 'payloads-status-wait');
  const { model } = buildTemporalModel({ root });
  const { config } = loadConfig(root);
  const found = runChecks({ root, config, checks: checks.filter((c) => c.id === 'workflow-unbounded-history'), model }).findings;

  it('is info for a sleep-and-read loop before continue-as-new, a warning otherwise', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 11 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 24 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 35 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 45 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 56 },
    ]);
  });

  it('gives the events per hour and how long a wait reaches the warning', () => {
    expect(found[0]!.message).toBe(
      'Workflow exportInBatches waits in a loop (`while (running > MAX_RUNNING) {`) until activity countRunningExports reads a status that lets it go on, and continues as new after it (line 18). ' +
        "Each turn sleeps at least 5m (`sleep('5 minutes')`, line 12) and adds about 12 history events (timer sleep, activity countRunningExports), about 144 an hour: " +
        'only about 3 days of waiting without a break reach the 10,240-event warning.',
    );
    expect(found[1]!.message).toContain('Each turn sleeps at least 10m');
    expect(found[1]!.message).toContain('(timer setTimeout, activity countRunningExports), about 72 an hour');
  });
});
