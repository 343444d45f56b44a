// A start written in a service function that a route calls: the function runs once per request,
// so a random workflow id starts a second run on every retried request, as if the start were
// written in the handler. A business-key id, or a function only a timer calls, is not reported.
import { beforeAll, describe, expect, it } from 'vitest';
import startIdRandom from '../../../src/checks/retries/workflow-start-id-random.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;

beforeAll(() => {
  review = fixtureReview('start-id-service-caller');
}, 120_000);

describe('workflow-start-id-random in a service function a handler calls', () => {
  it('notes the random ids of functions a route calls (also through a dynamic import), not a business-key id or a timer-only function', () => {
    const findings = review.run(startIdRandom);
    expect(where(findings)).toEqual(['workflow-start-id-random info src/lib/temporal.ts:8', 'workflow-start-id-random info src/lib/temporal.ts:18']);
    expect(findings[0]!.message).toMatch(
      /^client\.workflow\.start\(summarizeMeeting\) runs once per request or event \(startMeetingSummary is called at src\/api\/server\.ts:8, where it runs in a handler given to app\.post\(\.\.\.\)\) and its workflow id is random/,
    );
    expect(findings[1]!.message).toContain('(startMailboxSync is called at src/api/server.ts:15, where it runs in a handler given to app.post(...))');
  });
});
