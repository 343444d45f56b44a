// workflow-handlers-unfinished over test/fixtures/handlers-unfinished (TypeScript) and
// test/fixtures/python-handlers-unfinished. The SDK facts it rests on are read from the installed
// SDKs in workflow-handlers-unfinished-sdk.test.ts.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { findingsOf, where } from './review-fixture.js';

const ID = 'workflow-handlers-unfinished';

describe(`${ID} (TypeScript)`, () => {
  it('reports workflows that can end while an async handler awaits durable work', { timeout: 120_000 }, () => {
    const findings = findingsOf('handlers-unfinished', [ID]);
    // Left alone: a workflow that waits on allHandlersFinished (46), a handler with an explicit
    // unfinishedPolicy (55), a synchronous handler and one that does not await its activity (63), a
    // workflow that never returns (76).
    expect(where(findings)).toEqual([`${ID} warning src/workflows.ts:13`, `${ID} warning src/workflows.ts:24`, `${ID} info src/workflows.ts:35`]);
  });

  it('names the handlers, their work and where the run ends', { timeout: 120_000 }, () => {
    const [monitor, approval, debounce] = findingsOf('handlers-unfinished', [ID]);
    expect(monitor!.message).toContain("signal 'reading' (awaits an activity, line 15)");
    expect(monitor!.message).toContain('returns (its function ends at line 21)');
    expect(monitor!.related?.map((r) => r.line)).toEqual([14, 21]);
    expect(approval!.message).toContain("update 'approve' (awaits an activity through approveAndRecord, line 26)");
    expect(approval!.message).toContain('continues as new (line 31)');
    expect(approval!.message).toContain('the client of the update gets an error instead of its result');
    expect(debounce!.message).toContain("signal 'pause' (awaits a timer, line 39)");
    expect(monitor!.fix).toContain('await condition(allHandlersFinished)');
  });
});

describe(`${ID} (Python)`, () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-handlers-unfinished'), config: undefined }));
  }, 120_000);

  it('reports run methods that can end while an async handler awaits durable work', () => {
    const found = findings.filter((f) => f.checkId === ID);
    // Left alone: a class that waits on all_handlers_finished, a handler with unfinished_policy=,
    // a synchronous handler, a run method that never returns.
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      `${ID} warning app/workflows.py:23`,
      `${ID} warning app/workflows.py:40`,
      `${ID} info app/workflows.py:57`,
    ]);
    expect(found[0]!.message).toContain("signal 'reading' (awaits an activity through self._store, line 18)");
    expect(found[1]!.message).toContain("update 'approve-order' (awaits a child workflow, line 36)");
    expect(found[1]!.message).toContain('continues as new (line 42)');
    expect(found[0]!.fix).toContain('await workflow.wait_condition(workflow.all_handlers_finished)');
  });
});
