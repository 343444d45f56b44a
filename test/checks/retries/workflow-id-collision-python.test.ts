// workflow-id-collision on the Python front-end, over test/fixtures/python-workflow-id-collision.
//
// The SDK fact the check rests on: temporalio 1.35 (worker/_workflow_instance.py) resolves a child
// start that the server answers with WORKFLOW_ALREADY_EXISTS by failing it with
// temporalio.exceptions.WorkflowAlreadyStartedError; the client raises the same error. Child
// starts take id_reuse_policy (default ALLOW_DUPLICATE, so an awaited execute_child_workflow in a
// `for` may use the id again) and no id_conflict_policy.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-id-collision');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-id-collision on Python', () => {
  test('warns at children gathered or started per iteration with an invariant id, notes constant ids in handlers, and nothing else', () => {
    const hits = findings.filter((f) => f.checkId === 'workflow-id-collision');
    expect(hits.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-id-collision info app/api.py:19',
      'workflow-id-collision info app/api.py:24',
      'workflow-id-collision warning app/workflows.py:17',
      'workflow-id-collision warning app/workflows.py:19',
      'workflow-id-collision warning app/workflows.py:22',
    ]);
    const [route, consumer, gathered, started, appended] = hits;
    expect(gathered!.message).toMatch(/^workflow\.execute_child_workflow\(ShipItem\) runs on every iteration of the comprehension \[\.\.\. for item in items\] \(line 17\) with the same workflow id on each \("ship-item": nothing in it changes per iteration\)/);
    expect(gathered!.message).toContain('asyncio.gather');
    expect(gathered!.message).toContain('WorkflowAlreadyStartedError');
    expect(started!.message).toContain('(f"{workflow.info().workflow_id}-ship":');
    expect(started!.message).toContain('returns once the child has started');
    expect(appended!.message).toContain('appended to a list that the function gathers');
    expect(route!.message).toMatch(/^client\.start_workflow\(Batch\) runs once per request or message \(reindex handles requests or messages: @router\.post\) and its workflow id is constant \(REINDEX_ID\)/);
    expect(consumer!.message).toContain('on_message takes the request or message `message`');
    expect(consumer!.fix).toContain('id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING');
  });
});
