// Findings inside a Python workflow class that no worker registers and nothing starts are notes,
// with the reason first, when every worker's workflow list was read: that code never runs. The same
// finding in a registered workflow stays a warning, and so does one in a workflow that a client
// starts (registering it is the fix, which workflow-not-registered reports; then the finding
// applies). Fixture: test/fixtures/python-workflow-on-no-worker.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { review } from '../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', 'fixtures', 'python-workflow-on-no-worker');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('a Python workflow registered on no worker', () => {
  test('its activity call is a note; the registered workflow and the started one keep the warning', () => {
    const found = findings.filter((f) => f.checkId === 'activity-retry-policy-missing');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-retry-policy-missing warning app/workflows.py:13',
      'activity-retry-policy-missing info app/workflows.py:20',
      'activity-retry-policy-missing warning app/workflows.py:27',
    ]);
    expect(found[1]!.message.startsWith("LegacyClusterWorkflow is registered on no worker (every worker's workflow list was read) and no start here names it; once registered: No retry policy")).toBe(true);
    expect(findings.filter((f) => f.checkId === 'workflow-not-registered').map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['error app/starter.py:5', 'info app/workflows.py:17']);
  });

  test('a finding that groups both workflows keeps its severity', () => {
    const alert = findings.find((f) => f.checkId === 'workflow-failure-alert-missing')!;
    expect(`${alert.severity} ${alert.file}:${alert.line}`).toBe('warning app/workflows.py:10');
  });
});
