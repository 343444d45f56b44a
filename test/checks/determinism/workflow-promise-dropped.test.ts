// An activity or child workflow call whose promise workflow code drops (`void act()`, `act();`) is a
// warning: its failure becomes an unhandled rejection that fails the workflow task. A promise that
// is awaited, stored, passed to Promise.all or given a .catch handler is left alone.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/determinism/workflow-promise-dropped.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-promise-dropped', () => {
  const review = fixtureReview('workflow-promise-dropped');
  const findings = review.run(check);

  it('reports the void local activity, the unawaited activity statement and the void child, and nothing else', () => {
    expect(where(findings)).toEqual([
      'workflow-promise-dropped warning src/workflows.ts:15',
      'workflow-promise-dropped warning src/workflows.ts:22',
      'workflow-promise-dropped warning src/workflows.ts:23',
    ]);
  });

  it('names the kind of call and how its promise is dropped', () => {
    const [local, statement, child] = findings;
    expect(local!.message).toContain('calls local activity recordProgress and discards its promise with void');
    expect(statement!.message).toContain('calls activity emailReport and drops its promise');
    expect(child!.message).toContain('calls child workflow archiveReport');
  });
});
