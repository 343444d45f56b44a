// workflow-start-failure-swallowed on the Python front-end: an awaited client.start_workflow whose
// `except Exception: pass` drops every failure is a warning at the except clause, so is one whose
// earlier clause takes WorkflowAlreadyStartedError and whose catch-all returns None, and a
// best-effort comment above the try makes it info; a try that only takes
// WorkflowAlreadyStartedError, a catch-all that re-raises the other errors and a start that is not
// awaited in the try are left alone. A clause that only logs (and reads the error, resets a cached
// client to None, or returns nothing from a function that returns nothing) and carries on is
// reported too (a warning in a message consumer, a note elsewhere); one that re-raises, publishes to a dead-letter queue, marks the record failed,
// schedules a retry or returns a failure value is left alone (app/consumer.py). Over test/fixtures/python-start-failure-swallowed.
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
      'workflow-start-failure-swallowed warning app/consumer.py:28',
      'workflow-start-failure-swallowed warning app/consumer.py:37',
      'workflow-start-failure-swallowed warning app/starts.py:14',
      'workflow-start-failure-swallowed warning app/starts.py:23',
      'workflow-start-failure-swallowed info app/starts.py:31',
      'workflow-start-failure-swallowed info app/starts.py:38',
    ]);
    const [reset, bareReturn, all, others, bestEffort, logged] = dropped;
    // logs, reads the error's text and drops the cached client: the consumer carries on as if the workflow ran
    expect(reset!.message).toContain('This except clause logs every failure of the start of client.start_workflow(Receipt) and carries on: it does not re-raise it, return it, record it or retry.');
    expect(reset!.related?.[0]).toMatchObject({ file: 'app/consumer.py', line: 26 });
    // the earlier except that logs a failed connect and returns before the start
    expect(reset!.related?.[1]).toMatchObject({ file: 'app/consumer.py', line: 22 });
    expect(bareReturn!.related).toHaveLength(1);
    expect(reset!.message).toContain('It runs in a message consumer OrderConsumer.trigger: the message counts as handled and is not redelivered.');
    expect(reset!.fix).toMatch(/^Re-raise after logging/);
    expect(bareReturn!.message).toContain('logs every failure of the start');
    // logged outside an activity or a consumer: a note
    expect(logged!.message).toContain('logs every failure of the start');
    expect(logged!.message).not.toContain('It runs in');
    expect(all!.message).toContain('This except clause drops every failure of the start of client.start_workflow(Receipt) without logging or re-raising it.');
    expect(all!.related?.[0]).toMatchObject({ file: 'app/starts.py', line: 13 });
    expect(all!.fix).toContain('Catch only WorkflowAlreadyStartedError');
    expect(others!.message).toContain('drops every failure other than WorkflowAlreadyStartedError of client.start_workflow(Receipt)');
    expect(bestEffort!.message).toContain("a comment calls it deliberate ('Best effort')");
  });
});
