// With TLS (an API key turns it on), a server that accepts TCP and never answers: the one-line
// error after the connect deadline, then the process exits. Before, the pending TLS handshake
// kept it alive forever after printing the error.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftoverProcesses, runCliProcess } from '../helpers/cli-process.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const BOUND_MS = 60_000;

describe('a server that accepts and never answers', () => {
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  let address = '';
  const out = scratchFolderForSuite('stalled');

  beforeAll(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket); // accepted, never answered
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });

  it.each([
    ['fetch --api-key', () => ['fetch', '--address', address, '--api-key', 'not-a-real-key', '--out', path.join(out, 'histories')]],
    ['replay --address with TEMPORAL_API_KEY', () => ['replay', '--workflows', 'test/fixtures/replay-shared/workflows.ts', '--address', address]],
  ])('%s: the one-line error, then exit 2', async (_label, args) => {
    const run = await runCliProcess(args(), { timeoutMs: BOUND_MS, env: { TEMPORAL_API_KEY: 'not-a-real-key' } });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(2);
    // exactly one line: Node's DEP0123 warning about TLS to an IP address is not printed
    expect(run.stderr).toBe(`temporal-preflight: ${address}: cannot connect to Temporal (Failed to connect before the deadline)\n`);
    expect(run.stdout).toBe('');
    expect(await leftoverProcesses(run.marker)).toEqual([]);
  }, BOUND_MS + 10_000);
});
