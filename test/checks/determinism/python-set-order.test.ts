// Python: commands scheduled in the order of a set of strings. str hashes are salted per process
// (PYTHONHASHSEED) and the sandbox does nothing about it, so another worker process iterates the
// set in another order and the replay fails with a non-determinism error or hands each call the
// result recorded for another (test/model/python/python-sdk-set-order-facts.test.ts).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-set-order');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('workflow-nondeterministic-call (Python): commands in the order of a set of strings', () => {
  it('finds a set iterated in a helper whose batches the workflow schedules, a set literal of strings, and a set attribute gathered', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-nondeterministic-call');
    expect(mine.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual([
      'error workflows.py:13',
      'error workflows.py:48',
      'error workflows.py:50',
    ]);
    const [helper, literal, gathered] = mine;
    expect(helper!.message).toContain('Workflow Pipeline takes the order of `waiting`, a set whose elements are not known to be ints (made at workflows.py:10), in a comprehension, and again at workflows.py:15');
    expect(helper!.message).toContain('the loop at workflows.py:31 schedules workflow.execute_activity (at workflows.py:33) in that order');
    expect(helper!.message).toContain('PYTHONHASHSEED');
    expect(helper!.fix).toContain('sorted(waiting)');
    expect(helper!.related?.map((r) => r.line)).toEqual([15]);
    expect(literal!.message).toContain('Workflow Notify takes the order of `{"eu", "us", "ap"}`, a set of strings, in a for loop, and schedules workflow.execute_activity (at workflows.py:49)');
    expect(gathered!.message).toContain('takes the order of `self.channels`, a set of strings (made at workflows.py:40), in a comprehension, and schedules workflow.execute_activity (at workflows.py:50)');
  });

  it('leaves alone sorted(), sets of ints, order-free uses, loops that schedule nothing and rounds that do not use the element', () => {
    expect(findings.filter((f) => f.checkId === 'workflow-nondeterministic-call' && f.line > 53)).toEqual([]);
  });
});
