// Records a history on the real dev server, then proves that a workflow branching on the local
// hour passes a plain replay but fails under a worker twelve hours away, while the same rule
// written against UTC survives.
process.env.TZ = 'UTC';

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { fetchHistories } from '../../src/drill/fetch-histories.js';
import { startDevServer, type DevServer } from '../helpers/dev-server.js';
import { fakeIo } from '../helpers/fake-io.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const workflows = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/replay-tz/workflows.ts');

describe('perturbed replay against histories recorded on a real server', () => {
  let server: DevServer;
  const out = scratchFolderForSuite('tz');

  beforeAll(async () => {
    server = await startDevServer();
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: server.namespace });
    const native = await NativeConnection.connect({ address: server.address });
    const worker = await Worker.create({ connection: native, namespace: server.namespace, taskQueue: 'tz', workflowsPath: workflows });
    await worker.runUntil(async () => {
      await client.workflow.execute('cutoffWorkflow', { taskQueue: 'tz', workflowId: 'cutoff-local' });
      await client.workflow.execute('cutoffWorkflowUtc', { taskQueue: 'tz', workflowId: 'cutoff-utc' });
    });
    await native.close();
    for (let i = 0; i < 50; i++) {
      const summary = await fetchHistories({ client, outDir: out });
      if (summary.listed >= 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await connection.close();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('passes a plain replay and reports the local-hour workflow under another time zone', async () => {
    const plain = fakeIo();
    await runCli(['replay', '--workflows', workflows, '--format', 'json', out], plain);
    expect(JSON.parse(plain.out).summary).toEqual({ ok: 2, running: 0, nondeterminism: 0, error: 0 });
    expect(plain.exitCode).toBe(0);

    const perturbed = fakeIo();
    await runCli(['replay', '--workflows', workflows, '--perturb', '--format', 'json', out], perturbed);
    const report = JSON.parse(perturbed.out);
    expect(report.summary).toEqual({ ok: 2, running: 0, nondeterminism: 0, error: 0 });
    const changed = report.perturbed.changed.map((c: { workflowId: string; before: string; after: string; perturbation: string }) => [c.workflowId, c.before, c.after, c.perturbation]);
    expect(changed).toContainEqual(['cutoff-local', 'ok', 'nondeterminism', 'TZ=Etc/GMT-12 (UTC+12), locale ja-JP, clock +12h']);
    expect(changed.filter((c: string[]) => c[0] === 'cutoff-utc')).toEqual([]);
    expect(perturbed.exitCode).toBe(1);
  }, 180_000);
});
