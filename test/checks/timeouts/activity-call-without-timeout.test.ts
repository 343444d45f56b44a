// activity-call-without-timeout: an outbound call with no limit of its own (fetch with no signal,
// axios with no timeout, Python requests / smtplib with no timeout) keeps its worker slot after the
// attempt timed out. Calls with a signal, a timeout on the request or on the axios instance, a race,
// options the review cannot read, or a positional timeout are not reported.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/timeouts/activity-call-without-timeout.js';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-call-without-timeout (TypeScript)', () => {
  const findings = fixtureReview('activity-call-without-timeout').run(check);

  it('reports fetch without a signal and axios without a timeout, and nothing with a limit or unread options', () => {
    expect(where(findings)).toEqual([
      'activity-call-without-timeout warning src/activities.ts:20',
      'activity-call-without-timeout warning src/activities.ts:32',
      'activity-call-without-timeout info src/activities.ts:46',
      'activity-call-without-timeout warning src/http.ts:8',
    ]);
  });

  it('says why each call outlives the attempt', () => {
    const [axiosPost, instance, longFetch, helperFetch] = findings;
    expect(axiosPost!.message).toContain("Activity postInvoice makes an axios request (`axios.post` at src/activities.ts:20) with no `timeout` and no `signal`: axios's default timeout is 0, no limit");
    expect(axiosPost!.message).toContain('(startToCloseTimeout 1m)');
    expect(axiosPost!.message).toContain("it keeps the worker's activity slot while the retry starts on another slot");
    expect(instance!.message).toContain('`plainClient.get (axios instance)`');
    expect(helperFetch!.message).toContain('Activity fetchQuote calls `fetch` (src/http.ts:8, reached from fetchQuote at src/activities.ts:6) with no `signal`');
    expect(helperFetch!.message).toContain('for up to 5 minutes while the retry starts on another slot');
    // A 10-minute attempt outlasts Node's own 5-minute limit: the request does not outlive it.
    expect(longFetch!.message).toContain('Activity renderReport calls `fetch`');
    expect(longFetch!.message).not.toContain('the retry starts');
    expect(longFetch!.fix).toContain('Context.current().cancellationSignal');
  });
});

describe('activity-call-without-timeout (Python)', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-call-without-timeout');
    ({ findings } = await review({ dir: root, config: undefined }));
    findings = findings.filter((f) => f.checkId === 'activity-call-without-timeout');
  });

  it('reports requests and smtplib calls with no timeout, not those with a keyword, positional or unread timeout', () => {
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-call-without-timeout warning app/activities.py:12',
      'activity-call-without-timeout warning app/mailer.py:5',
    ]);
  });

  it('names the thread a sync activity keeps, and the event loop an async one blocks', () => {
    const [sync, async] = findings;
    expect(sync!.message).toContain('Activity push_invoice calls `requests.post` with no `timeout=` (requests waits forever by default)');
    expect(sync!.message).toContain('raising CancelledError into its thread, but Python delivers it only when the thread runs Python code again');
    expect(async!.message).toContain('Activity mail_receipt calls `smtplib.SMTP(...)` with no `timeout`');
    expect(async!.message).toContain('reached from mail_receipt at app/activities.py:24');
    expect(async!.message).toContain("the blocking call holds the worker's event loop");
  });
});
