// activity-start-to-close-missing with a single attempt (maximumAttempts 1 / maximum_attempts=1):
// scheduleToClose alone bounds that attempt and no retry would start either way, so only the
// proxy that retries is reported. TypeScript and Python.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { review } from '../../../src/review.js';
import { buildFixture, fixturesDir, where } from '../helpers/review-fixture.js';

const ID = 'activity-start-to-close-missing';

describe('activity-start-to-close-missing with a single attempt', () => {
  it('TypeScript: reports the proxy with maximumAttempts 3, not the one with maximumAttempts 1', () => {
    expect(buildFixture('ts-single-attempt').findings([ID]).map(where)).toEqual([{ checkId: ID, severity: 'warning', file: 'src/workflows.ts', line: 6 }]);
  });

  it('Python: reports the call with maximum_attempts=3, not the one with maximum_attempts=1', async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'python-single-attempt') });
    expect(findings.filter((f) => f.checkId === ID).map(where)).toEqual([{ checkId: ID, severity: 'warning', file: 'app/workflows.py', line: 23 }]);
  });
});
