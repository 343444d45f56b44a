// workflow-unbounded-history and loops bounded by the workflow clock: `while (Date.now() - start <
// MAX)` with a durable sleep every turn runs at most MAX / sleep + 1 times, since Date.now() in
// workflow code is the workflow's clock and the sleep moves it forward. Without the sleep the
// number of turns depends on how long the activities take, so the loop stays unbounded.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-unbounded-history and a deadline on the workflow clock', () => {
  const root = path.join(fixturesDir, 'payloads-deadline-loop');
  const { model } = buildTemporalModel({ root });
  const { config } = loadConfig(root);
  const found = runChecks({ root, config, checks: checks.filter((c) => c.id === 'workflow-unbounded-history'), model }).findings;

  it('leaves out a short deadline polled with a sleep, and keeps a long deadline and a deadline without a sleep', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 23 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 32 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 48 },
    ]);
    expect(found[0]!.data?.['bound']).toBe('bounded');
    expect(found[0]!.message).toContain('604,801 times');
    expect(found[1]!.data?.['bound']).toBe('none');
  });

  it('counts the turns of a deadline loop that goes round only when condition(fn, timeout) timed out', () => {
    // 24 hours of 30-second ticks (Math.min(POLL, time left) is the poll interval but for the last
    // turn): 2,881 turns at most, each a timer and an activity, past the 10,240-event warning.
    const approval = found.find((f) => f.line === 48)!;
    expect(approval.data?.['bound']).toBe('bounded');
    expect(approval.data?.['limit']).toBe(2_881);
    expect(approval.message).toContain('up to 2,881 times (the deadline Date.now() < deadline with condition(() => approved, tickMs) every turn)');
    expect(approval.message).not.toContain('no fixed bound');
    // Ten minutes of the same ticks is 21 turns: nothing to report.
    expect(found.some((f) => f.line === 66)).toBe(false);
  });
});
