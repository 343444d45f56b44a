// activity-failure-returned, fallbacks: a catch that takes every error of a call to a dependency
// (an HTTP request, or a project helper that makes one), logs it and returns a stand-in for the
// answer (a fallback object, a value built by a function, or anything under a best-effort
// comment). The attempt succeeds, so the retry policy never runs and the workflow goes on with the
// fallback: a note, since such a fallback is often meant. Left alone: a catch that throws, one
// logged at info level, a try that calls nothing outside the process, a catch that chooses by the
// error, a notification.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('activity-failure-returned fallbacks', () => {
  const findings = findingsOf('activity-failure-returned-fallbacks', ['activity-failure-returned']);

  it('reports the fallbacks returned for a dependency failure, and only those', () => {
    expect(where(findings)).toEqual([
      'activity-failure-returned info src/activities.ts:15',
      'activity-failure-returned info src/activities.ts:26',
      'activity-failure-returned info src/activities.ts:39',
    ]);
  });

  it('names the dependency call and what the workflow does with the result', () => {
    const scene = findings.find((f) => f.line === 15)!;
    expect(scene.message).toContain(
      "Activity describeScene catches every error of fetch(...) (src/activities.ts:10), logs it and returns the fallback { mood: 'calm', place }: a timeout, a rate limit or an outage there ends the attempt as a success, so its retry policy (maximumAttempts: 3) never runs",
    );
    expect(scene.message).toContain('The workflow keeps it in `scene` (src/workflows.ts:10), and goes on with the fallback as if the step had worked.');
    expect(scene.data).toMatchObject({ activityType: 'describeScene', fallback: true });
    expect(scene.data?.['fallbackMeant']).toBeUndefined();
    expect(findings.find((f) => f.line === 26)!.message).toContain('returns the fallback defaultCaption(topic)');
    const speech = findings.find((f) => f.line === 39)!;
    expect(speech.message).toContain('catches every error of synthesize(...) (src/activities.ts:33), logs it and returns the fallback { url: null, error: message }, as its comment says is meant');
    expect(speech.message).toContain('The workflow drops the result (src/workflows.ts:12)');
    expect(speech.data).toMatchObject({ fallback: true, fallbackMeant: true });
  });
});
