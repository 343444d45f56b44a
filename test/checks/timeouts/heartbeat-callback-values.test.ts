// activity-heartbeat-timeout-without-heartbeat reported, as an error, activities that heartbeat
// through a function handed to a spawn helper (`{ onTick: safeBeat }`) that reaches
// `Context.current().heartbeat()` through a lazy `require('@temporalio/activity')` in a try block;
// and named, with them, a synchronous parse on the same proxy that cannot run that long.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('heartbeat-callback-values');
});

const activity = (name: string) => fixture.model.activities.find((impl) => impl.name === name)!;

describe('heartbeats through function values and require()', () => {
  it('follows a project function handed as an option property to a helper that calls it from a timer', () => {
    // require() destructured under a cast, member access on require(), and a required namespace.
    for (const name of ['buildReport', 'buildIndex', 'buildSite']) {
      expect(activity(name).heartbeat, name).toMatchObject({ location: { line: 15 }, fromTimer: true });
    }
    // A helper function that calls the beat helper: read through it.
    expect(activity('buildNotes').heartbeat).toMatchObject({ location: { line: 15 }, fromTimer: true });
  });

  it('counts a heartbeat function that a helper keeps where preflight cannot follow it as possibly called', () => {
    expect(activity('buildQueued').heartbeat).toMatchObject({ location: { line: 21, column: 34 } });
  });

  it('reports only the silent activities that can run long, and no error where a function value is unread', () => {
    const found = fixture.findings(['activity-heartbeat-timeout-without-heartbeat']);
    expect(found.map(where)).toEqual([
      // tools: everything that may run long heartbeats; parseReport only gets its attempts capped.
      { checkId: 'activity-heartbeat-timeout-without-heartbeat', severity: 'info', file: 'src/workflows.ts', line: 4 },
      // compress: compressReport never heartbeats and waits on gzip; parseReport (in memory) is not named.
      { checkId: 'activity-heartbeat-timeout-without-heartbeat', severity: 'error', file: 'src/workflows.ts', line: 10 },
      // docs: buildDocs hands progress.tick (an interface method) to the helper: not an error.
      { checkId: 'activity-heartbeat-timeout-without-heartbeat', severity: 'warning', file: 'src/workflows.ts', line: 16 },
    ]);
    expect(found[1]!.data?.['activitiesWithoutHeartbeat']).toEqual(['compressReport']);
    expect(found[1]!.message).not.toContain('parseReport never');
    expect(found[1]!.message).toContain('but compressReport never calls heartbeat()');
    expect(found[2]!.data?.['activitiesWithoutHeartbeat']).toEqual(['buildDocs']);
    expect(found[2]!.data?.['unreadCallbacks']).toBe(true);
    expect(found[2]!.message).toContain('That holds unless the function progress.tick (handed on by buildDocs) heartbeats when called');
  });
});
