// An SDK activity call in a project helper whose activity is a parameter of the helper
// (`async def place_then_poll(account, orders, place_activity)`), where the helper does more than
// return the call's result: the activities every caller passes are the call's activity types, and
// activity-retry-policy-missing judges their implementations. When the callers' values cannot be
// resolved, the message says the callers choose the activity, not that its code is absent.
// Over test/fixtures/python-activity-parameter.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { buildPythonModel, type PythonModel } from '../../../src/model/python/build-python-model.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-parameter');
let model: PythonModel;
let findings: Finding[];

beforeAll(async () => {
  ({ model } = await buildPythonModel({ root }));
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

const retry = (line: number) => findings.find((f) => f.checkId === 'activity-retry-policy-missing' && f.file === 'pipeline/helpers.py' && f.line === line);

describe('an activity passed to a helper as a parameter (Python)', () => {
  test('the activities the callers pass are the call\'s activity types', () => {
    const proxy = model.activityProxies.find((p) => p.id === 'pipeline/helpers.py:11:20');
    expect(proxy?.usedActivityTypes !== 'all' && proxy?.usedActivityTypes.map((u) => u.name)).toEqual(['place_orders_a', 'place_orders_b']);
    expect(proxy?.activityParameter).toBeUndefined();
  });

  test('activity-retry-policy-missing names them and the error one of them raises', () => {
    const finding = retry(11);
    expect(finding?.message).toContain('for place_orders_a and place_orders_b');
    expect(finding?.message).toContain('NoOrders (pipeline/activities.py:11)');
    expect(finding?.message).not.toContain('place_activity');
    expect(finding?.message).not.toContain('not in the reviewed code');
  });

  test('callers whose value cannot be resolved: the activity is passed in, not absent', () => {
    const finding = retry(26);
    expect(finding?.message).toContain('The activity is passed in by the callers of run_listed (its parameter step)');
    expect(finding?.message).not.toContain('not in the reviewed code');
    expect(finding?.data).toMatchObject({ implementations: 'unknown' });
  });
});
