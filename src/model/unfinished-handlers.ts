// Workflows that can complete (return, or continue as new) while an async signal or update
// handler is still running: the language-neutral shape both front-ends produce
// (typescript/unfinished-handlers.ts, python/python-unfinished-handlers.ts); the check
// workflow-handlers-unfinished reports them.
//
// The SDKs abandon a handler that is still running when the workflow exits (return, failure,
// cancellation or continue-as-new), log "[TMPRL1102] Workflow finished while a signal/update handler
// was still running" for handlers left at the default HandlerUnfinishedPolicy.WARN_AND_ABANDON, and
// the client of an unfinished update receives an error instead of its result (@temporalio/workflow
// 1.24 lib/internals.js warnIfUnfinishedHandlers; temporalio 1.35.0 worker/_workflow_instance.py
// _warn_if_unfinished_handlers). The fix is `await condition(allHandlersFinished)` (Python:
// `await workflow.wait_condition(workflow.all_handlers_finished)`) before the workflow returns or
// continues as new.

import type { SourceLocation } from './types.js';

/** What a handler waits for that outlives one workflow task. */
export type DurableWorkKind = 'activity' | 'child' | 'timer' | 'condition';

export interface UnfinishedHandler {
  kind: 'signal' | 'update';
  /** The message name as written (a string literal's value, else the source text). */
  name: string;
  /** TypeScript: the setHandler call; Python: the handler method's name. */
  location: SourceLocation;
  /** The first durable await the handler makes (directly or through a helper it awaits). */
  work: { kind: DurableWorkKind; text: string; location: SourceLocation; via?: string };
}

export interface WorkflowHandlersUnfinished {
  workflow: string;
  /** The workflow function (TypeScript) or the `@workflow.run` method (Python). */
  location: SourceLocation;
  handlers: UnfinishedHandler[];
  /** How the run can end while handlers run: a return / the end of the function, or a continue-as-new. */
  exit: { kind: 'return' | 'continue-as-new'; location: SourceLocation };
}
