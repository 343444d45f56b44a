// Points at workflows that can wait forever on someone else: `await condition(pred)` with no
// timeout, where only signal or update handlers can make `pred` true. If the sender never sends
// the message, the run stays open with nothing failed and nothing alerting, and whatever it holds
// stays held.
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
  description: 'The workflow waits with condition() (Python: workflow.wait_condition()) and no timeout for a signal or update that only another party sends, and no start bounds the run.',
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
      const messages = messageWords(wait.handlers);
      ctx.report({
        location: wait.location,
        message:
          `${who} ${names.length === 1 ? 'waits' : 'wait'} here with condition() and no timeout until ${variables} ${wait.variables.length === 1 ? 'is' : 'are'} set, which only ${messages.handlers} ${messages.many ? 'do' : 'does'}. ` +
          `${messages.never}, ${names.length === 1 ? 'the workflow waits' : 'they wait'} forever: nothing fails, nothing alerts, and the run stays open, holding whatever it holds. ` +
          `No start of ${names.length === 1 ? 'it' : 'them'} that preflight sees sets workflowExecutionTimeout or workflowRunTimeout.`,
        fix:
          "Give the wait a timeout and handle its expiry: `if (!(await condition(pred, '10 minutes'))) throw ApplicationFailure.create({ message: 'no reply' })` " +
          `(or ask again, or compensate), so a lost ${messages.lost} becomes a visible failure.`,
        related: [
          ...wait.handlers.map((handler) => ({ ...handler.location, message: `the handler of ${handler.kind} ${handler.name}` })),
          ...unbounded.map((workflow) => ({ ...workflow.location, message: `workflow ${workflow.name} reaches this wait` })),
        ],
        data: {
          workflowTypes: names,
          signal: wait.handlers.find((h) => h.kind === 'signal')?.name ?? null,
          signals: wait.handlers.filter((h) => h.kind === 'signal').map((h) => h.name),
          updates: wait.handlers.filter((h) => h.kind === 'update').map((h) => h.name),
          variables: wait.variables,
          inHelper: wait.inHelper,
        },
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
 * How the messages that end a wait are named: the handlers (`the handler of signal approve`, `the
 * handlers of signal approve and update cancel`), the kind of message (`a signal`, `an update`, `a
 * signal or an update`), the sentence on the message that never comes, and the lost one in the fix.
 */
function messageWords(handlers: { kind: 'signal' | 'update'; name: string }[]): { handlers: string; many: boolean; a: string; never: string; lost: string } {
  const named = (kind: 'signal' | 'update') => [...new Set(handlers.filter((h) => h.kind === kind).map((h) => h.name))];
  const signals = named('signal');
  const updates = named('update');
  const parts = [
    ...(signals.length > 0 ? [`${signals.length === 1 ? 'signal' : 'signals'} ${listNames(signals)}`] : []),
    ...(updates.length > 0 ? [`${updates.length === 1 ? 'update' : 'updates'} ${listNames(updates)}`] : []),
  ];
  const many = signals.length + updates.length > 1;
  const handlerText = `${many ? 'the handlers of' : 'the handler of'} ${parts.join(signals.length > 1 ? ', and ' : ' and ')}`;
  if (updates.length === 0) return { handlers: handlerText, many, a: 'a signal', never: 'If the sender never signals (it failed, gave up, or was reset or terminated)', lost: 'signal' };
  if (signals.length === 0) return { handlers: handlerText, many, a: 'an update', never: 'If the caller never sends the update (it failed, gave up, or was reset or terminated)', lost: 'update' };
  return { handlers: handlerText, many, a: 'a signal or an update', never: 'If no such signal or update ever comes (the sender failed, gave up, or was reset or terminated)', lost: 'signal or update' };
}

/**
 * Python: `await workflow.wait_condition(pred)` with no timeout whose predicate only signal or update
 * handlers can make true (see model/python/python-untimed-signal-waits.ts), in a workflow no start bounds. A
 * wait in the run method itself on a fixed-name signal is the workflow's own API and is reported
 * only when another workflow, itself unbounded, runs this one as a child and awaits its result.
 */
function reportPython(ctx: CheckContext, model: PythonModel): void {
  for (const wait of model.untimedSignalWaits ?? []) {
    if (mayBePythonBounded(model, wait.workflow)) continue;
    const parents = wait.inHelper || !wait.fixedName ? [] : wait.awaitedBy.filter((parent) => !mayBePythonBounded(model, parent.workflow));
    if (!wait.inHelper && wait.fixedName && parents.length === 0) continue;
    const messages = messageWords(wait.handlers);
    const signals = [...new Set(wait.handlers.filter((h) => h.kind === 'signal').map((h) => h.name))];
    const updates = [...new Set(wait.handlers.filter((h) => h.kind === 'update').map((h) => h.name))];
    const tested = listNames(wait.variables.map((name) => `\`${name}\``));
    const setters = `only ${messages.handlers} ${messages.many ? 'assign' : 'assigns'} ${wait.variables.length === 1 ? 'it' : 'them'}`;
    const head = `Workflow ${wait.workflow} waits here with wait_condition() and no timeout until ${messages.a} sets what it tests (${tested}): ${setters}.`;
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
        ` ${messages.never}, ${parents.length > 0 ? 'they wait forever: nothing fails, nothing alerts, and the runs stay open, holding whatever they hold' : 'the workflow waits forever: nothing fails, nothing alerts, and the run stays open, holding whatever it holds'}. ` +
        `No start of ${bounded.length === 1 ? bounded[0] : `${bounded.slice(0, -1).join(', ')} or ${bounded[bounded.length - 1]}`} that preflight sees sets execution_timeout or run_timeout.`,
      fix:
        'Give the wait a timeout and handle its expiry: `await workflow.wait_condition(pred, timeout=timedelta(hours=24))` raises asyncio.TimeoutError when it expires; ' +
        `catch it and raise an ApplicationError (or ask again, or compensate), so a lost ${messages.lost} becomes a visible failure` +
        (parents.length > 0 ? ', or set execution_timeout on the child start if the whole step must end.' : '.'),
      related: [
        ...wait.handlers.map((handler) => ({ ...handler.location, message: `the handler of ${handler.kind} ${handler.name}` })),
        ...parents.map((parent) => ({ ...parent.location, message: `${parent.workflow} awaits ${wait.workflow} as a child here` })),
      ],
      data: { workflowTypes: [wait.workflow], signal: signals[0] ?? null, signals, updates, variables: wait.variables, inHelper: wait.inHelper, awaitedBy: parentNames },
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
