// Folds the events of one history file into an ExecutionSummary: counts, sizes, the largest
// payloads, activity attempts, failures and schedule-to-start samples. Keeps only aggregates, so
// memory stays flat however long the history is.

import { isActivityEvent } from './event-types.js';
import type { ActivityStats, ExecutionSummary, HistoryEventFacts, NotablePayload, PayloadOrigin } from './types.js';

/** TEMPORAL-FACTS.md section 5: payloads from this size on are worth keeping for the checks. */
export const PAYLOAD_WARN_BYTES = 512 * 1024;
const LARGEST_KEPT = 3;
const OVER_LIMIT_KEPT = 20;

const CLOSE_EVENTS: Record<string, string> = {
  WorkflowExecutionCompleted: 'Completed',
  WorkflowExecutionFailed: 'Failed',
  WorkflowExecutionTimedOut: 'TimedOut',
  WorkflowExecutionCanceled: 'Canceled',
  WorkflowExecutionTerminated: 'Terminated',
  WorkflowExecutionContinuedAsNew: 'ContinuedAsNew',
};

const originKeys = new WeakMap<PayloadOrigin, string>();

/** The origin as one string, e.g. "activity input chargeCard" (remembered per origin object). */
export function originKey(origin: PayloadOrigin): string {
  let key = originKeys.get(origin);
  if (key === undefined) {
    key = origin.name === undefined ? `${origin.site} ${origin.direction}` : `${origin.site} ${origin.direction} ${origin.name}`;
    originKeys.set(origin, key);
  }
  return key;
}

const latencyKeys = new Map<string, Map<string, string>>();

/** `activityType\u0000taskQueue`, the key of schedule-to-start samples (made once per pair). */
function latencyKey(activityType: string, taskQueue: string): string {
  let byQueue = latencyKeys.get(activityType);
  if (!byQueue) latencyKeys.set(activityType, (byQueue = new Map()));
  let key = byQueue.get(taskQueue);
  if (key === undefined) {
    key = `${activityType}\u0000${taskQueue}`;
    // names are interned and bounded; past this many pairs, keys are simply not shared
    if (byQueue.size < 10_000) byQueue.set(taskQueue, key);
  }
  return key;
}

export class ExecutionSummarizer {
  private readonly summary: ExecutionSummary;
  private readonly scheduled = new Map<number, { activityType: string; taskQueue: string; time: number | null }>();
  private sawStart = false;

  constructor(file: string, fileBytes: number) {
    this.summary = {
      file,
      workflowType: '(unknown)',
      taskQueue: null,
      events: 0,
      sizeBytes: 0,
      fileBytes,
      status: 'Running',
      continuedAsNew: false,
      continuedFrom: false,
      payloadBytes: 0,
      largestPayloads: [],
      payloadsByOrigin: new Map(),
      encodings: {},
      activities: new Map(),
      scheduleToStart: new Map(),
      skippedEvents: 0,
      notes: [],
    };
  }

  skip(note: string): void {
    this.summary.events++;
    this.summary.skippedEvents++;
    if (this.summary.notes.length < 20) this.summary.notes.push(note);
  }

  add(event: HistoryEventFacts): void {
    const s = this.summary;
    s.events++;
    s.sizeBytes += event.sizeBytes;
    if (event.type === 'WorkflowExecutionStarted' && !this.sawStart) {
      this.sawStart = true;
      if (event.workflowType !== undefined) s.workflowType = event.workflowType;
      if (event.taskQueue !== undefined) s.taskQueue = event.taskQueue;
      if (event.continuesEarlierRun) s.continuedFrom = true;
    }
    const status = CLOSE_EVENTS[event.type];
    if (status !== undefined) {
      s.status = status;
      if (status === 'ContinuedAsNew') s.continuedAsNew = true;
    }
    if (isActivityEvent(event.type)) this.addActivity(event);
    for (const payload of event.payloads) this.addPayload(event, payload);
  }

  finish(): ExecutionSummary {
    return this.summary;
  }

  private addActivity(event: HistoryEventFacts): void {
    const activityType = event.activityType ?? '(unknown)';
    const stats = this.statsFor(activityType);
    switch (event.type) {
      case 'ActivityTaskScheduled':
        stats.scheduled++;
        this.scheduled.set(event.id, { activityType, taskQueue: event.taskQueue ?? '(unknown)', time: event.time });
        break;
      case 'ActivityTaskStarted': {
        stats.started++;
        const attempt = event.attempt ?? 1;
        if (attempt > stats.maxAttempt) stats.maxAttempt = attempt;
        if (attempt > 1) stats.retried++;
        const scheduled = event.scheduledEventId !== undefined ? this.scheduled.get(event.scheduledEventId) : undefined;
        // Only first attempts: for a retried activity the gap also holds every earlier attempt
        // and its backoff (TEMPORAL-FACTS.md section 8: failed attempts write no events).
        if (scheduled && attempt === 1 && scheduled.time !== null && event.time !== null && event.time >= scheduled.time) {
          const key = latencyKey(scheduled.activityType, scheduled.taskQueue);
          const samples = this.summary.scheduleToStart.get(key);
          if (samples) samples.push(event.time - scheduled.time);
          else this.summary.scheduleToStart.set(key, [event.time - scheduled.time]);
        }
        break;
      }
      case 'ActivityTaskCompleted':
        stats.completed++;
        break;
      case 'ActivityTaskFailed':
        stats.failed++;
        countFailure(stats, event.failureType ?? 'Failure');
        break;
      case 'ActivityTaskTimedOut':
        stats.timedOut++;
        countFailure(stats, event.failureType ?? 'Timeout');
        break;
      case 'ActivityTaskCanceled':
        stats.canceled++;
        break;
      default:
        break;
    }
  }

  private statsFor(activityType: string): ActivityStats {
    let stats = this.summary.activities.get(activityType);
    if (!stats) {
      stats = { activityType, scheduled: 0, started: 0, completed: 0, failed: 0, timedOut: 0, canceled: 0, maxAttempt: 0, retried: 0, failureTypes: {} };
      this.summary.activities.set(activityType, stats);
    }
    return stats;
  }

  private addPayload(event: HistoryEventFacts, payload: HistoryEventFacts['payloads'][number]): void {
    const s = this.summary;
    s.payloadBytes += payload.bytes;
    s.encodings[payload.encoding] = (s.encodings[payload.encoding] ?? 0) + 1;
    const key = originKey(payload.origin);
    let totals = s.payloadsByOrigin.get(key);
    if (!totals) {
      totals = { origin: payload.origin, count: 0, totalBytes: 0, maxBytes: 0, encodings: {} };
      s.payloadsByOrigin.set(key, totals);
    }
    totals.count++;
    totals.totalBytes += payload.bytes;
    if (payload.bytes > totals.maxBytes) totals.maxBytes = payload.bytes;
    totals.encodings[payload.encoding] = (totals.encodings[payload.encoding] ?? 0) + 1;

    const list = s.largestPayloads;
    if (list.length >= LARGEST_KEPT && payload.bytes <= list[list.length - 1]!.bytes && payload.bytes < PAYLOAD_WARN_BYTES) return;
    const notable: NotablePayload = { origin: payload.origin, bytes: payload.bytes, encoding: payload.encoding, file: s.file, eventId: event.id };
    if (payload.preview !== undefined) notable.preview = payload.preview;
    // insertion keeps the list sorted: largest first, earlier event first on ties
    let at = list.length;
    while (at > 0 && list[at - 1]!.bytes < notable.bytes) at--;
    list.splice(at, 0, notable);
    let keep = list.length;
    while (keep > LARGEST_KEPT && (list[keep - 1]!.bytes < PAYLOAD_WARN_BYTES || keep > LARGEST_KEPT + OVER_LIMIT_KEPT)) keep--;
    list.length = keep;
  }
}

function countFailure(stats: ActivityStats, type: string): void {
  stats.failureTypes[type] = (stats.failureTypes[type] ?? 0) + 1;
}
