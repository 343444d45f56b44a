// activity-failure-returned on Python reads calls of sync clients as work that fails in an outage,
// as it does awaited calls: an async activity whose `with Uploader() as sftp:` reaches
// paramiko.Transport through the project class's __enter__, and a sync (`def`) activity whose
// SQLAlchemy session executes and commits, each returning a failure value from `except Exception`.
// A try around pure computation (json.loads) is left alone. Over
// test/fixtures/python-activity-failure-sync.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-failure-returned on Python sync clients', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-activity-failure-sync'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-failure-returned' || f.checkId === 'activity-blocks-event-loop');
  }, 120_000);

  it('reports the failure values returned over sync I/O, and the blocking connect', () => {
    expect(findings.map(where)).toEqual([
      // Notes: the workflow tests both success flags and raises on them (it handles the failure).
      { checkId: 'activity-failure-returned', severity: 'info', file: 'app/activities.py', line: 29 },
      { checkId: 'activity-failure-returned', severity: 'info', file: 'app/activities.py', line: 41 },
      { checkId: 'activity-blocks-event-loop', severity: 'warning', file: 'app/sftp.py', line: 10 },
    ]);
  });

  it('names the API the try reaches', () => {
    expect(findings[0]!.message).toContain('Activity upload catches every exception of paramiko.Transport (through Uploader(...)) (app/activities.py:24) and returns UploadResult(success=False, error=str(e))');
    expect(findings[1]!.message).toContain('Activity save_order catches every exception of sqlalchemy Session.execute(...) (app/activities.py:36)');
  });
});
