// workflow-unbounded-history on loops over a batch an activity fetched with a constant limit (read
// on real code: a workflow takes at most LIMIT repositories per run from a query, runs them through
// a pool of a few children with retries put back on the queue, then continues as new; readers judged
// the warnings on both loops false). The limit passed to the query bounds the loop: reported only
// when that bound passes the 10,240-event warning. `a && b` is bounded by either side, `a || b` by
// both; a pool filled once per turn without waiting is bounded by its constant size; an item put
// back on the queue it was taken from (on a failure) adds no new work. New items pushed on the queue
// still grow it. A copy `[...list]` of a list of unknown size is not a one-item literal.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-unbounded-history on loops over a batch fetched with a constant limit', () => {
  const root = path.join(fixturesDir, 'payloads-limited-batch');
  const { model } = buildTemporalModel({ root });
  const { config } = loadConfig(root);
  const found = runChecks({ root, config, checks: checks.filter((c) => c.id === 'workflow-unbounded-history'), model }).findings;

  it('bounds the loops by the limit and reports only a bound past the warning', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 31 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 58 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 68 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 77 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 85 },
    ]);
  });

  it('names the limit, the query it was passed to, and the put-back', () => {
    expect(found[0]!.message).toContain('as many times as queue (at most SITES_PER_RUN = 100 items, the limit passed to staleSites; items put back at line 27 come round again)');
    expect(found[1]!.message).toContain('up to 2,000 times (sites (at most MAX_SITES_PER_BIG_RUN = 2,000 items, the limit passed to staleSites))');
    expect(found[1]!.message).toContain('writes about 24,000 events');
    expect(found[0]!.message).toContain('fine while queue stays below that.');
    expect(found[3]!.message).toContain('over queue, which grows while the loop runs');
    expect(found[4]!.message).toContain('as many times as [...new Set(urls)], and each iteration adds about 6 history events');
  });
});
