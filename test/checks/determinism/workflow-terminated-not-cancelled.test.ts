// Client code that terminates a workflow skips its cleanup: a warning when the terminated type is
// known and has cleanup, info when the type is unknown and some workflow has cleanup; a terminate
// of a workflow without cleanup, a terminate after a cancel (escalation) and a terminate that is
// not a workflow handle's (a worker thread) are left alone.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/determinism/workflow-terminated-not-cancelled.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-terminated-not-cancelled', () => {
  const review = fixtureReview('workflow-terminated-not-cancelled');
  const findings = review.run(check);

  it('reports each terminate of a workflow handle that is not the last resort after a cancel', () => {
    expect(where(findings)).toEqual([
      'workflow-terminated-not-cancelled warning src/client.ts:7',
      'workflow-terminated-not-cancelled info src/client.ts:12',
    ]);
  });

  it('leaves a terminate alone when the workflow has no cleanup that does anything outside the run', () => {
    // plainJob has no finally; countedJob's finally only counts in memory.
    expect(findings.some((f) => f.line === 17 || f.line === 33)).toBe(false);
  });

  it('names the cleanup terminate skips, or the workflows it may skip it in when the type is unknown', () => {
    const [known, unknown] = findings;
    expect(known!.message).toContain('This terminates workflow renderReport');
    expect(known!.message).toContain('a finally block at src/workflows.ts:9');
    expect(known!.related!.map((r) => r.line)).toEqual([9]);
    expect(unknown!.message).toContain('a workflow whose type the tool cannot tell');
    expect(unknown!.message).toContain('If it is one of renderReport, terminate skips their cleanup');
    expect(known!.fix).toContain('handle.cancel()');
  });
});
