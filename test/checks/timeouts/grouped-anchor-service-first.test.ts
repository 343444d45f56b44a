// A finding grouped over several activity proxies is anchored at the first proxy in the service's
// own code, not at an example next to the docs that sorts first by name (round M: a warning about
// the whole project sat in docs/examples/, which readers took for a finding about an example).

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('grouped proxy findings are anchored in service code', () => {
  const root = path.join(fixturesDir, 'grouped-anchor-service-first');
  const { model } = buildTemporalModel({ root });
  const { config } = loadConfig(root);
  const found = runChecks({ root, config, checks: checks.filter((c) => c.id === 'activity-schedule-to-start-missing'), model }).findings;

  it('puts the warning on src/workflows.ts, with the example proxy counted but not the anchor', () => {
    expect(found.map(where)).toEqual([{ checkId: 'activity-schedule-to-start-missing', severity: 'warning', file: 'src/workflows.ts', line: 4 }]);
    expect(found[0]!.message).toContain('2 activity proxies');
  });
});
