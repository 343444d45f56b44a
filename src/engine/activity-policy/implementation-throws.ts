// What the implementations behind a proxy throw, sorted by how the server treats it: the evidence
// a retry finding may state. Without it a message could only guess whether business errors reach
// the retry policy, and the guess is wrong when the activities already throw them non-retryable.

import type { ActivityUse } from '../../model/activity-uses.js';
import type { SourceLocation, ThrownError } from '../../model/types.js';
import { isBusinessErrorType } from './error-types.js';

export interface RetriedThrow {
  /** The failure type the server sees (the class name, or the ApplicationFailure type). */
  type: string;
  activity: string;
  location: SourceLocation;
  /** Python: the raise names a class its temporalio module lacks, so it raises AttributeError (ThrownError.missingSdkName). */
  missingSdkName?: { text: string; nonRetryableWritten?: boolean };
}

/**
 * What a raise of a name the SDK lacks does, for a message: `activity.ApplicationError does not
 * exist (non_retryable=True has no effect)`. Undefined for other throws.
 */
export function missingSdkNameText(thrown: { missingSdkName?: RetriedThrow['missingSdkName'] }): string | undefined {
  const missing = thrown.missingSdkName;
  if (!missing) return undefined;
  return `${missing.text} does not exist${missing.nonRetryableWritten ? ' (non_retryable=True has no effect)' : ''}`;
}

export interface ImplementationThrows {
  /** How many activity types the proxy schedules. */
  activities: number;
  /** Activity types whose implementation is not in the reviewed code. */
  unknown: string[];
  /**
   * Business errors (a type of the project's own, not Error or TypeError) thrown out of a known
   * implementation that the server retries, one per type and place.
   */
  retried: RetriedThrow[];
  /**
   * Plain errors (Error, TypeError) the server retries, one per type and place: a bug, an outage
   * or a business outcome, the type does not say which.
   */
  plainRetried: RetriedThrow[];
  /** How many thrown errors are already non-retryable (ApplicationFailure.nonRetryable and the like). */
  nonRetryable: number;
  /** Calls into project code the front-end could not follow: what they throw is not counted above. */
  unfollowed: { activity: string; text: string; location: SourceLocation }[];
  /**
   * Python: where an implementation (or a project helper it calls) makes the HTTP client raise its
   * status error on an error response (ActivityImplementationFacts.httpStatusRaises), one per place.
   */
  statusRaises: { activity: string; type?: string; location: SourceLocation }[];
}

export function implementationThrows(uses: ActivityUse[]): ImplementationThrows {
  const unknown: string[] = [];
  const retried = new Map<string, RetriedThrow>();
  const plainRetried = new Map<string, RetriedThrow>();
  let nonRetryable = 0;
  const unfollowed = new Map<string, ImplementationThrows['unfollowed'][number]>();
  const statusRaises = new Map<string, ImplementationThrows['statusRaises'][number]>();
  for (const use of uses) {
    if (use.implementations.length === 0) {
      unknown.push(use.type);
      continue;
    }
    for (const implementation of use.implementations) {
      for (const call of implementation.unfollowedCalls ?? []) {
        const key = `${call.location.file}:${call.location.line}:${call.location.column}`;
        if (!unfollowed.has(key)) unfollowed.set(key, { activity: implementation.name, ...call });
      }
      for (const raise of implementation.httpStatusRaises ?? []) {
        const key = `${raise.location.file}:${raise.location.line}:${raise.location.column}`;
        if (!statusRaises.has(key)) statusRaises.set(key, { activity: implementation.name, ...raise });
      }
      for (const error of implementation.thrownErrors) {
        if (error.nonRetryable === true) nonRetryable++;
        else if (!retriedWithoutAsking(error)) continue;
        else {
          const found = isBusinessErrorType(error.type!) ? retried : plainRetried;
          const key = `${error.type}@${error.location.file}:${error.location.line}`;
          if (!found.has(key)) found.set(key, { type: error.type!, activity: implementation.name, location: error.location, ...(error.missingSdkName ? { missingSdkName: error.missingSdkName } : {}) });
        }
      }
    }
  }
  const calls = [...unfollowed.values()].sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line);
  const status = [...statusRaises.values()].sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line);
  return { activities: uses.length, unknown, retried: inSourceOrder(retried), plainRetried: inSourceOrder(plainRetried), nonRetryable, unfollowed: calls, statusRaises: status };
}

function inSourceOrder(throws: Map<string, RetriedThrow>): RetriedThrow[] {
  return [...throws.values()].sort(
    (a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.type.localeCompare(b.type),
  );
}

/**
 * A throw the server retries that the authors did not explicitly ask to be retried: a class or a
 * plain Error, not `ApplicationFailure.retryable(...)` and not an error whose own constructor flag
 * says retryable. A rethrow or an unresolvable type says nothing about the failure's type.
 */
function retriedWithoutAsking(error: ThrownError): boolean {
  if (error.type === null || error.nonRetryable !== false) return false;
  if (error.how === 'application-failure-retryable' || error.how === 'rethrow' || error.retryableByIntent) return false;
  return true;
}
