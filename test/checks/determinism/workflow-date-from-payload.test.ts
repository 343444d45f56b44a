// workflow-date-from-payload: a value typed Date that came through a payload is a string at run
// time (the default converter is JSON.stringify / JSON.parse), so a Date method on it throws a
// TypeError in workflow code and fails the workflow task.

import { describe, expect, it } from 'vitest';
import { DefaultPayloadConverter } from '@temporalio/common';
import workflowDateFromPayload from '../../../src/checks/determinism/workflow-date-from-payload.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-date-from-payload', () => {
  it('rests on the SDK fact: the default converter gives a Date back as its ISO string', () => {
    const converter = new DefaultPayloadConverter();
    const until = new Date('2026-12-04T10:00:00Z');
    const back = converter.fromPayload<{ until: Date }>(converter.toPayload({ until }));
    expect(typeof back.until).toBe('string');
    expect(back.until).toBe('2026-12-04T10:00:00.000Z');
  });

  it('reports Date methods on workflow input, activity results and their elements', { timeout: 120_000 }, () => {
    const findings = fixtureReview('workflow-date-from-payload').run(workflowDateFromPayload);
    // Not reported: new Date(restriction.until) (line 18), a Date the workflow makes (line 25),
    // a call inside try/catch (line 27), a field assigned again before the call (line 36).
    expect(where(findings)).toEqual([
      'workflow-date-from-payload warning src/workflows.ts:13',
      'workflow-date-from-payload warning src/workflows.ts:16',
      'workflow-date-from-payload warning src/workflows.ts:21',
    ]);
    expect(findings[0]!.message).toContain('input.startAt is typed Date, but it came through a payload (the input of workflow throttle, src/workflows.ts:11)');
    expect(findings[1]!.message).toContain('(the result of activity getRestriction, src/workflows.ts:14)');
    expect(findings[1]!.message).toContain('restriction.until.getTime() then throws "TypeError: getTime is not a function"');
    expect(findings[2]!.message).toContain('r.until is typed Date, but it came through a payload (the result of activity listRestrictions');
  });
});
