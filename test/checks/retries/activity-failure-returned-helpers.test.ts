// activity-failure-returned, helpers further down: a project helper whose catch-all logs the error
// of an awaited call and returns an empty default (`[]`, `null`), when the helper's result reaches
// the activity's return through a variable or another helper (two functions down). The attempt
// then succeeds with the empty value and is never retried. Left alone: an activity that tests the
// value and throws or returns something else, a silent catch, a catch logged at info level, a
// helper documented as optional, a cache read.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('activity-failure-returned through helpers', () => {
  const findings = findingsOf('activity-failure-returned-helpers', ['activity-failure-returned']);

  it('reports the empty defaults that reach the activity return, and only those', () => {
    expect(where(findings)).toEqual(['activity-failure-returned info src/llm.ts:14', 'activity-failure-returned info src/llm.ts:74']);
  });

  it('names the helper and the line that swallows, and the chain down to it', () => {
    const steps = findings.find((f) => f.line === 14)!;
    expect(steps.message).toContain(
      "Activity extractStepsActivity in extractSteps (src/llm.ts:14), whose result reaches the activity's return, catches every error of llmApi.complete(...) (src/llm.ts:10) and returns [] instead of failing",
    );
    expect(steps.data?.['via']).toEqual(['extractSteps']);
    const ask = findings.find((f) => f.line === 74)!;
    expect(ask.message).toContain(
      "in ask (src/llm.ts:74), which it reaches through listFlows, whose result reaches the activity's return, catches every error of llmApi.complete(...) (src/llm.ts:70) and returns null instead of failing",
    );
    // One finding for the catch, naming every activity it ends as a success.
    expect(ask.message).toMatch(/^Activity (listFlowsActivity|flowNamesActivity) in ask /);
    expect(ask.message).toMatch(/The same catch ends (listFlowsActivity|flowNamesActivity) the same way\./);
    expect(ask.message).toContain('listFlowsActivity');
    expect(ask.message).toContain('flowNamesActivity');
    expect(ask.message).not.toContain('strictFlowsActivity');
    expect(ask.data?.['via']).toEqual(['listFlows', 'ask']);
  });
});
