// Connects a client to a Temporal namespace from command-line options. Credentials (API key,
// TLS key) are read here and never echoed: error messages are scrubbed before they leave.

import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { UsageError } from '../engine/errors.js';
import { tlsOption } from './tls-options.js';

export interface ConnectOptions {
  address: string;
  namespace: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  /** An API key (Temporal Cloud); also read from TEMPORAL_API_KEY when absent. */
  apiKey?: string;
}

/** How to authenticate to a Temporal frontend: an mTLS client certificate (files) and/or an API key. */
export type Credentials = Pick<ConnectOptions, 'tlsCert' | 'tlsKey' | 'tlsCa' | 'apiKey'>;

export interface Connected {
  client: Client;
  connection: Connection;
  /** Removes secrets from a message before it is printed. */
  scrub(message: string): string;
  close(): Promise<void>;
}

export async function connectClient(options: ConnectOptions, env: NodeJS.ProcessEnv = process.env): Promise<Connected> {
  const apiKey = options.apiKey ?? env['TEMPORAL_API_KEY'];
  if (Boolean(options.tlsCert) !== Boolean(options.tlsKey)) {
    throw new UsageError('--tls-cert and --tls-key go together: give both or neither');
  }
  const tls = tlsOption(options, Boolean(apiKey), readCredential);
  const secrets = [apiKey].filter((s): s is string => Boolean(s));
  const scrub = (message: string) => secrets.reduce((text, secret) => text.split(secret).join('***'), message);
  // lazy, then connected, so a failed connection can be closed: with TLS, a server that accepts
  // TCP and never answers leaves a handshake pending that kept the process alive after the error
  const connection = Connection.lazy({
    address: options.address,
    ...(tls ? { tls } : {}),
    ...(apiKey ? { apiKey } : {}),
    connectTimeout: '10s',
  });
  try {
    await connection.ensureConnected();
  } catch (error) {
    await connection.close().catch(() => {});
    throw new UsageError(`${options.address}: cannot connect to Temporal (${scrub(firstLine(error))})`);
  }
  const client = new Client({ connection, namespace: options.namespace });
  return { client, connection, scrub, close: () => connection.close() };
}

function readCredential(file: string, flag: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new UsageError(`${flag} ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}
