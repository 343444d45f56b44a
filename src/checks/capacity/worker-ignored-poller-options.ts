// Prevents tuning that does nothing: SDK 1.24 still declares maxConcurrent*TaskPolls but never
// reads them, so a team that raised them to drain a backlog is still polling with at most 10.
// Python (temporalio 1.35.0) reads them, but a set max_concurrent_*_task_polls replaces the
// matching *_task_poller_behavior, and slot options next to a tuner stop the worker from starting.

import { defineCheck, type CheckContext } from '../define-check.js';
import ts from 'typescript';
import { workerLabel, workerOption } from '../../model/typescript/observability/worker-options.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { StaticValue, TemporalModel, WorkerDefinition } from '../../model/typescript/types.js';

/**
 * The declared-but-ignored options and what replaced them. Verified in SDK 1.24.0
 * (lib/worker-options.js, addDefaultWorkerOptions): the poll maxima come from
 * `min(10, slots)` or the *PollerBehavior options; test/checks/capacity/sdk-poller-options.test.ts
 * runs the SDK's own option compiler to prove it.
 */
export const IGNORED_POLLER_OPTIONS = {
  maxConcurrentWorkflowTaskPolls: 'workflowTaskPollerBehavior',
  maxConcurrentActivityTaskPolls: 'activityTaskPollerBehavior',
  maxConcurrentNexusTaskPolls: 'nexusTaskPollerBehavior',
} as const;

/**
 * temporalio 1.35.0 (worker/_worker.py, _init_from_config): a truthy max_concurrent_*_task_polls
 * replaces the poller behavior with PollerBehaviorSimpleMaximum(maximum=n); proved by
 * test/model/python/python-sdk-capacity-facts.test.ts.
 */
export const PYTHON_OVERRIDING_POLL_OPTIONS = {
  max_concurrent_workflow_task_polls: 'workflow_task_poller_behavior',
  max_concurrent_activity_task_polls: 'activity_task_poller_behavior',
} as const;

/**
 * The slot options temporalio 1.35.0 rejects next to `tuner=` (ValueError when the Worker is
 * built, if any is truthy): model names (the engine's vocabulary) to the Python keyword.
 */
export const PYTHON_SLOT_OPTIONS_EXCLUSIVE_WITH_TUNER = {
  maxConcurrentWorkflowTaskExecutions: 'max_concurrent_workflow_tasks',
  maxConcurrentActivityTaskExecutions: 'max_concurrent_activities',
  maxConcurrentLocalActivityExecutions: 'max_concurrent_local_activities',
  max_concurrent_nexus_tasks: 'max_concurrent_nexus_tasks',
} as const;

export default defineCheck({
  id: 'worker-ignored-poller-options',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Poller and slot options the SDK ignores, overrides or rejects together: maxConcurrent*TaskPolls (TypeScript); max_concurrent_*_task_polls beside a poller behavior, slot options beside a tuner (Python).',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    if (model.language === 'python') {
      reportPython(ctx, model);
      return;
    }
    for (const worker of model.workers) {
      for (const [name, replacement] of Object.entries(IGNORED_POLLER_OPTIONS)) {
        const option = workerOption(worker, name, model);
        if (option.state !== 'set') continue;
        const written = option.value.kind === 'number' ? String(option.value.value) : option.value.kind === 'unknown' ? option.value.text : '…';
        const harmless = withinDefault(worker, name, option.value, model);
        if (harmless) {
          ctx.report({
            location: option.location,
            severity: 'info',
            message:
              `${workerLabel(worker, model)} sets ${name}: ${written}, which the TypeScript SDK ignores, but ${harmless}, so the worker never polls with fewer pollers than this asks for. ` +
              'The option is misleading (raising it later would change nothing), not harmful today.',
            fix: `Remove ${name}; set ${replacement} if the poller count should ever differ from min(10, slots).`,
            data: { option: name, replacement, withinDefault: true },
          });
          continue;
        }
        ctx.report({
          location: option.location,
          message:
            `${workerLabel(worker, model)} sets ${name}: ${written}, which the TypeScript SDK ignores: it polls with at most min(10, slots) unless ${replacement} says otherwise. ` +
            'Whoever raised it to drain a backlog or cut schedule-to-start latency got no extra pollers, and the setting hides that.',
          fix:
            `Remove ${name} and set ${replacement}: { type: 'autoscaling' } (the server-guided poller count, up to 100) or { type: 'simple-maximum', maximum: ${option.value.kind === 'number' ? option.value.value : 'n'} }.`,
          data: { option: name, replacement },
        });
      }
    }
  },
});

/**
 * The slot option that bounds each ignored poll option's default, and the SDK's slot default.
 * SDK 1.24.0 (src/worker-options.ts, addDefaultWorkerOptions): without a tuner and without a
 * *PollerBehavior the poll maximum is min(10, slots), slots defaulting to 40 workflow tasks, 100
 * activities and 100 Nexus tasks; with a tuner it is 10.
 */
const POLL_DEFAULTS: Record<string, { slots: string; slotDefault: number }> = {
  maxConcurrentWorkflowTaskPolls: { slots: 'maxConcurrentWorkflowTaskExecutions', slotDefault: 40 },
  maxConcurrentActivityTaskPolls: { slots: 'maxConcurrentActivityTaskExecutions', slotDefault: 100 },
  maxConcurrentNexusTaskPolls: { slots: 'maxConcurrentNexusTaskExecutions', slotDefault: 100 },
};
const SDK_MAX_POLLS = 10;

/**
 * Why the ignored option changes nothing, when every value it can take is at or below the poll
 * maximum the SDK uses anyway (min(10, slots), for every value the slot option can take); undefined
 * when a value is unknown, a poller behavior sets the maximum, or a value exceeds it.
 */
function withinDefault(worker: WorkerDefinition, name: string, value: StaticValue, model: TemporalModel): string | undefined {
  const defaults = POLL_DEFAULTS[name];
  if (!defaults) return undefined;
  const behavior = workerOption(worker, IGNORED_POLLER_OPTIONS[name as keyof typeof IGNORED_POLLER_OPTIONS], model);
  if (behavior.state !== 'absent') return undefined;
  const configured = possibleNumbers(value, model);
  if (!configured) return undefined;
  const tuner = workerOption(worker, 'tuner', model);
  let effective: number;
  if (tuner.state === 'set') effective = SDK_MAX_POLLS;
  else if (tuner.state !== 'absent') return undefined;
  else {
    const slots = workerOption(worker, defaults.slots, model);
    const slotValues = slots.state === 'absent' ? [defaults.slotDefault] : slots.state === 'set' ? possibleNumbers(slots.value, model) : undefined;
    if (!slotValues) return undefined;
    effective = Math.min(...slotValues.map((n) => Math.min(SDK_MAX_POLLS, n)));
  }
  const highest = Math.max(...configured);
  if (highest > effective) return undefined;
  const values = [...new Set(configured)].sort((a, b) => a - b).join(' or ');
  return `its value (${values}) is at or below the ${effective} pollers the SDK uses by default here (min(10, ${defaults.slots}))`;
}

/** Every number a value can be: a literal, or the same property of each object a helper can return. */
function possibleNumbers(value: StaticValue, model: TemporalModel): number[] | undefined {
  if (value.kind === 'number') return [value.value];
  if (value.kind !== 'unknown' || !value.node) return undefined;
  return numbersOf(value.node as ts.Expression, model, 0);
}

function numbersOf(node: ts.Expression, model: TemporalModel, depth: number): number[] | undefined {
  if (depth > 6) return undefined;
  const expression = skipOuterExpressions(node);
  const resolved = model.resolveValue(expression as ts.Expression);
  if (resolved.kind === 'number') return [resolved.value];
  if (ts.isConditionalExpression(expression)) {
    const a = numbersOf(expression.whenTrue, model, depth + 1);
    const b = numbersOf(expression.whenFalse, model, depth + 1);
    return a && b ? [...a, ...b] : undefined;
  }
  if (!ts.isPropertyAccessExpression(expression)) return undefined;
  const objects = objectsOf(expression.expression, model, depth + 1);
  if (!objects) return undefined;
  const found: number[] = [];
  for (const object of objects) {
    const property = object.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && !!p.name && p.name.getText() === expression.name.text);
    // a spread or a missing key: the value is not known
    if (!property || object.properties.some((p) => ts.isSpreadAssignment(p))) return undefined;
    const numbers = numbersOf(property.initializer, model, depth + 1);
    if (!numbers) return undefined;
    found.push(...numbers);
  }
  return found.length > 0 ? found : undefined;
}

/** The object literals an expression can be: a literal, a constant holding one, every object a function returns. */
function objectsOf(node: ts.Expression, model: TemporalModel, depth: number): ts.ObjectLiteralExpression[] | undefined {
  if (depth > 6) return undefined;
  const expression = skipOuterExpressions(node);
  if (ts.isObjectLiteralExpression(expression)) return [expression];
  if (ts.isIdentifier(expression)) {
    const declaration = model.declarationOf(expression);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    const list = declaration.parent;
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
    return objectsOf(declaration.initializer, model, depth + 1);
  }
  if (ts.isCallExpression(expression) && expression.arguments.length === 0) {
    const declaration = model.declarationOf(expression.expression);
    const fn = declaration && (ts.isFunctionDeclaration(declaration) ? declaration : ts.isVariableDeclaration(declaration) && declaration.initializer && (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer)) ? declaration.initializer : undefined);
    if (!fn?.body || !ts.isBlock(fn.body)) return undefined;
    const returned: ts.Expression[] = [];
    let bare = false;
    const visit = (current: ts.Node): void => {
      if (ts.isFunctionLike(current)) return;
      if (ts.isReturnStatement(current)) {
        if (current.expression) returned.push(current.expression);
        else bare = true;
      }
      ts.forEachChild(current, visit);
    };
    ts.forEachChild(fn.body, visit);
    if (bare || returned.length === 0) return undefined;
    const objects: ts.ObjectLiteralExpression[] = [];
    for (const value of returned) {
      const found = objectsOf(value, model, depth + 1);
      if (!found) return undefined;
      objects.push(...found);
    }
    return objects;
  }
  return undefined;
}

function reportPython(ctx: CheckContext, model: NonNullable<CheckContext['model']>): void {
  for (const worker of model.workers) {
    const label = workerLabel(worker, model);
    for (const [polls, behavior] of Object.entries(PYTHON_OVERRIDING_POLL_OPTIONS)) {
      const count = workerOption(worker, polls, model);
      const replaced = workerOption(worker, behavior, model);
      // The SDK tests the poll count for truthiness: 0 or None leaves the behavior in force.
      if (count.state !== 'set' || !truthy(count.value) || replaced.state !== 'set' || replaced.value.kind === 'undefined') continue;
      const written = writtenText(count.value);
      ctx.report({
        location: count.location,
        message:
          `${label} sets both ${polls}=${written} and ${behavior}; the SDK uses the first and replaces the behavior with PollerBehaviorSimpleMaximum(maximum=${written}), ` +
          `so ${behavior}=${writtenText(replaced.value)} (line ${replaced.location.line}) never takes effect.`,
        fix: `Remove ${polls} (deprecated in favour of ${behavior}) and keep the poller behavior you meant.`,
        data: { option: polls, replacement: behavior },
      });
    }
    const tuner = workerOption(worker, 'tuner', model);
    if (tuner.state !== 'set' || tuner.value.kind === 'undefined') continue;
    for (const [name, keyword] of Object.entries(PYTHON_SLOT_OPTIONS_EXCLUSIVE_WITH_TUNER)) {
      const slots = workerOption(worker, name, model);
      if (slots.state !== 'set' || !truthy(slots.value)) continue;
      ctx.report({
        location: slots.location,
        severity: 'error',
        message:
          `${label} sets ${keyword} next to tuner=: the SDK raises ValueError ("Cannot specify max_concurrent_workflow_tasks, max_concurrent_activities, ` +
          'max_concurrent_local_activities, or max_concurrent_nexus_tasks when also specifying tuner") when the Worker is built, so this worker never starts.',
        fix: `Remove ${keyword} and size that slot kind in the tuner (WorkerTuner.create_fixed(...) takes workflow_slots, activity_slots and local_activity_slots), or drop the tuner.`,
        data: { option: keyword, conflictsWith: 'tuner' },
      });
    }
  }
}

/** Python truthiness of a resolved option: 0, "" and False leave the option unused. */
function truthy(value: { kind: string; value?: unknown }): boolean {
  if (value.kind === 'number' || value.kind === 'string' || value.kind === 'boolean') return Boolean(value.value);
  // An expression that does not resolve may be None or 0 at run time: cannot tell.
  return value.kind === 'object' || value.kind === 'array';
}

function writtenText(value: { kind: string; value?: unknown; text?: string }): string {
  return value.kind === 'number' ? String(value.value) : value.text ?? '…';
}
