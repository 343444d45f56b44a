// The history model: normalized facts per event, a summary per execution (one history file) and
// the analysis per workflow type that checks and reports use. Sizes and encodings only: payload
// contents never appear here except as an explicit, truncated preview (--show-payloads).

/** Where a payload sits in a history (TEMPORAL-FACTS.md section 8). */
export type PayloadSite =
  | 'workflow'
  | 'activity'
  | 'signal'
  | 'external-signal'
  | 'child-workflow'
  | 'marker'
  | 'update'
  | 'nexus'
  | 'memo'
  | 'search-attribute'
  | 'header'
  | 'workflow-task'
  | 'other';

/** input: arguments; result: return value; failure: failure details; details: marker/cancel details. */
export type PayloadDirection = 'input' | 'result' | 'failure' | 'details' | 'heartbeat' | 'value';

export interface PayloadOrigin {
  site: PayloadSite;
  direction: PayloadDirection;
  /** Activity type, signal name, child workflow type, marker name, update name, memo or attribute key. */
  name?: string;
}

export interface PayloadFact {
  origin: PayloadOrigin;
  /** Decoded data bytes plus metadata bytes (keys and decoded values). */
  bytes: number;
  /** The decoded `encoding` metadata, e.g. json/plain, binary/encrypted; 'unknown' when absent. */
  encoding: string;
  /** Only with showPayloads: the first characters of the decoded data. */
  preview?: string;
}

/** Normalized facts of one event, whatever the dialect it was written in. */
export interface HistoryEventFacts {
  id: number;
  /** PascalCase event type, e.g. ActivityTaskScheduled. */
  type: string;
  /** Milliseconds since the epoch, or null when the event has no readable time. */
  time: number | null;
  attempt?: number;
  /** For activity events, resolved through scheduledEventId for started/completed/failed events. */
  activityType?: string;
  taskQueue?: string;
  /** The workflow type for started / continued-as-new / child workflow events. */
  workflowType?: string;
  scheduledEventId?: number;
  /** Marker, signal, update or Nexus operation name. */
  name?: string;
  /** For failed / timed-out events: ApplicationFailure type, timeout type or failure kind. */
  failureType?: string;
  /** WorkflowExecutionStarted of a run that continues an earlier one (continue-as-new, retry, cron). */
  continuesEarlierRun?: boolean;
  payloads: PayloadFact[];
  /** Estimated bytes of the event as the server stores it (protobuf encoding). */
  sizeBytes: number;
}

export interface HistoryFileFailure {
  /** Relative to the reviewed directory, forward slashes. */
  file: string;
  /** One line naming the problem, e.g. "truncated JSON at byte 1234". */
  reason: string;
}

/** A payload worth reporting: one of the largest of an execution or type. */
export interface NotablePayload extends PayloadFact {
  file: string;
  eventId: number;
}

export interface ActivityStats {
  activityType: string;
  scheduled: number;
  /** ActivityTaskStarted events seen (one per activity that ran; attempt tells how many tries). */
  started: number;
  completed: number;
  failed: number;
  timedOut: number;
  canceled: number;
  /** Highest ActivityTaskStarted.attempt seen. */
  maxAttempt: number;
  /** Activities whose recorded attempt was above 1 (they were retried). */
  retried: number;
  /** Failure and timeout types with counts, e.g. { "StartToClose": 2, "PaymentDeclined": 1 }. */
  failureTypes: Record<string, number>;
}

/** One history file: one workflow execution (run). */
export interface ExecutionSummary {
  file: string;
  workflowType: string;
  taskQueue: string | null;
  events: number;
  /** Estimated history size as the server counts it (protobuf bytes). */
  sizeBytes: number;
  /** Bytes of the JSON file. */
  fileBytes: number;
  /** Last close event (Completed, Failed, ContinuedAsNew, ...) or 'Running'. */
  status: string;
  continuedAsNew: boolean;
  /** Started as the continuation of an earlier run. */
  continuedFrom: boolean;
  payloadBytes: number;
  /** The largest payloads of this execution (at most 3), plus any over the warning limit. */
  largestPayloads: NotablePayload[];
  /** Payload totals per origin key (see originKey). */
  payloadsByOrigin: Map<string, OriginTotals>;
  encodings: Record<string, number>;
  activities: Map<string, ActivityStats>;
  /** Schedule-to-start samples in ms, keyed by `activityType\u0000taskQueue`. */
  scheduleToStart: Map<string, number[]>;
  /** Events skipped because their type is unknown. */
  skippedEvents: number;
  /** Unknown event types, and other things worth a note. */
  notes: string[];
}

export interface OriginTotals {
  origin: PayloadOrigin;
  count: number;
  totalBytes: number;
  maxBytes: number;
  encodings: Record<string, number>;
}

export interface SizeStats {
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

export interface LatencyStats {
  activityType: string;
  taskQueue: string;
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface PayloadOriginReport {
  origin: PayloadOrigin;
  /** Readable origin, e.g. "activity fetchOrders result". */
  label: string;
  count: number;
  totalBytes: number;
  meanBytes: number;
  maxBytes: number;
  encodings: Record<string, number>;
}

export interface StorageProjection {
  startsPerDay: number;
  retentionDays: number;
  /** History bytes written per day (mean size x starts). */
  bytesPerDay: number;
  /** Bytes held at steady state over the retention period. */
  retainedBytes: number;
}

export interface WorkflowTypeReport {
  workflowType: string;
  executions: number;
  /** Estimated stored history size per execution (protobuf bytes, as the server counts it). */
  historyBytes: SizeStats;
  events: SizeStats;
  statuses: Record<string, number>;
  continueAsNew: { continuedAsNew: number; continuedFrom: number };
  /** The largest payloads across executions (at most 5). */
  largestPayloads: NotablePayload[];
  /** Payload totals per origin, largest total first (at most 10). */
  payloadOrigins: PayloadOriginReport[];
  encodings: Record<string, number>;
  activities: ActivityStats[];
  scheduleToStart: LatencyStats[];
  storage?: StorageProjection;
}

/** The `histories` section of the JSON report (DESIGN.md). */
export interface HistoryReport {
  files: number;
  parsed: number;
  failed: HistoryFileFailure[];
  /** Events skipped because their type is unknown (each one is also a note). */
  skippedEvents: number;
  workflowTypes: WorkflowTypeReport[];
  /** Schedule-to-start across workflow types, per activity type and task queue. */
  scheduleToStart: LatencyStats[];
}

/** What the checks need of one execution, kept for every file (small). */
export interface ExecutionRecord {
  file: string;
  workflowType: string;
  events: number;
  sizeBytes: number;
  /** Payloads of 512 KiB or more (at most 20), largest first. */
  largePayloads: NotablePayload[];
}

/** What history checks receive as ctx.histories. */
export interface HistoryAnalysis {
  report: HistoryReport;
  /** One record per parsed file, sorted by file. */
  executions: ExecutionRecord[];
  /** Unknown event types and other things worth a note, per file. */
  notes: { file: string; message: string }[];
}
