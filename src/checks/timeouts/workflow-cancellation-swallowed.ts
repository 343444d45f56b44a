// Keeps workflow cancellation working in Python workflow code. When a workflow is cancelled while
// it waits on an activity or a child workflow, the SDK cancels that call and raises the
// cancellation out of the `await` as an ActivityError (or ChildWorkflowError) whose cause is a
// temporalio CancelledError: an ordinary Exception. An `except Exception:` (bare `except:`,
// `except ActivityError:`) around the call that neither raises nor checks
// `is_cancelled_exception(e)` takes it like any failure, and the workflow goes on with its next
// steps: the cancel request is used up and the run finishes as if nobody had asked it to stop.
// Warning when the project checks for cancellation in other except clauses of its workflow code
// (it means to honour cancellation, and this clause breaks it); info otherwise.
//
// In TypeScript workflow code a cancelled root scope stays cancelled, so the next wait after a
// swallowing catch rejects again and the run still ends as cancelled; the defect is a catch that
// takes everything inside an endless loop: every later activity, timer or condition rejects at once,
// the loop spins without yielding, and the workflow task fails on the isolate timeout for ever
// (see cancellation-spin-loops.ts). Always a warning.

import { defineCheck } from '../define-check.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { cancellationSpinLoops } from '../../model/typescript/cancellation-spin-loops.js';

export default defineCheck({
  id: 'workflow-cancellation-swallowed',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A catch in workflow code takes the cancellation of an activity or child workflow and goes on, so a cancelled run keeps running (TypeScript: spins in an endless loop)',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    if (!python) {
      if (model.language === 'python') return;
      for (const spin of cancellationSpinLoops(model)) {
        const call = spin.via ? `${spin.what} (${spin.via}, called through ${spin.text})` : spin.what;
        ctx.report({
          location: spin.location,
          severity: 'warning',
          message:
            `This catch takes every error, the cancellation of ${call} included, and goes round \`${spin.loopText}\` again with no way out. ` +
            'Once the workflow is cancelled its root scope stays cancelled: the awaited call rejects, and every later activity, timer, child workflow or condition ' +
            'in the loop rejects at once without sending a command. The loop then spins without yielding, the workflow task fails on the worker\'s ' +
            'isolate execution timeout (5 s) and is retried for ever, so the run never finishes its cancellation.',
          fix:
            'Leave the loop on a cancellation first: `catch (err) { if (isCancellation(err)) throw err; ... }` (isCancellation from @temporalio/workflow), ' +
            'then handle the other failures as before.',
          related: [
            { ...spin.callLocation, message: `the wait whose cancellation is taken (${spin.what})` },
            { ...spin.loopLocation, message: `the loop (${spin.loopText})` },
          ],
          data: { call: spin.what, ...(spin.via ? { via: spin.via } : {}), loop: spin.loopText, workflows: spin.workflows },
        });
      }
      return;
    }
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
