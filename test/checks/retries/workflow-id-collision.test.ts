// workflow-id-collision over test/fixtures/workflow-id-collision (TypeScript).
//
// The SDK fact the check rests on: @temporalio/workflow 1.24 (lib/internals.js,
// resolveChildWorkflowExecutionStart) rejects a child's start with WorkflowExecutionAlreadyStartedError
// when the server answers WORKFLOW_ALREADY_EXISTS, i.e. a child with that workflow id is running;
// the client's start throws the same error. ChildWorkflowOptions has no workflowIdConflictPolicy
// (it is omitted from the child's options type), only workflowIdReusePolicy, whose default
// ALLOW_DUPLICATE lets a closed workflow's id be used again: an awaited executeChild in a `for`
// does not collide.
import { beforeAll, describe, expect, it } from 'vitest';
import idCollision from '../../../src/checks/retries/workflow-id-collision.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('workflow-id-collision');
});

describe('workflow-id-collision', () => {
  it('warns at children started per iteration with an id that does not change, and notes constant ids in request handlers', () => {
    const findings = review.run(idCollision);
    expect(where(findings)).toEqual([
      'workflow-id-collision info src/api.ts:10',
      'workflow-id-collision info src/api.ts:15',
      'workflow-id-collision warning src/workflows.ts:6',
      'workflow-id-collision warning src/workflows.ts:11',
      'workflow-id-collision warning src/workflows.ts:19',
    ]);
    const [route, consumer, map, parentId, pushed] = findings;
    expect(map!.message).toMatch(/^executeChild\(shipItem\) runs on every iteration of input\.items\.map\(\.\.\.\) \(line 6\) with the same workflow id on each \('ship-item': nothing in it changes per iteration\), and the map callback runs/);
    expect(map!.message).toContain('WorkflowExecutionAlreadyStartedError');
    expect(parentId!.message).toContain('(`${workflowInfo().workflowId}-ship`:');
    expect(parentId!.message).toContain('startChild returns once the child has started');
    expect(parentId!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/workflows.ts:10']);
    expect(pushed!.message).toContain('pushed to a list');
    expect(route!.message).toMatch(/^client\.workflow\.start\(fanOutConstant\) runs once per request or message \(it runs in a handler given to router\.post\(\.\.\.\)\) and its workflow id is constant \(REINDEX_ID\)/);
    expect(consumer!.message).toContain('onOrderEvent takes the request or message `event`');
    expect(consumer!.fix).toContain("workflowIdConflictPolicy: 'USE_EXISTING'");
  });

  it('leaves alone per-item ids, awaited executeChild, waited-on handles, starts that may run once, counters, generated ids, policies, handled errors and boot singletons', () => {
    const lines = review.run(idCollision).map((f) => `${f.file}:${f.line}`);
    for (const line of [27, 29, 36, 42, 50, 54, 63, 64, 65]) expect(lines).not.toContain(`src/workflows.ts:${line}`);
    for (const line of [21, 26, 32]) expect(lines).not.toContain(`src/api.ts:${line}`);
    expect(lines.filter((l) => l.startsWith('src/boot.ts'))).toEqual([]);
  });
});
