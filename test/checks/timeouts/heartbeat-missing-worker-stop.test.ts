// activity-heartbeat-timeout-missing said a redeploy is noticed only when start-to-close runs out.
// A worker that shuts down on SIGTERM reports its in-flight attempts at once; only a crash waits for
// the timeout, and a redeploy too when nothing in the worker's process handles SIGTERM (Python).

import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const fixture = (name: string) => path.resolve(import.meta.dirname, '..', '..', 'fixtures', name);
const ID = 'activity-heartbeat-timeout-missing';
const where = (f: Finding) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`;

describe('activity-heartbeat-timeout-missing names a redeploy only for a worker without graceful shutdown', () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: fixture('python-heartbeat-missing-stop') }));
  });
  const missing = () => findings.filter((f) => f.checkId === ID);

  test('a crash for the activity of the worker that drains on SIGTERM, a crash or a redeploy for the other', () => {
    expect(missing().map(where)).toEqual([`${ID} warning media/workflows.py:13`, `${ID} warning media/workflows.py:20`]);
    const [transcode, render] = missing();
    expect(transcode!.message).toContain(
      'When a worker crashes (killed, out of memory, its host lost) or is redeployed (nothing in its process shuts the worker down on SIGTERM) mid-attempt, the server notices only when start_to_close_timeout (2h) expires',
    );
    expect(render!.message).toContain('When a worker crashes (killed, out of memory, its host lost) mid-attempt, the server notices only when start_to_close_timeout (2h) expires');
    expect(render!.message).not.toContain('redeploy');
  });
});
