// activity-heartbeat-timeout-missing with two workers that each export an activity of the same
// name through an `activities.ts` that re-exports it (read FALSE on a real code base: the proxy of
// one worker was said to heartbeat because the other worker's function of that name does).

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('heartbeat-same-name-activities');
});

describe('activity-heartbeat-timeout-missing and same-named activities of other workers', () => {
  it('reads the implementation the proxy type argument re-exports, not a same-named one elsewhere', () => {
    // profiles' syncAccount is one request under a 5-minute startToClose: nothing to report.
    // billing's syncAccount heartbeats, and its proxy sets heartbeatTimeout.
    expect(fixture.findings(['activity-heartbeat-timeout-missing']).map(where)).toEqual([]);
  });

  it('gives each proxy only its own worker’s implementation', () => {
    const profiles = fixture.model.activityProxies.find((proxy) => proxy.location.file.endsWith('profiles/workflows.ts'))!;
    expect(profiles.implementationFiles.map((file) => file.slice(file.indexOf('src/')))).toEqual(['src/profiles/activities.ts', 'src/profiles/activities/accounts.ts']);
  });
});
