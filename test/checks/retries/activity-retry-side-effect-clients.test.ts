// activity-retry-repeats-side-effect follows an activity into the project's own wrappers (a mailer
// module, a `ReplicateClient` class) down to a send through a known provider: an email, a paid
// prediction. A send with a later step that can fail (or once per item of a loop) is a warning at
// the proxy or execute_activity call, with the chain of calls in the related locations; a send
// that is the last step is info; a POST made by a helper named create... is a create at a service
// (info) whatever the activity is called. Left alone: an idempotency key, a check of what was sent first,
// a read (a prediction's status), and maximumAttempts 1.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

const ID = 'activity-retry-repeats-side-effect';

describe('activity-retry-repeats-side-effect: sends through project wrappers (TypeScript)', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'retry-side-effect-clients'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === ID);
  }, 120_000);

  it('reports the prediction, the emails and the POST of a create helper, at the proxy', () => {
    expect(findings.map(where)).toEqual([
      { checkId: ID, severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: ID, severity: 'warning', file: 'src/workflows.ts', line: 4 },
      { checkId: ID, severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: ID, severity: 'warning', file: 'src/workflows.ts', line: 4 },
    ]);
    const [machine, prediction, receipt, welcome] = findings;
    expect(machine!.message).toContain('deployPreview creates something at the service it POSTs to with `postJson(...)` at src/deploy.ts:7 (through src/activities.ts:57)');
    expect(prediction!.message).toContain('generateImage starts a paid prediction through Replicate with `this.client.predictions.create(...)` at src/replicate-client.ts:14 (through src/activities.ts:26), then awaits `this.client.predictions.get(...)` at src/replicate-client.ts:8');
    expect(prediction!.message).not.toContain('after writing');
    expect(prediction!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      "src/activities.ts:26 the activity's call that leads to it",
      'src/replicate-client.ts:7 a call on the way to it',
      'src/replicate-client.ts:14 the start a retry makes again',
      'src/replicate-client.ts:8 the later step whose failure reruns the activity',
    ]);
    expect(receipt!.message).toContain('sendReceipt sends an email through Resend with `resend.emails.send(...)` at src/mailer.ts:6 (through src/activities.ts:30)');
    expect(welcome!.message).toContain('welcomeUser sends an email through Resend with `resend.emails.send(...)` at src/mailer.ts:6 (through src/activities.ts:20), then awaits `markWelcomed(...)` at src/activities.ts:21');
  });

  it('leaves alone a key, a check first, a read, a single attempt, an option that switches the send off and a POST of a helper named for a computed result', () => {
    const text = findings.map((f) => f.message).join('\n');
    for (const name of ['welcomeUserOnce', 'welcomeUserChecked', 'predictionStatus', 'notifyOnce', 'summarize', 'recordOnly']) expect(text).not.toContain(name);
  });
});

describe('activity-retry-repeats-side-effect: sends through project wrappers (Python)', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-side-effect-clients'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === ID);
  }, 120_000);

  it('follows a client class and a factory to the prediction and the SMTP send', () => {
    expect(findings.map(where)).toEqual([
      { checkId: ID, severity: 'warning', file: 'app/workflows.py', line: 17 },
      { checkId: ID, severity: 'warning', file: 'app/workflows.py', line: 18 },
    ]);
    const [prediction, emails] = findings;
    expect(prediction!.message).toContain('generate_image starts a paid prediction through Replicate with `self._client.predictions.async_create(...)` at app/replicate_client.py:16 (through app/activities.py:14), then awaits `self._client.predictions.async_get(...)` at app/replicate_client.py:10');
    expect(prediction!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/activities.py:14', 'app/replicate_client.py:9', 'app/replicate_client.py:16', 'app/replicate_client.py:10']);
    expect(emails!.message).toContain('notify_users sends an email through SMTP with `smtp.sendmail(...)` at app/mailer.py:11 (through app/activities.py:21), once per item (app/activities.py:21)');
  });

  it('leaves alone a check first, a read and a single attempt', () => {
    const text = findings.map((f) => f.message).join('\n');
    for (const name of ['notify_user_checked', 'prediction_status', 'notify_once']) expect(text).not.toContain(name);
  });
});
