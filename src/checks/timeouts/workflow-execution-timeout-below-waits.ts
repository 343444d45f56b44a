// Prevents runs that are terminated by their own start options: a child or client start with
// workflowExecutionTimeout (or workflowRunTimeout) shorter than a sleep or a condition timeout the
// workflow itself waits on is cut off by the server whenever it reaches that wait. A terminated run
// runs no cleanup and no compensation, and its parent or caller sees a timeout, not the result.
// Activity timeouts longer than the run's own bound say the same thing with less certainty: an
// attempt the options allow cannot finish inside the run.

import ts from 'typescript';
import { defineCheck, type CheckContext } from '../define-check.js';
import { relative } from '../../engine/run-checks.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { formatDuration, parseDuration } from '../../engine/duration.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import { startCallText } from '../../model/typescript/extract-starts.js';
import type { SourceLocation, StaticValue, TemporalModel } from '../../model/typescript/types.js';

const RUN_BOUNDS = ['workflowExecutionTimeout', 'workflowRunTimeout'] as const;

interface Wait {
  what: string;
  ms: number;
  location: SourceLocation;
}

export default defineCheck({
  id: 'workflow-execution-timeout-below-waits',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    "A start whose workflowExecutionTimeout or workflowRunTimeout (Python: execution_timeout or run_timeout, also on a schedule action) is shorter than a sleep, condition timeout or bounded polling loop the workflow waits on (warning), or than a startToCloseTimeout of its activities (info, TypeScript)",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    if (model.language === 'python') return reportPython(ctx);
    let bindings: AttemptsByBinding | undefined;
    for (const start of model.starts) {
      if (start.method === 'schedule' || start.options?.kind !== 'object' || !start.workflowType) continue;
      const bound = runBound(start.options.properties);
      if (!bound) continue;
      const workflow = model.workflows.find((w) => w.name === start.workflowType);
      if (!workflow?.node.body) continue;
      const waits = waitsIn(workflow.node, model).filter((wait) => wait.ms > bound.ms);
      bindings ??= attemptsByBinding(model);
      const attempts = waits.length > 0 ? [] : activityAttemptsIn(workflow.node, model, bindings).filter((wait) => wait.ms > bound.ms);
      const over = waits.length > 0 ? waits : attempts;
      if (over.length === 0) continue;
      const what = startCallText(start);
      const list = over.slice(0, 4).map((wait) => `${wait.what} (${formatDuration(wait.ms)})`).join(', ');
      ctx.report({
        location: start.location,
        ...(waits.length === 0 ? { severity: 'info' as const } : {}),
        message:
          waits.length > 0
            ? `${what} sets ${bound.name} ${bound.written} (${formatDuration(bound.ms)}), but ${workflow.name} itself waits longer: ${list}. ` +
              'Every run that reaches that wait is terminated by the server when the timeout fires: no cleanup or compensation runs, and the caller gets a timeout instead of the result.'
            : `${what} sets ${bound.name} ${bound.written} (${formatDuration(bound.ms)}), shorter than the startToCloseTimeout of activities ${workflow.name} calls: ${list}. ` +
              'An attempt the activity options allow cannot finish inside the run: if one takes that long, the run is terminated mid-activity, with no cleanup, before the activity can time out and be retried.',
        fix:
          waits.length > 0
            ? `Make ${bound.name} longer than the longest wait of ${workflow.name} (plus its activities), or shorten the wait; use a timer in the workflow with cleanup when the deadline is part of the business logic.`
            : `Make ${bound.name} cover the activities' startToCloseTimeout (and their retries), or shorten those timeouts to what the steps really need.`,
        related: over.slice(0, 5).map((wait) => ({ ...wait.location, message: `${wait.what}: ${formatDuration(wait.ms)}` })),
        data: { workflowType: start.workflowType, bound: bound.name, boundMs: bound.ms, longer: over.map((wait) => ({ what: wait.what, ms: wait.ms })) },
      });
    }
  },
});

/**
 * Python: a client start, child start or `ScheduleActionStartWorkflow(...)` whose
 * `execution_timeout` or `run_timeout` (a timedelta the front-end resolves, also through a constant
 * or an unset dataclass default) is shorter than a sleep, a wait_condition timeout or a bounded
 * polling loop of the workflow it starts (the run method and the class's methods it calls).
 */
function reportPython(ctx: CheckContext): void {
  const model = pythonModelOf(ctx.model);
  if (!model) return;
  for (const start of [...model.starts, ...(model.scheduleActions ?? [])]) {
    if (start.options?.kind !== 'object' || !start.workflowType) continue;
    let bound: { name: string; ms: number; written: string } | undefined;
    for (const name of ['execution_timeout', 'run_timeout']) {
      const value = start.options.properties.get(name);
      if (value?.kind !== 'number' || value.written === undefined || value.configurable || value.value <= 0) continue;
      if (!bound || value.value < bound.ms) bound = { name, ms: value.value, written: value.written };
    }
    if (!bound) continue;
    const longer = (model.workflowWaits ?? []).filter((wait) => wait.workflow === start.workflowType && wait.ms > bound!.ms);
    if (longer.length === 0) continue;
    const what = start.method === 'schedule' ? `ScheduleActionStartWorkflow(${start.workflowType})` : (start.callText ?? `client.${start.method === 'start' ? 'start_workflow' : 'execute_workflow'}(${start.workflowType})`);
    const list = longer.slice(0, 4).map((wait) => `${wait.what} (${formatDuration(wait.ms)})`).join(', ');
    const value = start.options.properties.get(bound.name)!;
    const elsewhere = value.location.file !== start.location.file || value.location.line !== start.location.line;
    ctx.report({
      location: start.location,
      message:
        `${what} sets ${bound.name} ${bound.written} (${formatDuration(bound.ms)})${elsewhere ? ` (written at ${relative(ctx.root, value.location.file)}:${value.location.line})` : ''}, but ${start.workflowType} itself waits longer: ${list}. ` +
        'Every run that reaches that wait is terminated by the server when the timeout fires: no cleanup or compensation runs, and the caller gets a timeout instead of the result.',
      fix: `Make ${bound.name} longer than the longest wait of ${start.workflowType} (plus its activities), or shorten the wait; use a timer in the workflow with cleanup when the deadline is part of the business logic.`,
      related: [
        ...(elsewhere ? [{ ...value.location, message: `${bound.name} ${bound.written} is set here` }] : []),
        ...longer.slice(0, 5).map((wait) => ({ ...wait.location, message: `${wait.what}: ${formatDuration(wait.ms)}` })),
      ],
      data: { workflowType: start.workflowType, bound: bound.name, boundMs: bound.ms, longer: longer.map((wait) => ({ what: wait.what, ms: wait.ms })) },
    });
  }
}

function runBound(properties: Map<string, StaticValue>): { name: string; ms: number; written: string } | undefined {
  let best: { name: string; ms: number; written: string } | undefined;
  for (const name of RUN_BOUNDS) {
    const value = properties.get(name);
    if (!value || (value.kind !== 'string' && value.kind !== 'number')) continue;
    const ms = parseDuration(value.value);
    if (ms === null || ms <= 0) continue;
    const written = value.kind === 'string' ? `'${value.value}'` : String(value.value);
    if (!best || ms < best.ms) best = { name, ms, written };
  }
  return best;
}

/** `sleep(x)` and `condition(fn, x)` with a literal duration, in the workflow function itself. */
function waitsIn(fn: ts.FunctionLikeDeclaration, model: TemporalModel): Wait[] {
  const waits: Wait[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const api = model.temporalApiOf(node.expression);
      const argument = api?.name === 'sleep' ? node.arguments[0] : api?.name === 'condition' ? node.arguments[1] : undefined;
      const ms = argument ? literalDuration(argument) : null;
      if (ms !== null && ms !== undefined) waits.push({ what: api!.name === 'sleep' ? `sleep(${argument!.getText()})` : `condition(..., ${argument!.getText()})`, ms, location: model.locate(node) });
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return waits;
}

function literalDuration(node: ts.Expression): number | null {
  const value = skipOuterExpressions(node);
  if (ts.isStringLiteralLike(value)) return parseDuration(value.text);
  if (ts.isNumericLiteral(value)) return Number(value.text);
  return null;
}

/**
 * The startToCloseTimeout of each activity the workflow function calls: a call whose callee is the
 * binding taken from a proxy (`const { validateEmail } = proxyActivities(...)`, `acts.validateEmail`).
 */
type AttemptsByBinding = Map<string, { type: string; ms: number; written: string; location: SourceLocation }[]>;

/** Each activity binding taken from a proxy with a startToCloseTimeout, by where it is taken (`file:line`). */
function attemptsByBinding(model: TemporalModel): AttemptsByBinding {
  const byBinding: AttemptsByBinding = new Map();
  for (const review of proxyReviews(model)) {
    const timeout = review.options.startToCloseTimeout;
    if (timeout.state !== 'set') continue;
    for (const use of review.uses) {
      if (!use.location) continue;
      const key = `${use.location.file}:${use.location.line}`;
      byBinding.set(key, [...(byBinding.get(key) ?? []), { type: use.type, ms: timeout.ms, written: timeout.written, location: timeout.location ?? review.proxy.location }]);
    }
  }
  return byBinding;
}

function activityAttemptsIn(fn: ts.FunctionLikeDeclaration, model: TemporalModel, byBinding: AttemptsByBinding): Wait[] {
  const attempts: Wait[] = [];
  const seen = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const declaration = name ? model.declarationOf(ts.isPropertyAccessExpression(callee) ? callee.expression : callee) : undefined;
      if (name && declaration) {
        const at = model.locate(declaration);
        for (const use of byBinding.get(`${at.file}:${at.line}`) ?? []) {
          if (use.type !== name || seen.has(name)) continue;
          seen.add(name);
          attempts.push({ what: `${name} startToCloseTimeout ${use.written}`, ms: use.ms, location: use.location });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return attempts;
}
