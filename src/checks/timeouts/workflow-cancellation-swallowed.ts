// Keeps workflow cancellation working in Python workflow code. When a workflow is cancelled while
// it waits on an activity or a child workflow, the SDK cancels that call and raises the
// cancellation out of the `await` as an ActivityError (or ChildWorkflowError) whose cause is a
// temporalio CancelledError: an ordinary Exception. An `except Exception:` (bare `except:`,
// `except ActivityError:`) around the call that neither raises nor checks
// `is_cancelled_exception(e)` takes it like any failure, and the workflow goes on with its next
// steps: the cancel request is used up and the run finishes as if nobody had asked it to stop.
// Warning when the project checks for cancellation in other except clauses of its workflow code
// (it means to honour cancellation, and this clause breaks it); info otherwise.

import { defineCheck } from '../define-check.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';

export default defineCheck({
  id: 'workflow-cancellation-swallowed',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'An except clause in workflow code takes the cancellation of an activity or child workflow and goes on, so a cancelled run keeps running',
  run(ctx) {
    const model = ctx.model;
    const python = model ? pythonModelOf(model) : undefined;
    if (!python) return;
    for (const swallowed of python.swallowedCancellations ?? []) {
      const call = swallowed.via ? `${swallowed.what} (called in ${swallowed.via})` : swallowed.what;
      const clause = swallowed.caught === 'bare' ? 'This bare except' : `This except ${swallowed.caught}`;
      ctx.report({
        location: swallowed.location,
        severity: swallowed.handlesCancellationElsewhere ? 'warning' : 'info',
        message:
          `${clause} also takes the cancellation of ${call}: when the workflow is cancelled during the call, the SDK raises it as an ` +
          `ActivityError/ChildWorkflowError whose cause is a CancelledError (an ordinary Exception), and this clause neither raises nor checks for it. ` +
          'The workflow then carries on with its next steps and finishes as if the cancel request had never come.' +
          (swallowed.handlesCancellationElsewhere ? ' Other except clauses of this workflow code do check for cancellation, so this one is the gap.' : ''),
        fix:
          'Raise cancellations again first: `except Exception as e: if is_cancelled_exception(e): raise` (from temporalio.exceptions), ' +
          'then handle the other failures as before.',
        related: [{ ...swallowed.callLocation, message: `the call whose cancellation is taken (${swallowed.what})` }],
        data: { call: swallowed.what, caught: swallowed.caught, ...(swallowed.via ? { via: swallowed.via } : {}), handlesCancellationElsewhere: swallowed.handlesCancellationElsewhere },
      });
    }
  },
});
