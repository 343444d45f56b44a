// activity-retry-repeats-side-effect (Python) follows an activity into a static method of a
// project class (`EmailService.send_via_smtp(...)`, the class imported inside the function) and
// knows a connection by the constructor that made it (`server = smtplib.SMTP(...)`,
// `with smtplib.SMTP_SSL(...) as conn:`) when its name says nothing; and it reads the rows of an
// insert loop as handed back when the activity returns an item of the list they were appended to.
// Left alone: a `send_message` on a project class, and the same loop returning only a count.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

const ID = 'activity-retry-repeats-side-effect';

describe('activity-retry-repeats-side-effect: Python sends and inserts through helpers', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-side-effect-helpers'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === ID);
  }, 120_000);

  it('reports the SMTP sends through a static method and the approvals handed back', () => {
    expect(findings.map(where)).toEqual([
      { checkId: ID, severity: 'info', file: 'app/workflows.py', line: 16 },
      { checkId: ID, severity: 'info', file: 'app/workflows.py', line: 17 },
      { checkId: ID, severity: 'info', file: 'app/workflows.py', line: 19 },
    ]);
    const [report, receipt, approvals] = findings;
    expect(report!.message).toContain('send_report sends an email through SMTP with `server.sendmail(...)` at app/email_service.py:9 (through app/activities.py:13)');
    expect(receipt!.message).toContain('send_receipt sends an email through SMTP with `conn.sendmail(...)` at app/email_service.py:16 (through app/activities.py:20)');
    expect(approvals!.message).toContain('open_approvals creates an Approval row with `session.add(...)` at app/activities.py:39, as its last step, and hands the new row back to the workflow');
  });

  it('leaves alone a project send_message and a loop that returns a count', () => {
    const text = findings.map((f) => f.message).join('\n');
    for (const name of ['enqueue_report', 'open_approvals_quietly']) expect(text).not.toContain(name);
  });
});
