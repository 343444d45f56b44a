// Exports workflow histories from a live namespace, one proto3 JSON file per run, the same
// format `temporal workflow show -o json` writes (TEMPORAL-FACTS.md section 8). Resumable: a file
// already present is skipped; files are written under a temporary name and renamed, so an
// interrupted run never leaves a half-written history that looks complete. A fetch that fails is
// retried with backoff and, if it still fails, reported: never silently dropped.

import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
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
  fs.mkdirSync(options.outDir, { recursive: true });
  const executions = await listExecutions(options);
  const summary: FetchSummary = { listed: executions.length, written: 0, skipped: 0, failed: 0, files: [], failures: [] };
  const report = () => options.onProgress?.({ listed: summary.listed, written: summary.written, skipped: summary.skipped, failed: summary.failed });
  report();

  let next = 0;
  const worker = async () => {
    while (next < executions.length) {
      const execution = executions[next++]!;
      const relative = historyFileName(execution);
      const target = pathInside(options.outDir, relative);
      if (fs.existsSync(target)) {
        summary.skipped++;
        summary.files.push(relative);
        report();
        continue;
      }
      const outcome = await fetchWithRetry(options, execution);
      if (typeof outcome === 'string') {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const temporary = `${target}.partial`;
        fs.writeFileSync(temporary, outcome);
        fs.renameSync(temporary, target);
        summary.written++;
        summary.files.push(relative);
      } else {
        summary.failed++;
        summary.failures.push({ ...execution, workflowType: execution.type, reason: scrub(outcome.reason) });
      }
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  summary.files.sort();
  summary.failures.sort((a, b) => a.workflowId.localeCompare(b.workflowId) || a.runId.localeCompare(b.runId));
  return summary;
}

async function listExecutions(options: FetchHistoriesOptions): Promise<Execution[]> {
  const perType = new Map<string, number>();
  const result: Execution[] = [];
  const listing = options.client.workflow.list(options.query ? { query: options.query } : {});
  for await (const info of listing) {
    if (options.limit !== undefined && result.length >= options.limit) break;
    const seen = perType.get(info.type) ?? 0;
    if (options.perType !== undefined && seen >= options.perType) continue;
    perType.set(info.type, seen + 1);
    result.push({ workflowId: info.workflowId, runId: info.runId, type: info.type });
  }
  return result;
}

async function fetchWithRetry(options: FetchHistoriesOptions, execution: Execution): Promise<string | { reason: string }> {
  const attempts = Math.max(1, options.attempts ?? 4);
  let delay = options.retryDelayMs ?? 500;
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const history = await options.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      return historyToJSON(history);
    } catch (error) {
      lastError = firstLine(error);
      if (attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay *= 2;
      }
    }
  }
  return { reason: `failed after ${attempts} attempts: ${lastError}` };
}

/** `<type>/<workflowId>__<runId>.json`, each part made safe for a file name and reversible. */
export function historyFileName(execution: Execution): string {
  return path.join(encodeFileNamePart(execution.type), `${encodeFileNamePart(execution.workflowId)}__${encodeFileNamePart(execution.runId)}.json`);
}
