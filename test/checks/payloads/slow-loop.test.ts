// workflow-unbounded-history on loops that sleep long on every turn (issue 13, read on real code:
// a token refresh that sleeps until expiry, weeks per turn). Such a loop writes about E events per
// turn and one turn per sleep: when reaching the 10,240-event warning takes more than a year it is
// info stating that rate. A sleep whose duration is computed from data (until a time read at run
// time) makes the rate depend on that data: info, with the turns to the warning and what that is at
// one turn per day or per hour (round-4 readers: a token refresh sleeping 58 days per turn was no
// warning). A sleep a `continue` can skip, or one of an hour, keeps the warning.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-unbounded-history on loops that sleep long every turn', () => {
  const root = path.join(fixturesDir, 'payloads-slow-loop');
  const { model } = buildTemporalModel({ root });
  const { config } = loadConfig(root);
  const found = runChecks({ root, config, checks: checks.filter((c) => c.id === 'workflow-unbounded-history'), model }).findings;

  it('is info when the least sleep per turn puts the warning more than a year away or depends on data, a warning otherwise', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 10 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 18 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 28 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 36 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 46 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 57 },
    ]);
    expect(found[0]!.message).toBe(
      "Workflow renewCertificate loops (`while (true) {`) with no fixed bound and no continue-as-new, but every turn sleeps at least 60d (`sleep('60 days')`, line 12): " +
        '~12 history events per turn (activity renew, timer sleep), one turn per >= 60d: about 140 years to reach the 10,240-event warning.',
    );
    expect(found[1]!.message).toContain('every turn sleeps at least 1d (`sleep(pause)`, line 21)');
    expect(found[1]!.message).toContain('about 1.6 years to reach the 10,240-event warning.');
  });

  it('says when every turn sleeps for a time computed from data, and what that rate gives per day and per hour', () => {
    expect(found[3]!.message).toBe(
      'Workflow renewUntilExpiry loops (`while (true) {`) with no fixed bound and no continue-as-new, but every turn sleeps (`sleep(pause)`, line 39) for a time computed from data that preflight cannot bound. ' +
        'Each turn adds about 18 history events (activity expiresAt, timer sleep, activity renew), so about 569 turns reach the 10,240-event warning (the server terminates the workflow at 51,200): ' +
        'at one turn per day that is about 1.6 years, at one turn per hour about 24 days. Whether it matters depends on how short that sleep gets.',
    );
    expect(found[5]!.message).toContain('every turn sleeps (`sleep(pause)`, line 60) for a time computed from data');
    expect(found[2]!.message).not.toContain('every turn sleeps (');
    expect(found[4]!.message).not.toContain('every turn sleeps (');
  });
});
