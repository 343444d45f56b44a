// fetch as a process against a server that goes quiet: while listing (nothing can be exported:
// exit 2, one line naming the server, no output folder made) and after listing (every history
// misses its per-call deadline: each is reported, exit 1, the summary printed). Either way the
// command ends by its own deadlines, not by the test's timeout.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { leftoverProcesses, runCliProcess } from '../helpers/cli-process.js';
import { startStallingFrontend, type StallingFrontend } from '../helpers/stalling-frontend.js';
import { scratchFolder } from '../helpers/scratch-folder.js';

const BOUND_MS = 60_000;

describe('fetch against a server that stops answering', () => {
  let frontend: StallingFrontend | undefined;
  afterEach(async () => {
    await frontend?.stop();
    frontend = undefined;
  });

  it('a listing that never answers ends after its deadline and retries with one line and exit 2', async () => {
    frontend = await startStallingFrontend({ list: 'stall', stallHistory: true });
    const out = path.join(scratchFolder('fetch-stall'), 'histories');
    const run = await runCliProcess(['fetch', '--address', frontend.address, '--out', out, '--call-timeout', '1s'], { timeoutMs: BOUND_MS });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^temporal-preflight: ${frontend.address.replace(/\./g, '\\.')}: cannot list executions: failed after 4 attempts: 4 DEADLINE_EXCEEDED[^\\n]*\\n$`));
    expect(frontend.calls.get('ListWorkflowExecutions')).toBe(4);
    expect(fs.existsSync(out)).toBe(false);
    expect(await leftoverProcesses(run.marker)).toEqual([]);
  }, BOUND_MS + 10_000);

  it('histories that never arrive each miss the per-call deadline and are reported; the export ends with exit 1', async () => {
    frontend = await startStallingFrontend({
      list: [
        { workflowId: 'order-1', runId: 'run-a', type: 'shipOrder' },
        { workflowId: 'order-2', runId: 'run-b', type: 'shipOrder' },
      ],
      stallHistory: true,
    });
    const out = path.join(scratchFolder('fetch-stall'), 'histories');
    const run = await runCliProcess(['fetch', '--address', frontend.address, '--out', out, '--call-timeout', '1s'], { timeoutMs: BOUND_MS });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`0 written, 0 already present, 2 failed, of 2 executions in ${out}\n`);
    const reported = run.stderr.split('\n').filter((line) => line.startsWith('temporal-preflight: shipOrder'));
    expect(reported).toHaveLength(2);
    expect(reported[0]).toMatch(/^temporal-preflight: shipOrder order-1 \(run run-a\): failed after 4 attempts: 4 DEADLINE_EXCEEDED/);
    expect(reported[1]).toMatch(/^temporal-preflight: shipOrder order-2 \(run run-b\): failed after 4 attempts: 4 DEADLINE_EXCEEDED/);
    expect(frontend.calls.get('GetWorkflowExecutionHistory')).toBe(8);
    // nothing half-written: no history file and no .partial left
    expect(fs.readdirSync(out)).toEqual([]);
    expect(await leftoverProcesses(run.marker)).toEqual([]);
  }, BOUND_MS + 10_000);
});
