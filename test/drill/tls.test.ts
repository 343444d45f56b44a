// Drills against a server that wants mutual TLS. The dev server speaks plain gRPC, so the test puts
// a TLS-terminating proxy in front of it (certificates from openssl, a CA of its own, client
// certificates required) and runs the restart drill through it: both the drill's client and the
// worker process must present the client certificate, or nothing connects.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { RestartDrillReport } from '../../src/drill/restart/restart-report.js';
import { startDevServer, type DevServer } from '../helpers/dev-server.js';
import { fakeIo } from '../helpers/fake-io.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const leak = path.join(repo, 'test/fixtures/drill-restart-leak');

/** A CA, a server certificate for 127.0.0.1 and a client certificate, written to `dir`. */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=preflight test CA');
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  fs.writeFileSync(path.join(dir, 'client.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  for (const name of ['server', 'client']) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=preflight ${name}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  }
}

/** Terminates mutual TLS on a loopback port and passes the HTTP/2 bytes on to `upstream`. */
async function startTlsProxy(dir: string, upstream: string): Promise<{ address: string; close(): Promise<void> }> {
  const [host, port] = upstream.split(':') as [string, string];
  const read = (name: string) => fs.readFileSync(path.join(dir, name));
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: read('server.key'), cert: read('server.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] }, (socket) => {
    const backend = net.connect(Number(port), host);
    sockets.add(socket).add(backend);
    socket.pipe(backend).pipe(socket);
    const end = () => {
      socket.destroy();
      backend.destroy();
    };
    socket.on('error', end).on('close', end);
    backend.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: listening } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${listening}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('drills against a server that requires mutual TLS', () => {
  let server: DevServer;
  let proxy: Awaited<ReturnType<typeof startTlsProxy>>;
  const dir = scratchFolderForSuite('mtls');

  beforeAll(async () => {
    makeCertificates(dir);
    server = await startDevServer();
    proxy = await startTlsProxy(dir, server.address);
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it('runs the restart drill with --tls-cert, --tls-key and --tls-ca: the drill and its worker both connect', async () => {
    const saved = process.env['QUOTES_PRELOAD_CACHE'];
    process.env['QUOTES_PRELOAD_CACHE'] = 'false';
    try {
      const io = fakeIo();
      const tlsFlags = ['--tls-cert', path.join(dir, 'client.pem'), '--tls-key', path.join(dir, 'client.key'), '--tls-ca', path.join(dir, 'ca.pem')];
      await runCli(['drill', 'restart', '--address', proxy.address, ...tlsFlags, '--worker', path.join(leak, 'src/worker.ts'), '--scenario', path.join(leak, 'scenario.json'), '--restarts', '1', '--format', 'json'], io);
      expect(io.exitCode, io.err).toBe(0);
      const report = JSON.parse(io.out) as RestartDrillReport;
      expect(report.problems).toEqual([]);
      expect(report.summary).toEqual({ workflows: 6, completed: 6, failed: 0, open: 0, nondeterminism: 0, resultsDiffer: 0 });
      expect(report.restarts).toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env['QUOTES_PRELOAD_CACHE'];
      else process.env['QUOTES_PRELOAD_CACHE'] = saved;
    }
  }, 150_000);

  it('says it cannot connect, in one line, when the client certificate is missing', async () => {
    const io = fakeIo();
    await runCli(['drill', 'restart', '--address', proxy.address, '--tls-ca', path.join(dir, 'ca.pem'), '--worker', path.join(leak, 'src/worker.ts'), '--scenario', path.join(leak, 'scenario.json')], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toMatch(new RegExp(`^temporal-preflight: ${proxy.address.replace(/\./g, '\\.')}: cannot connect to Temporal \\(.+\\)\\n$`));
  }, 60_000);
});

describe('drill credentials without a server', () => {
  it('refuses TLS and API key flags without --address (the throwaway dev server takes plain connections)', async () => {
    const io = fakeIo();
    await runCli(['drill', 'restart', '--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--worker', path.join(leak, 'src/worker.ts'), '--scenario', path.join(leak, 'scenario.json')], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toBe('temporal-preflight: --tls-cert, --tls-key need --address: the throwaway dev server takes plain connections\n');
  });

  it('never prints the API key when the connection fails', async () => {
    const io = fakeIo();
    const key = 'preflight-test-secret-key-4242';
    await runCli(['drill', 'load', '--address', '127.0.0.1:9', '--api-key', key, '--rate', '1', '--worker', path.join(leak, 'src/worker.ts'), '--scenario', path.join(leak, 'scenario.json')], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toMatch(/cannot connect to Temporal/);
    expect(io.out + io.err).not.toContain(key);
  }, 60_000);
});
