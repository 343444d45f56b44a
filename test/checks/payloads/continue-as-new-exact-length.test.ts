// A workflow loop whose only continue-as-new trigger is an exact size of a collection that signal
// or update handlers fill: reported as a warning for a size above zero, as info for `=== 0` only;
// not for thresholds, the server's suggestion, round counters or collections only the loop fills.
import { describe, expect, it } from 'vitest';
import continueAsNewExactLength from '../../../src/checks/payloads/continue-as-new-exact-length.js';
import workflowUnboundedHistory from '../../../src/checks/payloads/workflow-unbounded-history.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('continue-as-new-exact-length', () => {
  const review = fixtureReview('continue-as-new-exact-length');
  const findings = review.run(continueAsNewExactLength);

  it('reports exact sizes of handler-filled collections; not thresholds, the suggestion, a round counter, a loop-filled list, a check right after draining or taking the whole queue, or a loop with an unguarded continue-as-new', () => {
    expect(where(findings)).toEqual([
      'continue-as-new-exact-length warning src/workflows.ts:24',
      'continue-as-new-exact-length info src/workflows.ts:37',
      'continue-as-new-exact-length warning src/workflows.ts:53',
    ]);
  });

  it('names the comparison, the handler line and the fix', () => {
    const [exact, empty, set] = findings;
    expect(exact!.message).toContain("jobQueue's loop continues as new only when `queue.length === 0 || queue.length === BATCH` (line 24)");
    expect(exact!.message).toContain("queue is filled by the update handler for 'enqueue' (line 18: `queue.push(job)`)");
    expect(exact!.message).toContain('jump past 50');
    expect(exact!.fix).toContain('`queue.length >= 50`');
    expect(exact!.fix).toContain('workflowInfo().continueAsNewSuggested');
    expect(empty!.message).toContain("drainingQueue's loop continues as new only when `!queue.length` (line 37), that is when queue is empty");
    expect(empty!.message).toContain("the signal handler for 'addJob' (line 32: `queue.push(...)`)");
    expect(empty!.fix).toContain('workflowInfo().continueAsNewSuggested');
    expect(set!.message).toContain("the signal handler for 'markSeen' (line 47: `seen.add(id)`)");
    expect(set!.fix).toContain('`seen.size >= 1000`');
  });

  it('is not also reported by workflow-unbounded-history, which takes any continue-as-new as a guard', () => {
    // Only drainThenRoll's inner drain loop, inside a loop that continues as new.
    expect(where(review.run(workflowUnboundedHistory))).toEqual(['workflow-unbounded-history info src/workflows.ts:122']);
  });
});
