// A continue-as-new that a catch in workflow code takes: the language-neutral shape both
// front-ends produce (typescript/caught-continue-as-new.ts, python/python-caught-continue-as-new.ts);
// continue-as-new-caught reports them.
//
// TypeScript's `continueAsNew(...)` (and the function `makeContinueAsNewFunc(...)` returns) never
// returns: it rejects with a ContinueAsNew error, which the SDK turns into the continue-as-new
// command only when it leaves the workflow function (`error instanceof ContinueAsNew` in
// handleWorkflowFailure, @temporalio/workflow internals.ts). Python's `workflow.continue_as_new()`
// raises ContinueAsNewError, a BaseException (temporalio 1.35.0), so only a bare `except:` or an
// `except BaseException:` takes it.

import type { SourceLocation } from './types.js';

export interface CaughtContinueAsNew {
  /** The catch clause (Python: the except clause) that takes the continue-as-new. */
  location: SourceLocation;
  /** The continue-as-new call. */
  callLocation: SourceLocation;
  /** Other continue-as-new calls the same catch takes. */
  otherCalls: SourceLocation[];
  /** The helper the try calls that continues as new, when the call is one level down. */
  via?: string;
  /** `swallows`: the catch never lets it out; `unclear`: it may, under a condition the review cannot weigh. */
  verdict: 'swallows' | 'unclear';
  /**
   * What the catch does instead, read from its last statement: throws an ApplicationFailure
   * (`throws-failure`), throws another error (`throws-other`), returns (`returns`), continues as new
   * itself with other arguments (`continues-again`), or falls through to the code after the try
   * (`goes-on`).
   */
  outcome: 'throws-failure' | 'throws-other' | 'returns' | 'continues-again' | 'goes-on';
  /** How the clause reads: `catch (err)`, `catch`, `except:`, `except BaseException as e`. */
  caught: string;
  /**
   * For `unclear`: the catch ends by throwing the caught error again, so only the branches before
   * that (under `unclearAt`) keep the continue-as-new; often a check of the run's own state (a
   * cancel flag) that is false whenever continue-as-new happens.
   */
  endsRethrowing?: boolean;
  /** For `unclear`: the condition (or the value) the review cannot weigh. */
  unclearAt?: { location: SourceLocation; text: string };
  /** True when the try sits in a loop. */
  inLoop: boolean;
  /** The workflow (or function) whose code holds the try. */
  functionName?: string;
}
