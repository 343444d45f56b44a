// Points at workflows that can wait forever on someone else: `await condition(pred)` with no
// timeout, where only a signal handler can make `pred` true. If the sender never signals, the
// run stays open with nothing failed and nothing alerting, and whatever it holds stays held.
// Python: `await workflow.wait_condition(pred)` with no timeout, read by
// model/python/python-untimed-signal-waits.ts.

import { defineCheck, type CheckContext } from '../define-check.js';
import { relative } from '../../engine/run-checks.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { PythonModel } from '../../model/python/build-python-model.js';
import { untimedSignalWaits } from '../../model/typescript/untimed-signal-waits.js';
import type { StaticValue, TemporalModel } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'workflow-wait-without-timeout',
  area: 'timeouts',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'The workflow waits with condition() (Python: workflow.wait_condition()) and no timeout for a signal that only another party sends, and no start bounds the run.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    if (python) return reportPython(ctx, python);
    if (model.language === 'python') return;
    for (const wait of untimedSignalWaits(model)) {
      // A start that bounds the run (or may: options preflight cannot read) makes the wait end.
      const unbounded = wait.workflows.filter((workflow) => !mayBeBounded(model, workflow.name));
      if (unbounded.length === 0) continue;
      const names = unbounded.map((workflow) => workflow.name);
      const who = names.length === 1 ? `Workflow ${names[0]}` : `Workflows ${listNames(names, 6)}`;
      const variables = listNames(wait.variables.map((name) => `\`${name}\``));
      ctx.report({
        location: wait.location,
        message:
          `${who} ${names.length === 1 ? 'waits' : 'wait'} here with condition() and no timeout until ${variables} ${wait.variables.length === 1 ? 'is' : 'are'} set, which only the handler of signal ${wait.signalName} does. ` +
          `If the sender never signals (it failed, gave up, or was reset or terminated), ${names.length === 1 ? 'the workflow waits' : 'they wait'} forever: nothing fails, nothing alerts, and the run stays open, holding whatever it holds. ` +
          `No start of ${names.length === 1 ? 'it' : 'them'} that preflight sees sets workflowExecutionTimeout or workflowRunTimeout.`,
        fix:
          "Give the wait a timeout and handle its expiry: `if (!(await condition(pred, '10 minutes'))) throw ApplicationFailure.create({ message: 'no reply' })` " +
          '(or ask again, or compensate), so a lost signal becomes a visible failure.',
        related: [{ ...wait.handler, message: `the handler of ${wait.signalName}` }, ...unbounded.map((workflow) => ({ ...workflow.location, message: `workflow ${workflow.name} reaches this wait` }))],
        data: { workflowTypes: names, signal: wait.signalName, variables: wait.variables, inHelper: wait.inHelper },
      });
    }
  },
});

/** A start of the workflow sets a run or execution timeout, or its options may (unread spreads or values). */
function mayBeBounded(model: TemporalModel, workflowType: string): boolean {
  return model.starts.some((start) => {
    if (start.workflowType !== workflowType) return false;
    const options = start.options;
    if (!options) return false;
    if (options.kind !== 'object') return true;
    if (options.unknownSpreads.length > 0) return true;
    return ['workflowExecutionTimeout', 'workflowRunTimeout'].some((key) => bounds(options.properties.get(key) ?? options.maybeProperties?.get(key)));
  });
}

function bounds(value: StaticValue | undefined): boolean {
  return value !== undefined && value.kind !== 'undefined';
}

/**
 * Python: `await workflow.wait_condition(pred)` with no timeout whose predicate only signal handlers
 * can make true (see model/python/python-untimed-signal-waits.ts), in a workflow no start bounds. A
 * wait in the run method itself on a fixed-name signal is the workflow's own API and is reported
 * only when another workflow, itself unbounded, runs this one as a child and awaits its result.
 */
function reportPython(ctx: CheckContext, model: PythonModel): void {
  for (const wait of model.untimedSignalWaits ?? []) {
    if (mayBePythonBounded(model, wait.workflow)) continue;
    const parents = wait.inHelper || !wait.fixedName ? [] : wait.awaitedBy.filter((parent) => !mayBePythonBounded(model, parent.workflow));
    if (!wait.inHelper && wait.fixedName && parents.length === 0) continue;
    const signals = [...new Set(wait.signals.map((signal) => signal.name))];
    const tested = listNames(wait.variables.map((name) => `\`${name}\``));
    const setters = signals.length === 1 ? `only the handler of signal ${signals[0]} assigns ${wait.variables.length === 1 ? 'it' : 'them'}` : `only the handlers of signals ${listNames(signals)} assign ${wait.variables.length === 1 ? 'it' : 'them'}`;
    const head = `Workflow ${wait.workflow} waits here with wait_condition() and no timeout until a signal sets what it tests (${tested}): ${setters}.`;
    const parentNames = parents.map((parent) => parent.workflow);
    const child =
      parents.length > 0
        ? ` The wait is in the run method, but ${listNames(parentNames.map((name) => (name === wait.workflow ? `${name} itself` : name)))} ${parents.length === 1 ? 'runs' : 'run'} ${wait.workflow} as a child and ${parents.length === 1 ? 'awaits' : 'await'} its result (${parents.map((parent) => `${relative(ctx.root, parent.location.file)}:${parent.location.line}`).join(', ')}), so ${parents.length === 1 && parentNames[0] !== wait.workflow ? 'that workflow waits' : 'the parents wait'} as well.`
        : '';
    const bounded = [wait.workflow, ...parentNames.filter((name) => name !== wait.workflow)];
    ctx.report({
      location: wait.location,
      message:
        head +
        child +
        ` If the sender never signals (it failed, gave up, or was reset or terminated), ${parents.length > 0 ? 'they wait forever: nothing fails, nothing alerts, and the runs stay open, holding whatever they hold' : 'the workflow waits forever: nothing fails, nothing alerts, and the run stays open, holding whatever it holds'}. ` +
        `No start of ${bounded.length === 1 ? bounded[0] : `${bounded.slice(0, -1).join(', ')} or ${bounded[bounded.length - 1]}`} that preflight sees sets execution_timeout or run_timeout.`,
      fix:
        'Give the wait a timeout and handle its expiry: `await workflow.wait_condition(pred, timeout=timedelta(hours=24))` raises asyncio.TimeoutError when it expires; ' +
        'catch it and raise an ApplicationError (or ask again, or compensate), so a lost signal becomes a visible failure' +
        (parents.length > 0 ? ', or set execution_timeout on the child start if the whole step must end.' : '.'),
      related: [
        ...wait.signals.map((signal) => ({ ...signal.location, message: `the handler of signal ${signal.name}` })),
        ...parents.map((parent) => ({ ...parent.location, message: `${parent.workflow} awaits ${wait.workflow} as a child here` })),
      ],
      data: { workflowTypes: [wait.workflow], signal: signals[0] ?? null, signals, variables: wait.variables, inHelper: wait.inHelper, awaitedBy: parentNames },
    });
  }
}

/** A Python start (client, child or schedule action) of the workflow sets execution_timeout or run_timeout, or its options may (a `**` spread preflight cannot read). */
function mayBePythonBounded(model: PythonModel, workflowType: string): boolean {
  return [...model.starts, ...(model.scheduleActions ?? [])].some((start) => {
    if (start.workflowType !== workflowType) return false;
    const options = start.options;
    if (!options) return false;
    if (options.kind !== 'object') return true;
    if (options.unknownSpreads.length > 0) return true;
    return ['execution_timeout', 'run_timeout'].some((key) => {
      const value = options.properties.get(key) ?? options.maybeProperties?.get(key);
      return value !== undefined && value.kind !== 'undefined';
    });
  });
}
