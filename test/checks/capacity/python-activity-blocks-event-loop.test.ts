// Python: an async def activity that calls a well-known blocking API (requests through an alias,
// time.sleep, a boto3 or httpx sync client it builds, subprocess in a plain helper two levels down
// or in an async helper it awaits, a function-level `from time import sleep`) gets one finding at
// its first blocking call. Calls handed to asyncio.to_thread / run_in_executor / sync_to_async,
// async clients, time.sleep(0), a sync def activity, a parameter or local variable named
// `requests`, and workflow code are left alone.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-blocks-event-loop');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('activity-blocks-event-loop (Python)', () => {
  it('reports each async activity that blocks, once, at its first blocking call', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-blocks-event-loop');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-blocks-event-loop warning shipping/activities.py:17',
      'activity-blocks-event-loop warning shipping/activities.py:31',
      'activity-blocks-event-loop warning shipping/activities.py:37',
      'activity-blocks-event-loop warning shipping/activities.py:82',
      'activity-blocks-event-loop warning shipping/audit.py:6',
      'activity-blocks-event-loop warning shipping/labels.py:7',
      'activity-blocks-event-loop warning shipping/labels.py:21',
    ]);
  });

  it('names the activity, the call and the fix, with the other calls and the helper path related', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-blocks-event-loop');
    const notify = mine.find((f) => f.line === 17)!;
    expect(notify.message).toContain('The async activity notify_carrier calls requests.post, which blocks');
    expect(notify.message).toContain('It also calls time.sleep.');
    expect(notify.fix).toContain('Make notify_carrier a plain def activity and give the Worker an activity_executor');
    expect(notify.fix).toContain('asyncio.to_thread');
    expect(notify.related?.map((r) => `${r.line} ${r.message}`)).toEqual(['16 notify_carrier is an async def activity', '19 also calls time.sleep']);
    expect(mine.find((f) => f.line === 31)!.message).toContain('calls boto3 client.put_object');
    expect(mine.find((f) => f.line === 37)!.message).toContain('calls httpx.Client.get');
    expect(mine.find((f) => f.line === 82)!.message).toContain('wait_for_customs calls time.sleep');
    const label = mine.find((f) => f.file === 'shipping/labels.py')!;
    expect(label.message).toContain('The async activity print_shipping_label calls subprocess.check_output (through helpers it calls)');
    expect(label.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['shipping/activities.py:23', 'shipping/activities.py:24', 'shipping/labels.py:11']);
    const printer = mine.find((f) => f.file === 'shipping/labels.py' && f.line === 21)!;
    expect(printer.message).toContain('The async activity reserve_printer calls subprocess.call (through a helper it calls)');
  });

  it('reports a blocking line that several activities reach through a shared helper once, with the activities related', () => {
    const shared = findings.filter((f) => f.checkId === 'activity-blocks-event-loop' && f.file === 'shipping/audit.py');
    expect(shared.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['warning shipping/audit.py:6']);
    expect(shared[0]!.message).toContain('2 async activities (audit_delivery and audit_pickup) reach this call of requests.put through helpers they share');
    expect(shared[0]!.fix).toContain('At this call,');
    expect(shared[0]!.related?.map((r) => `${r.line} ${r.message}`)).toEqual([
      '15 audit_delivery is an async def activity that reaches it',
      '10 audit_pickup is an async def activity that reaches it',
    ]);
  });
});
