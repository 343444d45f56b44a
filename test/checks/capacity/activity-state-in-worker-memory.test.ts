// Per-workflow state one activity stores in a module-level Map and another only reads back is lost
// on another worker or after a restart; a read-through cache and a table keyed by something other
// than a workflow are left alone.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/activity-state-in-worker-memory.js';
import { fixtureReview, where } from './fixture-review.js';

describe('activity-state-in-worker-memory', () => {
  const review = fixtureReview('activity-worker-memory');
  const findings = review.run(check);

  it('reports the map one activity fills and another only reads, keyed by workflow id, and nothing else', () => {
    expect(where(findings)).toEqual(['activity-state-in-worker-memory info src/sessions.ts:6']);
  });

  it('names the writer and the reader at their own calls', () => {
    const [finding] = findings;
    expect(finding!.message).toContain('collectNotes stores entries in it (at src/activities.ts:5) and publishNotes only reads them back');
    expect(finding!.message).toContain('looked up by `workflowId`');
    expect(finding!.related).toEqual([
      expect.objectContaining({ line: 5, message: 'collectNotes stores an entry' }),
      expect.objectContaining({ line: 10, message: 'publishNotes reads it back' }),
    ]);
  });
});
