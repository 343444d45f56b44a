// Python: a helper's method that calls other methods of its own object (`self._ask()`) is followed
// through them without using up the helpers the review follows: the blocking call in the
// private method of a client class the activity's helper builds is reported, with the chain. A
// third plain helper is followed too (outer -> middle -> inner); `self` inside a nested function
// is not.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-blocks-event-loop-own-methods');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('activity-blocks-event-loop (Python methods an object calls on itself)', () => {
  it('reports the blocking calls reached through self.method() chains, and nothing else', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-blocks-event-loop');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-blocks-event-loop warning pipeline/chain.py:16',
      'activity-blocks-event-loop warning pipeline/writer.py:17',
      'activity-blocks-event-loop warning pipeline/writer.py:40',
    ]);
  });

  it('names the blocking call and the chain that reaches it', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-blocks-event-loop');
    const summary = mine.find((f) => f.line === 17)!;
    expect(summary.message).toContain('The async activity summarize calls anthropic.Anthropic.messages.create (through helpers it calls)');
    expect(summary.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'pipeline/activities.py:8 summarize is an async def activity',
      'pipeline/activities.py:9 calls the helper that blocks',
      'pipeline/writer.py:25 calls the helper that blocks',
      'pipeline/writer.py:12 calls the helper that blocks',
      'pipeline/writer.py:19 also calls time.sleep',
    ]);
    const report = mine.find((f) => f.line === 40)!;
    expect(report.message).toContain('The async activity report calls httpx.Client.get (through helpers it calls)');
    expect(report.related?.map((r) => `${r.file}:${r.line}`)).toEqual([
      'pipeline/activities.py:13',
      'pipeline/activities.py:14',
      'pipeline/writer.py:49',
      'pipeline/writer.py:33',
      'pipeline/writer.py:37',
    ]);
  });
});
