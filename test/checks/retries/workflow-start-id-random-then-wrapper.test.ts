// workflow-start-id-random: a wrapper that starts inside a `.then` callback still forwards its id
// parameter (the callback reads the wrapper's parameter). A caller reached from a webhook that
// passes a business key next to Date.now() is reported at the id, with the workflow it passes;
// the key alone is not, nor a clock id from a timer.
import { beforeAll, describe, expect, it } from 'vitest';
import startIdRandom from '../../../src/checks/retries/workflow-start-id-random.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;

beforeAll(() => {
  review = fixtureReview('start-then-wrapper');
}, 120_000);

describe('workflow-start-id-random through a wrapper that starts in a .then callback', () => {
  it('follows the id from the callback to the callers of the wrapper', () => {
    const findings = review.run(startIdRandom);
    expect(where(findings)).toEqual(['workflow-start-id-random info src/webhooks/account-events.ts:17']);
    expect(findings[0]!.message).toContain(
      'This call of launch() gives the workflow id of client.workflow.start(openAccount) (src/webhooks/account-events.ts:29). ' +
        'It runs once per request or event (its file is under webhooks/: src/webhooks/account-events.ts) and the id is random (`account-opened-${payload.accountId}-${Date.now()}`).',
    );
    expect(findings[0]!.data).toMatchObject({ workflowType: 'openAccount', through: ['launch'] });
  });
});
