// `temporal-preflight fetch`: export histories from a live namespace for analysis and replay.
import fs from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../engine/errors.js';
import { escapeControlCharacters } from '../../report/control-characters.js';
import { durationFlag } from './drill.js';
import type { CliIo } from '../io.js';

const MAX_CONCURRENCY = 64;

interface FetchFlags {
  callTimeout?: string;
  address: string;
  namespace: string;
  query?: string;
  limit?: string;
  perType?: string;
  concurrency: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  apiKey?: string;
  out?: string;
}

export function registerFetch(program: Command, io: CliIo): void {
  program
    .command('fetch')
    .description('export workflow histories from a live namespace, one proto3 JSON file per run (resumable)')
    .requiredOption('--address <host:port>', 'Temporal frontend address')
    .option('--namespace <ns>', 'namespace', 'default')
    .option('--query <visibility query>', "e.g. \"WorkflowType = 'processOrder'\"")
    .option('--limit <n>', 'at most this many executions')
    .option('--per-type <n>', 'at most this many executions per workflow type')
    .option('--concurrency <n>', `histories fetched at once (at most ${MAX_CONCURRENCY})`, '4')
    .option('--call-timeout <duration>', 'deadline of each call to the server, listing pages included (a call that misses it is retried, then reported)', '60s')
    .option('--tls-cert <file>', 'client certificate for mTLS')
    .option('--tls-key <file>', 'client private key for mTLS')
    .option('--tls-ca <file>', 'server root CA certificate')
    .option('--api-key <key>', 'API key (Temporal Cloud); prefer the TEMPORAL_API_KEY environment variable')
    .option('--out <dir>', 'directory to write the histories to')
    .action(async (flags: FetchFlags) => {
      if (!flags.out) throw new UsageError('fetch needs --out <dir>');
      if (fs.existsSync(flags.out) && !fs.statSync(flags.out).isDirectory()) throw new UsageError(`--out ${flags.out}: exists and is not a folder`);
      const limit = positiveInt(flags.limit, '--limit');
      const perType = positiveInt(flags.perType, '--per-type');
      const concurrency = positiveInt(flags.concurrency, '--concurrency') ?? 4;
      // each concurrent fetch holds a history in memory; past a few dozen the server throttles anyway
      if (concurrency > MAX_CONCURRENCY) throw new UsageError(`--concurrency ${flags.concurrency}: more than the limit of ${MAX_CONCURRENCY}`);
      const callTimeoutMs = durationFlag(flags.callTimeout, '--call-timeout', 60_000);
      if (callTimeoutMs < 1000) throw new UsageError(`--call-timeout ${flags.callTimeout}: at least 1s`);
      const { connectClient } = await import('../../drill/connect.js');
      const { fetchHistories } = await import('../../drill/fetch-histories.js');
      const connected = await connectClient({
        address: flags.address,
        namespace: flags.namespace,
        ...(flags.tlsCert ? { tlsCert: flags.tlsCert } : {}),
        ...(flags.tlsKey ? { tlsKey: flags.tlsKey } : {}),
        ...(flags.tlsCa ? { tlsCa: flags.tlsCa } : {}),
        ...(flags.apiKey ? { apiKey: flags.apiKey } : {}),
      });
      try {
        let lastShown = -1;
        const summary = await fetchHistories({
          client: connected.client,
          outDir: flags.out,
          concurrency,
          callTimeoutMs,
          scrub: connected.scrub,
          ...(flags.query ? { query: flags.query } : {}),
          ...(limit !== undefined ? { limit } : {}),
          ...(perType !== undefined ? { perType } : {}),
          onProgress(p) {
            const done = p.written + p.skipped + p.failed;
            // a line per 10% keeps logs short; a terminal gets a live counter
            const step = Math.max(1, Math.ceil(p.listed / 10));
            if (io.isTTY) io.stderr(`\rfetched ${done}/${p.listed} (${p.skipped} already present, ${p.failed} failed)`);
            else if (done === p.listed || Math.floor(done / step) !== Math.floor(lastShown / step)) {
              io.stderr(`fetched ${done}/${p.listed} (${p.skipped} already present, ${p.failed} failed)\n`);
            }
            lastShown = done;
          },
        }).catch((error: unknown) => {
          // a listing that failed outright: say which server
          if (error instanceof UsageError) throw new UsageError(`${flags.address}: ${connected.scrub(error.message)}`);
          throw error;
        });
        if (io.isTTY) io.stderr('\n');
        if (summary.listingError) io.stderr(`temporal-preflight: ${escapeControlCharacters(summary.listingError)}\n`);
        for (const failure of summary.failures) {
          io.stderr(`temporal-preflight: ${escapeControlCharacters(`${failure.workflowType} ${failure.workflowId} (run ${failure.runId}): ${failure.reason}`)}\n`);
        }
        io.stdout(`${summary.written} written, ${summary.skipped} already present, ${summary.failed} failed, of ${summary.listed} executions in ${flags.out}\n`);
        io.setExitCode(summary.failed > 0 || summary.listingError ? 1 : 0);
      } finally {
        await connected.close();
      }
    });
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${value}: expected a positive whole number`);
  return n;
}
