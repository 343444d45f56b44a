// worker-shutdown-grace-missing on a Python worker whose activity list cannot be read
// (`activities=Container().activities()`): the check judges it by every activity of the project,
// so the message says the list was not read and that these are the project's activities, instead
// of naming them as the worker's own, and claims no hours-long attempts for it.
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-worker-activities-unread');

describe('worker-shutdown-grace-missing when the worker activity list is not read (Python)', () => {
  test("names the project's activities as such, with no long-attempt claim", async () => {
    const { findings } = await review({ dir: root });
    const grace = findings.filter((f) => f.checkId === 'worker-shutdown-grace-missing');
    expect(grace.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['warning app/worker.py:12']);
    expect(grace[0]!.message).toContain(
      "nothing cancels the activities it runs (its activity list could not be read; the project's activities include publish_status and render_tile), which a worker shutdown would",
    );
    expect(grace[0]!.message).not.toContain('The work done so far is lost');
    expect(grace[0]!.data).not.toHaveProperty('longAttempts');
  });
});
