// Python activity calls written with keywords, `workflow.execute_activity(activity=Cls.method,
// args=[...])`, and a retry policy kept as a class attribute (`retry_policy=Retries.DEFAULT`): the
// call resolves to its activity and the policy to its RetryPolicy, so the week-long attempt without
// heartbeat_timeout and the custom error type that is retried are reported at the call, and the
// policy is not "cannot tell". Over test/fixtures/python-keyword-activity.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-keyword-activity');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('activity= keyword and class-attribute retry policies (Python)', () => {
  test('the activity behind activity= and the policy behind Retries.DEFAULT are read', () => {
    const at = (id: string) => findings.filter((f) => f.checkId === id).map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);
    expect(at('activity-heartbeat-timeout-missing')).toEqual(['activity-heartbeat-timeout-missing warning ingest/workflows.py:14']);
    expect(at('activity-non-retryable-errors-uncovered')).toEqual(['activity-non-retryable-errors-uncovered info ingest/workflows.py:14']);
    expect(at('activity-retry-policy-missing')).toEqual([]);
    const heartbeat = findings.find((f) => f.checkId === 'activity-heartbeat-timeout-missing')!;
    expect(heartbeat.message).toContain('parse_repo may run up to 7d');
    const uncovered = findings.find((f) => f.checkId === 'activity-non-retryable-errors-uncovered')!;
    expect(uncovered.message).toContain('EMPTY_REPOSITORY');
    expect(uncovered.message).toContain('at most 4 attempts');
  });
});
