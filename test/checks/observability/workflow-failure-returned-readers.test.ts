// workflow-failure-swallowed's returned shape (Python) when the code that starts the workflow does
// not wait for it but the project reads the outcome later by the workflow id: a typed
// `get_workflow_handle_for(Workflow.run, id).result()`, a query the workflow defines
// (`get_workflow_handle(id).query("get_progress")`), or an untyped `get_workflow_handle(id).result()`
// (which may be any workflow's). The finding no longer says nobody reads the result: a note that names
// the reader. A workflow nobody reads keeps the warning. A `for` loop whose except clause counts the
// failed item and returns the count is a partial outcome the result reports: no finding.
// Over test/fixtures/python-failure-returned-readers and python-failure-returned-untyped-reader.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const fixtures = path.resolve(import.meta.dirname, '..', '..', 'fixtures');
let typed: Finding[];
let untyped: Finding[];

const returnedOf = (findings: Finding[]) => findings.filter((f) => f.checkId === 'workflow-failure-swallowed' && (f.data as { shape?: string }).shape === 'returned');

beforeAll(async () => {
  typed = returnedOf((await review({ dir: path.join(fixtures, 'python-failure-returned-readers'), config: undefined })).findings);
  untyped = returnedOf((await review({ dir: path.join(fixtures, 'python-failure-returned-untyped-reader'), config: undefined })).findings);
}, 120_000);

describe('workflow-failure-swallowed: a result read later by the workflow id (Python)', () => {
  test('a result or a query read elsewhere makes a note; a workflow nobody reads keeps the warning; a counted partial outcome is not reported', () => {
    expect(typed.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual([
      'info app/workflows.py:28',
      'info app/workflows.py:47',
      'warning app/workflows.py:58',
    ]);
    const [exported, imported, synced] = typed;
    expect(exported!.message).toContain('The result says whether it failed, and the project reads it by the workflow id later (app/api.py:13)');
    expect(exported!.message).not.toContain('nobody reads it');
    expect(exported!.data).toMatchObject({ resultRead: true, laterReader: { kind: 'result', typed: true } });
    expect(imported!.message).toContain("the project reads the run's state through a query by the workflow id later (app/api.py:22)");
    expect(imported!.data).toMatchObject({ resultRead: true, laterReader: { kind: 'query', typed: true } });
    expect(synced!.message).toContain('the code that starts it does not wait for the result, so nobody reads it');
    expect(synced!.data).toMatchObject({ resultRead: false });
    // PostAllWorkflow (:79) counts each failed item (`failed += 1`) into the Summary it returns.
    expect(typed.filter((f) => f.line === 79)).toEqual([]);
  });

  test('an untyped get_workflow_handle(id).result() may read any workflow: no claim that nobody reads it', () => {
    expect(untyped.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['info app/workflows.py:19']);
    expect(untyped[0]!.message).toContain("the project reads a workflow's result by the workflow id later (app/api.py:13, on a handle that names no workflow type)");
    expect(untyped[0]!.data).toMatchObject({ laterReader: { kind: 'result', typed: false } });
  });
});
