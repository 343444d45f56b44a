// Findings inside a Python workflow class that no worker registers are notes, with the reason
// first, when every worker's workflow list was read: that code never runs. The same finding in a
// registered workflow stays a warning. Fixture: test/fixtures/python-workflow-on-no-worker.
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
  test('its activity call is a note; the registered workflow keeps the warning', () => {
    const found = findings.filter((f) => f.checkId === 'activity-retry-policy-missing');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-retry-policy-missing warning app/workflows.py:13',
      'activity-retry-policy-missing info app/workflows.py:20',
    ]);
    expect(found[1]!.message.startsWith("LegacyClusterWorkflow is registered on no worker (every worker's workflow list was read); once registered: No retry policy")).toBe(true);
  });

  test('a finding that groups both workflows keeps its severity', () => {
    const alert = findings.find((f) => f.checkId === 'workflow-failure-alert-missing')!;
    expect(`${alert.severity} ${alert.file}:${alert.line}`).toBe('warning app/workflows.py:10');
  });
});
