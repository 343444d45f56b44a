// workflow-start-without-search-attributes on Python reads only calls on a Temporal client: the
// project's own wrapper class with a start_workflow method (`service = RefundService(client)`,
// or a parameter annotated with it) is not a start; the client call inside the wrapper is, and so
// is a direct call on a client from Client.connect. Over test/fixtures/python-start-wrapper.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-start-wrapper');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('Python starts through a wrapper class of the project', () => {
  test('reports the client calls, not the calls of the wrapper method', () => {
    const starts = findings.filter((f) => f.checkId === 'workflow-start-without-search-attributes');
    expect(starts.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`).sort()).toEqual([
      'workflow-start-without-search-attributes info app/api.py:17',
      'workflow-start-without-search-attributes info app/service.py:11',
    ]);
  });
});
