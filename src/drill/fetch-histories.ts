// Exports workflow histories from a live namespace, one proto3 JSON file per run, the same
// format `temporal workflow show -o json` writes (TEMPORAL-FACTS.md section 8). Resumable: a file
// already present is skipped; files are written under a temporary name and renamed, so an
// interrupted run never leaves a half-written history that looks complete. A fetch that fails is
// retried with backoff and, if it still fails, reported: never silently dropped.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { UsageError } from '../engine/errors.js';
import { encodeFileNamePart, pathInside } from '../engine/file-name-part.js';
import { firstLine } from './connect.js';

export interface FetchHistoriesOptions {
  client: Client;
  outDir: string;
  /** A visibility query, e.g. `WorkflowType = 'processOrder' AND ExecutionStatus = 'Completed'`. */
  query?: string;
  /** At most this many executions in all. */
  limit?: number;
  /** At most this many executions per workflow type (a sample of each type). */
  perType?: number;
  /** Histories fetched at once (default 4). */
  concurrency?: number;
  /** Deadline of each call to the server, in ms (default 60 s): a stalled server must not stall the export. */
  callTimeoutMs?: number;
  /** Attempts per history before it is reported as failed (default 4). */
  attempts?: number;
  /** First retry delay in ms, doubled each retry (default 500). */
  retryDelayMs?: number;
  onProgress?(progress: FetchProgress): void;
  /** Removes secrets from error text. */
  scrub?(message: string): string;
}

export interface FetchProgress {
  listed: number;
  written: number;
  skipped: number;
  failed: number;
}

export interface FetchFailure {
  workflowId: string;
  runId: string;
  workflowType: string;
  reason: string;
}

export interface FetchSummary extends FetchProgress {
  /** Set when listing stopped early: only the executions listed before it were exported. */
  listingError?: string;
  /** Paths of the files written or already present, relative to outDir. */
  files: string[];
  failures: FetchFailure[];
}

interface Execution {
  workflowId: string;
  runId: string;
  type: string;
}

export async function fetchHistories(options: FetchHistoriesOptions): Promise<FetchSummary> {
  const scrub = options.scrub ?? ((m: string) => m);
  const { executions, listingError } = await listExecutions(options);
  // made only once something is listed: a failed listing leaves no empty folder behind
  fs.mkdirSync(options.outDir, { recursive: true });
  const summary: FetchSummary = { listed: executions.length, written: 0, skipped: 0, failed: 0, files: [], failures: [], ...(listingError ? { listingError } : {}) };
  const report = () => options.onProgress?.({ listed: summary.listed, written: summary.written, skipped: summary.skipped, failed: summary.failed });
  report();

  let next = 0;
  const worker = async () => {
    while (next < executions.length) {
      const execution = executions[next++]!;
      const relative = fitFileName(historyFileName(execution));
      const target = pathInside(options.outDir, relative);
      if (fs.existsSync(target)) {
        summary.skipped++;
        summary.files.push(relative);
        report();
        continue;
      }
      const outcome = await fetchWithRetry(options, execution);
      const written = typeof outcome === 'string' ? writeHistory(target, outcome) : outcome;
      if (written === true) {
        summary.written++;
        summary.files.push(relative);
      } else {
        summary.failed++;
        summary.failures.push({ ...execution, workflowType: execution.type, reason: scrub(written.reason) });
      }
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  summary.files.sort();
  summary.failures.sort((a, b) => a.workflowId.localeCompare(b.workflowId) || a.runId.localeCompare(b.runId));
  return summary;
}

/** Writes one history (temporary name, then rename); a failure (full disk, say) is this history's alone. */
function writeHistory(target: string, json: string): true | { reason: string } {
  const temporary = `${target}.partial`;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(temporary, json);
    fs.renameSync(temporary, target);
    return true;
  } catch (error) {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // nothing was written there (its folder could not be made)
    }
    return { reason: `cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? firstLine(error)}` };
  }
}

/**
 * Lists the executions page by page, each page under the per-call deadline and retried like a
 * history: a server that stalls while listing gives an error after the deadline, not silence.
 * A page that still fails ends the listing: the executions listed so far are exported and the
 * failure is reported (`listingError`), so a long export is never lost to one bad page.
 */
async function listExecutions(options: FetchHistoriesOptions): Promise<{ executions: Execution[]; listingError?: string }> {
  const perType = new Map<string, number>();
  const result: Execution[] = [];
  const service = options.client.workflowService;
  let nextPageToken: Uint8Array = Buffer.alloc(0);
  for (;;) {
    const page = await withRetries(options, () =>
      options.client.withDeadline(callDeadline(options), () =>
        service.listWorkflowExecutions({ namespace: options.client.options.namespace, query: options.query ?? '', nextPageToken }),
      ),
    );
    if (!page.ok) {
      // nothing listed: the whole export is impossible (exit 2, one line)
      if (result.length === 0) throw new UsageError(`cannot list executions: ${page.reason}`);
      return { executions: result, listingError: `listing executions stopped after ${result.length}: ${page.reason}` };
    }
    for (const raw of page.value.executions ?? []) {
      if (options.limit !== undefined && result.length >= options.limit) return { executions: result };
      const type = raw.type?.name ?? '';
      const seen = perType.get(type) ?? 0;
      if (options.perType !== undefined && seen >= options.perType) continue;
      perType.set(type, seen + 1);
      result.push({ workflowId: raw.execution?.workflowId ?? '', runId: raw.execution?.runId ?? '', type });
    }
    nextPageToken = page.value.nextPageToken ?? Buffer.alloc(0);
    if (nextPageToken.length === 0) return { executions: result };
  }
}

function callDeadline(options: FetchHistoriesOptions): number {
  return Date.now() + (options.callTimeoutMs ?? 60_000);
}

/** Runs one call to the server with the export's attempts and doubling delay. */
async function withRetries<T>(options: FetchHistoriesOptions, call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
  const attempts = Math.max(1, options.attempts ?? 4);
  let delay = options.retryDelayMs ?? 500;
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      lastError = firstLine(error);
      // a bad query, an unknown namespace, a history gone or a denied call stay so: say it at once
      if (isPermanent(error)) return { ok: false, reason: lastError };
      if (attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay *= 2;
      }
    }
  }
  return { ok: false, reason: `failed after ${attempts} attempts: ${lastError}` };
}

/** gRPC codes a retry cannot change: INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, UNIMPLEMENTED, UNAUTHENTICATED. */
const PERMANENT_CODES = new Set([3, 5, 7, 12, 16]);

function isPermanent(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 4; cause = (cause as { cause?: unknown }).cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'number' && PERMANENT_CODES.has(code)) return true;
    if ((cause as Error).name === 'WorkflowNotFoundError' || (cause as Error).name === 'NamespaceNotFoundError') return true;
  }
  return false;
}

async function fetchWithRetry(options: FetchHistoriesOptions, execution: Execution): Promise<string | { reason: string }> {
  const outcome = await withRetries(options, () =>
    options.client.withDeadline(callDeadline(options), () => options.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory()),
  );
  return outcome.ok ? historyToJSON(outcome.value) : { reason: outcome.reason };
}

/** `<type>/<workflowId>__<runId>.json`, each part made safe for a file name and reversible. */
export function historyFileName(execution: Execution): string {
  return path.join(encodeFileNamePart(execution.type), `${encodeFileNamePart(execution.workflowId)}__${encodeFileNamePart(execution.runId)}.json`);
}

/** File systems cap a path component at 255 bytes; leave room for the ".partial" of a write. */
const MAX_COMPONENT_BYTES = 240;

/**
 * The path with every component too long for a file name shortened to its start plus a hash of
 * the whole, so distinct long ids stay distinct (and a rerun finds the same file). Such a file
 * name no longer carries the workflow id; replay reads it from the history itself.
 */
export function fitFileName(relative: string): string {
  return relative
    .split(path.sep)
    .map((part) => {
      if (Buffer.byteLength(part) <= MAX_COMPONENT_BYTES) return part;
      const extension = part.endsWith('.json') ? '.json' : '';
      // encoded parts are ASCII; do not cut through a %XX escape
      const start = part.slice(0, 160).replace(/%[0-9A-Fa-f]?$/, '');
      return `${start}~${createHash('sha256').update(part).digest('hex').slice(0, 16)}${extension}`;
    })
    .join(path.sep);
}
