// Python: an async activity that awaits a synchronous pymongo call (`await collection.create_index(...)`,
// in its body or in an async helper it awaits) fails with TypeError on every attempt: one error
// finding per activity at its first awaited sync call, and activity-blocks-event-loop leaves those calls to it. A sync call
// handed to asyncio.to_thread, motor's awaitable methods, a sync call that is not awaited (a
// blocking call, not this) and a sync def activity are left alone.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-awaits-sync-call');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('activity-awaits-sync-call (Python)', () => {
  it('reports each awaited synchronous call, in the activity or an async helper it awaits', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-awaits-sync-call');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-awaits-sync-call error activities.py:15',
      'activity-awaits-sync-call error activities.py:21',
    ]);
    const first = mine[0]!;
    expect(first.message).toContain('The async activity save_orders awaits pymongo.MongoClient["shop"]["orders"].create_index, which is synchronous');
    expect(first.message).toContain('TypeError');
    expect(first.fix).toContain('AsyncMongoClient');
    expect(first.related?.map((r) => `${r.line} ${r.message}`)).toEqual(['16 also awaits pymongo.MongoClient["shop"]["orders"].insert_many, which is synchronous']);
    const helper = mine.find((f) => f.line === 21)!;
    expect(helper.message).toContain('The async activity audit_order awaits');
    expect(helper.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['activities.py:26']);
  });

  it('leaves the awaited calls out of activity-blocks-event-loop, and keeps the plain blocking call', () => {
    const blocking = findings.filter((f) => f.checkId === 'activity-blocks-event-loop');
    expect(blocking.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['activity-blocks-event-loop warning activities.py:44']);
  });
});
