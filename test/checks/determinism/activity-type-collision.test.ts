// activity-type-collision: a Python workflow schedules OpsActivities.forecast, whose activity type
// 'forecast' the worker registers for ModelActivities.forecast instead (warning where nothing starts
// the workflow). The calls of the registered
// function itself, of the type by its string, and of another registered method are left alone.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-type-collision', () => {
  it('reports the call of a method whose type the worker registers for another class', { timeout: 120_000 }, async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'python-activity-type-collision'), config: undefined });
    const found = findings.filter((f) => f.checkId === 'activity-type-collision');
    // BackfillWorkflow makes the same call, but nothing in the code base starts it: a warning
    expect(found.map(where)).toEqual([
      { checkId: 'activity-type-collision', severity: 'error', file: 'app/workflows.py', line: 13 },
      { checkId: 'activity-type-collision', severity: 'warning', file: 'app/workflows.py', line: 31 },
    ]);
    expect(found[1]!.message).toContain('Nothing in this code base starts BackfillWorkflow');
    expect(found[0]!.message).toContain(
      "Workflow ForecastWorkflow schedules OpsActivities.forecast (app/activities.py:12), whose activity type is 'forecast', but the worker polling its task queue (app/worker.py:9) registers ModelActivities.forecast (app/activities.py:6) under that same type",
    );
    expect(found[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/activities.py:12', 'app/activities.py:6', 'app/worker.py:9']);
    // the type is registered: not an unregistered activity
    expect(findings.filter((f) => f.checkId === 'activity-not-registered')).toEqual([]);
  });
});
