// A workflow that catches the failure of an activity or child workflow, keeps it as data (an
// errors list, a failure value it returns, compensation) and returns normally, so the run ends as
// Completed: the language-neutral shape both front-ends produce (typescript/failures-returned.ts
// reads TypeScript, python/python-failures-returned.ts reads Python). workflow-failure-swallowed
// reports them.

import type { ActivityProxyFacts, SourceLocation } from './types.js';

export interface ReturnedFailure<Proxy extends ActivityProxyFacts = ActivityProxyFacts> {
  workflow: string;
  /** The return statement that ends the run normally after the failure. */
  location: SourceLocation;
  /** Each catch that keeps the failure, with the call whose failure it takes. */
  catches: {
    location: SourceLocation;
    callLocation: SourceLocation;
    what: string;
    via?: string;
    proxy?: Proxy;
    /** Python: the failure came back among the results of `asyncio.gather(..., return_exceptions=True)` and an `isinstance` test keeps it. */
    gathered?: true;
  }[];
  /** The proxies of the activity calls the caught try blocks make (any of them, not only the first). */
  proxies: Set<Proxy>;
  /**
   * Every activity and child workflow call the caught try blocks make (written in them, outside
   * nested functions and nested tries that catch), with the catches' own calls (also one reached
   * through a helper): the calls whose failure can reach the catches.
   */
  calls: CaughtCall<Proxy>[];
  /** True when a catch runs other activities or child workflows (compensation). */
  compensates: boolean;
  /**
   * True when a catch hands the error to an activity outside a try of its own
   * (`await markFailed(id, err)`): the application records the failure itself.
   */
  reported: boolean;
  /** True when the returned value says whether the run failed (a success / status field, a literal). */
  distinguishes: boolean;
  /**
   * True when the returned value has an `error` / `errorMessage` / `errorCode` field: a caller can
   * tell the run failed, though nothing in the value makes it act (the retry window still ends the step).
   */
  carriesError: boolean;
  /** The starts of this workflow found in the code, and whether any of them waits for the result. */
  starts: number;
  resultRead: boolean;
  /**
   * When no start waits for the result but the project reads it later by the workflow id
   * (`get_workflow_handle(id).result()`, `getHandle(id).result()`, a query the workflow defines):
   * the first such read. `typed` is false for a handle that names no workflow type.
   */
  laterReader?: { location: SourceLocation; kind: 'result' | 'query'; typed: boolean };
}

/** An activity or child workflow call in a caught try block. */
export interface CaughtCall<Proxy extends ActivityProxyFacts = ActivityProxyFacts> {
  kind: 'activity' | 'child';
  /** `activity chargeCard`, `child workflow shipOrder`. */
  what: string;
  location: SourceLocation;
  /** The activity type an activity call schedules, when known. */
  activity?: string;
  proxy?: Proxy;
  /**
   * A child workflow found in the code whose run cannot end as Failed: its whole body sits in a try
   * whose catch (except clause) takes every error and returns a value. Only a start conflict, a
   * timeout, a cancellation or a termination of the child reaches the parent.
   */
  childCannotFail?: { workflow: string; location: SourceLocation };
}

/** Property names of a result that tell a caller whether the run succeeded. */
export const STATUS_FIELD = /success|succeed|fail|status|state|outcome|complete|^(ok|result|partial|hasErrors|has_errors)$/i;

/** Property names of a result that carry the error of a failed run. */
export const ERROR_FIELD = /^(error|error_?message|error_?code)$/i;
