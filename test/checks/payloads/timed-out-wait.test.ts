// workflow-unbounded-history on loops that go round only when a long condition() wait times out, and
// on work behind a once-only flag (session 29 reading of real code: `while (!answeredAll() &&
// !aborted) { const signaled = await condition(() => answeredAll() || aborted, '72h'); if (!signaled
// && !stalled) { stalled = true; ...activities } }` was read FALSE as a warning: a few events every
// three days). A `condition(fn, timeout)` on every turn, where the loop's own test is false whenever
// `fn` holds, paces the loop like a sleep of that timeout: info when the warning is more than a year
// away. Work behind `if (!flag) { flag = true; ... }`, a flag nothing resets, runs once and is not
// counted per turn. A short timeout, a loop that does not end when the wait is satisfied, a signal
// loop without a timer and a flag a handler resets keep the warning and their work.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-unbounded-history on timed-out waits and once-only work', () => {
  const root = path.join(fixturesDir, 'payloads-timed-out-wait');
  const { model } = buildTemporalModel({ root });
  const { config } = loadConfig(root);
  const found = runChecks({ root, config, checks: checks.filter((c) => c.id === 'workflow-unbounded-history'), model }).findings;
  const growthAt = (line: number) => (found.find((f) => f.line === line)?.data?.['growth'] as { name: string }[]).map((g) => g.name);

  it('is info for a loop paced by a 72-hour timeout, a warning for a short one, a loop that spins and signal loops', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 16 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 29 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 38 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 48 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 65 },
    ]);
    expect(found[0]!.message).toContain("goes round only when `condition(() => answeredAll() || aborted, '72h')` (line 17) times out after 3d");
    expect(found[0]!.message).toContain('~6 history events per turn (timer condition)');
  });

  it('does not count work behind a once-only flag per turn, and counts it when a handler resets the flag', () => {
    expect(growthAt(16)).toEqual(['condition']);
    expect(found[0]!.data?.['eventsUpTo']).toBeUndefined();
    expect(growthAt(48)).toEqual(['condition', 'handle']);
    expect(growthAt(65)).toEqual(['condition', 'handle', 'label']);
  });
});
