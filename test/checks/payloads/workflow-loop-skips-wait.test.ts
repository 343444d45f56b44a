// workflow-loop-skips-wait: an endless workflow loop paced by a wait, with a `continue` that skips
// it ("nothing to do, try again", or a wait in one branch only): the loop can spin.

import { describe, expect, it } from 'vitest';
import workflowLoopSkipsWait from '../../../src/checks/payloads/workflow-loop-skips-wait.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-loop-skips-wait', () => {
  it('reports the continue of an emptiness guard and the continue after a one-sided wait', { timeout: 120_000 }, () => {
    const findings = fixtureReview('loop-skips-wait').run(workflowLoopSkipsWait);
    // Not reported: drain (a non-empty batch processed back to back, line 36), paced (waits first, line 47).
    expect(where(findings)).toEqual(['workflow-loop-skips-wait warning src/workflows.ts:11', 'workflow-loop-skips-wait warning src/workflows.ts:27']);
    expect(findings[0]!.message).toContain('The loop at src/workflows.ts:8 paces itself with a wait (src/workflows.ts:14), but this path starts the next round without waiting');
    expect(findings[0]!.message).toContain('it calls pickTool again at once, round after round');
    expect(findings[1]!.data).toEqual({ activities: ['checkLimit', 'requeue'] });
  });
});
