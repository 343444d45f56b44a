// Error types that matter to non-retryable classification (TEMPORAL-FACTS.md section 3): the
// server matches `nonRetryableErrorTypes` against the failure's type, which is the class name of
// a plain thrown error or the `type` of an ApplicationFailure.

import { closestName } from '../closest-name.js';

/** JavaScript's and Python's own error classes: programming errors, not business outcomes. */
const BUILT_IN_ERROR_TYPES = new Set([
  'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError',
  // Python built-in exceptions (the failure type of a plain exception is its class name); names a
  // TypeScript code base plausibly gives its own classes (ConnectionError, TimeoutError) are left out.
  'Exception', 'BaseException', 'ValueError', 'KeyError', 'IndexError', 'LookupError', 'RuntimeError', 'AttributeError',
  'AssertionError', 'ArithmeticError', 'ZeroDivisionError', 'OverflowError', 'OSError', 'IOError',
  'FileNotFoundError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'StopIteration',
]);

/** Temporal's own failure classes, which carry their meaning in other fields. */
const TEMPORAL_FAILURE_TYPES = new Set([
  'ApplicationFailure', 'TemporalFailure', 'CancelledFailure', 'ActivityFailure', 'CompleteAsyncError',
  // temporalio (Python)
  'ApplicationError', 'FailureError', 'ActivityError', 'ChildWorkflowError',
]);

/**
 * Types thrown by the runtime and by common client libraries rather than by the reviewed code:
 * listing them in nonRetryableErrorTypes is deliberate even though no reviewed code throws them.
 */
const WELL_KNOWN_ERROR_TYPES = new Set([
  ...BUILT_IN_ERROR_TYPES,
  ...TEMPORAL_FAILURE_TYPES,
  'AbortError', 'TimeoutError', 'DOMException', 'SystemError',
  'AxiosError', 'FetchError', 'HTTPError', 'ZodError',
]);

/** The prefix of the pseudo types that make a timeout non-retryable: `TemporalTimeout:StartToClose`. */
export const TEMPORAL_TIMEOUT_PREFIX = 'TemporalTimeout:';

/** A type an activity throws on purpose to report a business outcome (PaymentDeclined), not a bug. */
export function isBusinessErrorType(type: string): boolean {
  return !BUILT_IN_ERROR_TYPES.has(type) && !TEMPORAL_FAILURE_TYPES.has(type);
}

/** True for entries that need no thrower in the reviewed code. */
export function isWellKnownErrorType(type: string): boolean {
  return WELL_KNOWN_ERROR_TYPES.has(type) || type.startsWith(TEMPORAL_TIMEOUT_PREFIX);
}

/** The thrown type an entry was probably meant to be: same letters ignoring case, or one or two edits away. */
export const closestType = closestName;

/**
 * Words in an error class's name that say the failure is meant to heal on retry:
 * `RecoveryDeferredError`, `LockBusyError`, `ServiceUnavailableError`, `RateLimitedError`,
 * `ConflictError` (the state it conflicts with may change), `RowLockedError`.
 */
const TRANSIENT_NAME = /Deferred|Retryable|Retriable|Transient|Temporar|Busy|Unavailable|Timeout|TimedOut|RateLimit|Throttl|Deadlock|TryAgain|Conflict|Locked|TooManyRequests/;
/**
 * An HTTP status in the name that asks the client to come back (`Error409` while another
 * operation holds the row, `Error429`, `Http503Error`): 408, 409, 423, 425, 429 and 5xx.
 */
const TRANSIENT_STATUS = /(?<!\d)(?:408|409|423|425|429|5\d\d)(?!\d)/;
const NOT_RETRYABLE_NAME = /No[nt]_?Retr[iy]/i;

/** True for a type whose name says retrying it is the point (not `NonRetryableError`). */
export function namesTransientFailure(type: string): boolean {
  return (TRANSIENT_NAME.test(type) || TRANSIENT_STATUS.test(type)) && !NOT_RETRYABLE_NAME.test(type);
}
