// --format pretty for `histories`: a table per workflow type (runs, history size, events,
// continue-as-new, where payload bytes come from), then the largest payloads, schedule-to-start,
// retried or failing activities, storage projections, findings and unreadable files.
// Sizes and encodings only; a payload preview appears only when the analysis kept one.

import pc from 'picocolors';
import { formatDuration, formatSize } from '../engine/duration.js';

import type { ReviewResult } from '../engine/types.js';
import { originLabel, type HistoryReport } from '../model/history/index.js';
import { compareText } from '../model/history/compare-text.js';
import { findingSections, hiddenInfoNote, ofSeverity } from './pretty-findings.js';
import { clampWidth, visibleLength } from './text-layout.js';

export interface HistoriesPrettyOptions {
  color: boolean;
  /** Columns the findings wrap to (default 100); the tables are as wide as their cells. */
  width?: number;
  /** Every finding in full, info included (default: errors in full, warnings grouped, info counted). */
  verbose?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

export function renderHistoriesPretty(result: ReviewResult, options: HistoriesPrettyOptions): string {
  const c = pc.createColors(options.color);
  const report = result.histories as HistoryReport | undefined;
  const lines: string[] = [`${c.bold(result.tool.name)} ${result.tool.version}: histories`, ''];
  if (!report) return `${lines.join('\n')}no histories analyzed\n`;
  const skipped = report.skippedEvents ? `, ${report.skippedEvents} event${report.skippedEvents === 1 ? '' : 's'} of unknown type skipped` : '';
  lines.push(`  ${report.files} file${report.files === 1 ? '' : 's'}, ${report.parsed} analyzed, ${report.failed.length} unreadable${skipped}`, '');

  lines.push(
    ...table(
      c,
      ['workflow type', 'runs', 'size p50', 'p95', 'max', 'events p50', 'max', 'continued-as-new', 'most payload bytes from'],
      report.workflowTypes.map((t) => [
        t.workflowType,
        String(t.executions),
        formatSize(t.historyBytes.p50),
        formatSize(t.historyBytes.p95),
        formatSize(t.historyBytes.max),
        String(t.events.p50),
        String(t.events.max),
        `${t.continueAsNew.continuedAsNew}/${t.executions}`,
        t.payloadOrigins[0] ? `${t.payloadOrigins[0].label} (${formatSize(t.payloadOrigins[0].totalBytes)})` : '-',
      ]),
      new Set([1, 2, 3, 4, 5, 6, 7]),
    ),
  );

  const largest = report.workflowTypes.flatMap((t) => t.largestPayloads.map((p) => ({ type: t.workflowType, payload: p })));
  largest.sort((a, b) => b.payload.bytes - a.payload.bytes || compareText(a.payload.file, b.payload.file) || a.payload.eventId - b.payload.eventId);
  if (largest.length) {
    lines.push('', c.bold('largest payloads'));
    lines.push(
      ...table(
        c,
        ['size', 'workflow type', 'from', 'encoding', 'where'],
        largest.slice(0, 10).map(({ type, payload }) => [
          formatSize(payload.bytes),
          type,
          originLabel(payload.origin),
          payload.encoding,
          `${payload.file} event ${payload.eventId}${payload.preview !== undefined ? `  ${c.dim(JSON.stringify(payload.preview))}` : ''}`,
        ]),
        new Set([0]),
      ),
    );
  }

  if (report.scheduleToStart.length) {
    lines.push('', c.bold('schedule-to-start (first attempts)'));
    lines.push(
      ...table(
        c,
        ['activity type', 'task queue', 'samples', 'p50', 'p95', 'p99', 'max'],
        report.scheduleToStart.map((l) => [l.activityType, l.taskQueue, String(l.samples), latency(l.p50), latency(l.p95), latency(l.p99), latency(l.max)]),
        new Set([2, 3, 4, 5, 6]),
      ),
    );
  }

  const troubled = report.workflowTypes.flatMap((t) =>
    t.activities.filter((a) => a.retried || a.failed || a.timedOut).map((a) => ({ type: t.workflowType, activity: a })),
  );
  if (troubled.length) {
    lines.push('', c.bold('activities retried, failed or timed out'));
    lines.push(
      ...table(
        c,
        ['workflow type', 'activity type', 'scheduled', 'retried', 'max attempt', 'failed', 'timed out', 'failure types'],
        troubled.map(({ type, activity: a }) => [
          type,
          a.activityType,
          String(a.scheduled),
          String(a.retried),
          String(a.maxAttempt),
          String(a.failed),
          String(a.timedOut),
          Object.entries(a.failureTypes).map(([k, v]) => `${k} x${v}`).join(', ') || '-',
        ]),
        new Set([2, 3, 4, 5, 6]),
      ),
    );
  }

  const projected = report.workflowTypes.filter((t) => t.storage);
  if (projected.length) {
    lines.push('', c.bold('storage projection'));
    lines.push(
      ...table(
        c,
        ['workflow type', 'starts/day', 'per day', 'retention', 'held'],
        projected.map((t) => [t.workflowType, String(t.storage!.startsPerDay), formatSize(t.storage!.bytesPerDay), `${t.storage!.retentionDays} d`, formatSize(t.storage!.retainedBytes)]),
        new Set([1, 2, 3, 4]),
      ),
    );
  }

  const layout = { width: clampWidth(options.width), verbose: options.verbose ?? false };
  if (result.findings.length) {
    lines.push('', ...findingSections(result.findings, c, layout));
    lines.pop(); // the sections end with a blank line; the next part adds its own
  }
  if (result.diagnostics.length) {
    lines.push('', c.bold('notes'));
    for (const d of result.diagnostics) lines.push(`  ${c.dim(d.file ? `${d.file}  ` : '')}${d.message}`);
  }
  const errors = ofSeverity(result.findings, 'error').length;
  const warnings = ofSeverity(result.findings, 'warning').length;
  const hidden = hiddenInfoNote(result.findings, layout);
  lines.push('', `${result.verdict === 'GO' ? c.green('GO') : c.red('NO-GO')}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${hidden ? ` (${hidden})` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** Sub-second latencies keep a decimal below 10 ms, so fast queues do not all read "0ms". */
function latency(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)}ms` : formatDuration(ms);
}

const MAX_CELL = 48;

/** A plain text table: padded columns, numbers right-aligned, long cells (not the last) shortened. */
function table(c: Colors, headers: string[], fullRows: string[][], rightAligned: Set<number>): string[] {
  const rows = fullRows.map((row) => row.map((cell, i) => (i < row.length - 1 && cell.length > MAX_CELL ? `${cell.slice(0, MAX_CELL - 3)}...` : cell)));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]) =>
    `  ${cells
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i]! - visibleLength(cell)));
        return rightAligned.has(i) ? pad + cell : i === cells.length - 1 ? cell : cell + pad;
      })
      .join('  ')}`;
  return [c.dim(line(headers)), ...rows.map(line)];
}
