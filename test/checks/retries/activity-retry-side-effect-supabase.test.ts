// activity-retry-repeats-side-effect when the steps after a send are Supabase queries
// (test/fixtures/retry-side-effect-supabase). postgrest-js, the query builder of supabase-js, does
// not reject: PostgrestBuilder.then catches the fetch rejection (network errors) and turns an HTTP
// error response into a resolved `{ data: null, error }`; it throws only when `.throwOnError()` is
// chained (read in @supabase/postgrest-js 2.109.0, src/PostgrestBuilder.ts). So a query whose error
// nothing throws on cannot fail the attempt after the send: the finding does not name it as the
// step whose failure reruns the activity, and keeps only the lost-answer or timeout case (info).
// A query whose `error` is thrown, or chained with `.throwOnError()`, still counts.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

const ID = 'activity-retry-repeats-side-effect';

describe('activity-retry-repeats-side-effect: Supabase queries after a send', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'retry-side-effect-supabase'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === ID);
  }, 120_000);

  it('does not name a query whose error nothing throws on as the failing later step', () => {
    expect(findings.map(where)).toEqual([
      { checkId: ID, severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: ID, severity: 'warning', file: 'src/workflows.ts', line: 4 },
      { checkId: ID, severity: 'warning', file: 'src/workflows.ts', line: 4 },
    ]);
    const [invite, notice, reminder] = findings.map((f) => f.message);
    expect(invite).toContain('sendInvite sends an email through Resend with `resend.emails.send(...)` at src/activities.ts:13: when its answer is lost after Resend accepted the call, or the attempt runs past its startToCloseTimeout, the retry sends it again');
    expect(invite).not.toContain('then awaits');
    expect(invite).not.toContain('touchContact');
    expect(reminder).toContain('sendReminder sends an email through Resend with `resend.emails.send(...)` at src/activities.ts:20, then awaits');
    expect(reminder).toContain('at src/activities.ts:21: when that fails, the retry runs the activity from the top and sends it again');
    expect(notice).toContain('sendNotice sends an email through Resend with `resend.emails.send(...)` at src/activities.ts:27, then awaits');
    expect(notice).toContain('at src/activities.ts:28: when that fails');
  });
});
