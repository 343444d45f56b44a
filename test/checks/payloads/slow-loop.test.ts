// workflow-unbounded-history on loops that sleep long on every turn (issue 13, read on real code:
// a token refresh that sleeps until expiry, weeks per turn). Such a loop writes about E events per
// turn and one turn per sleep: when reaching the 10,240-event warning takes more than a year it is
// info stating that rate. A sleep preflight cannot bound below (a time read at run time that may
// be zero), or one a `continue` can skip, keeps the warning; a sleep until a moment read from data
// in a loop that stops when no time is left is info, since its pace is in the data.

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

  it('is info when the least sleep per turn puts the warning more than a year away, a warning otherwise', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 10 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 18 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 28 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 36 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 46 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 56 },
    ]);
    expect(found[0]!.message).toBe(
      "Workflow renewCertificate loops (`while (true) {`) with no fixed bound and no continue-as-new, but every turn sleeps at least 60d (`sleep('60 days')`, line 12): " +
        '~12 history events per turn (activity renew, timer sleep), one turn per >= 60d: about 140 years to reach the 10,240-event warning.',
    );
    expect(found[1]!.message).toContain('every turn sleeps at least 1d (`sleep(pause)`, line 21)');
    expect(found[1]!.message).toContain('about 1.6 years to reach the 10,240-event warning.');
  });

  it('says when every turn sleeps for a time it cannot bound', () => {
    expect(found[3]!.message).toMatch(/ Every turn sleeps \(`sleep\(pause\)`, line 39\) for a time preflight cannot bound: about 569 turns reach the 10,240-event warning, which takes years only if every sleep lasts weeks\.$/);
    expect(found[2]!.message).not.toContain('Every turn sleeps');
    expect(found[4]!.message).not.toContain('Every turn sleeps');
  });

  // A turn that waits until a moment read from data (a token's expiry), in a loop that stops when
  // no time is left, never spins: how fast the history fills depends on how far apart those
  // moments are, which the code does not say. Info, saying so.
  it('is info when every turn sleeps until a time read from data and the loop stops when none is left', () => {
    expect(found[5]!.message).toMatch(
      / Every turn sleeps until a time read from data \(`sleep\(left\)`, line 60\): about 569 turns reach the 10,240-event warning, so how soon depends on how far apart those times are, which preflight cannot see \(at one turn a day, 569 days\)\.$/,
    );
  });
});
