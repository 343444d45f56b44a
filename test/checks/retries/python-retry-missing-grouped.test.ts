// activity-retry-policy-missing on Python calls: every execute_activity call is its own "proxy", so
// the warnings of one workflow that say the same (same file, same effective policy and timeouts, no
// retried error found in the activities) are one finding at the first call, the others related.
// A call whose activity raises a retried error, or whose timeouts differ, keeps its own finding.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-retry-missing-grouped');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root }));
}, 180_000);

const missing = () => findings.filter((f) => f.checkId === 'activity-retry-policy-missing');

describe('activity-retry-policy-missing groups the calls of one Python workflow that say the same', () => {
  test('one warning for load_order, price_order and notify_buyer; find_coupon and the call with other timeouts apart', () => {
    expect(missing().map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-retry-policy-missing warning app/workflows.py:15',
      'activity-retry-policy-missing warning app/workflows.py:17',
      'activity-retry-policy-missing warning app/workflows.py:19',
    ]);
    const grouped = missing()[0]!;
    expect(grouped.message).toContain('The same holds for 2 more calls of workflow OrderWorkflow without a retry policy (notify_buyer and price_order; lines 16, 18)');
    expect(grouped.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'app/workflows.py:16 another call without a retry policy',
      'app/workflows.py:18 another call without a retry policy',
    ]);
    expect(grouped.data).toMatchObject({ sameCallLines: [16, 18] });
    // find_coupon raises a plain ValueError: its own finding names it.
    expect(missing()[1]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/activities.py:24']);
    expect(missing()[2]!.message).not.toContain('The same holds');
  });
});
