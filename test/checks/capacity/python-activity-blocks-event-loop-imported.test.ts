// Python: an async def activity reaches a blocking call through project modules it imports inside
// its own body (`from app.jobs.daily import run`) and through a module imported whole at the top
// (`import app.jobs.notices`, called as `app.jobs.notices.notify(day)`), three helpers deep; the
// finding names the chain. The same helper handed to asyncio.to_thread or to a thread pool's
// submit, and a sync def activity, are left alone. Training a scikit-learn ensemble (`fit`) is
// heavy CPU work on the loop; fitting a StandardScaler is not reported.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-blocks-event-loop-imported');
let mine: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  mine = findings.filter((f) => f.checkId === 'activity-blocks-event-loop');
});

describe('activity-blocks-event-loop (Python helpers in modules imported inside the activity)', () => {
  it('reports the blocking calls reached through imported project modules, and nothing else', () => {
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-blocks-event-loop warning app/jobs/collectors.py:5',
      'activity-blocks-event-loop warning app/jobs/models.py:14',
      'activity-blocks-event-loop warning app/jobs/notices.py:8',
    ]);
  });

  it('names the chain from the activity to the call', () => {
    const ingest = mine.find((f) => f.file === 'app/jobs/collectors.py')!;
    expect(ingest.message).toContain('The async activity ingest calls subprocess.run (through helpers it calls)');
    expect(ingest.message).toContain('The call chain: ingest → run() → collectors.collect() → _fetch() → subprocess.run.');
    expect(ingest.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/activities.py:9', 'app/activities.py:11', 'app/jobs/daily.py:5', 'app/jobs/collectors.py:9']);
    const notify = mine.find((f) => f.file === 'app/jobs/notices.py')!;
    expect(notify.message).toContain('The call chain: notify → app.jobs.notices.notify() → _post() → urllib.request.urlopen.');
    const retrain = mine.find((f) => f.file === 'app/jobs/models.py')!;
    expect(retrain.message).toContain('The async activity retrain calls sklearn.ensemble.IsolationForest.fit (through a helper it calls), which blocks');
    expect(retrain.message).toContain('while sklearn.ensemble.IsolationForest.fit runs,');
    expect(retrain.fix).toContain('asyncio.to_thread');
  });
});
