// activity-retry-repeats-side-effect, creates: a database insert followed by an awaited step that
// can fail (another write, a helper that fetches, the next turn of a loop) and a create at a
// service (a library `createBot`, a POST made by a `create...` function) are info at the proxy,
// with the create and the later step as related locations. Left alone: an insert that is the last
// step, an upsert, a lookup first, a transaction around both steps, a createMany that skips duplicates, a unique field of the Prisma schema, a create under a test of a
// looked-up record, a later step in a branch contrary to the create's, an idempotency key, a list
// on the same client first, find-or-create (`??`), a log table, a create a literal argument
// switches off, a transaction per loop item, and a single-attempt proxy. A deterministic id from
// the input is reported too: the retry fails on it (activity-retry-creates-keyed.test.ts).
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-repeats-side-effect.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-repeats-side-effect: creates', () => {
  const review = fixtureReview('activity-retry-creates');
  const findings = review.run(check);
  const of = (activity: string) => findings.filter((f) => f.message.includes(`. ${activity} creates`));
  const related = (activity: string) => of(activity)[0]!.related!.map((r) => `${r.file.split('/').pop()}:${r.line}`);

  it('reports the seven repeated creates at the retrying proxy, as info', () => {
    expect(where(findings)).toEqual(Array(7).fill('activity-retry-repeats-side-effect info src/workflows.ts:4'));
    expect(findings.map((f) => (f.data as { activityTypes: string[] }).activityTypes[0]).sort()).toEqual(['createTag', 'logRun', 'startBot', 'startBotWithKey', 'storeAssets', 'storeTranscript', 'storeTranscriptWithId']);
    // The bot create carries a key; the session row after it takes its id from the input, so a retry after its commit fails on it.
    expect(of('startBotWithKey')[0]!.message).toContain('startBotWithKey creates a botSession row with `db.botSession.create(...)` at src/activities.ts:93, as its last step, with its primary key from the input (`id: meetingId`)');
    expect(of('storeTranscriptWithId')[0]!.message).toContain('with its primary key from the input (`id: transcriptId`), then awaits `db.meeting.update(...)`');
  });

  it('names the insert, the step after it and what the retry repeats', () => {
    const [transcript] = of('storeTranscript');
    expect(transcript!.message).toContain(
      'storeTranscript creates a transcript row with `db.transcript.create(...)` at src/activities.ts:10, then awaits `db.meeting.update(...)` at src/activities.ts:11: when that fails, the retry runs the activity from the top and creates a transcript row again.',
    );
    expect(transcript!.message).toContain('no transaction around both steps');
    expect(transcript!.fix).toContain('ON CONFLICT DO NOTHING');
    expect(related('storeTranscript')).toEqual(['activities.ts:10', 'activities.ts:11']);
    expect(of('storeAssets')[0]!.message).toContain('and it runs once per item (src/activities.ts:24): when a later item fails');
    expect(of('logRun')[0]!.message).toContain('creates a row in run_events with `db.query(...)` at src/activities.ts:30, then awaits `announce(...)` at src/activities.ts:31');
  });

  it('names a create at a service, whose answer can be lost', () => {
    const [bot] = of('startBot');
    expect(bot!.message).toContain('startBot creates something at the service behind `bots` with `bots.createBot(...)` at src/activities.ts:16, then awaits `db.botSession.create(...)` at src/activities.ts:17');
    expect(bot!.message).toContain('if the answer is lost after the service acted');
    expect(bot!.fix).toContain('idempotency key');
    expect(related('startBot')).toEqual(['activities.ts:16', 'activities.ts:17']);
    expect(of('createTag')[0]!.message).toContain('createTag creates something at the service it POSTs to with `request(...)` at src/activities.ts:40; if the answer is lost');
  });

  it('leaves idempotent creates, last-step inserts and the single-attempt proxy alone', () => {
    const quiet = /storeAssetLast|upsertTranscript|storeTranscriptOnce|storeTranscriptAtomically|storeAssetsSkipping|startBotOnce|scheduleMeetings|markReplied|storeRecording|startJob|recordPrompt|startBotLater|storeEachAtomically/;
    expect(findings.some((f) => quiet.test(f.message))).toBe(false);
  });
});
