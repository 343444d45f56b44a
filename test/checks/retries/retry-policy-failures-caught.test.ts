// activity-retry-policy-missing is info when every activity the proxy (or Python call) schedules
// catches every failure around its whole body and returns normally (TypeScript: try/catch whose
// catch throws nothing; Python: a try whose `except Exception` raises nothing, with only imports and
// statements that cannot fail outside it): an outage ends each attempt as a success, so only a
// timeout or a lost worker is retried. The message points at activity-failure-returned when that
// check reports the catch. A rethrow, a narrow except, or a call that can fail before the try keep
// the warning.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { buildFixture, fixturesDir, where } from '../helpers/review-fixture.js';

let python: Finding[];

beforeAll(async () => {
  ({ findings: python } = await review({ dir: path.join(fixturesDir, 'python-retry-never-fails'), config: undefined }));
}, 180_000);

describe('activity-retry-policy-missing on activities that catch every failure', () => {
  it('TypeScript: info for a catch that returns false or a failure value; warning for a rethrow and for a fetch before the try', () => {
    const findings = buildFixture('retries-never-fails').findings(['activity-retry-policy-missing']);
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows.ts', line: 5 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 6 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 7 },
    ]);
    const [update, result] = findings;
    expect(update!.message).toContain('postUpdate catches every failure of its work');
    expect(update!.message).toContain('The missing policy matters only when an attempt times out (a call that hangs past startToCloseTimeout) or its worker is lost: those are retried without limit.');
    expect(update!.message).toContain('see activity-failure-returned (src/activities.ts:7)');
    expect(update!.message).not.toContain('250,000 Actions');
    expect(update!.data?.['failuresCaught']).toEqual([{ activity: 'postUpdate', how: 'failures-caught' }]);
    expect(result!.related).toEqual([expect.objectContaining({ file: expect.stringMatching(/src\/activities\.ts$/), line: 17, message: 'activity-failure-returned reports this catch' })]);
    for (const finding of findings.slice(2)) expect(finding.message).toContain('250,000 Actions');
  });

  it('Python: info for a body inside try/except Exception (an import before it), one for both its calls; warning for a rethrow, a narrow except and a client built before the try', () => {
    const findings = python.filter((f) => f.checkId === 'activity-retry-policy-missing');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'app/workflows.py', line: 15 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'app/workflows.py', line: 16 },
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'app/workflows.py', line: 19 },
    ]);
    const [update, checked, result] = findings;
    expect(update!.message).toContain('post_update catches every failure of its work (its body, but for imports and statements that cannot fail, is inside a try whose `except` takes every exception');
    expect(update!.message).toContain('(a call that hangs past start_to_close_timeout) or its worker is lost');
    expect(update!.message).toContain('The failures are swallowed instead; if the work should be retried');
    expect(update!.message).not.toContain('25 attempts');
    // The second call of post_update says the same: one note, naming it.
    expect(update!.message).toContain('The same holds for 1 more call of workflow UpdateWorkflow without a retry policy (line 20).');
    expect(update!.data?.['sameCallLines']).toEqual([20]);
    // post_narrow (except httpx.HTTPError) and post_reraised (bare raise) stay grouped in the warning.
    expect(checked!.data?.['sameCallLines']).toEqual([17, 18]);
    expect(checked!.message).toContain('250,000 Actions');
    expect(result!.message).toContain('see activity-failure-returned (app/activities.py:65)');
    expect(result!.related).toEqual([expect.objectContaining({ line: 65, message: 'activity-failure-returned reports this catch' })]);
  });
});
