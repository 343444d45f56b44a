// Event type names in every dialect (TEMPORAL-FACTS.md section 8): proto3 JSON writes
// EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, older tools ActivityTaskScheduled, some exports the enum
// number. All map to the PascalCase name; anything else is an unknown event type.

import { flatCopy } from './flat-string.js';

// temporal.api.enums.v1.EventType (api 1.24): number -> PascalCase name
const EVENT_TYPES: [number, string][] = [
  [1, 'WorkflowExecutionStarted'],
  [2, 'WorkflowExecutionCompleted'],
  [3, 'WorkflowExecutionFailed'],
  [4, 'WorkflowExecutionTimedOut'],
  [5, 'WorkflowTaskScheduled'],
  [6, 'WorkflowTaskStarted'],
  [7, 'WorkflowTaskCompleted'],
  [8, 'WorkflowTaskTimedOut'],
  [9, 'WorkflowTaskFailed'],
  [10, 'ActivityTaskScheduled'],
  [11, 'ActivityTaskStarted'],
  [12, 'ActivityTaskCompleted'],
  [13, 'ActivityTaskFailed'],
  [14, 'ActivityTaskTimedOut'],
  [15, 'ActivityTaskCancelRequested'],
  [16, 'ActivityTaskCanceled'],
  [17, 'TimerStarted'],
  [18, 'TimerFired'],
  [19, 'TimerCanceled'],
  [20, 'WorkflowExecutionCancelRequested'],
  [21, 'WorkflowExecutionCanceled'],
  [22, 'RequestCancelExternalWorkflowExecutionInitiated'],
  [23, 'RequestCancelExternalWorkflowExecutionFailed'],
  [24, 'ExternalWorkflowExecutionCancelRequested'],
  [25, 'MarkerRecorded'],
  [26, 'WorkflowExecutionSignaled'],
  [27, 'WorkflowExecutionTerminated'],
  [28, 'WorkflowExecutionContinuedAsNew'],
  [29, 'StartChildWorkflowExecutionInitiated'],
  [30, 'StartChildWorkflowExecutionFailed'],
  [31, 'ChildWorkflowExecutionStarted'],
  [32, 'ChildWorkflowExecutionCompleted'],
  [33, 'ChildWorkflowExecutionFailed'],
  [34, 'ChildWorkflowExecutionCanceled'],
  [35, 'ChildWorkflowExecutionTimedOut'],
  [36, 'ChildWorkflowExecutionTerminated'],
  [37, 'SignalExternalWorkflowExecutionInitiated'],
  [38, 'SignalExternalWorkflowExecutionFailed'],
  [39, 'ExternalWorkflowExecutionSignaled'],
  [40, 'UpsertWorkflowSearchAttributes'],
  [41, 'WorkflowExecutionUpdateAccepted'],
  [42, 'WorkflowExecutionUpdateRejected'],
  [43, 'WorkflowExecutionUpdateCompleted'],
  [44, 'WorkflowPropertiesModifiedExternally'],
  [45, 'ActivityPropertiesModifiedExternally'],
  [46, 'WorkflowPropertiesModified'],
  [47, 'WorkflowExecutionUpdateAdmitted'],
  [48, 'NexusOperationScheduled'],
  [49, 'NexusOperationStarted'],
  [50, 'NexusOperationCompleted'],
  [51, 'NexusOperationFailed'],
  [52, 'NexusOperationCanceled'],
  [53, 'NexusOperationTimedOut'],
  [54, 'NexusOperationCancelRequested'],
  [55, 'WorkflowExecutionOptionsUpdated'],
  [56, 'NexusOperationCancelRequestCompleted'],
  [57, 'NexusOperationCancelRequestFailed'],
  [58, 'WorkflowExecutionPaused'],
  [59, 'WorkflowExecutionUnpaused'],
  [60, 'WorkflowExecutionTimeSkippingTransitioned'],
];

const BY_NUMBER = new Map(EVENT_TYPES);
const ACTIVITY_EVENTS = new Set(EVENT_TYPES.map(([, name]) => name).filter((name) => name.startsWith('ActivityTask')));
const FAILURE_EVENTS = new Set(EVENT_TYPES.map(([, name]) => name).filter((name) => name.endsWith('Failed') || name.endsWith('TimedOut')));

/** ActivityTaskScheduled, ActivityTaskStarted, ... (a set lookup: startsWith is slow in hot code). */
export function isActivityEvent(type: string): boolean {
  return ACTIVITY_EVENTS.has(type);
}

/** Event types ending in Failed or TimedOut. */
export function isFailureEvent(type: string): boolean {
  return FAILURE_EVENTS.has(type);
}

const KNOWN = new Set(EVENT_TYPES.map(([, name]) => name));
const cache = new Map<string, string | null>();

/** The PascalCase event type for any dialect's spelling, or null when it is not a known type. */
let lastRaw: unknown;
let lastName: string | null = null;

export function normalizeEventType(raw: unknown): string | null {
  // consecutive events often share a type spelling; skip the map lookup then
  if (raw === lastRaw) return lastName;
  lastName = lookupEventType(raw);
  lastRaw = raw;
  return lastName;
}

function lookupEventType(raw: unknown): string | null {
  if (typeof raw === 'number') return BY_NUMBER.get(raw) ?? null;
  if (typeof raw !== 'string') return null;
  const cached = cache.get(raw);
  if (cached !== undefined) return cached;
  let name: string | null = null;
  if (KNOWN.has(raw)) name = raw;
  else if (raw.startsWith('EVENT_TYPE_')) {
    const pascal = constantToPascal(raw.slice('EVENT_TYPE_'.length));
    name = KNOWN.has(pascal) ? pascal : null;
  } else if (/^\d+$/.test(raw)) {
    name = BY_NUMBER.get(Number(raw)) ?? null;
  }
  if (cache.size < 10_000) cache.set(flatCopy(raw), name); // the cache outlives the chunk raw was cut from
  return name;
}

const ATTRIBUTES_KEYS = new Map(EVENT_TYPES.map(([, name]) => [name, `${name[0]!.toLowerCase()}${name.slice(1)}EventAttributes`]));

/** The attributes key an event of this (known) type carries, e.g. activityTaskScheduledEventAttributes. */
export function attributesKey(type: string): string {
  return ATTRIBUTES_KEYS.get(type) ?? `${type[0]!.toLowerCase()}${type.slice(1)}EventAttributes`;
}

/** The event type an attributes key implies (for events that lack a readable eventType). */
export function typeFromAttributesKey(key: string): string | null {
  if (!key.endsWith('EventAttributes') || key.length <= 'EventAttributes'.length) return null;
  const name = `${key[0]!.toUpperCase()}${key.slice(1, -'EventAttributes'.length)}`;
  return KNOWN.has(name) ? name : null;
}

/** ENUM_PREFIX_SOME_VALUE or SomeValue -> SomeValue (task queue kinds, timeout types, ...). */
export function normalizeEnum(raw: unknown, prefix: string): string | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  if (raw.startsWith(prefix)) return constantToPascal(raw.slice(prefix.length));
  if (/^[A-Z0-9_]+$/.test(raw) && raw.includes('_')) return constantToPascal(raw);
  return raw;
}

function constantToPascal(constant: string): string {
  return constant
    .toLowerCase()
    .split('_')
    .map((part) => (part ? part[0]!.toUpperCase() + part.slice(1) : ''))
    .join('');
}
