// client-connect-failure-swallowed on Python: a cached task of Client.connect that nothing clears
// when it fails, and a functools cache on an async function that connects.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const fixture = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-cached-connect');
const ID = 'client-connect-failure-swallowed';
const where = (f: Finding) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`;

describe('client-connect-failure-swallowed on Python', () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = (await review({ dir: fixture })) as { findings: Finding[] });
    findings = findings.filter((f) => f.checkId === ID);
  });

  test('warns at a task cache with no reset on failure and at a memoised coroutine, not at a reset cache or a client kept once connected', () => {
    expect(findings.map(where)).toEqual([
      `${ID} warning app/client.py:19`,
      `${ID} warning app/client.py:53`,
      `${ID} warning app/client.py:65`,
      // close_temporal() clears it at shutdown, not when the connection fails
      `${ID} warning app/client.py:76`,
    ]);
    const [task, memo, field] = findings;
    expect(task!.message).toMatch(/^`_client_task` caches a task of a connection to Temporal \(Client\.connect\)/);
    // the task's connection is in the helper it runs
    expect(task!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/client.py:12']);
    expect(memo!.message).toContain('raises RuntimeError ("cannot reuse already awaited coroutine")');
    expect(memo!.data).toEqual({ shape: 'memoised-coroutine', cache: 'cached_client' });
    expect(field!.data).toEqual({ shape: 'cached-task', cache: 'self._task' });
  });
});
