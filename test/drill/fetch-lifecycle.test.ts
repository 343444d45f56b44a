// fetch as a process: one execution it cannot write (a file where its folder should be) or whose
// id is too long for a file name no longer aborts the export as an "internal error"; the others
// are written and the summary says what failed. --concurrency has a ceiling.

import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftoverProcesses, runCliProcess } from '../helpers/cli-process.js';
import { startDevServer, type DevServer } from '../helpers/dev-server.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const BOUND_MS = 90_000;
const longId = `order-${'x'.repeat(300)}`;

describe('fetch keeps going past one bad execution', () => {
  let server: DevServer;
  let connection: Connection;
  const out = scratchFolderForSuite('fetch-lifecycle');

  beforeAll(async () => {
    server = await startDevServer();
    connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: server.namespace });
    // no worker: the executions stay running, and running executions have histories too
    await client.workflow.start('shipOrder', { taskQueue: 'fetch-lifecycle', workflowId: longId });
    await client.workflow.start('billOrder', { taskQueue: 'fetch-lifecycle', workflowId: 'bill-1' });
    for (let listed = 0; listed < 2; ) {
      listed = 0;
      for await (const _ of client.workflow.list()) listed++;
      if (listed < 2) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 120_000);
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('writes the long id under a shortened name, reports the unwritable one, and exits 1 with the summary', async () => {
    const dir = path.join(out, 'histories');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'billOrder'), 'a file where the billOrder folder should be');
    const run = await runCliProcess(['fetch', '--address', server.address, '--out', dir], { timeoutMs: BOUND_MS });
    expect(run.timedOut).toBe(false);
    expect(run.stdout).toBe(`1 written, 0 already present, 1 failed, of 2 executions in ${dir}\n`);
    expect(run.stderr).toMatch(/^temporal-preflight: billOrder bill-1 \(run [0-9a-f-]+\): cannot write .*billOrder\/bill-1__[0-9a-f-]+\.json: (ENOTDIR|EEXIST)$/m);
    expect(run.code).toBe(1);
    const written = fs.readdirSync(path.join(dir, 'shipOrder'));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^order-x{154}~[0-9a-f]{16}\.json$/);
    expect(await leftoverProcesses(run.marker)).toEqual([]);
  }, BOUND_MS + 10_000);

  it('--concurrency past the ceiling is a usage error', async () => {
    const run = await runCliProcess(['fetch', '--address', server.address, '--out', path.join(out, 'unused'), '--concurrency', '1000000000'], { timeoutMs: BOUND_MS });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('temporal-preflight: --concurrency 1000000000: more than the limit of 64\n');
    expect(fs.existsSync(path.join(out, 'unused'))).toBe(false);
  }, BOUND_MS + 10_000);
});
