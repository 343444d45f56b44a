// worker-shutdown-grace-missing on a Python worker whose process never handles SIGTERM: the Python
// SDK installs no signal handlers, so a deploy ends the process without the worker's shutdown and
// the grace time alone changes nothing. The finding names the missing signal handling with the
// grace time; a worker whose process handles the signal (a handler, a web framework's lifespan, a
// container that stops it with SIGINT) keeps the usual message.

import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const fixture = (name: string) => path.resolve(import.meta.dirname, '..', '..', 'fixtures', name);
const ID = 'worker-shutdown-grace-missing';
const where = (f: Finding) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`;

describe('worker-shutdown-grace-missing when nothing in the worker process handles SIGTERM', () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: fixture('python-worker-sigterm') }));
  });
  const grace = () => findings.filter((f) => f.checkId === ID);

  test('one warning per worker, the one run by asyncio.run(main()) without a handler naming the missing signal handling', () => {
    expect(grace().map(where)).toEqual([
      `${ID} warning app/drained_worker.py:15`,
      `${ID} warning app/worker.py:13`,
      `${ID} warning web/embedded_worker.py:9`,
    ]);
    const bare = grace().find((f) => f.file === 'app/worker.py')!;
    expect(bare.message).toContain(
      "does not set graceful_shutdown_timeout (default 0), and nothing in its process turns SIGTERM into a shutdown of the worker: no signal handler (loop.add_signal_handler or signal.signal), no framework that handles the signal, and no call of worker.shutdown().",
    );
    // The async activity is not said to react to anything: the SDK's CancelledError reaches it at an await.
    expect(bare.message).toContain(
      'with its activities in flight: nothing cancels sync_invoices, which a worker shutdown would (asyncio raises CancelledError at the next await of an async one), so its attempt stops mid-way wherever the process is killed.',
    );
    expect(bare.related?.map((r) => r.message)).toEqual(["a worker shutdown's cancellation would reach sync_invoices here"]);
    expect(bare.message).toContain('Setting graceful_shutdown_timeout alone changes nothing here.');
    expect(bare.fix).toContain('Handle SIGTERM in the worker\'s process and shut the worker down on it');
    expect(bare.fix).toContain('set graceful_shutdown_timeout to a little more than a typical activity run (e.g. timedelta(seconds=30))');
    expect(bare.data).toMatchObject({ sigtermHandled: false });
  });

  test('a worker behind a signal handler or a web framework lifespan keeps the usual message', () => {
    for (const file of ['app/drained_worker.py', 'web/embedded_worker.py']) {
      const finding = grace().find((f) => f.file === file)!;
      expect(finding.message).toContain('on shutdown it cancels its running activities at once, and sync_invoices reacts to cancellation.');
      expect(finding.message).not.toContain('SIGTERM into a shutdown');
      expect(finding.data).not.toHaveProperty('sigtermHandled');
    }
  });
});

describe('worker-shutdown-grace-missing when the container stops the worker with SIGINT', () => {
  test('keeps the usual message: asyncio.run turns SIGINT into a graceful shutdown', async () => {
    const { findings } = await review({ dir: fixture('python-worker-stopsignal') });
    const found = findings.filter((f) => f.checkId === ID);
    expect(found.map(where)).toEqual([`${ID} warning app/worker.py:12`]);
    expect(found[0]!.message).not.toContain('SIGTERM into a shutdown');
  });
});

describe('worker-shutdown-grace-missing when other processes import the worker module for its workflow classes', () => {
  test("a web app or consumer that imports only the workflow class is another process: its framework and signal handler do not count for the worker", async () => {
    const { findings } = await review({ dir: fixture('python-worker-sigterm-shared-module') });
    const found = findings.filter((f) => f.checkId === ID);
    expect(found.map(where)).toEqual([`${ID} warning app/billing.py:27`, `${ID} warning app/reports.py:25`]);
    const billing = found.find((f) => f.file === 'app/billing.py')!;
    expect(billing.message).toContain('and nothing in its process turns SIGTERM into a shutdown of the worker');
    expect(billing.message).not.toContain('on shutdown it cancels its running activities at once');
    expect(billing.data).toMatchObject({ sigtermHandled: false });
  });

  test('a web app that imports a function leading to the worker runs it: the framework counts and the usual message stays', async () => {
    const { findings } = await review({ dir: fixture('python-worker-sigterm-shared-module') });
    const reports = findings.find((f) => f.checkId === ID && f.file === 'app/reports.py')!;
    expect(reports.message).toContain('on shutdown it cancels its running activities at once, and render_report reacts to cancellation.');
    expect(reports.data).not.toHaveProperty('sigtermHandled');
  });
});
