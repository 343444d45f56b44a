// workflow-start-conflict-unhandled (Python): FastAPI routes (directly or through a helper) that
// start a workflow with an id built from the request, with no id_conflict_policy and no except
// clause that takes WorkflowAlreadyStartedError and does more than answer 500; an id the caller
// sends (a body field). Nothing for an except clause for the error, USE_EXISTING, random or
// constant ids, a 409 pre-check, a helper's id parameter, and scripts.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-start-conflict-unhandled');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-start-conflict-unhandled (Python)', () => {
  it('reports request-keyed starts whose conflict nothing handles', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-start-conflict-unhandled');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-conflict-unhandled info app/api.py:22',
      'workflow-start-conflict-unhandled info app/api.py:30',
      'workflow-start-conflict-unhandled info app/api.py:73',
      'workflow-start-conflict-unhandled info app/api.py:85',
      'workflow-start-conflict-unhandled info app/services.py:7',
    ]);
    expect(mine[0]!.message).toContain('start_monitor calls client.start_workflow(MonitorTarget.run) with id=f"monitor-{payload.slug}", which a repeated request (a double click, a client retry, a second form submit) builds again; it runs per request: start_monitor handles requests or messages (@router.post).');
    expect(mine[0]!.message).toContain('the refusal (WorkflowAlreadyStartedError) surfaces as a server error: the caller gets a 500 instead of the running workflow or a 409 Conflict.');
    expect(mine[1]!.message).toContain('The except clause at app/api.py:31 only re-raises it or answers 500 like any other error.');
    expect(mine[3]!.message).toContain('start_named calls client.start_workflow(MonitorTarget.run) with id=req.workflow_id, which the caller sends, so a repeated request (a double click, a client retry, a second form submit) sends it again');
    expect(mine[4]!.message).toContain('it is reached from app/api.py:38 (start_via_helper handles requests or messages (@router.post))');
    expect(mine[0]!.fix).toContain('id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING');
  });
});
