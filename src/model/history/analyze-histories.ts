// Analyzes a set of history files: one file at a time, folding each into its workflow type's
// accumulator and keeping only a small record per execution, so memory stays flat for a gigabyte
// of histories. Corrupt files are listed with their reason and skipped.

import { parseDuration } from '../../engine/duration.js';
import type { PreflightConfig } from '../../engine/config.js';
import { collectHistoryFiles, historyLabel } from './collect-history-files.js';
import { PAYLOAD_WARN_BYTES } from './execution-summarizer.js';
import { CHUNK_BYTES, readHistoryFile } from './read-history-file.js';
import type { ExecutionRecord, HistoryAnalysis, HistoryFileFailure, StorageProjection, WorkflowTypeReport } from './types.js';
import { latencyStats, WorkflowTypeAccumulator } from './workflow-type-accumulator.js';
import { compareText } from './compare-text.js';

export interface AnalyzeHistoriesOptions {
  /** Files, folders or globs of history JSON. */
  paths: readonly string[];
  /** Where relative paths are resolved (default: the process working directory). */
  cwd?: string;
  /** The reviewed directory: file labels in the report are relative to it. */
  root: string;
  /** For volume and retention (storage projection). */
  config?: PreflightConfig;
  /** Keep a truncated preview of the largest payloads (--show-payloads). */
  showPayloads?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function analyzeHistories(options: AnalyzeHistoriesOptions): HistoryAnalysis {
  const cwd = options.cwd ?? process.cwd();
  const { files, missing, outside } = collectHistoryFiles(options.paths, cwd, options.root);
  const failed: HistoryFileFailure[] = [...missing];
  const accumulators = new Map<string, WorkflowTypeAccumulator>();
  const executions: ExecutionRecord[] = [];
  const notes: HistoryAnalysis['notes'] = [...outside];
  let skippedEvents = 0;
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);

  for (const file of files) {
    const label = historyLabel(options.root, file);
    const result = readHistoryFile(file, label, { buffer, showPayloads: options.showPayloads ?? false });
    if (!result.ok) {
      failed.push({ file: label, reason: result.reason });
      continue;
    }
    const summary = result.summary;
    let accumulator = accumulators.get(summary.workflowType);
    if (!accumulator) {
      accumulator = new WorkflowTypeAccumulator(summary.workflowType);
      accumulators.set(summary.workflowType, accumulator);
    }
    accumulator.add(summary);
    executions.push({
      file: label,
      workflowType: summary.workflowType,
      events: summary.events,
      sizeBytes: summary.sizeBytes,
      largePayloads: summary.largestPayloads.filter((p) => p.bytes >= PAYLOAD_WARN_BYTES),
    });
    skippedEvents += summary.skippedEvents;
    for (const message of summary.notes) notes.push({ file: label, message });
  }

  const ordered = [...accumulators.values()].sort((a, b) => compareText(a.workflowType, b.workflowType));
  const workflowTypes = ordered.map((accumulator) => withStorage(accumulator.report(), options.config));
  const acrossTypes = new Map<string, number[]>();
  for (const accumulator of ordered) {
    for (const [key, samples] of accumulator.scheduleToStart) {
      const all = acrossTypes.get(key);
      if (all) for (const sample of samples) all.push(sample);
      else acrossTypes.set(key, [...samples]);
    }
  }
  failed.sort((a, b) => compareText(a.file, b.file));
  return {
    report: {
      files: files.length + missing.length,
      parsed: executions.length,
      failed,
      skippedEvents,
      workflowTypes,
      scheduleToStart: latencyStats(acrossTypes),
    },
    executions,
    notes,
  };
}

/** With `volume.workflows.<type>.startsPerDay` in config: bytes written per day and held over the retention. */
function withStorage(report: WorkflowTypeReport, config: PreflightConfig | undefined): WorkflowTypeReport {
  const startsPerDay = config?.volume.workflows[report.workflowType]?.startsPerDay;
  const retentionMs = config ? parseDuration(config.volume.retention) : null;
  if (startsPerDay === undefined || retentionMs === null) return report;
  const retentionDays = retentionMs / DAY_MS;
  const bytesPerDay = Math.round(report.historyBytes.mean * startsPerDay);
  const storage: StorageProjection = {
    startsPerDay,
    retentionDays: Math.round(retentionDays * 100) / 100,
    bytesPerDay,
    retainedBytes: Math.round(bytesPerDay * retentionDays),
  };
  return { ...report, storage };
}
