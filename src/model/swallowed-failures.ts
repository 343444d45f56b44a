// A workflow that catches the failure of an activity or child workflow and only logs it: the
// language-neutral shape both front-ends produce (typescript/swallowed-failures.ts reads
// TypeScript, python/python-swallowed-failures.ts reads Python), and the words that mark such a
// catch as deliberate. workflow-failure-swallowed reports them.

import type { ActivityProxyFacts, SourceLocation } from './types.js';

export interface SwallowedFailure {
  /** The catch (except) clause, the `if` that logs rejected allSettled results (or gathered exceptions), or the gather (allSettled) statement whose results nobody checks. */
  location: SourceLocation;
  /** The activity or child workflow call whose failure is swallowed. */
  callLocation: SourceLocation;
  /** `activity chargeCard`, `child workflow shipOrder`. */
  what: string;
  /** The helper the try calls that makes the call, when the call is one level down. */
  via?: string;
  /**
   * `gatherResults`: Python's `asyncio.gather(..., return_exceptions=True)`, whose results hold the
   * failures as exception objects that nothing checks.
   */
  shape: 'catch' | 'promiseCatch' | 'allSettled' | 'settledResults' | 'gatherResults';
  /**
   * For `gatherResults` and `allSettled`, what happens to the settled results: `logged` (the
   * failures among them are only logged), `dropped` (the statement discards them), `unread` (held in
   * a variable nothing reads), `fulfilledOnly` (only the fulfilled ones are read, TypeScript).
   */
  results?: 'logged' | 'dropped' | 'unread' | 'fulfilledOnly';
  /** The settled results are dropped inside a catch (except) or finally clause: the run may be failing anyway. */
  inCleanup?: boolean;
  /** True when the try sits in a loop: the workflow goes on to the next round. */
  inLoop: boolean;
  /** The activity call (proxy) of the swallowed call, when it is an activity. */
  proxy?: ActivityProxyFacts;
}

/** Words in a comment (or in the handler itself) that say the step may fail without failing the run. */
export const BEST_EFFORT =
  /best[- ]?effort|\bignor|non[- ]?critical|not critical|optional|non[- ]?fatal|not fatal|(don'?t|do not|should not|shouldn'?t|must not|never) (fail|block|break|stop)|fire[- ]and[- ]forget|swallow|allow(s|ing)? (the )?(workflow|run|process|loop) to (continue|proceed)|(continue|proceed)(s|ing)? anyway|without failing|(don'?t|do not|never|should not|shouldn'?t) (re)?throw|(don'?t|do not) want\b[^\n]{0,60}\bto (fail|block|break)/i;

/** Method names of a logger (`log.warn`, `logger.exception`). */
export const LOG_METHODS = new Set(['log', 'error', 'warn', 'warning', 'info', 'debug', 'trace', 'fatal', 'exception']);
