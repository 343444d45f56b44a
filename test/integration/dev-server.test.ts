import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { findTemporalCli, startDevServer, TemporalCliMissingError, type DevServer } from '../helpers/dev-server.js';
import { scratchFolder } from '../helpers/scratch-folder.js';

function portAcceptsConnections(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}


describe('startDevServer', () => {
  it('serves a namespace with the requested search attributes on loopback and cleans up on stop', async () => {
    // A private TMPDIR, so the server's temporary folder is the only entry in it.
    const tmpRoot = scratchFolder('dev-server-test');
    const savedTmpDir = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmpRoot;
    let server: DevServer;
    try {
      server = await startDevServer({ namespace: 'preflight-test', searchAttributes: { OrderId: 'Keyword' } });
    } finally {
      if (savedTmpDir === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = savedTmpDir;
    }
    const created = fs.readdirSync(tmpRoot);
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(server.namespace).toBe('preflight-test');
    expect(server.uiPort).toBeUndefined();
    expect(created).toHaveLength(1);
    expect(created[0]).toMatch(/^temporal-dev-server-/);
    expect(fs.existsSync(path.join(tmpRoot, created[0]!, 'db.sqlite'))).toBe(true);

    const connection = await Connection.connect({ address: server.address });
    try {
      const described = await connection.workflowService.describeNamespace({ namespace: 'preflight-test' });
      expect(described.namespaceInfo?.name).toBe('preflight-test');
      const attributes = await connection.operatorService.listSearchAttributes({ namespace: 'preflight-test' });
      expect(attributes.customAttributes?.['OrderId']).toBe(2); // INDEXED_VALUE_TYPE_KEYWORD
    } finally {
      await connection.close();
    }

    await server.stop();
    expect(await portAcceptsConnections(server.address)).toBe(false);
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
    await server.stop(); // a second stop is harmless
    fs.rmdirSync(tmpRoot);
  });

  it('fails with the install hint when TEMPORAL_CLI points nowhere', () => {
    expect(() => findTemporalCli({ TEMPORAL_CLI: '/nonexistent/temporal', PATH: '' })).toThrow(TemporalCliMissingError);
    expect(() => findTemporalCli({ PATH: '/nonexistent' })).toThrow(
      /Temporal CLI not found: no `temporal` executable on PATH; install the pinned Temporal CLI with `scripts\/install-temporal-cli.sh`.*brew install temporal/,
    );
  });

  it('rejects start-up when the binary cannot serve, with its output in the message', async () => {
    await expect(startDevServer({ cliPath: '/bin/false', startupTimeoutMs: 5_000 })).rejects.toThrow(
      /temporal server start-dev exited \(1\) before serving/,
    );
  });

  it('finds the pinned Temporal CLI 1.9.1 that CI installs', () => {
    const version = execFileSync(findTemporalCli(), ['--version'], { encoding: 'utf8' });
    expect(version).toMatch(/^temporal version 1\.9\.1 /);
  });
});
