// Two limits on the retry and timeout findings of a proxy (issue 13, read on real code): a proxy
// picked only behind a test-mode flag (`input.testingMode ? testActs : acts`) never runs
// production work, so its findings are info saying so; and an uncovered business error is a
// warning only when it is thrown in the activity or a function it calls directly, while throws
// deeper in helpers are mentioned without being claimed.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('retries-test-mode-deep-throws');
});

describe('test-mode proxies and deep throws', () => {
  it('warns on a direct callee throw, is info for throws only two calls down and for the test-mode proxy', () => {
    const found = fixture.findings(['activity-non-retryable-errors-uncovered', 'activity-timeouts-inconsistent']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-non-retryable-errors-uncovered', severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-non-retryable-errors-uncovered', severity: 'info', file: 'src/workflows.ts', line: 6 },
      { checkId: 'activity-timeouts-inconsistent', severity: 'info', file: 'src/workflows.ts', line: 6 },
      { checkId: 'activity-non-retryable-errors-uncovered', severity: 'info', file: 'src/workflows.ts', line: 8 },
    ]);
    const [direct, test, timeouts, deep] = found;
    expect(direct!.message).toMatch(/^chargeCard throws QuotaExceeded, which is not non-retryable for proxyActivities for chargeCard and resumeRun: /);
    expect(direct!.message).toContain(
      'Helpers two or more calls down in resumeRun throw CorruptState as well; those throws sit behind conditions of the helpers that preflight does not weigh, so they are listed as related locations, not claimed.',
    );
    expect(direct!.data).toMatchObject({ uncoveredErrorTypes: ['QuotaExceeded'] });
    expect(test!.message).toContain('This proxy is used only when `input.testingMode` is set, a test or development mode');
    expect(timeouts!.data).toMatchObject({ testOnly: 'input.testingMode' });
    expect(deep!.message).toMatch(/^Helpers two or more calls below resumeRun throw CorruptState, which is not non-retryable for proxyActivities for resumeRun: if such a throw is reached, /);
    expect(deep!.related).toEqual([{ file: 'src/activities.ts', line: 15, column: 13, message: "resumeRun throws CorruptState here (2 calls down, behind its helpers' conditions)" }]);
  });
});
