// workflow-unbounded-history on a loop nested, in the same function, in a loop that checks the
// history length and continues as new (round-4 readers on a lock workflow: "the 'no continue-as-new'
// wording ignores the enclosing guard"). The outer loop rolls the history over each time the inner
// one ends: info like a helper loop called from such a loop. An inner loop with no way out stays a warning.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-unbounded-history inside a loop guarded by the history length', () => {
  const root = path.join(fixturesDir, 'payloads-nested-guard');
  const { model } = buildTemporalModel({ root });
  const { config } = loadConfig(root);
  const found = runChecks({ root, config, checks: checks.filter((c) => c.id === 'workflow-unbounded-history'), model }).findings;

  it('is info for an inner loop with a way out, a warning for one without', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 19 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 32 },
    ]);
    expect(found[0]!.message).toMatch(/^Workflow gatekeeper loops \(`while \(!released\.has\(holder\)\) \{`\) inside a loop that checks the history length or continues as new \(line 15\); /);
    expect(found[0]!.related?.[0]).toMatchObject({ file: 'src/workflows.ts', line: 15, message: 'the loop that continues as new' });
  });
});
