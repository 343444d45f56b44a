// A wrapper whose start reads the id from a const with a fallback (`const workflowId =
// input.workflowId ?? \`invite-${input.userId}\``): the caller's field decides the id. A caller
// that passes `{ workflowId }`, a const set from a project function returning
// `${kind}-${userId}-${Date.now()}`, is reported at that field; a caller whose function returns the
// key alone, and one that leaves the field out (the fallback is the user's key), are not.
import { beforeAll, describe, expect, it } from 'vitest';
import startIdRandom from '../../../src/checks/retries/workflow-start-id-random.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;

beforeAll(() => {
  review = fixtureReview('start-id-wrapper-fallback');
}, 120_000);

describe('workflow-start-id-random through a wrapper const with a fallback', () => {
  it('reports the caller that passes a random id, not the stable or omitting callers', () => {
    const findings = review.run(startIdRandom);
    expect(where(findings)).toEqual(['workflow-start-id-random info src/lib/trigger.ts:14', 'workflow-start-id-random info src/lib/trigger.ts:27']);
    expect(findings[0]!.message).toContain('This call of startInvite() gives the workflow id of client.workflow.start(sendInvite) (src/lib/temporal.ts:11).');
    expect(findings[0]!.message).toContain("the id is random (workflowId = runId('invite', userId))");
    expect(findings[0]!.message).toContain('runs once per request or event (inviteAgain is called at src/app/api/invite/route.ts:8');
    expect(findings[0]!.related?.[0]).toMatchObject({ file: 'src/lib/temporal.ts', line: 11 });
    // `options.workflowId || \`remind-...\`` written in the option: the caller's literal decides.
    expect(findings[1]!.message).toContain('This call of startReminder() gives the workflow id of client.workflow.start(sendInvite) (src/lib/temporal.ts:16).');
    expect(findings[1]!.message).toContain('the id is random (`remind-${userId}-${Date.now()}`)');
  });
});
