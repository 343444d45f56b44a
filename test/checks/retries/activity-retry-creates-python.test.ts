// activity-retry-repeats-side-effect on Python, creates: a library `comment.reply(...)` (its answer
// can be lost), a SQLAlchemy add committed in a repository method before the activity publishes,
// and an add committed before an awaited notification are info at the execute_activity call. Left
// alone: an insert committed as the last step, an add committed together with the step after it,
// a deterministic id, a single-attempt call, a create with an idempotency key, and a POST that signs in (`post_login`).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-retry-repeats-side-effect on Python: creates', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-creates'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-retry-repeats-side-effect');
  }, 120_000);

  it('reports the reply, the committed insert before a publish and the committed add before a notification', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 26 },
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 27 },
      { checkId: 'activity-retry-repeats-side-effect', severity: 'info', file: 'app/workflows.py', line: 28 },
    ]);
    expect(findings[0]!.message).toContain('reply_to_comment creates something at the service behind `comment` with `comment.reply(...)` at app/activities.py:13; if the answer is lost');
    expect(findings[1]!.message).toContain(
      'persist_and_publish creates a Proposal row with `self.session.add(...)` at app/repository.py:10 (through app/activities.py:21), then awaits `tracker.publish_proposal(...)` at app/activities.py:22',
    );
    expect(findings[2]!.message).toContain('record_event creates a RunEvent row with `session.add(...)` at app/activities.py:30, then awaits `tracker.notify_run(...)` at app/activities.py:32');
    expect(findings[2]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/activities.py:30', 'app/activities.py:32']);
    expect(findings.some((f) => /persist_proposal |record_event_in_one_commit|record_event_with_id|record_event_random_id_once|reply_with_key|sign_in_and_notify/.test(f.message))).toBe(false);
  });
});
