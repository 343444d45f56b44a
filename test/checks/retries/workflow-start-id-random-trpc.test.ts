// A start in a static service method that a tRPC procedure calls
// (`publicProcedure.input(schema).mutation(async ({ input }) => ...)`): the resolver runs once per
// client request, so a random workflow id starts a second run on a double submit. A business-key
// id, a method only a script calls, or a `.query(fn)` of a builder that is no procedure is not
// reported; a start in a file under routers/ is.
import { beforeAll, describe, expect, it } from 'vitest';
import startIdRandom from '../../../src/checks/retries/workflow-start-id-random.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;

beforeAll(() => {
  review = fixtureReview('trpc-procedure-starts');
}, 120_000);

describe('workflow-start-id-random behind a tRPC procedure', () => {
  it('notes the random id of a static method a procedure calls and of a start under routers/, nothing else', () => {
    const findings = review.run(startIdRandom);
    expect(where(findings)).toEqual(['workflow-start-id-random info src/routers/jobs.ts:8', 'workflow-start-id-random info src/services/temporal.service.ts:10']);
    expect(findings[0]!.message).toContain('(its file is under routers/: src/routers/jobs.ts)');
    expect(findings[1]!.message).toContain(
      '(startExtraction is called at src/api/app.ts:6, where it runs in the tRPC procedure scanJob (publicProcedure.input(...).mutation(...)))',
    );
  });
});
