// workflow-start-failure-swallowed on the Python front-end, one or two functions up: a start in a
// nested function (or a module function, or a method called through self) that lets its failure
// out, run by `asyncio.run(f())`, `await f()` or `loop.run_until_complete(f())` inside a try whose
// catch-all drops or only logs the failure, is judged at that clause. A caller that re-raises, and
// a function also handed to asyncio.create_task, are left alone. Over
// test/fixtures/python-start-failure-hop.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-start-failure-hop');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-start-failure-swallowed through the function that holds the start (Python)', () => {
  test('reports the caller clauses that drop or log the failure, and nothing else', () => {
    const dropped = findings.filter((f) => f.checkId === 'workflow-start-failure-swallowed');
    expect(dropped.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-failure-swallowed warning app/api.py:9',
      'workflow-start-failure-swallowed warning app/starter.py:18',
      'workflow-start-failure-swallowed warning app/views.py:16',
      'workflow-start-failure-swallowed info app/views.py:41',
      'workflow-start-failure-swallowed warning app/views.py:70',
    ]);
    const [moduleFunction, method, nested, logged, twoLevels] = dropped;
    expect(nested!.message).toContain(
      'This except clause drops every failure of the start of client.start_workflow(Receipt) (the start in _start_workflow (views.py:13), run by asyncio.run at views.py:15) without logging or re-raising it.',
    );
    expect(nested!.related).toEqual([
      expect.objectContaining({ file: 'app/views.py', line: 13, message: 'the start whose failure is dropped' }),
      expect.objectContaining({ file: 'app/views.py', line: 15, message: 'the call that runs _start_workflow, whose failure this handler takes' }),
    ]);
    expect(nested!.data).toMatchObject({ through: '_start_workflow' });
    expect(logged!.message).toContain('logs every failure of the start of client.start_workflow(Receipt) (the start in _start_workflow (views.py:37), run by await at views.py:40) and carries on');
    expect(twoLevels!.message).toContain('(the start in _inner (views.py:62), run by await at views.py:65, the call in _outer (views.py:65), run by loop.run_until_complete at views.py:69)');
    expect(moduleFunction!.message).toContain('(the start in start_receipt (starter.py:5), run by await at api.py:8)');
    expect(method!.message).toContain('(the start in _start (starter.py:13), run by await at starter.py:17)');
  });
});
