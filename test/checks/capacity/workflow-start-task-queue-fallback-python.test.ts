// workflow-start-task-queue-unpolled on the Python front-end: a start whose os.getenv default is not
// the default of the worker that registers the workflow. Over test/fixtures/python-start-task-queue-fallback.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-start-task-queue-fallback');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-start-task-queue-unpolled on Python', () => {
  test('warns at the start whose default no worker polls, not at the one that shares the worker default', () => {
    const found = findings.filter((f) => f.checkId === 'workflow-start-task-queue-unpolled');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['workflow-start-task-queue-unpolled warning app/starts.py:10']);
    expect(found[0]!.message).toMatch(/task queue 'invoices-local' when INVOICE_QUEUE is unset, but the worker that registers Invoice polls 'invoices' unless INVOICE_QUEUE is set \(app\/worker\.py:11\)/);
  });
});
