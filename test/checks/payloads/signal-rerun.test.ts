// A loop that goes round again only when a signal arrived while the previous pass ran (a "dirty"
// flag the loop resets at the start of each pass and only a handler sets again): it runs once per
// burst of messages, so it is info. A flag the loop never resets, one the loop sets itself, and
// loops that wait for the next message (entity loops) keep their warning.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('workflow-unbounded-history and a loop that reruns on a signal', () => {
  const root = path.join(fixturesDir, 'payloads-signal-rerun');
  const { model } = buildTemporalModel({ root });
  const found = runChecks({ root, config: loadConfig(root).config, checks: checks.filter((c) => c.id === 'workflow-unbounded-history'), model }).findings;

  it('is info for the reset-and-rerun shapes and keeps the other loops as they were', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 17 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 27 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 40 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 55 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 66 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 79 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 91 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 105 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 119 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 136 },
    ]);
    expect(found.map((f) => [f.data?.['workflow'], f.data?.['bound'], f.data?.['rerunFlag']])).toEqual([
      ['reindexPage', 'none', 'edited'],
      ['syncBoard', 'none', 'editsSincePublish'],
      ['refreshPage', 'none', 'stale'],
      ['mirrorBoard', 'none', undefined],
      ['previewPage', 'none', undefined],
      ['boardEditor', 'none', undefined],
      ['boardSession', 'none', undefined],
      ['flushEdits', 'none', 'edits'],
      ['flushEditsRetrying', 'none', undefined],
      ['publishUntilQuiet', 'none', undefined],
    ]);
  });

  it('gives the events per pass and says the loop goes on only while signals keep arriving', () => {
    const first = found[0]!;
    expect(first.message).toMatch(/^Workflow reindexPage repeats its loop \(`do \{`\) only when the handler of pageEdited sets `edited` again while a pass runs: the loop resets it at line 18, before it waits, and stops on the first pass during which no message arrived\. /);
    expect(first.message).toContain('Each pass adds about 6 history events (activity rebuildSearchEntry)');
    expect(first.message).toContain('goes on only while messages keep arriving during every pass');
    expect(first.message).toContain('A sender that signals continuously (a progress stream every few seconds) would keep it going without bound: about 1,706 passes in a row reach the 10,240-event warning.');
    expect(first.fix).toContain('workflowInfo().continueAsNewSuggested');
    expect(first.related?.[0]).toMatchObject({ file: 'src/workflows.ts', line: 18 });
    expect(found[1]!.message).toContain('resets it at line 28');
    expect(found[1]!.message).toContain('the handler of boardEdited');
  });
});
