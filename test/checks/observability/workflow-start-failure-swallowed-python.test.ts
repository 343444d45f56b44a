// workflow-start-failure-swallowed on the Python front-end: an awaited client.start_workflow whose
// `except Exception: pass` drops every failure is a warning at the except clause, so is one whose
// earlier clause takes WorkflowAlreadyStartedError and whose catch-all returns None, and a
// best-effort comment above the try makes it info; a clause that logs, a try that only takes
// WorkflowAlreadyStartedError, a catch-all that re-raises the other errors and a start that is not
// awaited in the try are left alone. Over test/fixtures/python-start-failure-swallowed.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-start-failure-swallowed');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-start-failure-swallowed on Python', () => {
  test('reports the except clauses that drop the failure, and nothing else', () => {
    const dropped = findings.filter((f) => f.checkId === 'workflow-start-failure-swallowed');
    expect(dropped.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-failure-swallowed warning app/starts.py:14',
      'workflow-start-failure-swallowed warning app/starts.py:23',
      'workflow-start-failure-swallowed info app/starts.py:31',
    ]);
    const [all, others, bestEffort] = dropped;
    expect(all!.message).toContain('This except clause drops every failure of the start of client.start_workflow(Receipt) without logging or re-raising it.');
    expect(all!.related?.[0]).toMatchObject({ file: 'app/starts.py', line: 13 });
    expect(all!.fix).toContain('Catch only WorkflowAlreadyStartedError');
    expect(others!.message).toContain('drops every failure other than WorkflowAlreadyStartedError of client.start_workflow(Receipt)');
    expect(bestEffort!.message).toContain("a comment calls it deliberate ('Best effort')");
  });
});
