// workflow-retry-multiplies-activity-retries: a workflow loop that calls an activity again after
// it failed, while the activity's proxy already retries it.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

const CHECK = 'workflow-retry-multiplies-activity-retries';

describe(CHECK, () => {
  it('reports activities a workflow loop retries on top of their own retry policy', { timeout: 120_000 }, () => {
    const findings = findingsOf('workflow-retry-loops', [CHECK]);
    expect(where(findings)).toEqual([`${CHECK} warning src/workflows.ts:13`, `${CHECK} warning src/workflows.ts:20`]);
    expect(findings[0]?.message).toContain('up to 10 x 5 = 50 attempts');
    expect(findings[1]?.message).toContain('called up to 4 times');
    expect(findings[1]?.message).toContain('without a limit on attempts');
  });

  // The fact the multiplication rests on: an activity call in workflow code returns only after
  // the server's retries are spent (the activity promise settles on the final resolution), and the
  // SDK's default retry policy has no maximumAttempts (unlimited).
  it('rests on the SDK: the default activity retry policy is unlimited', () => {
    const require = createRequire(import.meta.url);
    const retryPolicy = readFileSync(require.resolve('@temporalio/common/src/retry-policy.ts'), 'utf8');
    expect(retryPolicy).toMatch(/@default Infinity\s*\*\/\s*maximumAttempts\?: number;/);
  });
});
