// Prevents workflows that are stuck while looking alive: an error that is not an ApplicationFailure
// fails the workflow task instead of the workflow, and the server retries that task forever (TEMPORAL-FACTS.md §1).

import path from 'node:path';
import type { SourceLocation, TemporalModel, WorkerDefinition } from '../../model/typescript/types.js';
import { workflowFailureExceptionTypes, type FailureExceptionTypes } from '../../model/typescript/sandbox/failure-exception-types.js';
import { workflowThrows, type WorkflowThrow } from '../../model/typescript/sandbox/workflow-throws.js';
import type { AfterLoopExit } from '../../model/typescript/sandbox/after-loop-exit.js';
import type { MissingActivityResult } from '../../model/typescript/sandbox/activity-null-result.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { WorkflowRaise as PythonWorkflowRaise } from '../../model/python/python-workflow-code.js';
import { defineCheck, type CheckContext } from '../define-check.js';

type Coverage = 'covered' | 'uncovered' | 'unknown';

export default defineCheck({
  id: 'workflow-throws-plain-error',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow throws something that is not an ApplicationFailure, and no workflowFailureErrorTypes entry covers it',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    if (model.language === 'python') return reportPython(ctx);
    const definitionTypes = workflowFailureExceptionTypes(model);
    for (const thrown of workflowThrows(model)) {
      const { value } = thrown;
      const workflows = thrown.workflows.join(', ');
      if (value.kind === 'failure') continue;
      const typeNames = value.kind === 'plain' ? value.typeNames : [];
      const coverages = thrown.workflows.map((name) => coverage(model, name, typeNames, definitionTypes.get(name)));
      if (coverages.every((c) => c === 'covered')) continue;
      if (value.kind === 'rethrow' || value.kind === 'unknown') {
        ctx.report({
          location: thrown.location,
          severity: 'info',
          message:
            `Workflow ${workflows} throws ${thrown.text}, whose type the reviewer cannot tell. If it is not an ` +
            `ApplicationFailure (for example an Error from your own code), the workflow task fails and is retried forever.`,
          fix: 'Wrap it: throw ApplicationFailure.fromError(err) (or ApplicationFailure.nonRetryable(message, type)), or rethrow only Temporal failures.',
          ...(thrown.reaches.length > 0 ? { related: reachesOf(thrown) } : {}),
          data: { workflows: thrown.workflows },
        });
        continue;
      }
      if (thrown.exhaustive) {
        reportExhaustive(ctx, thrown.location, workflows, thrown.text, value.typeNames[0], thrown.workflows);
        continue;
      }
      const typeName = value.typeNames[0];
      const what = typeName ? (value.isError ? `a plain ${typeName}` : `a ${typeName} value`) : 'a value that is not an Error';
      const listed = typeName ?? 'Error';
      if (thrown.afterLoop && coverages.includes('uncovered')) {
        reportAfterLoop(ctx, thrown, thrown.afterLoop, workflows, what, typeName, listed);
        continue;
      }
      if (thrown.inputDetermined && coverages.includes('uncovered')) {
        const how = thrown.assertionModule
          ? `calls ${thrown.text} from ${thrown.assertionModule}, which throws a plain Error when the condition fails`
          : thrown.assertion
          ? `calls ${thrown.text} from Node's assert module, which throws a plain AssertionError when it fails`
          : `throws ${what} (${thrown.text})`;
        const failureType = thrown.assertionModule ? 'InvariantViolation' : thrown.assertion ? 'AssertionError' : typeName && typeName !== 'Error' ? typeName : 'InvalidInput';
        reportInputDetermined(ctx, thrown, workflows, how, failureType, typeName);
        continue;
      }
      // A null guard may well be unreachable (there for the type checker): say what happens if it fires, as info,
      // unless the value it tests comes from an activity whose implementation returns null or undefined on a path.
      const missing = thrown.nullGuard && coverages.includes('uncovered') ? thrown.missingResult : undefined;
      if (missing) {
        reportMissingResult(ctx, thrown, missing, workflows, what, typeName, listed);
        continue;
      }
      ctx.report({
        location: thrown.location,
        severity: coverages.includes('uncovered') && !thrown.nullGuard ? 'error' : 'info',
        message:
          (thrown.assertionModule
            ? `Workflow ${workflows} calls ${thrown.text} from ${thrown.assertionModule}, which throws a plain Error when the condition fails, not an ApplicationFailure. The SDK fails the workflow `
            : thrown.assertion
            ? `Workflow ${workflows} calls ${thrown.text} from Node's assert module, which throws a plain AssertionError when it fails, not an ApplicationFailure. The SDK fails the workflow `
            : `Workflow ${workflows} throws ${what} (${thrown.text}), not an ApplicationFailure. The SDK fails the workflow `) +
          `task instead of the workflow, and the server retries that task forever: the workflow looks alive but is stuck.` +
          (thrown.nullGuard && coverages.includes('uncovered') ? ' It guards against a missing value; if that cannot happen, this is only the type checker\'s due, and the risk is the day it does.' : ''),
        fix: thrown.assertionModule
          ? `Test the condition and throw ApplicationFailure.nonRetryable(message, 'InvariantViolation') to fail the workflow (or use an assertion helper that does), or add 'Error' to the worker's workflowFailureErrorTypes (which makes every plain Error fail the workflow).`
          : thrown.assertion
          ? `Test the condition and throw ApplicationFailure.nonRetryable(message, 'AssertionError') to fail the workflow, or add 'AssertionError' to the worker's workflowFailureErrorTypes.`
          : `Throw ApplicationFailure.nonRetryable(message, '${typeName && typeName !== 'Error' ? typeName : 'InvalidInput'}') to fail the workflow, ` +
            `or add '${listed}' to the worker's workflowFailureErrorTypes.`,
        ...(thrown.reaches.length > 0 ? { related: reachesOf(thrown) } : {}),
        data: { errorType: typeName ?? null, workflows: thrown.workflows },
      });
    }
  },
});

/**
 * A null guard on the result of an activity that returns null or undefined on a path the review
 * can see (`if (!row) return null`): a missing row reaches the guard, and since the activity's
 * result is in the history, every retry of the workflow task throws again. The run shows Running.
 */
function reportMissingResult(
  ctx: CheckContext,
  thrown: WorkflowThrow,
  missing: MissingActivityResult,
  workflows: string,
  what: string,
  typeName: string | undefined,
  listed: string,
): void {
  const at = `${path.relative(ctx.root, missing.location.file).split(path.sep).join('/')}:${missing.location.line}`;
  ctx.report({
    location: thrown.location,
    severity: 'error',
    message:
      (thrown.assertionModule
        ? `Workflow ${workflows} calls ${thrown.text} from ${thrown.assertionModule}, which throws a plain Error when \`${missing.variable}\` is missing, and the activity ${missing.activity} `
        : thrown.assertion
        ? `Workflow ${workflows} calls ${thrown.text} from Node's assert module, which throws a plain AssertionError when \`${missing.variable}\` is missing, and the activity ${missing.activity} `
        : `Workflow ${workflows} throws ${what} (${thrown.text}) when \`${missing.variable}\` is missing, and the activity ${missing.activity} `) +
      (missing.property
        ? `returns a result whose ${missing.property} is ${missing.nothing} ${missing.when}, at ${at}: this guard fires for a record without it. A plain error is not an `
        : `returns ${missing.nothing} ${missing.when}, at ${at}: this guard fires for a record that is not there. A plain error is not an `) +
      `ApplicationFailure: the SDK fails the workflow task instead of the workflow, and since the activity's result is in the history, ` +
      `every retry of the task throws again. The run shows Running and never ends.`,
    fix:
      `${thrown.assertion ? 'Test the value and throw' : 'Throw'} ApplicationFailure.nonRetryable(message, '${typeName && typeName !== 'Error' && !thrown.assertion ? typeName : 'NotFound'}') ` +
      `so the run fails visibly, or add '${thrown.assertionModule ? 'Error' : listed}' to the worker's workflowFailureErrorTypes.`,
    related: [{ ...missing.location, message: missing.property ? `${missing.activity} leaves ${missing.property} ${missing.nothing} here` : `${missing.activity} returns ${missing.nothing} here` }, ...(thrown.reaches.length > 0 ? reachesOf(thrown) : [])],
    data: { errorType: typeName ?? null, workflows: thrown.workflows, nullGuard: true, missingResult: missing.activity },
  });
}

/**
 * A throw right after a counted loop whose last turn returns or throws on every path: it runs only
 * when the loop never gets to that turn (a bound below the start, or one that is not an integer),
 * so it is a defensive line: info, with what would make it run.
 */
function reportAfterLoop(ctx: CheckContext, thrown: WorkflowThrow, after: AfterLoopExit, workflows: string, what: string, typeName: string | undefined, listed: string): void {
  ctx.report({
    location: thrown.location,
    severity: 'info',
    message:
      `Workflow ${workflows} throws ${what} (${thrown.text}) after the loop \`${after.loop}\`, whose last turn returns or throws on every path: ` +
      `it runs only if the loop never gets to that turn (\`${after.bound}\` below the start of \`${after.counter}\`, or not an integer). ` +
      `If that happens, a plain error is not an ApplicationFailure: the SDK fails the workflow task instead of the workflow, and the server retries that task forever.`,
    fix: `Throw ApplicationFailure.nonRetryable(message, '${typeName && typeName !== 'Error' ? typeName : 'InvalidState'}') there so the impossible case fails the run visibly, or add '${listed}' to the worker's workflowFailureErrorTypes.`,
    ...(thrown.reaches.length > 0 ? { related: reachesOf(thrown) } : {}),
    data: { errorType: typeName ?? null, workflows: thrown.workflows, afterLoop: after.kind },
  });
}

/**
 * A throw only a bad input reaches (its guards read the workflow's input alone): info, since what it
 * waits for is a start that passes such input, which the starters may well rule out; when one does,
 * the task fails on every attempt instead of the run failing.
 */
function reportInputDetermined(ctx: CheckContext, thrown: WorkflowThrow, workflows: string, what: string, type: string, typeName: string | undefined): void {
  const decided = thrown.inputDetermined!;
  const when = decided.missing
    ? `only when the workflow's input lacks ${decided.missing}`
    : `and whether it runs depends only on \`${decided.condition}\`, a test that reads the workflow's input alone`;
  ctx.report({
    location: thrown.location,
    severity: 'info',
    message:
      `Workflow ${workflows} ${what}, not an ApplicationFailure, ${when}${decided.missing ? ' (a check on the input alone)' : ''}. ` +
      `A start with such input gets a workflow task that fails and is retried forever instead of a failed run.`,
    fix: `${thrown.assertion ? 'Test the condition and throw' : 'Throw'} ApplicationFailure.nonRetryable(message, '${type}') so a start with bad input fails visibly, or add '${typeName ?? 'Error'}' to the worker's workflowFailureErrorTypes.`,
    ...(thrown.reaches.length > 0 ? { related: reachesOf(thrown) } : {}),
    data: { errorType: typeName ?? null, workflows: thrown.workflows, inputDetermined: true },
  });
}

/** Where each workflow calls into the function that throws: every workflow's reach, not only the first one's. */
function reachesOf(thrown: WorkflowThrow): { file: string; line: number; column: number; message: string }[] {
  return thrown.reaches.slice(0, 8).map((reach) => ({ ...reach.via, message: `workflow ${reach.workflow} reaches it through this call` }));
}

/**
 * The call of an exhaustiveness helper (a `never` parameter, then a throw): the types say it is
 * unreachable, so info; a signal payload or stored record of a kind this code does not know still
 * gets there, and then the workflow task fails and is retried forever.
 */
function reportExhaustive(ctx: CheckContext, location: SourceLocation, workflows: string, text: string, typeName: string | undefined, names: string[]): void {
  ctx.report({
    location,
    severity: 'info',
    message:
      `Workflow ${workflows} calls ${text}, an exhaustiveness check that throws a plain ${typeName ?? 'Error'}, not an ApplicationFailure. ` +
      `The types say no value gets there, but one they did not foresee (a signal or input of a kind added later, a record written by another version) does: ` +
      `then the SDK fails the workflow task instead of the workflow, and the server retries that task forever.`,
    fix:
      `In workflow code, end the switch with throw ApplicationFailure.nonRetryable(\`unexpected value\`, 'UnexpectedValue') (or log and skip the value), ` +
      `or add '${typeName ?? 'Error'}' to the worker's workflowFailureErrorTypes.`,
    data: { errorType: typeName ?? null, workflows: names, exhaustive: true },
  });
}

/** Whether the worker options or the workflow's failureExceptionTypes turn this error into a workflow failure. */
function coverage(model: TemporalModel, workflowName: string, typeNames: string[], definition: FailureExceptionTypes | undefined): Coverage {
  const matches = (names: string[]) => failureTypesCover(names, typeNames);
  if (definition && definition !== 'unknown' && matches(definition)) return 'covered';
  const workflow = model.workflows.find((w) => w.name === workflowName);
  const workers = workflow?.workerIds.length ? model.workers.filter((w) => workflow.workerIds.includes(w.id)) : model.workers;
  const coveredBy = (worker: WorkerDefinition) => {
    const byWorkflow = worker.workflowFailureErrorTypesByWorkflow ?? { '*': worker.workflowFailureErrorTypes };
    return matches([...(byWorkflow['*'] ?? []), ...(byWorkflow[workflowName] ?? [])]);
  };
  const workerCovered = workflow?.workerIds.length ? workers.length > 0 && workers.every(coveredBy) : workers.some(coveredBy);
  if (workerCovered) return 'covered';
  return definition === 'unknown' ? 'unknown' : 'uncovered';
}

/**
 * Whether error types listed as workflow failures (workflowFailureErrorTypes, failureExceptionTypes)
 * cover a thrown value of these types (the class and its ancestors); 'Error' covers every error.
 */
export function failureTypesCover(listed: string[], typeNames: string[]): boolean {
  return listed.includes('Error') || typeNames.some((name) => listed.includes(name));
}

/**
 * Python: the SDK fails the workflow only for a FailureError (ApplicationError, ActivityError,
 * ChildWorkflowError, CancelledError, ...), asyncio.TimeoutError or a listed type; any other exception
 * fails the workflow task, retried forever (temporalio 1.35.0, worker/_workflow_instance.py,
 * workflow_is_failure_exception). Severity as for TypeScript: error, info for a null guard (the
 * raise only reacts to a value the workflow did not get as input being missing) or when a worker's
 * list cannot be read; a null guard on the result of an activity that returns None on a path the
 * review can see (python-null-results.ts) is an error again.
 */
function reportPython(ctx: CheckContext): void {
  for (const raised of pythonModelOf(ctx.model)?.workflowCode.raises ?? []) {
    const workflows = raised.workflows.join(', ');
    // `raise workflow.ApplicationError(...)`: temporalio.workflow has no such name, the line raises AttributeError.
    const sdkName = raised.missingSdkName;
    const text = sdkName ? `${raised.text}: ${sdkName} does not exist, so the line raises AttributeError` : raised.text;
    const missingFix = sdkName ? `Import ApplicationError from temporalio.exceptions and raise that: ${sdkName} does not exist, so this line raises AttributeError whatever its arguments say.` : undefined;
    const update = raised.updateHandlers?.length ? raised.updateHandlers.join(', ') : undefined;
    const reraised = raised.reraisedAt?.length
      ? ` An \`except\` clause catches it and raises it again (${raised.reraisedAt.map((at) => (at.file === raised.location.file ? `line ${at.line}` : `${at.file.split(/[\\/]/).pop()}:${at.line}`)).join(', ')}), so it still leaves the workflow code.`
      : '';
    const related: Related[] = [
      ...(raised.via?.length ? [{ ...raised.via[0]!, message: `workflow ${raised.workflows[0]} reaches it through this call` }] : []),
      ...(raised.reraisedAt ?? []).slice(0, 4).map((at) => ({ ...at, message: `the except clause raises it again here` })),
    ];
    const missing = raised.nullGuard && raised.coverage === 'uncovered' ? raised.missingResult : undefined;
    if (raised.assertion) {
      reportPythonAssert(ctx, raised, workflows, update, reraised, related, missing);
      continue;
    }
    if (raised.inputDetermined && raised.coverage === 'uncovered' && !update) {
      ctx.report({
        location: raised.location,
        severity: 'info',
        message:
          `Workflow ${workflows} raises a plain ${raised.type} (${text}), not an ApplicationError, and whether it runs depends only on ` +
          `\`${raised.inputDetermined}\`, a test that reads the workflow's input alone.${reraised} A start with such input gets a workflow task that fails ` +
          `and is retried forever instead of a failed run.`,
        fix: missingFix ?? `Raise ApplicationError(message, type="${raised.type}", non_retryable=True) so a start with bad input fails visibly, or list ${raised.type} in the worker's workflow_failure_exception_types.`,
        ...(related.length ? { related } : {}),
        data: { errorType: raised.type, workflows: raised.workflows, inputDetermined: true, ...(raised.reraisedAt?.length ? { reraised: true } : {}) },
      });
      continue;
    }
    ctx.report({
      location: raised.location,
      severity: raised.coverage === 'uncovered' && (!raised.nullGuard || missing) ? 'error' : 'info',
      message:
        (update
          ? `Workflow ${workflows} raises a plain ${raised.type} (${text}) in its update handler ${update}, not an ApplicationError. ` +
            `The Python SDK (temporalio 1.35.0) does not fail just the update: once the update is accepted, an exception that is not an ApplicationError ` +
            `(nor a listed failure type) fails the whole workflow task, which the server retries; the caller gets no answer and the workflow makes no progress ` +
            `while the handler keeps raising. Only a validator's exception rejects the update.`
          : `Workflow ${workflows} raises a plain ${raised.type} (${text}), not an ApplicationError. The Python SDK fails the workflow ` +
            `task instead of the workflow, and the server retries that task forever: the workflow looks alive but is stuck.`) +
        reraised +
        (missing
          ? ` It guards against \`${missing.variable}\` being None, and the activity ${missing.activity} returns None ${missing.when}, at ` +
            `${path.relative(ctx.root, missing.location.file).split(path.sep).join('/')}:${missing.location.line}: this guard fires for a record that is not there, ` +
            `and since the activity's result is in the history, every retry of the task raises again.`
          : '') +
        (raised.nullGuard && !missing && raised.coverage === 'uncovered' ? ' It only guards against a missing value (not the workflow\'s input); if that cannot happen the raise never runs, and the risk is the day it does.' : '') +
        (raised.coverage === 'unknown' ? ' (Some workflow_failure_exception_types could not be read: it may be listed there.)' : ''),
      fix: missingFix
        ? missingFix
        : update
        ? `Raise ApplicationError(message, type="${raised.type}") to fail the update alone (its caller gets the error), or check the input in an ` +
          `@${raised.updateHandlers![0]}.validator to reject the update before it is accepted.`
        : `Raise ApplicationError(message, type="${raised.type}", non_retryable=True) to fail the workflow, or list ${raised.type} in the worker's ` +
          `workflow_failure_exception_types (or @workflow.defn(failure_exception_types=[${raised.type}])).` +
          (raised.reraisedAt?.length ? ' Where the except clause raises it again, raise ApplicationError(str(err), type=type(err).__name__, non_retryable=True) from err for errors that are not Temporal failures.' : ''),
      ...(related.length || missing ? { related: [...(missing ? [{ ...missing.location, message: `${missing.activity} returns None here` }] : []), ...related] } : {}),
      data: { errorType: raised.type, workflows: raised.workflows, ...(missing ? { missingResult: missing.activity } : {}), ...(update ? { updateHandlers: raised.updateHandlers } : {}), ...(raised.reraisedAt?.length ? { reraised: true } : {}), ...(raised.nullGuard ? { nullGuard: true } : {}) },
    });
  }
}

type Related = SourceLocation & { message: string };

/**
 * `assert condition` in Python workflow code: a false condition raises AssertionError, which fails
 * the workflow task as a plain raise does. Severity as for the raise under `if not condition:`:
 * info for a check of the run method's input or for an assert that only tests a value other than the
 * input for missing (unless an activity whose result it tests returns None on a path), else error.
 */
function reportPythonAssert(ctx: CheckContext, raised: PythonWorkflowRaise, workflows: string, update: string | undefined, reraised: string, related: Related[], missing: PythonWorkflowRaise['missingResult']): void {
  const uncovered = raised.coverage === 'uncovered';
  const input = raised.inputDetermined && uncovered && !update;
  const severity = input ? 'info' : uncovered && (!raised.nullGuard || missing) ? 'error' : 'info';
  const what = `Workflow ${workflows} asserts \`${raised.text.replace(/^assert\s+/, '').replace(/\s+/g, ' ')}\`${update ? ` in its update handler ${update}` : ''}: when that is false, Python raises AssertionError, not an ApplicationError.`;
  const outcome = update
    ? ` Once the update is accepted, an exception that is not an ApplicationError (nor a listed failure type) fails the whole workflow task, which the server retries; the caller gets no answer and the workflow makes no progress while the handler keeps failing.`
    : input
    ? ` Whether it holds depends only on \`${raised.inputDetermined}\`, a test that reads the workflow's input alone: a start with such input gets a workflow task that fails and is retried forever instead of a failed run.`
    : ` The Python SDK fails the workflow task instead of the workflow, and the server retries that task forever: the workflow looks alive but is stuck.`;
  const guard = missing
    ? ` It asserts \`${missing.variable}\` is there, and the activity ${missing.activity} returns None ${missing.when}, at ` +
      `${path.relative(ctx.root, missing.location.file).split(path.sep).join('/')}:${missing.location.line}: the assert fails for a record that is not there, ` +
      `and since the activity's result is in the history, every retry of the task fails again.`
    : raised.nullGuard && uncovered && !input
    ? ' It only asserts that a value (not the workflow\'s input) is there; if it cannot be missing the assert never fails, and the risk is the day it does.'
    : '';
  ctx.report({
    location: raised.location,
    severity,
    message: what + outcome + reraised + guard + (raised.coverage === 'unknown' ? ' (Some workflow_failure_exception_types could not be read: AssertionError may be listed there.)' : ''),
    fix: update
      ? `Test the condition and raise ApplicationError(message, type="AssertionError") to fail the update alone, or check the input in an @${raised.updateHandlers![0]}.validator.`
      : `Test the condition and raise ApplicationError(message, type="${missing ? 'NotFound' : input ? 'InvalidInput' : 'AssertionError'}", non_retryable=True) to fail the workflow, ` +
        `or list AssertionError in the worker's workflow_failure_exception_types (or @workflow.defn(failure_exception_types=[AssertionError])).`,
    ...(related.length || missing ? { related: [...(missing ? [{ ...missing.location, message: `${missing.activity} returns None here` }] : []), ...related] } : {}),
    data: {
      errorType: 'AssertionError',
      workflows: raised.workflows,
      assertion: true,
      ...(missing ? { missingResult: missing.activity } : {}),
      ...(update ? { updateHandlers: raised.updateHandlers } : {}),
      ...(input ? { inputDetermined: true } : {}),
      ...(raised.reraisedAt?.length ? { reraised: true } : {}),
      ...(raised.nullGuard ? { nullGuard: true } : {}),
    },
  });
}
