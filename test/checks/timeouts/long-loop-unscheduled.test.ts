// activity-long-loop-without-heartbeat on an activity that no workflow of the reviewed code
// schedules (registered on a worker, or kept for a caller elsewhere): the loop runs only if
// something outside schedules it by name, so the finding is info and says so. The same loop in a
// scheduled activity keeps its warning.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('long-loop-unscheduled');
});

describe('activity-long-loop-without-heartbeat on unscheduled activities', () => {
  it('is info for the activity no workflow schedules and a warning for the scheduled one', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 7 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 19 },
    ]);
    expect(found[0]!.message).not.toContain('No workflow in the reviewed code schedules');
    expect(found[1]!.message).toMatch(/^syncUnscheduled loops over awaits .* No workflow in the reviewed code schedules it: this applies only if something outside it/);
  });
});
