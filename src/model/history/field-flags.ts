// What the history parsers do with each field of an event, decided once per distinct key.
// Only the scalar fields the normalizer reads are kept; the rest are measured for the size
// estimate and dropped, and a few large bookkeeping objects are skipped whole. This keeps the
// parser fast and the memory flat. Keep KEPT_SCALARS in step with event-normalizer.ts (a test
// compares its facts against a full JSON.parse of every shared history). The WebAssembly scanner
// (assembly/history-scanner.ts) gets these flags per name from its glue and has the same values.

/** Keep the scalar value. */
export const KEEP = 1;
/** Skip the whole value (measured, not built). */
export const SKIP = 2;
/** Payload `data`: base64, counts as its decoded bytes. */
export const DATA = 4;
/** A protobuf enum: one varint. */
export const ENUM = 8;
/** Payload `metadata` map: its entries are kept and count as decoded bytes. */
export const METADATA = 16;
/** An event's attributes object (activityTaskScheduledEventAttributes, ...). */
export const ATTRIBUTES = 32;
/** A kept value that repeats from event to event (event types, names): interned by the scanner. */
export const REPEATS = 64;

const KEPT_SCALARS = [
  'eventId', 'eventTime', 'eventType',
  'name', 'scheduledEventId', 'initiatedEventId', 'attempt', 'timeoutType',
  'markerName', 'signalName', 'continuedExecutionRunId', 'updateId', 'service', 'operation', 'type',
  // eventTime as { seconds, nanos } in some exports
  'seconds', 'nanos',
];

const SKIPPED_OBJECTS = [
  'sdkMetadata', 'meteringMetadata', 'workerVersion', 'retryPolicy', 'prevAutoResetPoints',
  'workflowExecution', 'parentWorkflowExecution', 'externalWorkflowExecution', 'rootWorkflowExecution',
  'deployment', 'versioningOverride', 'sourceVersionStamp', 'workerVersioningId', 'priority', 'links',
];

const ENUM_KEYS = ['eventType', 'kind', 'initiator', 'retryState', 'timeoutType', 'parentClosePolicy', 'workflowIdReusePolicy', 'cause', 'origin'];

const FLAGS = new Map<string, number>();
for (const key of KEPT_SCALARS) addFlag(key, KEEP);
for (const key of SKIPPED_OBJECTS) addFlag(key, SKIP);
for (const key of ENUM_KEYS) addFlag(key, ENUM);
for (const key of ['eventType', 'name']) addFlag(key, REPEATS);
addFlag('data', DATA | KEEP);
addFlag('metadata', METADATA);

function addFlag(key: string, flag: number): void {
  // old Java exports write snake_case field names (TEMPORAL-FACTS.md section 8)
  for (const spelling of new Set([key, key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)])) {
    FLAGS.set(spelling, (FLAGS.get(spelling) ?? 0) | flag);
  }
}

export function fieldFlags(key: string): number {
  return (FLAGS.get(key) ?? 0) | (key.endsWith('EventAttributes') ? ATTRIBUTES : 0);
}
