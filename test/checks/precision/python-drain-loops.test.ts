// A Python `while pending or running:` that drains collections built before the loop (items only
// leave, or move from one to the other) is bounded by their size; one that a signal handler feeds
// stays unbounded. A heartbeat finding on an activity that runs in memory (a stub returning a
// constant) is a note; one that awaits a request under a long timeout stays a warning.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-drain-loops');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

const of = (id: string) => findings.filter((f) => f.checkId === id).map((f) => `${f.severity} ${f.file}:${f.line}`);

describe('workflow-unbounded-history on Python drain loops', () => {
  test('a drain over collections made before the loop is info, bounded by the collection items start from; a collection a signal feeds, or a module variable, stays a warning', () => {
    expect(of('workflow-unbounded-history')).toEqual([
      'info app/workflows.py:17',
      'info app/workflows.py:18',
      'warning app/workflows.py:40',
      'info app/workflows.py:41',
      'info app/workflows.py:65',
      'warning app/workflows.py:78',
    ]);
    const drain = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 17)!;
    expect(drain.message).toContain('Workflow Plan loops (`while pending or running:`) as many times as pending');
    const inner = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 18)!;
    expect(inner.message).toContain('as many times as pending');
    const fed = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 40)!;
    expect(fed.message).toContain('Workflow Queue loops (`while self.pending or running:`) with no fixed bound');
    // `self.todo` set in __init__ and again before the loop, emptied with `del self.todo[0]`: a drain.
    expect(findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 65)!.message).toContain('as many times as self.todo');
    // A module-level set: other code may add to it, so it bounds nothing.
    expect(findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 78)!.message).toContain('with no fixed bound');
  });
});

describe('activity-heartbeat-timeout-missing on Python activities that run in memory', () => {
  test('a stub returning a constant is info; an activity awaiting a request under a 1h timeout stays a warning', () => {
    expect(of('activity-heartbeat-timeout-missing')).toEqual(['info app/workflows.py:53', 'warning app/workflows.py:54']);
    const stub = findings.find((f) => f.checkId === 'activity-heartbeat-timeout-missing' && f.line === 53)!;
    expect(stub.message).toContain('It runs in memory (no await, no I/O call, no loop, sleep or child process');
  });
});
