// Reads an ActivityProxy's resolved options (a StaticValue) into typed fields. Every field says
// whether it is set, definitely absent, possibly set by a spread we could not resolve ('maybe'),
// or set to something we could not resolve ('unknown'): checks never guess about the last two.

import type { Configurable, SourceLanguage, SourceLocation, StaticObject, StaticValue } from '../../model/types.js';
import { durationVerdict, type DurationProblem } from './duration-verdict.js';

/** Where a field stands when it has no usable value. */
export type MissingField =
  | { state: 'absent' }
  /** Not written, but an unresolved spread (`...base`) may provide it. */
  | { state: 'maybe'; text: string; location: SourceLocation }
  /** Written, but its value could not be resolved statically. */
  | { state: 'unknown'; text: string; location: SourceLocation };

interface Written {
  location: SourceLocation;
  /** Source-like rendering of the value: `'5m'`, `300000`. */
  written: string;
  configurable?: Configurable;
}

export type DurationField =
  | MissingField
  | ({ state: 'set'; ms: number } & Written)
  /** 0: the server treats it as unset. */
  | ({ state: 'zero' } & Written)
  /** `null`: the SDK's "one of startToClose / scheduleToClose" check counts it, the server gets nothing. */
  | ({ state: 'null' } & Written)
  | ({ state: 'invalid'; problem: DurationProblem } & Written);

export type NumberField = MissingField | ({ state: 'set'; value: number } & Written) | ({ state: 'invalid' } & Written);

export interface ErrorTypeEntry {
  value: string;
  location: SourceLocation;
  configurable?: Configurable;
}

export type ErrorTypesField =
  | MissingField
  | { state: 'set'; entries: ErrorTypeEntry[]; unresolved: { text: string; location: SourceLocation }[]; location: SourceLocation };

export interface RetryFields {
  state: 'set';
  location: SourceLocation;
  initialInterval: DurationField;
  backoffCoefficient: NumberField;
  maximumInterval: DurationField;
  maximumAttempts: NumberField;
  nonRetryableErrorTypes: ErrorTypesField;
}

/** `null` / `undefined` retry means no policy, like absent (the SDK sends none). */
export type RetryField = MissingField | RetryFields;

export interface ActivityOptionsView {
  /** The SDK whose rules apply, when not TypeScript's. */
  language?: SourceLanguage;
  /** The options object itself could not be resolved (then every field is 'unknown'). */
  unresolved?: { text: string; location: SourceLocation };
  startToCloseTimeout: DurationField;
  scheduleToCloseTimeout: DurationField;
  scheduleToStartTimeout: DurationField;
  heartbeatTimeout: DurationField;
  localRetryThreshold: DurationField;
  retry: RetryField;
  /**
   * Keys of the options object (or of its `retry`) that the TypeScript SDK does not read
   * (`retry: { initialIntervalMs: 5000 }`): type checking only rejects them in a literal written
   * at the call, so a shared constant carries them silently. TypeScript only.
   */
  unknownFields?: UnknownOptionField[];
}

export interface UnknownOptionField {
  /** `retry.initialIntervalMs`, `startToCloseTimeoutMs`. */
  path: string;
  /** The field the SDK does read, when the name is a near miss of one (`retry.initialInterval`). */
  meant?: string;
  written: string;
  /** The value when it is a plain number or string. */
  value?: number | string;
  location: SourceLocation;
}

/** What ActivityOptions and LocalActivityOptions of the TypeScript SDK read (@temporalio/common). */
const ACTIVITY_OPTION_KEYS = new Set([
  'activityId', 'taskQueue', 'heartbeatTimeout', 'retry', 'startToCloseTimeout', 'scheduleToStartTimeout', 'scheduleToCloseTimeout',
  'cancellationType', 'allowEagerDispatch', 'versioningIntent', 'summary', 'priority', 'localRetryThreshold',
]);
const RETRY_POLICY_KEYS = new Set(['initialInterval', 'backoffCoefficient', 'maximumInterval', 'maximumAttempts', 'nonRetryableErrorTypes']);

export const TIMEOUT_FIELDS = ['startToCloseTimeout', 'scheduleToCloseTimeout', 'scheduleToStartTimeout', 'heartbeatTimeout', 'localRetryThreshold'] as const;
export type TimeoutFieldName = (typeof TIMEOUT_FIELDS)[number];

export function readActivityOptions(options: StaticValue, language?: SourceLanguage): ActivityOptionsView {
  const field = (name: string) => propertyOf(options, name);
  const view: ActivityOptionsView = {
    ...(language && language !== 'typescript' ? { language } : {}),
    startToCloseTimeout: readDuration(field('startToCloseTimeout'), language),
    scheduleToCloseTimeout: readDuration(field('scheduleToCloseTimeout'), language),
    scheduleToStartTimeout: readDuration(field('scheduleToStartTimeout'), language),
    heartbeatTimeout: readDuration(field('heartbeatTimeout'), language),
    localRetryThreshold: readDuration(field('localRetryThreshold'), language),
    retry: readRetry(field('retry'), language),
  };
  if (options.kind === 'unknown') view.unresolved = { text: options.text, location: options.location };
  if (!language || language === 'typescript') {
    const unknown = unknownFieldsOf(options);
    if (unknown.length > 0) view.unknownFields = unknown;
  }
  return view;
}

function unknownFieldsOf(options: StaticValue): UnknownOptionField[] {
  if (options.kind !== 'object') return [];
  const fields: UnknownOptionField[] = [];
  const collect = (object: StaticObject, known: Set<string>, prefix: string) => {
    for (const [key, value] of object.properties) {
      if (known.has(key)) continue;
      const meant = nearMiss(key, known);
      const plain = value.kind === 'number' || value.kind === 'string' ? { value: value.value } : {};
      fields.push({ path: `${prefix}${key}`, ...(meant ? { meant: `${prefix}${meant}` } : {}), written: render(value), ...plain, location: value.location });
    }
  };
  collect(options, ACTIVITY_OPTION_KEYS, '');
  const retry = options.properties.get('retry');
  if (retry?.kind === 'object') collect(retry, RETRY_POLICY_KEYS, 'retry.');
  return fields;
}

/** `initialIntervalMs` -> `initialInterval`, `maxAttempts` -> `maximumAttempts`, any case. */
function nearMiss(key: string, known: Set<string>): string | undefined {
  const normal = (name: string) => name.toLowerCase().replace(/_/g, '').replace(/(ms|millis|milliseconds|seconds|secs)$/, '').replace(/^max(?!imum)/, 'maximum').replace(/^min(?!imum)/, 'minimum');
  const wanted = normal(key);
  return [...known].find((name) => normal(name) === wanted);
}

type Lookup = MissingField | { state: 'value'; value: StaticValue };

/** A property of an object value, or why there is none. */
export function propertyOf(parent: StaticValue | Lookup, name: string): Lookup {
  const value = 'state' in parent ? (parent.state === 'value' ? parent.value : undefined) : parent;
  if (value === undefined) return parent as MissingField;
  if (value.kind === 'unknown') return { state: 'unknown', text: value.text, location: value.location };
  if (value.kind !== 'object') return { state: 'absent' };
  const property = value.properties.get(name);
  if (property === undefined) {
    const spread = value.unknownSpreads[0];
    return spread ? { state: 'maybe', text: spread.text, location: spread.location } : { state: 'absent' };
  }
  if (property.kind === 'undefined') return { state: 'absent' };
  if (property.kind === 'unknown') return { state: 'unknown', text: property.text, location: property.location };
  return { state: 'value', value: property };
}

/**
 * Who reads a Python duration: the activity command (protobuf Duration.FromTimedelta) or the
 * RetryPolicy's validation (`.total_seconds()`), which runs first unless maximum_attempts is 1.
 */
type PythonDurationReader = 'command' | 'retry-policy';

function readDuration(lookup: Lookup, language?: SourceLanguage, reader: PythonDurationReader = 'command'): DurationField {
  if (lookup.state !== 'value') return lookup;
  const value = lookup.value;
  const base = { location: value.location, written: render(value), ...configurableOf(value) };
  if (value.kind === 'null') return { state: 'null', ...base };
  if (language === 'python') {
    const problem = notATimedelta(value, reader);
    if (problem) return { state: 'invalid', problem, ...base };
  }
  const raw = value.kind === 'string' || value.kind === 'number' ? value.value : { kind: value.kind };
  const verdict = durationVerdict(raw);
  if (verdict.kind === 'zero') return { state: 'zero', ...base };
  if (verdict.kind === 'invalid') return { state: 'invalid', problem: verdict.problem, ...base };
  return { state: 'set', ms: verdict.ms, ...base };
}

/**
 * The Python SDK's durations are timedelta objects (temporalio 1.35.0): a number or a string it is
 * given instead fails when the workflow schedules the activity, protobuf's Duration.FromTimedelta
 * raising TypeError, or RetryPolicy's validation AttributeError (test/model/python/
 * python-sdk-timeout-type-facts.test.ts). The Python front-end marks a number read from a
 * timedelta with how it was written; a bare one is an int or a float. A 0 is falsy, which the SDK
 * reads as "not set" before converting anything.
 */
function notATimedelta(value: StaticValue, reader: PythonDurationReader): DurationProblem | undefined {
  let type: string;
  if (value.kind === 'string') type = 'str';
  else if (value.kind === 'number' && value.written === undefined && value.value !== 0) type = Number.isInteger(value.value) ? 'int' : 'float';
  else return undefined;
  const error = reader === 'retry-policy' ? `AttributeError: '${type}' object has no attribute 'total_seconds'` : `TypeError: Fail to convert to Duration. Expected a timedelta object got ${type}`;
  return { reason: 'not-a-timedelta', rejectedBy: 'sdk', error };
}

function readNumber(lookup: Lookup): NumberField {
  if (lookup.state !== 'value') return lookup;
  const value = lookup.value;
  const base = { location: value.location, written: render(value), ...configurableOf(value) };
  if (value.kind === 'number') return { state: 'set', value: value.value, ...base };
  return { state: 'invalid', ...base };
}

function readRetry(lookup: Lookup, language?: SourceLanguage): RetryField {
  if (lookup.state !== 'value') return lookup;
  const value = lookup.value;
  if (value.kind === 'null') return { state: 'absent' };
  if (value.kind !== 'object') return { state: 'unknown', text: render(value), location: value.location };
  const maximumAttempts = readNumber(propertyOf(value, 'maximumAttempts'));
  // RetryPolicy._validate returns early for maximum_attempts=1: apply_to_proto converts the intervals then.
  const reader: PythonDurationReader = maximumAttempts.state === 'set' && maximumAttempts.value === 1 ? 'command' : 'retry-policy';
  return {
    state: 'set',
    location: value.location,
    initialInterval: readDuration(propertyOf(value, 'initialInterval'), language, reader),
    backoffCoefficient: readNumber(propertyOf(value, 'backoffCoefficient')),
    maximumInterval: readDuration(propertyOf(value, 'maximumInterval'), language, reader),
    maximumAttempts,
    nonRetryableErrorTypes: readErrorTypes(propertyOf(value, 'nonRetryableErrorTypes')),
  };
}

function readErrorTypes(lookup: Lookup): ErrorTypesField {
  if (lookup.state !== 'value') return lookup;
  const value = lookup.value;
  if (value.kind !== 'array') return { state: 'unknown', text: render(value), location: value.location };
  const entries: ErrorTypeEntry[] = [];
  const unresolved: { text: string; location: SourceLocation }[] = [];
  for (const element of value.elements) {
    if (element.kind === 'string') entries.push({ value: element.value, location: element.location, ...configurableOf(element) });
    else unresolved.push({ text: render(element), location: element.location });
  }
  return { state: 'set', entries, unresolved, location: value.location };
}

function configurableOf(value: StaticValue): { configurable?: Configurable } {
  return 'configurable' in value && value.configurable ? { configurable: value.configurable } : {};
}

/** Renders a resolved value the way it would be written in source, for messages. */
export function render(value: StaticValue): string {
  switch (value.kind) {
    case 'string':
      return value.written ?? `'${value.value}'`;
    case 'number':
      return value.written ?? String(value.value);
    case 'boolean':
      return value.written ?? String(value.value);
    case 'undefined':
    case 'null':
      return value.kind;
    case 'array':
      return `[${value.elements.map(render).join(', ')}]`;
    case 'object':
      return '{ ... }';
    case 'unknown':
      return value.text;
  }
}
