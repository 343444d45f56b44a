// Loops that repeat at the pace of people or other systems, or as many times as a graph from the
// input has nodes, are not unbounded history of the workflow's own making:
// - a retry loop whose every way back to the top awaits a helper that resets a flag and waits for a
//   signal handler to set it again (`self._fixed = False; await workflow.wait_condition(lambda:
//   self._fixed)`), and that leaves on success, is info; a flag nothing resets, a retry on a timer
//   and an entity loop that serves messages forever stay warnings; a wait that nothing can release
//   (the round clears the flag and no handler sets it) means the loop cannot go round: info;
// - a worklist whose additions are guarded so each item goes in at most once (an in-degree that
//   falls to zero, a visited set checked before the push) is input-sized: info.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-paced-loops');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

const of = (file: string) => findings.filter((f) => f.checkId === 'workflow-unbounded-history' && f.file === file).map((f) => `${f.severity} ${f.line}`);

describe('workflow-unbounded-history on Python loops paced by messages', () => {
  test('a retry loop that waits in a helper for a signal it reset is info; an unreset flag, a timer retry and an entity loop are warnings', () => {
    expect(of('app/workflows.py')).toEqual(['info 32', 'warning 45', 'warning 61', 'warning 80', 'info 95', 'info 134']);
    const paced = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.file === 'app/workflows.py' && f.line === 32)!;
    expect(paced.message).toContain('goes round only after workflow.wait_condition (line 41) is released by a message (state set by the handler repaired())');
  });

  test('a method call on a state object that a handler changes counts as the reset', () => {
    const vote = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.file === 'app/workflows.py' && f.line === 134)!;
    expect(vote.message).toContain('is released by a message (state set by the handler vote())');
  });

  test('a wait on state the round clears and no handler sets again cannot be released: info, not unbounded history', () => {
    const parked = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.file === 'app/workflows.py' && f.line === 95)!;
    expect(parked.message).toContain('on state it clears before waiting and that no signal or update handler of the workflow sets again');
    expect(parked.related).toContainEqual(expect.objectContaining({ file: 'app/workflows.py', line: 104, message: 'nothing releases this wait' }));
  });
});

describe('workflow-unbounded-history on Python worklists', () => {
  test('an in-degree or visited-set worklist is input-sized info; a list that takes every link back stays a warning', () => {
    expect(of('app/plans.py')).toEqual(['info 21', 'info 36', 'warning 51']);
    const plan = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.file === 'app/plans.py' && f.line === 21)!;
    expect(plan.message).toContain('as many times as ready (each item added at most once, when waiting[...] falls to 0)');
    const crawl = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.file === 'app/plans.py' && f.line === 36)!;
    expect(crawl.message).toContain('once per item not yet in seen');
  });
});
