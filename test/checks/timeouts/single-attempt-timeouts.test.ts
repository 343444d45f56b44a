// activity-timeouts-inconsistent with a retry policy of one attempt: equal startToClose and
// scheduleToClose contradict nothing (no retry is planned), a longer startToClose is still capped.
// Over test/fixtures/timeouts-single-attempt and python-timeouts-single-attempt.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { findingsOf, where } from '../determinism/review-fixture.js';

const CHECK = 'activity-timeouts-inconsistent';

describe('activity-timeouts-inconsistent with one attempt', () => {
  it('TypeScript: not equal timeouts with maximumAttempts 1 (inline or a shared policy); still with retries, and a longer startToClose', () => {
    const findings = findingsOf('timeouts-single-attempt', [CHECK]);
    expect(where(findings)).toEqual([`${CHECK} warning src/workflows.ts:11`, `${CHECK} warning src/workflows.ts:14`]);
    expect(findings[0]!.message).toContain('no retry fits');
    expect(findings[1]!.message).toContain("startToCloseTimeout '45m' is longer than scheduleToCloseTimeout '30m'");
    expect(findings[1]!.message).toContain('never applies');
  });

  describe('Python', () => {
    let findings: Finding[];
    beforeAll(async () => {
      const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-timeouts-single-attempt');
      ({ findings } = await review({ dir: root, config: undefined }));
    }, 120_000);

    it('not equal timeouts with a shared retry_policy of maximum_attempts=1; still with retries, and a longer start_to_close_timeout', () => {
      const found = findings.filter((f) => f.checkId === CHECK);
      expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([`${CHECK} warning app/workflows.py:25`, `${CHECK} warning app/workflows.py:34`]);
      expect(found[0]!.message).toContain('no retry fits');
      expect(found[1]!.message).toContain('never applies');
    });
  });
});
