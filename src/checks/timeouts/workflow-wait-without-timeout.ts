// Points at workflows that can wait forever on someone else: `await condition(pred)` with no
// timeout, where only a signal handler can make `pred` true. If the sender never signals, the
// run stays open with nothing failed and nothing alerting, and whatever it holds stays held.

import { defineCheck } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { untimedSignalWaits } from '../../model/typescript/untimed-signal-waits.js';
import type { StaticValue, TemporalModel } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'workflow-wait-without-timeout',
  area: 'timeouts',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'The workflow waits with condition() and no timeout for a signal that only another party sends, and no start bounds the run.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
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
