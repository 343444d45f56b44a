// activity-heartbeat-timeout-missing read `Effect.all({...}).pipe(...)` as a stream (a reader on a
// real code base: "streams (Effect.all({)"). Composing effects, layers or a query builder's
// `.pipe(step)` reads no stream; a Node stream's `.pipe(destination)` does.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('heartbeat-effect-pipe');
});

describe('activity-heartbeat-timeout-missing and .pipe(...)', () => {
  it('takes a Node stream pipe as a long-running sign, not an Effect or builder pipe', () => {
    const found = fixture.findings(['activity-heartbeat-timeout-missing']);
    expect(found.map(where)).toEqual([{ checkId: 'activity-heartbeat-timeout-missing', severity: 'warning', file: 'src/workflows.ts', line: 4 }]);
    // Only exportDay's Node stream is a reason: summariseDay's Effect.all(...).pipe(...) and
    // buildDayQuery's builder pipe are not.
    expect(found[0]!.data?.['reasons']).toEqual([{ activityType: 'exportDay', reason: 'exportDay streams (openExport(day).pipe(openUpload(day)))' }]);
    expect(found[0]!.message).not.toContain('Effect.all');
  });
});
