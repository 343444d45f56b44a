// Merges execution summaries of one workflow type into its report: size and event-count
// statistics, statuses, continue-as-new use, the largest payloads and where payload bytes come
// from, activity attempts and failures, and schedule-to-start percentiles.

import { originLabel } from './origin-label.js';
import { percentile, sizeStats, sortedCopy } from './stats.js';
import type { ActivityStats, ExecutionSummary, LatencyStats, NotablePayload, OriginTotals, WorkflowTypeReport } from './types.js';
import { compareText } from './compare-text.js';

const LARGEST_REPORTED = 5;
const ORIGINS_REPORTED = 10;

export class WorkflowTypeAccumulator {
  private readonly sizes: number[] = [];
  private readonly eventCounts: number[] = [];
  private readonly statuses: Record<string, number> = {};
  private continuedAsNew = 0;
  private continuedFrom = 0;
  private readonly largest: NotablePayload[] = [];
  private readonly origins = new Map<string, OriginTotals>();
  private readonly encodings: Record<string, number> = {};
  private readonly activities = new Map<string, ActivityStats>();
  readonly scheduleToStart = new Map<string, number[]>();

  constructor(readonly workflowType: string) {}

  add(summary: ExecutionSummary): void {
    this.sizes.push(summary.sizeBytes);
    this.eventCounts.push(summary.events);
    this.statuses[summary.status] = (this.statuses[summary.status] ?? 0) + 1;
    if (summary.continuedAsNew) this.continuedAsNew++;
    if (summary.continuedFrom) this.continuedFrom++;
    for (const payload of summary.largestPayloads) if (!insertNotable(this.largest, payload)) break;
    for (const [key, totals] of summary.payloadsByOrigin) {
      const mine = this.origins.get(key);
      if (!mine) {
        this.origins.set(key, { ...totals, encodings: { ...totals.encodings } });
        continue;
      }
      mine.count += totals.count;
      mine.totalBytes += totals.totalBytes;
      mine.maxBytes = Math.max(mine.maxBytes, totals.maxBytes);
      addCounts(mine.encodings, totals.encodings);
    }
    addCounts(this.encodings, summary.encodings);
    for (const [name, stats] of summary.activities) {
      const mine = this.activities.get(name);
      if (!mine) {
        this.activities.set(name, { ...stats, failureTypes: { ...stats.failureTypes } });
        continue;
      }
      mine.scheduled += stats.scheduled;
      mine.started += stats.started;
      mine.completed += stats.completed;
      mine.failed += stats.failed;
      mine.timedOut += stats.timedOut;
      mine.canceled += stats.canceled;
      mine.retried += stats.retried;
      mine.maxAttempt = Math.max(mine.maxAttempt, stats.maxAttempt);
      addCounts(mine.failureTypes, stats.failureTypes);
    }
    for (const [key, samples] of summary.scheduleToStart) {
      const mine = this.scheduleToStart.get(key);
      if (mine) for (const sample of samples) mine.push(sample);
      else this.scheduleToStart.set(key, [...samples]);
    }
  }

  report(): WorkflowTypeReport {
    return {
      workflowType: this.workflowType,
      executions: this.sizes.length,
      historyBytes: sizeStats(this.sizes),
      events: sizeStats(this.eventCounts),
      statuses: sortedRecord(this.statuses),
      continueAsNew: { continuedAsNew: this.continuedAsNew, continuedFrom: this.continuedFrom },
      largestPayloads: this.largest,
      payloadOrigins: [...this.origins.values()]
        .map((t) => ({
          origin: t.origin,
          label: originLabel(t.origin),
          count: t.count,
          totalBytes: t.totalBytes,
          meanBytes: Math.round(t.totalBytes / t.count),
          maxBytes: t.maxBytes,
          encodings: sortedRecord(t.encodings),
        }))
        .sort((a, b) => b.totalBytes - a.totalBytes || compareText(a.label, b.label))
        .slice(0, ORIGINS_REPORTED),
      encodings: sortedRecord(this.encodings),
      activities: [...this.activities.values()]
        .map((a) => ({ ...a, failureTypes: sortedRecord(a.failureTypes) }))
        .sort((a, b) => compareText(a.activityType, b.activityType)),
      scheduleToStart: latencyStats(this.scheduleToStart),
    };
  }
}

/** Percentiles per `activityType\u0000taskQueue` key, sorted by activity type then task queue. */
export function latencyStats(samplesByKey: Map<string, number[]>): LatencyStats[] {
  return [...samplesByKey]
    .map(([key, samples]): LatencyStats => {
      const [activityType, taskQueue] = key.split('\u0000') as [string, string];
      const sorted = sortedCopy(samples);
      return {
        activityType,
        taskQueue,
        samples: sorted.length,
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1] ?? 0),
      };
    })
    .sort((a, b) => compareText(a.activityType, b.activityType) || compareText(a.taskQueue, b.taskQueue));
}

/**
 * Puts the payload in its place in `list` (sorted by compareNotable, at most LARGEST_REPORTED);
 * false when it does not make the list, nor would any smaller one.
 */
function insertNotable(list: NotablePayload[], payload: NotablePayload): boolean {
  if (list.length >= LARGEST_REPORTED && compareNotable(payload, list[list.length - 1]!) >= 0) return false;
  let at = list.length;
  while (at > 0 && compareNotable(payload, list[at - 1]!) < 0) at--;
  list.splice(at, 0, payload);
  if (list.length > LARGEST_REPORTED) list.length = LARGEST_REPORTED;
  return true;
}

function compareNotable(a: NotablePayload, b: NotablePayload): number {
  return b.bytes - a.bytes || compareText(a.file, b.file) || a.eventId - b.eventId;
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count;
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}

/** Milliseconds with at most three decimals, so reports stay readable and stable. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
