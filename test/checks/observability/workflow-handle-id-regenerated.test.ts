// workflow-handle-id-regenerated: status or cancel code that rebuilds the workflow id with a fresh
// value (Date.now(), uuid; Python uuid4(), time.time(), datetime.now()) gets a handle to a workflow
// nobody started.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import workflowHandleIdRegenerated from '../../../src/checks/observability/workflow-handle-id-regenerated.js';
import { review as reviewDir } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-handle-id-regenerated', () => {
  it('reports getHandle ids rebuilt with Date.now() or randomUUID(), not the start\'s own lookup, a derived id or a parameter', { timeout: 120_000 }, () => {
    const findings = fixtureReview('workflow-handle-id-regenerated').run(workflowHandleIdRegenerated);
    expect(where(findings)).toEqual([
      'workflow-handle-id-regenerated warning src/service.ts:17',
      'workflow-handle-id-regenerated warning src/service.ts:22',
    ]);
    const [status, cancel] = findings;
    expect(status!.message).toContain('client.workflow.getHandle(workflowId) in scanStatus looks the workflow up by an id it makes anew (workflowId = CONFIG.workflowIds.scan(userId))');
    expect(status!.data).toEqual({ workflowId: 'workflowId', function: 'scanStatus' });
    expect(cancel!.message).toContain('client.workflow.getHandle(`export-${userId}-${randomUUID()}`) in cancelExport');
    expect(cancel!.fix).toContain('handle.workflowId');
  });
});

describe('workflow-handle-id-regenerated (Python)', () => {
  it('reports get_workflow_handle ids rebuilt with uuid4(), time.time() or datetime.now(), and only those', { timeout: 120_000 }, async () => {
    const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-handle-id-regenerated');
    const findings = (await reviewDir({ dir: root, config: undefined })).findings.filter((f) => f.checkId === workflowHandleIdRegenerated.id);
    // Not reported: start_scan (starts with the same value, line 17), a parameter (line 36),
    // a derived id (line 41), a random run id beside a derived workflow id (line 46).
    expect(where(findings)).toEqual([
      'workflow-handle-id-regenerated warning app/service.py:22',
      'workflow-handle-id-regenerated warning app/service.py:28',
      'workflow-handle-id-regenerated warning app/service.py:32',
    ]);
    const [status, cancel, report] = findings;
    expect(status!.message).toContain('client.get_workflow_handle(...) in scan_status looks the workflow up by an id it makes anew (scan_id(user_id))');
    expect(cancel!.message).toContain('(workflow_id)');
    expect(report!.data).toEqual({ workflowId: 'f"report-{user_id}-{datetime.now().isoformat()}"', function: 'report_status' });
    expect(report!.fix).toContain('f"scan-{user_id}"');
  });
});
