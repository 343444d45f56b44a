// activity-long-loop-without-heartbeat on Python activities whose loop sits in a helper method:
// a pagination loop one or two calls away is reported at the activity's call into the helper; a
// helper that heartbeats, a helper that walks a constant list, a loop three calls away and counted
// retry loops (in a helper or in the activity) are not.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-helper-loops');
let findings: Finding[];

beforeAll(async () => {
  findings = (await review({ dir: root })).findings.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat');
}, 120_000);

describe('activity-long-loop-without-heartbeat through Python helper methods', () => {
  test('reports the pagination loop of a helper one and two calls away, at the call from the activity', () => {
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-long-loop-without-heartbeat warning search/activities.py:80',
      'activity-long-loop-without-heartbeat warning search/activities.py:93',
    ]);
    expect(findings[0]!.message).toContain('index_documents loops over awaits (while True:, in a helper at search/activities.py:17)');
    expect(findings[0]!.related).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'search/activities.py', line: 17, message: 'the loop' })]));
    expect(findings[1]!.message).toContain('reindex loops over awaits (while True:, in a helper at search/activities.py:44)');
  });

  test('leaves out the helper that heartbeats, the constant list, the loop three calls away and the retry loops', () => {
    const activities = findings.flatMap((f) => f.message.split(' ')[0]);
    expect(activities).not.toContain('index_with_progress');
    expect(activities).not.toContain('warm_caches');
    expect(activities).not.toContain('reindex_deep');
    expect(activities).not.toContain('fetch_document');
    expect(activities).not.toContain('ping');
    expect(findings).toHaveLength(2);
  });
});
