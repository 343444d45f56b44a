// Prevents runs that are terminated by their own start options: a child or client start with
// workflowExecutionTimeout (or workflowRunTimeout) shorter than a sleep or a condition timeout the
// workflow itself waits on is cut off by the server whenever it reaches that wait. A terminated run
// runs no cleanup and no compensation, and its parent or caller sees a timeout, not the result.
// An activity whose startToCloseTimeout is as long as the run's bound, or whose bounded retries
// (maximumAttempts x startToCloseTimeout plus backoff) outlast it, is the same contradiction: the
// run is terminated mid-activity or mid-retry before the activity can time out or fail, so the
// workflow's failure handling never runs and the caller sees TIMED_OUT instead of the error.

import ts from 'typescript';
import { defineCheck, type CheckContext } from '../define-check.js';
import { relative } from '../../engine/run-checks.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { formatDuration, parseDuration } from '../../engine/duration.js';
import { proxyReviews, type ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { retryWindowMs } from '../../simulate/retry-policy.js';
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
    "A start whose workflowExecutionTimeout or workflowRunTimeout (Python: execution_timeout or run_timeout, also on a schedule action) is shorter than a sleep, condition timeout or bounded polling loop the workflow waits on, or (TypeScript) than one attempt or the bounded retry budget of an activity the workflow calls",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    if (model.language === 'python') return reportPython(ctx);
    let bindings: AttemptsByBinding | undefined;
    for (const start of model.starts) {
      if (start.method === 'schedule' || start.options?.kind !== 'object') continue;
      // A start helper that takes the workflow as a parameter: the types its callers pass.
      const types = start.workflowType ? [start.workflowType] : (start.workflowTypeCandidates ?? []);
      if (types.length === 0) continue;
      const bound = runBound(start.options.properties);
      if (!bound) continue;
      const what = startCallText(start);
      const waitsOver: { workflow: string; waits: Wait[] }[] = [];
      const attemptsOver: { workflow: string; attempts: Attempt[] }[] = [];
      for (const type of types) {
        const workflow = model.workflows.find((w) => w.name === type);
        if (!workflow?.node.body) continue;
        const waits = waitsIn(workflow.node, model).filter((wait) => wait.ms > bound.ms);
        if (waits.length > 0) {
          waitsOver.push({ workflow: workflow.name, waits });
          continue;
        }
        bindings ??= attemptsByBinding(model);
        const attempts = bound.configurable ? [] : activityAttemptsIn(workflow.node, model, bindings).filter((attempt) => overruns(attempt, bound.ms));
        if (attempts.length > 0) attemptsOver.push({ workflow: workflow.name, attempts });
      }
      // Reported where the timeout is written when that is in the start's file (the line to change),
      // with the start as a related location; at the start otherwise, naming where it is written.
      const sameFile = bound.location.file === start.location.file;
      const at = sameFile ? bound.location : start.location;
      const boundText = `${bound.name} ${bound.written} (${formatDuration(bound.ms)})${sameFile ? '' : ` (written at ${relative(ctx.root, bound.location.file)}:${bound.location.line})`}`;
      const startRelated = sameFile && bound.location.line !== start.location.line ? [{ ...start.location, message: `${what} is here` }] : [];
      if (waitsOver.length > 0) {
        const over = waitsOver.flatMap((entry) => entry.waits);
        const list = over.slice(0, 4).map((wait) => `${wait.what} (${formatDuration(wait.ms)})`).join(', ');
        const who = listNames(waitsOver.map((entry) => entry.workflow));
        ctx.report({
          location: at,
          message:
            `${what} sets ${boundText}, but ${who} itself ${waitsOver.length === 1 ? 'waits' : 'wait'} longer: ${list}. ` +
            'Every run that reaches that wait is terminated by the server when the timeout fires: no cleanup or compensation runs, and the caller gets a timeout instead of the result.',
          fix: `Make ${bound.name} longer than the longest wait of ${who} (plus its activities), or shorten the wait; use a timer in the workflow with cleanup when the deadline is part of the business logic.`,
          related: [...startRelated, ...over.slice(0, 5).map((wait) => ({ ...wait.location, message: `${wait.what}: ${formatDuration(wait.ms)}` }))],
          data: { workflowType: waitsOver[0]!.workflow, bound: bound.name, boundMs: bound.ms, longer: over.map((wait) => ({ what: wait.what, ms: wait.ms })) },
        });
        continue;
      }
      if (attemptsOver.length === 0) continue;
      const over = attemptsOver.flatMap((entry) => entry.attempts.map((attempt) => ({ ...attempt, workflow: entry.workflow })));
      const unique = [...new Map(over.map((attempt) => [attempt.activity, attempt])).values()];
      const who = listNames(attemptsOver.map((entry) => entry.workflow));
      const single = unique.filter((attempt) => attempt.ms >= bound.ms);
      const budgets = unique.filter((attempt) => attempt.ms < bound.ms);
      const parts: string[] = [];
      if (single.length > 0) {
        parts.push(
          `one attempt of ${listNames(single.map((attempt) => `${attempt.activity} (${attempt.written}, ${formatDuration(attempt.ms)})`))} may take ${single.every((attempt) => attempt.ms === bound.ms) ? 'as long as' : 'longer than'} the whole run, ` +
            `so an attempt that hangs is cut off by the run's timeout, not its own, and is never retried`,
        );
      }
      if (budgets.length > 0) {
        parts.push(
          `the retry ${budgets.length === 1 ? 'budget' : 'budgets'} of ${sameBudgets(budgets)} ` +
            `${budgets.length === 1 ? 'exceeds' : 'exceed'} it, so a run whose activity keeps failing or hanging is terminated mid-retry before the last attempt can fail`,
        );
      }
      ctx.report({
        location: at,
        message:
          `${what} sets ${boundText}, but in ${who}${start.workflowType ? '' : ` (the workflows the callers of its helper pass as ${start.workflowTypeText})`} ${parts.join('; and ')}. ` +
          'The workflow then ends TIMED_OUT instead of seeing the activity fail: no failure handling or cleanup in the workflow runs, and the caller gets a timeout instead of the error.',
        fix: `Make ${bound.name} cover the activities' startToCloseTimeout times their maximumAttempts plus the backoff between them, or shorten those timeouts and retries to what the steps really need.`,
        related: [...startRelated, ...unique.slice(0, 5).map((attempt) => ({ ...attempt.location, message: `${attempt.activity}: ${budgetText(attempt)}` }))],
        data: {
          workflowType: attemptsOver[0]!.workflow,
          bound: bound.name,
          boundMs: bound.ms,
          longer: unique.map((attempt) => ({ what: `${attempt.activity} ${attempt.written}`, ms: attempt.ms, ...(attempt.budgetMs !== undefined ? { attempts: attempt.attempts, budgetMs: attempt.budgetMs } : {}) })),
        },
      });
    }
  },
});

/** "a and b (each 3 attempts of ...), c (2 attempts of ...)": activities with the same numbers named together. */
function sameBudgets(attempts: Attempt[]): string {
  const groups = new Map<string, string[]>();
  for (const attempt of attempts) groups.set(budgetText(attempt), [...(groups.get(budgetText(attempt)) ?? []), attempt.activity]);
  return listNames(
    [...groups].map(([text, names]) => `${listNames(names)} (${names.length > 1 ? 'each ' : ''}${text})`),
    6,
  );
}

/** One attempt as long as the run, or a finite retry budget longer than it. */
function overruns(attempt: Attempt, boundMs: number): boolean {
  return attempt.ms >= boundMs || (attempt.budgetMs !== undefined && attempt.budgetMs > boundMs);
}

/** "startToCloseTimeout '2m' (2m)" or "3 attempts of up to 2m plus 3s of backoff: 6m 3s". */
function budgetText(attempt: Attempt): string {
  if (attempt.budgetMs === undefined || attempt.attempts === undefined) return `${attempt.written} (${formatDuration(attempt.ms)}) per attempt`;
  const backoff = attempt.budgetMs - attempt.attempts * attempt.ms;
  const capped = attempt.cappedBy ? `, capped by ${attempt.cappedBy}` : '';
  return `${attempt.attempts} attempts of up to ${formatDuration(attempt.ms)} (${attempt.written})${backoff > 0 && !attempt.cappedBy ? ` plus ${formatDuration(backoff)} of backoff` : ''}: ${formatDuration(attempt.budgetMs)}${capped}`;
}

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

function runBound(properties: Map<string, StaticValue>): { name: string; ms: number; written: string; configurable: boolean; location: SourceLocation } | undefined {
  let best: { name: string; ms: number; written: string; configurable: boolean; location: SourceLocation } | undefined;
  for (const name of RUN_BOUNDS) {
    const value = properties.get(name);
    if (!value || (value.kind !== 'string' && value.kind !== 'number')) continue;
    const ms = parseDuration(value.value);
    if (ms === null || ms <= 0) continue;
    const written = value.kind === 'string' ? `'${value.value}'` : String(value.value);
    if (!best || ms < best.ms) best = { name, ms, written, configurable: 'configurable' in value && !!value.configurable, location: value.location };
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
 * What one attempt of each activity the workflow function calls may take, and its whole retry
 * budget when the attempts are bounded: a call whose callee is the binding taken from a proxy
 * (`const { validateEmail } = proxyActivities(...)`, `acts.validateEmail`).
 */
interface Attempt {
  activity: string;
  /** startToCloseTimeout as the server applies it (capped at, or taken from, scheduleToCloseTimeout). */
  ms: number;
  /** "startToCloseTimeout '2m'" */
  written: string;
  /** maximumAttempts, when finite and above 1 and every number is known. */
  attempts?: number;
  /** attempts x ms plus the backoff between them, capped at scheduleToCloseTimeout. */
  budgetMs?: number;
  cappedBy?: string;
  location: SourceLocation;
}

type AttemptsByBinding = Map<string, (Omit<Attempt, 'activity'> & { type: string })[]>;

/** Each activity binding taken from a proxy with a known attempt timeout, by where it is taken (`file:line`). */
function attemptsByBinding(model: TemporalModel): AttemptsByBinding {
  const byBinding: AttemptsByBinding = new Map();
  for (const review of proxyReviews(model)) {
    const attempt = attemptOf(review);
    if (!attempt) continue;
    for (const use of review.uses) {
      if (!use.location) continue;
      const key = `${use.location.file}:${use.location.line}`;
      byBinding.set(key, [...(byBinding.get(key) ?? []), { type: use.type, ...attempt }]);
    }
  }
  return byBinding;
}

function attemptOf(review: ProxyReview): Omit<Attempt, 'activity'> | undefined {
  const { options, timeouts, retry } = review;
  const startToClose = timeouts.startToClose;
  if (!startToClose.known || !Number.isFinite(startToClose.ms) || startToClose.ms <= 0 || startToClose.configurable) return undefined;
  const field = startToClose.source === 'written' && options.startToCloseTimeout.state === 'set' ? options.startToCloseTimeout : options.scheduleToCloseTimeout;
  if (field.state !== 'set') return undefined;
  const name = field === options.startToCloseTimeout ? 'startToCloseTimeout' : 'scheduleToCloseTimeout';
  const attempt = { ms: startToClose.ms, written: `${name} ${field.written}`, location: field.location ?? review.proxy.location };
  // The budget only where every number is known: a finite maximumAttempts, nothing configurable.
  if (!retry.known || retry.configurable.length > 0) return attempt;
  const policy = retry.policy;
  if (!Number.isInteger(policy.maximumAttempts) || policy.maximumAttempts < 2) return attempt;
  const full = policy.maximumAttempts * startToClose.ms + retryWindowMs(policy.initialIntervalMs, policy.backoffCoefficient, policy.maximumIntervalMs, policy.maximumAttempts);
  const cap = policy.scheduleToCloseMs;
  const capped = cap !== undefined && cap > 0 && cap < full;
  return {
    ...attempt,
    attempts: policy.maximumAttempts,
    budgetMs: capped ? cap : full,
    ...(capped && options.scheduleToCloseTimeout.state === 'set' ? { cappedBy: `scheduleToCloseTimeout ${options.scheduleToCloseTimeout.written}` } : {}),
  };
}

/** The activities the workflow function calls, each once, with what an attempt and its retries may take. */
function activityAttemptsIn(fn: ts.FunctionLikeDeclaration, model: TemporalModel, byBinding: AttemptsByBinding): Attempt[] {
  const attempts: Attempt[] = [];
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
          const { type: _type, ...attempt } = use;
          attempts.push({ activity: name, ...attempt });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return attempts;
}
