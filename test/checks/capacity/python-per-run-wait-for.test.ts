// A Python worker whose `async with` block awaits its one workflow through asyncio.wait_for is a
// per-run worker, as one that awaits execute_workflow directly.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-per-run-wait-for');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

const of = (...ids: string[]) => findings.filter((f) => ids.includes(f.checkId)).map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('Python per-run worker awaited through asyncio.wait_for', () => {
  test('slot counts on the per-run worker are info, and its message names the awaited run', () => {
    expect(of('worker-concurrency-implicit')).toEqual(['worker-concurrency-implicit info probe.py:25']);
    const message = findings.find((f) => f.checkId === 'worker-concurrency-implicit')!.message;
    expect(message).toContain('It is a per-run worker: it runs only for the workflow its own function starts on its task queue and awaits, then shuts down (probe.py:27)');
    expect(message).not.toContain('may run any number of times');
  });

  test('the shutdown note speaks of the Python SDK: Ctrl-C through asyncio.run, SIGTERM with no handler', () => {
    const grace = findings.find((f) => f.checkId === 'worker-shutdown-grace-missing')!;
    expect(`${grace.severity} ${grace.file}:${grace.line}`).toBe('info probe.py:25');
    expect(grace.message).toContain(
      "Ctrl-C (SIGINT) cancels the script's main task under asyncio.run, which shuts the worker down and cancels the activities in flight at once, and SIGTERM (docker stop, a redeploy of its container) ends the process with them in flight, since the Python SDK installs no signal handlers",
    );
    expect(grace.message).not.toContain('the SDK also shuts the worker down on SIGINT or SIGTERM');
  });

  test('alert and metrics findings treat it as per-run (info)', () => {
    expect(of('workflow-failure-alert-missing', 'worker-metrics-not-exported')).toEqual([
      'workflow-failure-alert-missing info probe.py:17',
      'worker-metrics-not-exported info probe.py:25',
    ]);
  });
});
