// workflow-signal-unhandled on queries: a query sent by a name the targeted workflow registers no
// handler for fails at the caller every time (the SDK answers with an error listing the queries it
// knows). Left alone: a query sent by its shared definition (defineQuery const, a method reference),
// a name= override used as sent, and the SDKs' own queries (`__stack_trace`). TypeScript over
// test/fixtures/workflow-query-unhandled, Python over test/fixtures/python-query-unhandled.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/determinism/workflow-signal-unhandled.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-signal-unhandled on queries', () => {
  it('TypeScript: the misnamed query is a warning at the send, naming the started workflow', () => {
    const findings = fixtureReview('workflow-query-unhandled').run(check);
    expect(where(findings)).toEqual(['workflow-signal-unhandled warning src/client.ts:7']);
    expect(findings[0]!.message).toContain(
      "`handle.query<number>('getProgress')` (src/client.ts:7) sends query 'getProgress', but no handler for it is registered by the workflow its handle targets (exportWorkflow at src/workflows.ts:5, started by the call that returned the handle).",
    );
    expect(findings[0]!.message).toContain('The workflow answers the query with an error');
    expect(findings[0]!.fix).toContain("setHandler(defineQuery('getProgress'), ...)");
    expect(findings[0]!.data).toMatchObject({ kind: 'query', name: 'getProgress' });
  });

  it('Python: a query sent by the method name when name= registers another name', async () => {
    const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-query-unhandled');
    const findings = (await review({ dir: root, config: undefined })).findings.filter((f) => f.checkId === 'workflow-signal-unhandled');
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['workflow-signal-unhandled warning app/client.py:10']);
    expect(findings[0]!.message).toContain("sends query 'progress_percent', but no handler for it is registered by the workflow its handle targets (ExportWorkflow at app/workflows.py:7, named by the handle)");
  });
});
