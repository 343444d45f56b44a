// Starts in scripts a developer runs by hand (a test word in a scripts/tools/bin folder, or a
// leading "Manual test script" comment) are development-only: start-site checks give a note with
// the reason. A production route whose path happens to say `test` is not a script.

import { describe, expect, it } from 'vitest';
import perRun from '../../../src/checks/timeouts/per-run-workflow-without-timeout.js';
import notRegistered from '../../../src/checks/determinism/workflow-not-registered.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('start-site checks in manual test scripts', () => {
  const review = fixtureReview('dev-script-starts');

  it('workflow-not-registered: info in scripts/test-*.ts and under a "Manual test script" comment, error in an API route', { timeout: 120_000 }, () => {
    const findings = review.run(notRegistered);
    expect(where(findings)).toEqual([
      'workflow-not-registered error src/api/test-connection/route.ts:4',
      'workflow-not-registered info src/scripts/test-support-flow.ts:4',
      'workflow-not-registered info src/tools/replay-orders.ts:5',
    ]);
    expect(findings[1]!.message).toContain("says 'test' in a scripts folder");
    expect(findings[2]!.message).toContain('calls it a manual test');
  });

  it('per-run-workflow-without-timeout: info in scripts/manual-*.ts', { timeout: 120_000 }, () => {
    const findings = review.run(perRun);
    expect(where(findings)).toEqual(['per-run-workflow-without-timeout info src/scripts/manual-monitoring.ts:12']);
    expect(findings[0]!.message).toContain('development-only code');
  });
});
