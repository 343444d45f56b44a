// Python: an async def activity reaches a blocking call through a project class that wraps a
// synchronous client: caldav's DAVClient (its principal and calendars), the Yandex Cloud ML SDK's
// synchronous YCloudML (a model's run / run_deferred and the operation's wait, also when the model
// is rebound with `model = model.configure(...)`), a boto3 client a boto3 Session hands out in
// __init__, and a boto3 resource's sub-resource. The provider comes from a factory keyed by a
// literal (`ProviderFactory.create("art")`). The async twins (caldav.aio, AsyncYCloudML), a call
// handed to asyncio.to_thread, a sync def activity, a factory called with a value the review cannot
// read, and boto3's local generate_presigned_url are left alone.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-blocks-event-loop-wrappers');
let mine: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  mine = findings.filter((f) => f.checkId === 'activity-blocks-event-loop');
});

describe('activity-blocks-event-loop (Python sync clients behind project classes)', () => {
  it('reports each activity at its first blocking call, and nothing else', () => {
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-blocks-event-loop warning app/activities.py:67',
      'activity-blocks-event-loop warning app/calendars.py:15',
      'activity-blocks-event-loop warning app/images.py:11',
      'activity-blocks-event-loop warning app/images.py:20',
    ]);
  });

  it('names the client, the calls and the path that leads there', () => {
    const at = (file: string, line: number) => mine.find((f) => f.file === file && f.line === line)!;
    const events = at('app/calendars.py', 15);
    expect(events.message).toContain('The async activity fetch_events calls caldav.DAVClient.principal (through a helper it calls)');
    expect(events.message).toContain('It also calls caldav principal.calendars, caldav calendar.date_search.');
    expect(events.fix).toContain('(caldav.aio)');
    expect(events.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/activities.py:11', 'app/activities.py:13', 'app/calendars.py:16', 'app/calendars.py:17']);
    const picture = at('app/images.py', 11);
    expect(picture.message).toContain('The async activity draw_picture calls YCloudML model.run_deferred (through a helper it calls)');
    expect(picture.message).toContain('It also calls YCloudML operation.wait, boto3 client.put_object.');
    expect(picture.fix).toContain('(yandex_cloud_ml_sdk.AsyncYCloudML)');
    expect(at('app/images.py', 20).message).toContain('The async activity describe calls YCloudML model.run (through a helper it calls)');
    expect(at('app/activities.py', 67).message).toContain('The async activity archive_picture calls boto3 resource.upload_file, which blocks');
  });

  it('leaves async twins, threads, sync activities, unknown factory keys and local calls alone', () => {
    const names = mine.map((f) => (f.data as { activity: string }).activity);
    for (const absent of ['fetch_events_in_thread', 'fetch_events_sync', 'fetch_events_async', 'draw_picture_async', 'draw_with', 'link_picture', 'store_picture', 'draw_from']) {
      expect(names).not.toContain(absent);
    }
  });
});
