// Python: supabase-py's create_client and cent's Client are synchronous. An async activity that
// runs a supabase query (`.table(...)....execute()`) on the client a project getter returns, or
// publishes through a project class that holds a cent.Client, blocks the event loop. The async
// clients (acreate_client, cent.AsyncClient), a query that is built and never executed, and a sync
// def activity are left alone.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-blocks-event-loop-supabase');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('activity-blocks-event-loop (supabase-py and cent sync clients)', () => {
  it('reports the sync supabase query and the sync cent publish, and nothing else', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-blocks-event-loop');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-blocks-event-loop warning app/activities.py:10',
      'activity-blocks-event-loop warning app/realtime.py:9',
    ]);
    const load = mine.find((f) => f.file === 'app/activities.py')!;
    expect(load.message).toContain('The async activity load_task calls supabase Client.table("tasks")….execute(), which blocks');
    expect(load.fix).toContain('the AsyncClient of supabase.acreate_client');
    const notify = mine.find((f) => f.file === 'app/realtime.py')!;
    expect(notify.message).toContain('The async activity notify calls cent.Client.publish (through a helper it calls), which blocks');
    expect(notify.fix).toContain('cent.AsyncClient');
  });
});
