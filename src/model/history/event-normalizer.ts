// Turns one parsed event of any dialect into HistoryEventFacts (TEMPORAL-FACTS.md section 8):
// proto3 JSON (string eventIds, EVENT_TYPE_*), legacy PascalCase types with "Normal" enums and
// numeric eventIds, and old Java exports with snake_case field names. One normalizer per file: it
// remembers scheduled activities, children, updates and Nexus operations so later events can be
// attributed to their activity type, child workflow type or update name.

import { attributesKey, isActivityEvent, isFailureEvent, normalizeEnum, normalizeEventType, typeFromAttributesKey } from './event-types.js';
import { collectPayloads, type PayloadContext } from './collect-payloads.js';
import { flatCopy, intern } from './flat-string.js';
import type { HistoryEventFacts, PayloadSite } from './types.js';

export class NotAHistoryError extends Error {
  constructor(message: string) {
    super(`not a history: ${message}`);
    this.name = 'NotAHistoryError';
  }
}

/** Events with no payload and no fact beyond id, type and time (a fast path). */
const BOOKKEEPING_EVENTS = new Set(['WorkflowTaskScheduled', 'WorkflowTaskStarted', 'WorkflowTaskCompleted', 'TimerStarted', 'TimerFired', 'TimerCanceled', 'ActivityTaskCancelRequested']);

/** Whether events of this (PascalCase) type are read for id, type and time only. */
export function isBookkeepingEvent(type: string): boolean {
  return BOOKKEEPING_EVENTS.has(type);
}

export type NormalizedEvent = { facts: HistoryEventFacts } | { skipped: string };

interface ScheduledActivity {
  activityType: string | undefined;
  taskQueue: string | undefined;
  time: number | null;
}

export interface EventNormalizerOptions {
  withPreview?: boolean;
}

export class EventNormalizer {
  private snakeCase: boolean | undefined;
  private readonly activities = new Map<number, ScheduledActivity>();
  private readonly children = new Map<number, string>();
  private readonly updates = new Map<string, string>();
  private readonly nexus = new Map<number, string>();
  private readonly withPreview: boolean;

  constructor(options: EventNormalizerOptions = {}) {
    this.withPreview = options.withPreview ?? false;
  }

  /** The activity scheduled at this event id, for schedule-to-start latency. */
  scheduledActivity(eventId: number): ScheduledActivity | undefined {
    return this.activities.get(eventId);
  }

  /** sizeBytes: the event's estimated stored size, computed by the parser. */
  normalize(raw: unknown, index: number, sizeBytes = 0): NormalizedEvent {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new NotAHistoryError(`events[${index}] is ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`}, not an event object`);
    }
    let event = raw as Record<string, unknown>;
    if (this.snakeCase === undefined) this.snakeCase = 'event_type' in event || 'event_id' in event;
    if (this.snakeCase) event = camelizeKeys(event, 0) as Record<string, unknown>;

    const given = event.eventId === undefined ? undefined : toNumber(event.eventId);
    // the SDK's replayer refuses such a history: so does the analysis (one idea of a valid file)
    if (event.eventId !== undefined && (given === undefined || !Number.isInteger(given) || given < 0)) {
      throw new NotAHistoryError(`events[${index}].eventId is ${describeValue(event.eventId)}, not a whole number`);
    }
    const id = given ?? index + 1;
    let attrsKey: string | undefined;
    let type = normalizeEventType(event.eventType);
    // the most frequent events carry no payload and nothing the analysis reads
    if (type !== null && isBookkeepingEvent(type)) return { facts: { id, type, time: toTime(event.eventTime), payloads: [], sizeBytes } };
    if (type) {
      const expected = attributesKey(type);
      attrsKey = event[expected] !== undefined ? expected : findAttributesKey(event);
    } else {
      attrsKey = findAttributesKey(event);
      if (event.eventType === undefined && attrsKey) type = typeFromAttributesKey(attrsKey);
      if (!type) {
        const written = typeof event.eventType === 'string' || typeof event.eventType === 'number' ? `"${String(event.eventType)}"` : 'no eventType';
        return { skipped: flatCopy(`event ${id} has unknown type ${written}; skipped`) };
      }
    }
    const facts: HistoryEventFacts = { id, type, time: toTime(event.eventTime), payloads: [], sizeBytes };
    const rawAttributes = attrsKey ? event[attrsKey] : undefined;
    const attrs = isObject(rawAttributes) ? rawAttributes : {};
    collectPayloads(attrs, this.describe(type, facts, attrs), facts.payloads, this.withPreview);
    return { facts };
  }

  /** Fills the type-specific facts and returns where this event's payloads sit. */
  private describe(type: string, facts: HistoryEventFacts, attrs: Record<string, unknown>): PayloadContext {
    const scheduledEventId = toNumber(attrs.scheduledEventId);
    if (scheduledEventId !== undefined) facts.scheduledEventId = scheduledEventId;
    const attempt = toNumber(attrs.attempt);
    if (attempt !== undefined) facts.attempt = attempt;
    const taskQueue = nameOf(attrs.taskQueue);
    if (taskQueue !== undefined) facts.taskQueue = taskQueue;
    const workflowType = nameOf(attrs.workflowType);
    if (workflowType !== undefined) facts.workflowType = workflowType;
    const failureType = failureTypeOf(attrs.failure ?? attrs.lastFailure, 0) ?? normalizeEnum(attrs.timeoutType, 'TIMEOUT_TYPE_');
    if (failureType !== undefined && isFailureEvent(type)) facts.failureType = failureType;
    if (type === 'WorkflowExecutionStarted' && typeof attrs.continuedExecutionRunId === 'string' && attrs.continuedExecutionRunId !== '') facts.continuesEarlierRun = true;

    let site: PayloadSite = siteOf(type);
    let name: string | undefined;
    if (isActivityEvent(type)) {
      if (type === 'ActivityTaskScheduled') {
        const activityType = nameOf(attrs.activityType);
        this.activities.set(facts.id, { activityType, taskQueue, time: facts.time });
        if (activityType !== undefined) facts.activityType = activityType;
      } else if (scheduledEventId !== undefined) {
        const scheduled = this.activities.get(scheduledEventId);
        if (scheduled?.activityType !== undefined) facts.activityType = scheduled.activityType;
        if (scheduled?.taskQueue !== undefined && facts.taskQueue === undefined) facts.taskQueue = scheduled.taskQueue;
      }
      name = facts.activityType;
    } else if (site === 'child-workflow') {
      const initiatedEventId = toNumber(attrs.initiatedEventId);
      if (type === 'StartChildWorkflowExecutionInitiated' && workflowType !== undefined) this.children.set(facts.id, workflowType);
      name = workflowType ?? (initiatedEventId !== undefined ? this.children.get(initiatedEventId) : undefined);
      if (name !== undefined) facts.workflowType = name;
    } else if (type === 'MarkerRecorded') {
      name = nameText(attrs.markerName);
    } else if (type === 'WorkflowExecutionSignaled' || type === 'SignalExternalWorkflowExecutionInitiated') {
      name = nameText(attrs.signalName);
    } else if (site === 'update') {
      name = this.updateName(attrs);
    } else if (site === 'nexus') {
      if (type === 'NexusOperationScheduled') {
        const joined = [toText(attrs.service), toText(attrs.operation)].filter(Boolean).join('/');
        name = joined ? intern(joined) : undefined;
        if (name !== undefined) this.nexus.set(facts.id, name);
      } else if (scheduledEventId !== undefined) {
        name = this.nexus.get(scheduledEventId);
      }
    } else if (type === 'WorkflowExecutionContinuedAsNew') {
      name = 'continue-as-new';
    }
    if (name !== undefined && site !== 'workflow') facts.name = name;
    if (type === 'WorkflowExecutionContinuedAsNew') site = 'workflow';
    return { site, direction: 'value', name };
  }

  private updateName(attrs: Record<string, unknown>): string | undefined {
    const request = (isObject(attrs.acceptedRequest) && attrs.acceptedRequest) || (isObject(attrs.request) && attrs.request) || (isObject(attrs.rejectedRequest) && attrs.rejectedRequest) || undefined;
    const meta = isObject(attrs.meta) ? attrs.meta : request && isObject(request.meta) ? request.meta : undefined;
    const updateId = meta ? toText(meta.updateId) : undefined;
    const input = request && isObject(request.input) ? request.input : undefined;
    const name = input ? nameText(input.name) : undefined;
    if (name !== undefined && updateId !== undefined) this.updates.set(updateId, name);
    return name ?? (updateId !== undefined ? this.updates.get(updateId) : undefined);
  }
}

const sites = new Map<string, PayloadSite>();

/** Where the payloads of an event of this type sit (types are few: worked out once each). */
function siteOf(type: string): PayloadSite {
  let site = sites.get(type);
  if (site === undefined) {
    site = siteOfType(type);
    if (sites.size < 1000) sites.set(type, site);
  }
  return site;
}

function siteOfType(type: string): PayloadSite {
  if (type.startsWith('ActivityTask')) return 'activity';
  if (type === 'WorkflowExecutionSignaled') return 'signal';
  if (type.startsWith('SignalExternal') || type === 'ExternalWorkflowExecutionSignaled') return 'external-signal';
  if (type.startsWith('StartChildWorkflow') || type.startsWith('ChildWorkflow')) return 'child-workflow';
  if (type === 'MarkerRecorded') return 'marker';
  if (type.startsWith('WorkflowExecutionUpdate')) return 'update';
  if (type.startsWith('NexusOperation')) return 'nexus';
  if (type === 'UpsertWorkflowSearchAttributes') return 'search-attribute';
  if (type.startsWith('WorkflowPropertiesModified')) return 'memo';
  if (type.startsWith('WorkflowTask')) return 'workflow-task';
  if (type.startsWith('WorkflowExecution')) return 'workflow';
  return 'other';
}

/** ApplicationFailure type, timeout type or failure kind, following `cause` for wrapped failures. */
function failureTypeOf(failure: unknown, depth: number): string | undefined {
  if (!isObject(failure) || depth > 32) return undefined;
  const application = failure.applicationFailureInfo;
  if (isObject(application)) return nameText(application.type) ?? 'ApplicationFailure';
  const timeout = failure.timeoutFailureInfo;
  if (isObject(timeout)) return normalizeEnum(timeout.timeoutType, 'TIMEOUT_TYPE_') ?? 'Timeout';
  if (isObject(failure.canceledFailureInfo)) return 'Canceled';
  if (isObject(failure.terminatedFailureInfo)) return 'Terminated';
  if (isObject(failure.serverFailureInfo)) return 'ServerFailure';
  if (isObject(failure.resetWorkflowFailureInfo)) return 'ResetWorkflow';
  return failureTypeOf(failure.cause, depth + 1) ?? 'Failure';
}

function findAttributesKey(event: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(event)) if (key.endsWith('EventAttributes') || key === 'attributes') return key;
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}...` : value);
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value !== '' && value.length <= 20) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function toText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A name kept beyond the current event (see flat-string.ts). */
function nameText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? intern(value) : undefined;
}

/** `{ name: "x" }` (workflowType, activityType, taskQueue) or, in some exports, a plain string. */
function nameOf(value: unknown): string | undefined {
  if (typeof value === 'string') return nameText(value);
  return isObject(value) ? nameText(value.name) : undefined;
}

/** RFC 3339 string, `{ seconds, nanos }`, or a number (seconds, milliseconds or nanoseconds). */
function toTime(value: unknown): number | null {
  if (typeof value === 'string') {
    const ms = parseUtcTimestamp(value);
    return Number.isNaN(ms) ? null : ms;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    if (value > 1e17) return value / 1e6;
    if (value > 1e14) return value / 1e3;
    if (value > 1e11) return value;
    return value * 1000;
  }
  if (isObject(value)) {
    const seconds = toNumber(value.seconds);
    if (seconds === undefined) return null;
    return seconds * 1000 + (toNumber(value.nanos) ?? 0) / 1e6;
  }
  return null;
}

let lastDay = '';
let lastDayMs = 0;

/**
 * 2024-08-14T03:50:59.998228Z in milliseconds. Events of one history share the day, so the day is
 * parsed once and the time of day by hand; anything unusual goes to Date.parse.
 */
function parseUtcTimestamp(value: string): number {
  const length = value.length;
  if (length >= 20 && value.charCodeAt(10) === 84 && value.charCodeAt(length - 1) === 90 && value.charCodeAt(13) === 58 && value.charCodeAt(16) === 58) {
    if (lastDay === '' || !sameDay(value, lastDay)) {
      lastDay = value.slice(0, 10);
      lastDayMs = Date.parse(`${lastDay}T00:00:00Z`);
    }
    const hours = twoDigits(value, 11);
    const minutes = twoDigits(value, 14);
    const seconds = twoDigits(value, 17);
    let millis = 0;
    if (length > 20) {
      if (value.charCodeAt(19) !== 46) return Date.parse(value);
      let scale = 100;
      for (let i = 20; i < length - 1; i++) {
        const digit = value.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9) return Date.parse(value);
        millis += digit * scale;
        scale /= 10;
      }
    }
    if (hours > 23 || minutes > 59 || seconds > 60 || Number.isNaN(lastDayMs)) return Date.parse(value);
    return lastDayMs + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
  }
  return Date.parse(value);
}

/** value.startsWith(day) for a 10-character day (startsWith itself is slow in this hot path). */
function sameDay(value: string, day: string): boolean {
  for (let i = 0; i < 10; i++) if (value.charCodeAt(i) !== day.charCodeAt(i)) return false;
  return true;
}

function twoDigits(value: string, at: number): number {
  const tens = value.charCodeAt(at) - 48;
  const ones = value.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : 99;
}

/** Old Java exports' snake_case keys in camelCase; values the parser made (OmittedString) stay as they are. */
function camelizeKeys(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > 128) return value;
  if (Array.isArray(value)) return value.map((element) => camelizeKeys(element, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const camel = key.includes('_') ? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : key;
    out[camel] = camelizeKeys(child, depth + 1);
  }
  return out;
}
