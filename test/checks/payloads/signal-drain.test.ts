// A loop that drains what only signal or update handlers add (issue 13 held-out pattern 10): it
// runs once per message received, each message is an event of its own, and it ends when the list is
// empty, so the messages bound it (info with the size that reaches the event warning). A loop that
// waits for the next signal forever, or that feeds the list it drains, stays a warning.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-unbounded-history and a drain of signal-fed waiters', () => {
  const root = path.join(fixturesDir, 'payloads-signal-drain');
  const { model } = buildTemporalModel({ root });
  const found = runChecks({ root, config: loadConfig(root).config, checks: checks.filter((c) => c.id === 'workflow-unbounded-history'), model }).findings;

  it('is info for a finally-block drain that only a signal handler feeds, and keeps the forever loop and the self-feeding drain', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 18 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 31 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 44 },
    ]);
    expect(found.map((f) => [f.data?.['workflow'], f.data?.['bound']])).toEqual([
      ['sharedRun', 'bounded'],
      ['notifyForever', 'none'],
      ['notifyAndRetry', 'grows'],
    ]);
  });

  it('says the messages bound it', () => {
    expect(found[0]!.message).toMatch(/^Workflow sharedRun loops \(`while \(waiters\.length > 0\) \{`\) as many times as waiters \(fed by a signal or update handler\), and each iteration adds about 6 history events \(activity notify\)\./);
    expect(found[2]!.related?.[0]).toMatchObject({ file: 'src/workflows.ts', line: 47, message: 'waiters grows here' });
  });
});
