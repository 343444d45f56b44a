// activity-failure-returned (Python) when the workflow handles the returned failure: every workflow
// call of charge_card keeps the result, tests its `ok` flag and raises on it, so the finding is a
// note that says the workflow handles the failure (only the retry is lost). A workflow that tests
// the flag and on failure only logs (reserve_stock: its success branch acts, its else branch only
// logs), or never tests it (send_receipt), keeps the warning.
// Over test/fixtures/python-failure-returned-handled.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

let findings: Finding[];
beforeAll(async () => {
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-failure-returned-handled');
  findings = (await review({ dir: root, config: undefined })).findings.filter((f) => f.checkId === 'activity-failure-returned');
}, 120_000);

describe('activity-failure-returned: a failure every workflow call tests and acts on', () => {
  it('is a note for charge_card, a warning for the others', () => {
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-failure-returned info app/activities.py:12',
      'activity-failure-returned warning app/activities.py:22',
      'activity-failure-returned warning app/activities.py:32',
    ]);
  });

  it('says the workflow tests the failure and acts on it', () => {
    const note = findings[0]!;
    expect(note.message).toContain('and every workflow call of charge_card tests it (`ok`; app/workflows.py:17) and acts on it, so the workflow handles the failure.');
    expect(note.message).toContain('its retry policy (maximum_attempts: 3) never runs');
    expect(note.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/activities.py:9', 'app/workflows.py:17']);
    expect(note.data).toMatchObject({ activityType: 'charge_card', handledByWorkflow: true, fields: ['ok'] });
  });
});
