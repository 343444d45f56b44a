// An endless workflow loop that starts a child on every round, a few seconds or minutes apart,
// creates thousands of executions a day; an hourly loop, a child started only when there is work,
// and a loop that ends are left alone.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/payloads/workflow-child-per-loop-round.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-child-per-loop-round', () => {
  const review = fixtureReview('workflow-child-per-loop-round');
  const findings = review.run(check);

  it('reports the per-round child starts of endless loops paced a few seconds or minutes apart', () => {
    expect(where(findings)).toEqual([
      'workflow-child-per-loop-round warning src/workflows.ts:18',
      'workflow-child-per-loop-round info src/workflows.ts:30',
    ]);
  });

  it('says how many executions a day, and that a one-activity child could be the activity', () => {
    const [wrapper, digest] = findings;
    expect(wrapper!.message).toContain('Workflow upkeepLoop starts a new child workflow purgeTenant on every round of a loop that starts over in a new run through continue-as-new');
    expect(wrapper!.message).toContain('20s apart: up to about 4,320 child executions a day for each running upkeepLoop');
    expect(wrapper!.message).toContain('purgeTenant only runs activity purgeExpired');
    expect(wrapper!.fix).toContain('Call purgeExpired as an activity');
    expect(digest!.message).toContain('up to about 480 child executions a day');
    expect(digest!.message).not.toContain('only runs activity');
  });
});
