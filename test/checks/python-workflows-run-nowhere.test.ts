// Python workflows in a project where nothing makes a worker or a client (no Worker(...), no start,
// no file importing temporalio.client, temporalio.worker or temporalio.testing) run nowhere: the
// findings about what happens when they run in production (a failure nobody is alerted to, tasks
// waiting in a saturated queue) sit in code nothing here runs, and are lowered to notes that say so.
// A test that imports temporalio.testing may run them, so there they keep their severity.
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { review } from '../../src/review.js';

const fixture = (name: string) => path.resolve(import.meta.dirname, '..', 'fixtures', name);
const where = (f: Finding) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`;
const RUNTIME = new Set(['workflow-failure-alert-missing', 'activity-schedule-to-start-missing']);

describe('Python workflows that nothing in the project runs', () => {
  test('the failure-alert and schedule-to-start findings become notes that lead with why', async () => {
    const { findings } = await review({ dir: fixture('python-workflows-run-nowhere') });
    const runtime = findings.filter((f) => RUNTIME.has(f.checkId));
    expect(runtime.map(where)).toEqual([
      'workflow-failure-alert-missing info workflows/procurement.py:18',
      'activity-schedule-to-start-missing info workflows/procurement.py:21',
    ]);
    for (const finding of runtime) {
      expect(finding.message.startsWith(
        'RequisitionApprovalWorkflow runs nowhere: no Python code in the project makes a worker or a client (nothing imports temporalio.worker, temporalio.client or temporalio.testing), so nothing here runs it; once a worker runs it: ',
      )).toBe(true);
    }
  });

  test('a test that imports temporalio.testing may run them: the findings keep their severity', async () => {
    const { findings } = await review({ dir: fixture('python-workflows-run-in-tests') });
    expect(findings.filter((f) => RUNTIME.has(f.checkId)).map(where)).toEqual([
      'workflow-failure-alert-missing warning workflows/procurement.py:18',
      'activity-schedule-to-start-missing warning workflows/procurement.py:21',
    ]);
  });
});
