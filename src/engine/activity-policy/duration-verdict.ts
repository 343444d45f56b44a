// What happens to one activity-option duration at run time, decided the way the TypeScript SDK
// 1.24 and the server decide it (TEMPORAL-FACTS.md section 2):
// - the SDK converts with `msToNumber` (@temporalio/common/lib/time): a number passes as is; a
//   string goes through `ms`, and an unparsable one is `TypeError: Invalid duration string`; an
//   empty string or one over 100 characters makes `ms` itself throw; then `msNumberToTs` throws
//   `ValueError: Invalid millis NaN|Infinity` for non-finite numbers;
// - the server (`ValidateAndCapTimer` in the command checker) rejects negative durations and
//   treats 0 as unset.
// test/checks/timeouts/duration-verdict.test.ts runs the SDK's own functions over a table to keep
// this file honest.

import { parseDuration } from '../duration.js';

export type DurationProblemReason = 'unparsable' | 'empty' | 'too-long' | 'not-a-duration' | 'not-finite' | 'negative' | 'not-a-timedelta';

export interface DurationProblem {
  reason: DurationProblemReason;
  /** Who rejects it: the SDK when the workflow schedules the activity, or the server when the command arrives. */
  rejectedBy: 'sdk' | 'server';
  /** The rejecting code's error, as close to verbatim as we know it. */
  error: string;
}

export type DurationVerdict =
  | { kind: 'duration'; ms: number }
  /** 0: accepted, and the server treats it as "no timeout". */
  | { kind: 'zero' }
  | { kind: 'invalid'; problem: DurationProblem };

/** The SDK's and the server's verdict on a duration option written as `value`. */
export function durationVerdict(value: unknown): DurationVerdict {
  if (typeof value === 'number') return numberVerdict(value);
  if (typeof value !== 'string') {
    return invalid('not-a-duration', 'sdk', `Error: Value is not a string or number. value=${describe(value)}`);
  }
  if (value.length === 0) return invalid('empty', 'sdk', 'Error: Value is not a string or number. value=""');
  if (value.length > 100) return invalid('too-long', 'sdk', 'Error: Value exceeds the maximum length of 100 characters.');
  const millis = parseDuration(value);
  if (millis === null) return invalid('unparsable', 'sdk', `TypeError: Invalid duration string: '${value}'`);
  return numberVerdict(millis);
}

function numberVerdict(millis: number): DurationVerdict {
  if (!Number.isFinite(millis)) return invalid('not-finite', 'sdk', `ValueError: Invalid millis ${millis}`);
  if (millis < 0) return invalid('negative', 'server', 'negative duration');
  if (millis === 0) return { kind: 'zero' };
  return { kind: 'duration', ms: millis };
}

function invalid(reason: DurationProblemReason, rejectedBy: DurationProblem['rejectedBy'], error: string): DurationVerdict {
  return { kind: 'invalid', problem: { reason, rejectedBy, error } };
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
