import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { fetchHistories } from '../../src/drill/fetch-histories.js';
import { startDevServer, type DevServer } from '../helpers/dev-server.js';
import { fakeIo } from '../helpers/fake-io.js';
import * as activities from '../fixtures/fetch-app/activities.js';
import { scratchFolder } from '../helpers/scratch-folder.js';

const fixture = path.dirname(fileURLToPath(import.meta.url)) + '/../fixtures/fetch-app';

describe('fetch against a real dev server', () => {
  let server: DevServer;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    server = await startDevServer();
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection, namespace: server.namespace });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: server.namespace,
      taskQueue: 'fetch-test',
      workflowsPath: path.join(fixture, 'workflows.ts'),
      activities,
    });
    await worker.runUntil(async () => {
      for (const name of ['ann', 'bob', 'cy']) {
        await client.workflow.execute('greeter', { taskQueue: 'fetch-test', workflowId: `greeter-${name}`, args: [name] });
      }
      await client.workflow.execute('farewell', { taskQueue: 'fetch-test', workflowId: 'farewell/1', args: ['dee'] });
    });
    await nativeConnection.close();
    // visibility is eventually consistent: wait until all four runs are listed
    for (let i = 0; i < 50; i++) {
      let count = 0;
      for await (const _ of client.workflow.list()) count++;
      if (count >= 4) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('writes one proto3 JSON history per run, samples per type, and skips files already present', async () => {
    const out = scratchFolder('fetch');
    const first = await fetchHistories({ client, outDir: out, perType: 2 });
    expect(first).toMatchObject({ listed: 3, written: 3, skipped: 0, failed: 0 });
    expect(first.files.filter((f) => f.startsWith('greeter/'))).toHaveLength(2);
    expect(first.files).toContain(path.join('farewell', `farewell%2F1__${first.files.find((f) => f.startsWith('farewell'))!.split('__')[1]}`));
    const text = fs.readFileSync(path.join(out, first.files[0]!), 'utf8');
    expect(JSON.parse(text).events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    expect(historyFromJSON(JSON.parse(text)).events?.length).toBeGreaterThan(3);

    const second = await fetchHistories({ client, outDir: out, perType: 2 });
    expect(second).toMatchObject({ listed: 3, written: 0, skipped: 3, failed: 0 });
  });

  it('filters by a visibility query and honours --limit through the CLI', async () => {
    const out = scratchFolder('fetch-cli');
    const io = fakeIo();
    await runCli(['fetch', '--address', server.address, '--namespace', server.namespace, '--query', "WorkflowType = 'greeter'", '--limit', '2', '--out', out], io);
    expect(io.exitCode).toBe(0);
    expect(io.out).toBe(`2 written, 0 already present, 0 failed, of 2 executions in ${out}\n`);
    expect(fs.readdirSync(path.join(out, 'greeter'))).toHaveLength(2);
    expect(fs.existsSync(path.join(out, 'farewell'))).toBe(false);
  });

  it('an unknown namespace or a bad query is one line with the reason the server gives, said at once (no retries), and makes no folder', async () => {
    const out = path.join(scratchFolder('fetch-bad'), 'histories');
    const unknown = fakeIo();
    await runCli(['fetch', '--address', server.address, '--namespace', 'no-such-namespace', '--out', out], unknown);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.err).toBe(`temporal-preflight: ${server.address}: cannot list executions: 5 NOT_FOUND: Namespace no-such-namespace is not found.\n`);
    const badQuery = fakeIo();
    await runCli(['fetch', '--address', server.address, '--namespace', server.namespace, '--query', 'WorkflowType = ', '--out', out], badQuery);
    expect(badQuery.exitCode).toBe(2);
    expect(badQuery.err).toMatch(new RegExp(`^temporal-preflight: ${server.address.replace(/\./g, '\\.')}: cannot list executions: 3 INVALID_ARGUMENT: invalid query: [^\\n]+\\n$`));
    expect(fs.existsSync(out)).toBe(false);
  });

  it('--out naming an existing file is a usage error before anything is listed', async () => {
    const file = path.join(scratchFolder('fetch-file'), 'histories');
    fs.writeFileSync(file, 'not a folder');
    const io = fakeIo();
    await runCli(['fetch', '--address', server.address, '--namespace', server.namespace, '--out', file], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toBe(`temporal-preflight: --out ${file}: exists and is not a folder\n`);
  });

  it('exits 2 with one line when the server cannot be reached, without echoing the API key', async () => {
    const io = fakeIo();
    await runCli(['fetch', '--address', '127.0.0.1:1', '--api-key', 'sekret-key-123', '--out', scratchFolder('fetch-unreachable')], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toMatch(/^temporal-preflight: 127\.0\.0\.1:1: cannot connect to Temporal/);
    expect(io.err).not.toContain('sekret-key-123');
    expect(io.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('fetch retries', () => {
  it('retries a failing history with backoff and reports it after the last attempt', async () => {
    let calls = 0;
    const client = {
      // each fetch runs under a per-call deadline
      withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
      options: { namespace: 'default' },
      workflowService: {
        listWorkflowExecutions: async () => ({ executions: [{ execution: { workflowId: 'wf-1', runId: 'run-1' }, type: { name: 'flaky' } }] }),
      },
      workflow: {
        getHandle: () => ({
          fetchHistory: async () => {
            calls++;
            throw new Error('14 UNAVAILABLE: connection reset\nsecond line');
          },
        }),
      },
    } as unknown as Client;
    const out = scratchFolder('fetch-fail');
    const summary = await fetchHistories({ client, outDir: out, attempts: 3, retryDelayMs: 1 });
    expect(calls).toBe(3);
    expect(summary.failures).toEqual([
      { workflowId: 'wf-1', runId: 'run-1', type: 'flaky', workflowType: 'flaky', reason: 'failed after 3 attempts: 14 UNAVAILABLE: connection reset' },
    ]);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
