// Python: a call the sandbox rejects, inside a try whose `except Exception` takes the error. The
// rejection (RestrictedWorkflowAccessError, a subclass of Exception in temporalio) is caught by the
// workflow's own handler, so the workflow takes its failure path on every run; the task does not
// fail. A handler that re-raises lets the rejection fail the task as usual.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-determinism-caught');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('workflow-nondeterministic-call (Python): a rejection the workflow catches', () => {
  it('says the workflow catches the rejection where an except Exception takes it, and the task fails where it is re-raised', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-nondeterministic-call');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-nondeterministic-call error workflows.py:12',
      'workflow-nondeterministic-call error workflows.py:24',
    ]);
    expect(mine[0]!.message).toContain("an enclosing `except Exception` of the workflow catches that error (it is an Exception), so the workflow's failure path runs on every run");
    expect(mine[0]!.message).not.toContain('retried forever');
    expect(mine[1]!.message).toContain('the workflow task fails and is retried forever');
  });
});
