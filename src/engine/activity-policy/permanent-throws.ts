// Plain errors an activity throws for a condition that retrying cannot change: a lookup that came
// back empty, configuration that is not there, a request already denied, input that fails
// validation. Their type (Error, ValueError) cannot go in nonRetryableErrorTypes without making
// every bug non-retryable too, so the server retries them like an outage. The condition is read
// from the throw itself: the words of its message, or a guard that fires only when a value just
// read is missing. Shared by activity-permanent-error-retried, which reports them, and
// activity-non-retryable-errors-uncovered, which then leaves them out of its note on plain errors.

import type { ProxyReview } from './proxy-review.js';
import type { SourceLocation, ThrownError } from '../../model/types.js';
import { isBusinessErrorType } from './error-types.js';

export interface PermanentThrow {
  /** The activity type whose implementation reaches the throw. */
  activity: string;
  /** Where that implementation is declared. */
  activityLocation: SourceLocation;
  error: ThrownError & { messageText: string };
  /** Why the condition is permanent: the words of the message, or a guard on a value just read. */
  evidence: { kind: 'words'; words: string } | { kind: 'guard' };
}

/**
 * Words that name a condition which holds on the next attempt as well. Matched case-insensitively
 * on the message's literal text, as whole words.
 */
const PERMANENT = new RegExp(
  [
    'not found', 'no such', 'does not exist', "doesn't exist", 'do not exist', 'not exist',
    'missing', 'invalid', 'malformed', 'unsupported', 'not supported',
    'denied', 'forbidden', 'not allowed', 'not permitted',
    // An ownership or authorization check that failed: the same caller fails it again.
    'unauthori[sz]ed', 'not authori[sz]ed', 'insufficient permissions?',
    'no active', 'has no', 'not configured', 'no configured', 'is not set', 'not defined',
    'is required', 'are required',
    'already (?:exists?|been|processed|completed|finished|cancell?ed|closed|deleted|used|registered|taken)',
    'must be', 'must not', 'must have', 'cannot be',
    // Input the caller did not send: `No URLs provided`, `platform id not provided`.
    'not provided', 'no(?: [\\w-]+){1,2} provided',
  ]
    .map((words) => words.replace(/ /g, '\\s+'))
    .join('|'),
  'i',
);
const PERMANENT_WORDS = new RegExp(`\\b(?:${PERMANENT.source})\\b`, 'i');

/**
 * Words of a condition that may heal: an outage, a limit, a wait, an answer from another service
 * (whose status the message does not show). A message with any of them is left alone even when it
 * also has a permanent word ("service unavailable: resource not found yet").
 */
const TRANSIENT = new RegExp(
  [
    'time[sd]?\\s*out', 'timeout', 'unavailable', 'rate[-\\s]*limit', 'too many', 'throttl\\w*', 'quota',
    'retry', 'retries', 'retrying', 'temporar\\w*', 'try again', 'transient', 'busy', 'overload\\w*',
    'connect\\w*', 'network', 'socket', 'econn\\w*', 'dns', 'lock\\w*', 'lease', 'not ready', 'yet', 'pending',
    'in progress', 'still', 'waiting', 'response', 'status', 'http', '5\\d\\d', 'upstream', 'gateway',
    // A concurrent change (an optimistic update that lost a race): the next attempt reads again.
    'changed', 'concurrent\\w*', 'conflict\\w*', 'race', 'stale', 'contention',
  ].join('|'),
  'i',
);
const TRANSIENT_WORDS = new RegExp(`\\b(?:${TRANSIENT.source})\\b`, 'i');

/**
 * A condition of the worker's own setup: an environment variable (`DATABASE_URL is not set`), a
 * client the process was not given. Fixing the deployment and restarting the workers lets the
 * next attempt succeed, so retrying is how the workflows in flight survive the misconfiguration.
 */
const WORKER_SETUP = /\b(?:environment|env|process\.env|client)\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/;

/**
 * A guard on what a write gave back (`if (!row) throw new Error('Insert returned no rows')`,
 * `'Failed to enqueue ...'`): an invariant of the database call, not a record that is missing, so
 * the guard alone says nothing.
 */
const WRITE_RESULT = /\b(?:insert\w*|upsert\w*|update\w*|create\w*|save\w*|write\w*|enqueue\w*|returned|returning|fail\w*)\b|\bno (?:result|rows?)\b/i;

/**
 * A read of what the activity has just written (`'Evaluation suite not found after insert'`): the
 * row is missing because the write has not landed where the read looks (a replica, another
 * connection), or the write itself went wrong, and the next attempt writes and reads again.
 */
const READ_AFTER_WRITE = /\b(?:after|following)\s+(?:the\s+|an?\s+|its\s+)?(?:insert|upsert|creat|writ|sav|updat|commit|publish|upload)\w*/i;

/** Whether a throw's message says it reads what the activity has just written, a condition the next attempt redoes. */
export function readsOwnWrite(text: string | undefined): boolean {
  return text !== undefined && READ_AFTER_WRITE.test(text);
}

/** Helpers this many calls below the activity still count; deeper ones sit behind conditions not weighed. */
const MAX_CALL_DEPTH = 2;

/** The permanent plain-error throws of the activities a proxy schedules, one per activity and place. */
export function permanentThrows(review: ProxyReview): PermanentThrow[] {
  const found = new Map<string, PermanentThrow>();
  for (const use of review.uses) {
    for (const implementation of use.implementations) {
      for (const error of implementation.thrownErrors) {
        const evidence = permanence(error);
        if (!evidence) continue;
        const key = `${implementation.name}@${error.location.file}:${error.location.line}:${error.location.column}`;
        if (found.has(key)) continue;
        found.set(key, { activity: implementation.name, activityLocation: implementation.location, error: error as PermanentThrow['error'], evidence });
      }
    }
  }
  return [...found.values()].sort(
    (a, b) => a.error.location.file.localeCompare(b.error.location.file) || a.error.location.line - b.error.location.line || a.activity.localeCompare(b.activity),
  );
}

/** Why a throw reports a permanent condition, or undefined when it does not say so. */
export function permanence(error: ThrownError): PermanentThrow['evidence'] | undefined {
  // A plain error of the language's own (Error, ValueError): a class of the project's is
  // activity-non-retryable-errors-uncovered's, and Temporal's failures say what they are.
  // A raise of a name the SDK lacks (`activity.ApplicationError`) raises AttributeError, whatever its message says: temporal-sdk-name-missing reports it.
  if (error.how !== 'class' || error.type === null || isBusinessErrorType(error.type) || error.missingSdkName) return undefined;
  if (error.nonRetryable !== false || error.retryableByIntent || error.groupsFailures) return undefined;
  // A throw in a catch clause reports a failure that was caught, which may be transient.
  if (error.inCatch || (error.wraps && error.wraps.length > 0)) return undefined;
  if ((error.callDepth ?? 0) > MAX_CALL_DEPTH) return undefined;
  // Without literal text the message says nothing about the condition.
  const text = error.messageText;
  if (text === undefined) return undefined;
  if (TRANSIENT_WORDS.test(text) || WORKER_SETUP.test(text) || READ_AFTER_WRITE.test(text)) return undefined;
  const words = PERMANENT_WORDS.exec(text);
  if (words) return { kind: 'words', words: words[0].replace(/\s+/g, ' ') };
  if (error.guardsMissingRead && !WRITE_RESULT.test(text)) return { kind: 'guard' };
  return undefined;
}
