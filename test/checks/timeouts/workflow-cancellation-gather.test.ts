// workflow-cancellation-swallowed and asyncio.gather. Cancelling a workflow cancels the task that
// awaits the gather and, through it, the gather's children. Since Python 3.8 the gather then raises
// CancelledError to its awaiter once the children finish, even when every child swallowed its
// cancellation: asyncio/tasks.py `_GatheringFuture.cancel` sets `_cancel_requested` when a child was
// cancelled, and the done callback then sets a CancelledError on the gather "regardless of
// return_exceptions" (bpo-32684; read in Python 3.11.7's asyncio/tasks.py). So a child's `except
// ActivityError` that returns does not let the workflow carry on. Left alone: the clause in a
// coroutine run only through gather, passed directly, as `*(f(x) for x in xs)`, or as a list built
// first (`tasks = [f(x) ...]; gather(*tasks)`). Still reported: the same clause in a coroutine
// awaited directly, one run through create_task + asyncio.wait, and one under gather whose loop
// keeps working after the clause (the gather waits for it). Over test/fixtures/python-cancellation-gather.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-cancellation-gather');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-cancellation-swallowed under asyncio.gather', () => {
  test('skips clauses in coroutines run only by gather and keeps the others', () => {
    const swallowed = findings.filter((f) => f.checkId === 'workflow-cancellation-swallowed');
    expect(swallowed.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-cancellation-swallowed info fanout/workflows.py:53',
      'workflow-cancellation-swallowed info fanout/workflows.py:60',
      'workflow-cancellation-swallowed info fanout/workflows.py:74',
    ]);
    expect(swallowed.map((f) => f.data?.['call'])).toEqual(['activity poll', 'activity push', 'activity check']);
  });
});
