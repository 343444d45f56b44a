// activity-start-to-close-missing with retries off (maximumAttempts 1): scheduleToClose cuts the one
// attempt off as startToClose would, so no retry is lost today. An info, in TypeScript and Python;
// with retries on it stays a warning.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import startToClose from '../../../src/checks/timeouts/activity-start-to-close-missing.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildPythonModel } from '../../../src/model/python/build-python-model.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-start-to-close-missing and a single attempt', () => {
  it('TypeScript: info for maximumAttempts 1, warning for 3', { timeout: 120_000 }, () => {
    const findings = fixtureReview('start-to-close-single-attempt').run(startToClose);
    expect(where(findings)).toEqual([
      'activity-start-to-close-missing info src/workflows.ts:4',
      'activity-start-to-close-missing warning src/workflows.ts:6',
    ]);
    expect(findings[0]!.message).toContain('with retries off (maximumAttempts: 1)');
  });

  it('Python: info for maximum_attempts=1, warning for 3', { timeout: 120_000 }, async () => {
    const root = path.resolve(import.meta.dirname, '../../fixtures/start-to-close-single-attempt/py');
    const { model } = await buildPythonModel({ root });
    const findings = runChecks({ root, config: loadConfig(root).config, checks: [startToClose], pythonModel: model }).findings;
    expect(where(findings)).toEqual([
      'activity-start-to-close-missing info workflows.py:16',
      'activity-start-to-close-missing warning workflows.py:22',
    ]);
  });
});
