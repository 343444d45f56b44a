// Prevents Python activity calls that can never succeed: `workflow.execute_activity(fn, args=[a, b])`
// where `fn` takes one parameter, or a call that leaves a required parameter without an argument.
// Nothing on the workflow side counts the arguments; the activity worker calls the function with
// them, and the TypeError that raises before the body runs fails every attempt the same way, so the
// retry policy spends its attempts on a failure no retry can fix (temporalio 1.35.0,
// worker/_activity.py). One finding per call, with the function's definition as related location.

import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { ActivityArgumentMismatch } from '../../model/python/python-activity-arguments.js';
import { defineCheck } from '../define-check.js';
import { listNames } from '../../engine/name-list.js';

export default defineCheck({
  id: 'activity-arguments-mismatch',
  area: 'retries',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description:
    "A Python workflow calls an activity of the project (execute_activity, start_activity, their local and method forms) with more positional arguments than the activity function takes, or fewer than it requires: every attempt fails with TypeError before the activity runs, and no retry can fix it; or passes the SDK call more than one positional argument after the activity, which raises TypeError in the workflow itself",
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    for (const error of model.activityCallArityErrors ?? []) {
      const extra = error.extra.length;
      const where = error.workflows.length > 0 ? `${listNames(error.workflows)}'s code` : 'the workflow code';
      const consequence =
        error.coverage === 'covered'
          ? `The workflow's failure_exception_types cover TypeError, so every run that reaches this line fails.`
          : `TypeError is not a Temporal failure, so the Python SDK fails the workflow task, not the workflow, and retries the task without end${error.coverage === 'unknown' ? ' (unless a failure_exception_types list the review could not read covers TypeError)' : ''}: every run that reaches this line stays stuck here until the code is fixed and deployed.`;
      ctx.report({
        location: error.location,
        message:
          `${error.callText}(...) passes ${extra} positional arguments after the activity (${error.extra.join(', ')}), but the SDK call takes one (\`arg\`); more than one must go in args=[...]. ` +
          `The call raises TypeError in ${where} before anything is scheduled, so the activity never runs and its retry policy and timeouts never apply. ${consequence}`,
        fix: `Pass the arguments as a list: ${error.callText}(<activity>, args=[${error.extra.join(', ')}], ...), or bundle them in one dataclass argument.`,
        data: { kind: 'sdk-call', positionalAfterActivity: extra, workflows: error.workflows, failureTypesCoverTypeError: error.coverage },
      });
    }
    for (const mismatch of model.activityArgumentMismatches ?? []) {
      const why = mismatch.max !== null && mismatch.given > mismatch.max ? `not ${mismatch.given}` : `not ${mismatch.given}: a required parameter gets no argument`;
      ctx.report({
        location: mismatch.location,
        message:
          `${mismatch.callText}(...) calls ${mismatch.local ? 'local ' : ''}activity ${mismatch.activity} with ${mismatch.argumentsText}, but ${mismatch.signature} takes ${takes(mismatch)}, ${why}. ` +
          `The SDK does not count the arguments when it schedules the activity; the worker calls the function with them, so every attempt raises TypeError before the activity's body runs. ` +
          `The retry policy retries a failure no retry can fix: forever when it sets no maximum_attempts; when it does, the workflow gets the activity failure once the attempts are spent.`,
        fix:
          `Pass exactly the arguments ${mismatch.signature} takes (args=[...] in its parameter order; one dataclass argument is easiest to change later), ` +
          `or change the activity to take what the workflow passes, with defaults for the parameters a call may leave out.`,
        related: [{ ...mismatch.definition, message: `${mismatch.signature} takes ${takes(mismatch)}` }],
        data: { activity: mismatch.activity, given: mismatch.given, min: mismatch.min, max: mismatch.max, local: mismatch.local },
      });
    }
  },
});

function takes(mismatch: ActivityArgumentMismatch): string {
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (mismatch.max === null) return `at least ${plural(mismatch.min)}`;
  if (mismatch.min === mismatch.max) return mismatch.min === 0 ? 'no argument' : `exactly ${plural(mismatch.min)}`;
  return `from ${mismatch.min} to ${plural(mismatch.max)}`;
}
