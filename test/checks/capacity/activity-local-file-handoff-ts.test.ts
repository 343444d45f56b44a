// TypeScript: one activity writes a path under os.tmpdir() (each activity builds the same path from
// its input) and another on the same task queue only reads it. Not reported: a file written, read
// and removed inside one activity, an absolute path outside /tmp (it may be a shared mount), and
// activities scheduled on a task queue the workflow computes at run time (it may name one worker), nor a cleanup that removes the path with `force: true`.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/activity-local-file-handoff.js';
import { fixtureReview, where } from './fixture-review.js';

describe('activity-local-file-handoff (TypeScript)', () => {
  const review = fixtureReview('activity-local-file-handoff');
  const findings = review.run(check);

  it('reports the path one activity writes and another only reads, where the writer builds it, and nothing else', () => {
    expect(where(findings)).toEqual(['activity-local-file-handoff warning src/activities.ts:7']);
  });

  it('names the path and both activities at their own calls', () => {
    const [finding] = findings;
    expect(finding!.message).toContain("`/tmp/video-{videoId}` is a path on the worker's local disk: fetchVideo writes it (at src/activities.ts:8)");
    expect(finding!.message).toContain('later encodeVideo reads it (at src/activities.ts:14)');
  });
});
