// workflow-start-without-search-attributes on a Python start whose input is a batch built for the
// run (round-4 readers on production code: an admin backfill over a list of versions, no tenant
// behind it): its keys sit only on the items of a list comprehension and its id carries none, so
// it is a system workflow (info); the same batch started beside a tenant_id stays a warning.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-batch-start');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

const starts = () => findings.filter((f) => f.checkId === 'workflow-start-without-search-attributes');

describe('workflow-start-without-search-attributes and batch inputs (Python)', () => {
  test('a batch with no key beside it is info; a tenant key beside it is a warning', () => {
    expect(starts().map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-without-search-attributes info app/starts.py:12',
      'workflow-start-without-search-attributes warning app/starts.py:19',
    ]);
    const [batch, tenant] = starts();
    expect(batch!.message).toContain(
      'it looks like a system workflow: it works through a batch of entities built for the run, and its input names no single entity (`version_id` only on the items of that batch).',
    );
    expect(tenant!.message).toContain('although its input carries tenant_id and it runs once per request or event');
  });
});
