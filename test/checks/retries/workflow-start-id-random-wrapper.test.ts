// A start inside a project's wrapper whose workflow id is the wrapper's parameter: the id is what
// each caller passes. A random id passed from a request path (a hook that a service method calls,
// which a route calls through its interface; or through a second wrapper) is reported at the id;
// a business-key id, or a random id from a timer-only caller, is not.
import { beforeAll, describe, expect, it } from 'vitest';
import startIdRandom from '../../../src/checks/retries/workflow-start-id-random.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;

beforeAll(() => {
  review = fixtureReview('start-id-wrapper');
}, 120_000);

describe('workflow-start-id-random through a wrapper parameter', () => {
  it('follows the id to the callers of the wrapper, one or two wrappers out', () => {
    const findings = review.run(startIdRandom);
    expect(where(findings)).toEqual(['workflow-start-id-random info src/api/routes.ts:17', 'workflow-start-id-random info src/app/module.ts:8']);
    expect(findings[0]!.message).toBe(
      'This call of notifyUser() (which hands the id on to startWorkflow()) gives the workflow id of client.workflow.start(notifyUser) (src/services/temporal-gateway.ts:8). ' +
        'It runs once per request or event (it runs in a handler given to app.post(...)) and the id is random (`notify-user-${randomUUID()}`). ' +
        'Temporal rejects a second start only for the same workflow id: a retried request or a redelivered message starts a second run of the same work instead of finding the first.',
    );
    expect(findings[1]!.message).toContain('This call of startWorkflow() gives the workflow id of client.workflow.start(notifyAssignee) (src/services/temporal-gateway.ts:8).');
    expect(findings[1]!.message).toContain(
      '(onAssigned is called at src/tasks/task-service.ts:16; assign is called at src/api/routes.ts:15, where it runs in a handler given to app.post(...))',
    );
    expect(findings[1]!.related?.[0]).toMatchObject({ file: 'src/services/temporal-gateway.ts', line: 8 });
  });
});
