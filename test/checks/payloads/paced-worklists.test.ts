// TypeScript side of test/checks/payloads/paced-loops.test.ts: a worklist whose additions are
// guarded so each item goes in at most once (an in-degree that falls to zero, a visited set checked
// before the push) is input-sized info, and a retry loop whose every way back to the top resets a
// flag and waits on `condition(() => flag)` that only a signal handler sets again, leaving on
// success, is info. A list that takes every item back, a flag nothing resets, a retry on a timer
// and an entity loop stay warnings.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-unbounded-history on worklists and message-paced retries', () => {
  const root = path.join(fixturesDir, 'payloads-paced-loops');
  const { model } = buildTemporalModel({ root });
  const found = runChecks({ root, config: loadConfig(root).config, checks: checks.filter((c) => c.id === 'workflow-unbounded-history'), model }).findings;
  const at = (line: number) => found.find((f) => f.line === line)!;

  it('gives info for guarded worklists and signal-paced retries, warnings for the rest', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 20 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 34 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 48 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 60 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 76 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 87 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 102 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 118 },
    ]);
  });

  it('says how the worklist is guarded', () => {
    expect(at(20).message).toContain('as many times as ready (each item added at most once, when waiting[...] falls to 0)');
    expect(at(34).message).toContain('once per item not yet in seen');
    expect(at(48).message).toContain('over pending, which grows while the loop runs');
  });

  it('says the retry repeats once per signal', () => {
    expect(at(60).message).toContain('goes round only after condition (line 65) is released by a message (state set by the handler of repairedSignal, and reset before each wait)');
    expect(at(118).message).toContain('goes round only after condition (line 116) is released by a message');
  });
});
