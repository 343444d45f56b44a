// Prevents starts that land on a queue the workflow's worker does not poll: the start (client,
// child or schedule action) names its task queue with a literal, the worker that registers the
// workflow type polls another literal, or a queue read from configuration. The run waits in a
// queue no worker of that type polls until it times out (or runs on whatever other worker polls
// that queue, which fails its workflow task when it does not know the type).

import path from 'node:path';
import { relative } from '../../engine/run-checks.js';
import { developmentOnly, notProduction } from '../../model/typescript/observability/development-only.js';
import { defineCheck, type CheckContext } from '../define-check.js';
import ts from 'typescript';
import { startCallText } from '../../model/typescript/extract-starts.js';
import { enclosingFunction } from '../../model/typescript/call-reach.js';
import { functionName } from '../../model/typescript/declarations.js';
import { callsOfFunction } from '../../model/typescript/named-calls.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { StaticValue, TemporalModel, WorkerDefinition, WorkflowStart } from '../../model/typescript/types.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { CodeModel, SourceLocation, StaticValue as NeutralStaticValue } from '../../model/types.js';
import { composeServices } from '../../engine/compose-services.js';
import { deployedQueues, type DeployedQueue } from '../../engine/deployed-queues.js';

export default defineCheck({
  id: 'workflow-start-task-queue-unpolled',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    "A workflow start (client, child or schedule) whose literal task queue, or environment default, differs from the queue or default of every worker that registers the workflow type; info when a literal start meets workers that read their queue from configuration. Queues read from the environment are also judged per compose service (the value each service's container gets, or the code's default)",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    reportDeployedQueues(ctx, model);
    if (model.language === 'python') return reportPython(ctx);
    // a worker whose workflows are not known may register any type on any queue
    if (model.workers.some((worker) => worker.workflowsPath === null)) return;
    // Starts of one type on one unpolled queue share a cause (the queue name): one finding, at the
    // first production start, with the other starts as related locations.
    const unpolled = new Map<string, { start: WorkflowStart; queue: string; workers: WorkerDefinition[]; development: ReturnType<typeof notProduction> }[]>();
    for (const start of model.starts) {
      // a project's wrapper that passes its caller's queue (and type) on to the start
      for (const forwarded of forwardedFallbacks(model, start)) reportFallback(ctx, model, start, forwarded.fallback, forwarded.type, forwarded.call);
      if (!start.workflowType) continue;
      const fallback = startFallback(start);
      if (fallback) {
        reportFallback(ctx, model, start, fallback, start.workflowType);
        continue;
      }
      const queue = startQueue(start);
      if (!queue) continue;
      const workers = registeringWorkers(model, start.workflowType);
      if (workers.length === 0) continue; // workflow-not-registered says so
      // a worker whose queue the model could not read at all (a framework's computed list): nothing to compare
      if (workers.some((worker) => !worker.taskQueue || (worker.taskQueue.kind !== 'string' && worker.taskQueue.kind !== 'unknown'))) continue;
      // any worker polling the start's queue: the run is picked up
      if (model.workers.some((worker) => worker.taskQueue?.kind === 'string' && worker.taskQueue.value === queue)) continue;
      const what = startCallText(start);
      const literal = workers.every((worker) => worker.taskQueue?.kind === 'string' && !worker.taskQueue.configurable);
      const polled = workers.map((worker) => `${describeQueue(worker.taskQueue)} (${relative(ctx.root, worker.location.file)}:${worker.location.line})`);
      const related = workers.map((worker) => ({ ...worker.location, message: `a worker that registers ${start.workflowType} polls ${describeQueue(worker.taskQueue)}` }));
      const development = notProduction(start, ctx.root);
      if (literal) {
        const key = `${start.workflowType}\u0000${queue}`;
        unpolled.set(key, [...(unpolled.get(key) ?? []), { start, queue, workers, development }]);
        continue;
      }
      ctx.report({
        location: start.location,
        severity: 'info',
        message:
          `${what} hard-codes task queue '${queue}', while the worker${workers.length > 1 ? 's' : ''} that register${workers.length > 1 ? '' : 's'} ${start.workflowType} take${workers.length > 1 ? '' : 's'} the queue from configuration or a value set at run time: ${polled.join(', ')}. ` +
          `No worker in the reviewed code polls '${queue}' as written: unless the configuration says '${queue}' in every environment, the run waits on a queue nobody polls.`,
        fix: `Read the queue from the same setting the worker uses (or one shared constant), so the start follows the worker when the setting changes.`,
        related,
        data: { workflowType: start.workflowType, taskQueue: queue, workerQueues: workers.map((worker) => describeQueue(worker.taskQueue)), configurable: true },
      });
    }
    for (const group of unpolled.values()) reportUnpolled(ctx, group);
  },
});

/** One finding for the starts of one workflow type on one queue that no worker polls. */
function reportUnpolled(
  ctx: CheckContext,
  group: { start: WorkflowStart; queue: string; workers: WorkerDefinition[]; development: ReturnType<typeof notProduction>; what?: string; queueAt?: WorkflowStart['location'] }[],
): void {
  // production starts first: a script run by hand only sets the severity when nothing else starts the type there
  const ordered = [...group.filter((entry) => !entry.development), ...group.filter((entry) => entry.development)];
  const { start, queue, workers, development } = ordered[0]!;
  // a start whose type the code computes (Python): judged against every worker of the project
  const type = start.workflowType;
  const what = ordered[0]!.what ?? startCallText(start);
  const polled = workers.map((worker) => `${describeQueue(worker.taskQueue)} (${relative(ctx.root, worker.location.file)}:${worker.location.line})`);
  const others = ordered.slice(1);
  const many = workers.length > 1;
  const queueAt = ordered[0]!.queueAt;
  const written = queueAt && (queueAt.file !== start.location.file || queueAt.line !== start.location.line) ? ` (the queue is written at ${relative(ctx.root, queueAt.file)}:${queueAt.line})` : '';
  ctx.report({
    location: start.location,
    // A script run by hand: it fails when someone runs it, not in production.
    ...(development ? { severity: 'info' as const } : {}),
    message:
      (type
        ? `${what} puts the run on task queue '${queue}'${written}, but the worker${many ? 's' : ''} that register${many ? '' : 's'} ${type} poll${many ? '' : 's'} ${polled.join(', ')}, and no worker polls '${queue}'. `
        : `${what} puts the run on task queue '${queue}'${written}, but no worker of the project polls '${queue}': ${many ? 'its workers poll' : 'its one worker polls'} ${polled.join(', ')}. `) +
      'The workflow task waits on a queue nobody polls: the run never makes progress and, without an execution timeout, stays RUNNING for ever.' +
      (others.length > 0 ? ` ${others.length === 1 ? 'One other start' : `${others.length} other starts`}${type ? ` of ${type}` : ''} use${others.length === 1 ? 's' : ''} the same queue (related locations).` : '') +
      (development ? ` This is ${development.what} (${development.reason}).` : ''),
    fix: type
      ? `Start ${type} on the queue its worker polls (share one constant between the worker and the code that starts it), or add a worker for '${queue}' that registers it.`
      : `Start the workflow on the queue the workers poll (share one constant between the worker and the code that starts it), or add a worker for '${queue}' that registers the types started there.`,
    related: [
      ...(written ? [{ ...queueAt!, message: `task queue '${queue}' is set here` }] : []),
      ...workers.map((worker) => ({ ...worker.location, message: type ? `a worker that registers ${type} polls ${describeQueue(worker.taskQueue)}` : `a worker polls ${describeQueue(worker.taskQueue)}` })),
      ...others.map((other) => ({ ...other.start.location, message: `${other.what ?? startCallText(other.start)} also starts ${type ?? 'a workflow'} on '${queue}'` })),
    ],
    data: { workflowType: type, taskQueue: queue, workerQueues: workers.map((worker) => describeQueue(worker.taskQueue)), starts: group.length },
  });
}

/**
 * A start whose queue is read from the environment with a default (`process.env.Q ?? 'a'`), while
 * every worker that registers the type polls another literal or falls back to another default, and
 * no worker polls the start's default: wherever the variable is unset, the two defaults disagree.
 */
function reportFallback(
  ctx: CheckContext,
  model: TemporalModel,
  start: WorkflowStart,
  fallback: { value: string; env: string },
  type: string,
  call?: ts.CallExpression,
): void {
  const workers = registeringWorkers(model, type);
  if (workers.length === 0) return;
  // every registering worker's queue is a literal or a default the model read, and none is the start's
  if (!workers.every((worker) => worker.taskQueue?.kind === 'string' && worker.taskQueue.value !== fallback.value)) return;
  if (model.workers.some((worker) => worker.taskQueue?.kind === 'string' && worker.taskQueue.value === fallback.value)) return;
  const wrapper = call ? enclosingFunction(start.node) : undefined;
  const what = call
    ? `This call of ${wrapper ? functionName(wrapper) : 'a wrapper'}(), which hands its taskQueue to ${startCallText(start)} (${relative(ctx.root, start.location.file)}:${start.location.line}), starts ${type} and`
    : startCallText(start);
  const site: WorkflowStart = call ? { ...start, location: model.locate(call), node: call } : start;
  const elsewhere = notProduction(site, ctx.root);
  reportDisagreeingDefaults(ctx, { location: site.location, what, type, fallback, workers, note: elsewhere ? `${elsewhere.what} (${elsewhere.reason})` : undefined });
}

/** The finding for a start whose default task queue no worker that registers its type polls. */
function reportDisagreeingDefaults(
  ctx: CheckContext,
  finding: { location: WorkflowStart['location']; what: string; type: string; fallback: { value: string; env: string }; workers: { taskQueue?: StaticValue; location: WorkflowStart['location'] }[]; note: string | undefined },
): void {
  const { what, type, fallback, workers, note } = finding;
  const many = workers.length > 1;
  const polled = workers.map((worker) => `${describeQueue(worker.taskQueue as StaticValue)} (${relative(ctx.root, worker.location.file)}:${worker.location.line})`);
  ctx.report({
    location: finding.location,
    ...(note ? { severity: 'info' as const } : {}),
    message:
      `${what} puts the run on task queue '${fallback.value}' when ${fallback.env} is unset, but the worker${many ? 's' : ''} that register${many ? '' : 's'} ${type} poll${many ? '' : 's'} ${polled.join(', ')}, ` +
      `and no worker polls '${fallback.value}': the defaults disagree. Wherever ${fallback.env} is left unset for the process that starts it, the workflow task waits on a queue nobody polls and the run never makes progress.` +
      (note ? ` This is ${note}.` : ''),
    fix: `Give the start the same default as the worker (one shared constant for the default queue), or make ${fallback.env} required where the start reads it.`,
    related: workers.map((worker) => ({ ...worker.location, message: `a worker that registers ${type} polls ${describeQueue(worker.taskQueue as StaticValue)}` })),
    data: { workflowType: type, taskQueue: fallback.value, env: fallback.env, workerQueues: workers.map((worker) => describeQueue(worker.taskQueue as StaticValue)), fallback: true },
  });
}

/**
 * Calls of a project's wrapper around a client start, `startWorkflow(options)`, whose start takes its
 * task queue from the parameter (`taskQueue: options.taskQueue ?? fallback`, directly or through a
 * local) and its type from another field of it (`options.workflowType`, also through a local or a
 * lookup): each call that passes an object literal whose taskQueue is an environment variable with
 * a default, and a string type that names a workflow of the project.
 */
function forwardedFallbacks(model: TemporalModel, start: WorkflowStart): { call: ts.CallExpression; type: string; fallback: { value: string; env: string } }[] {
  if (start.child || start.method === 'schedule') return [];
  const fn = enclosingFunction(start.node);
  const optionsArgument = start.node.arguments[1] ? skipOuterExpressions(start.node.arguments[1]) : undefined;
  if (!fn || !optionsArgument || !ts.isObjectLiteralExpression(optionsArgument)) return [];
  const queueExpression = propertyExpression(optionsArgument, 'taskQueue');
  if (!queueExpression) return [];
  const queueSource = throughLocal(model, queueExpression);
  // `options.taskQueue` or `options.taskQueue ?? x` / `|| x`
  let head = skipOuterExpressions(queueSource);
  if (ts.isBinaryExpression(head) && (head.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || head.operatorToken.kind === ts.SyntaxKind.BarBarToken)) head = skipOuterExpressions(head.left);
  if (!ts.isPropertyAccessExpression(head) || head.name.text !== 'taskQueue' || !ts.isIdentifier(head.expression)) return [];
  const parameter = model.declarationOf(head.expression);
  if (!parameter || !ts.isParameter(parameter) || parameter.parent !== fn) return [];
  const position = fn.parameters.indexOf(parameter);
  const name = head.expression.text;
  // the field of the same parameter that names the type
  const typeText = throughLocal(model, start.node.arguments[0]!).getText();
  const typeField = new RegExp(`\\b${name}\\.(\\w+)`).exec(typeText)?.[1];
  if (!typeField || typeField === 'taskQueue') return [];
  const defined = new Set(model.workflows.map((workflow) => workflow.name));
  const found: { call: ts.CallExpression; type: string; fallback: { value: string; env: string } }[] = [];
  for (const call of callsOfFunction(model, fn)) {
    const argument = call.arguments[position] ? skipOuterExpressions(call.arguments[position]!) : undefined;
    if (!argument || !ts.isObjectLiteralExpression(argument)) continue;
    const typeExpression = propertyExpression(argument, typeField);
    const queue = propertyExpression(argument, 'taskQueue');
    if (!typeExpression || !queue) continue;
    const type = model.resolveValue(typeExpression);
    const value = model.resolveValue(queue);
    if (type.kind !== 'string' || !defined.has(type.value)) continue;
    if (value.kind !== 'string' || !value.configurable) continue;
    found.push({ call, type: type.value, fallback: { value: value.value, env: value.configurable.env } });
  }
  return found;
}

/** The value of `name: value` (or the shorthand `name`) in an object literal written in place. */
function propertyExpression(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === name) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
  }
  return undefined;
}

/** A local const's initializer, for an identifier that names one (one step), else the expression. */
function throughLocal(model: TemporalModel, expression: ts.Expression): ts.Expression {
  const inner = skipOuterExpressions(expression) as ts.Expression;
  if (!ts.isIdentifier(inner)) return inner;
  const declaration = model.declarationOf(inner);
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(declaration.name)) return declaration.initializer;
  if (declaration && ts.isShorthandPropertyAssignment(declaration)) {
    // `{ taskQueue }`: the local of that name in the enclosing function
    const fn = enclosingFunction(inner);
    let local: ts.Expression | undefined;
    const visit = (node: ts.Node): void => {
      if (local || (ts.isFunctionLike(node) && node !== fn)) return;
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === inner.text && node.initializer && node.pos < inner.pos) local = node.initializer;
      else ts.forEachChild(node, visit);
    };
    if (fn && 'body' in fn && fn.body) visit(fn.body);
    return local ?? inner;
  }
  return inner;
}

/**
 * Python: a start whose `task_queue` is `os.environ.get("Q", "a")` / `os.getenv("Q", "a")`, judged as
 * in TypeScript against the `Worker(workflows=[...])` that register the type; nothing when any
 * worker's list of workflows is unknown or a file does not parse.
 */
function reportPython(ctx: CheckContext): void {
  const model = pythonModelOf(ctx.model);
  if (!model || model.workers.length === 0 || model.parseErrors.length > 0) return;
  if (model.workers.some((worker) => worker.workflowNames === 'unknown')) return;
  reportPythonFallbacks(ctx, model);
  reportPythonLiterals(ctx, model);
}

type PythonModel = NonNullable<ReturnType<typeof pythonModelOf>>;

/**
 * Python: a start, child start or `ScheduleActionStartWorkflow(...)` whose `task_queue` is a
 * literal (directly, through a module constant or an unset dataclass field's default) that no
 * worker polls, judged as in TypeScript against the workers that register the type: a literal
 * they all poll instead (warning, one finding per type and queue), or a queue they read from
 * configuration (info). A start whose type the code computes (`config.workflow_name`) is judged
 * against every worker of the project, only when each polls a literal.
 */
function reportPythonLiterals(ctx: CheckContext, model: PythonModel): void {
  const unpolled = new Map<string, Parameters<typeof reportUnpolled>[1]>();
  const starts = [...model.starts, ...(model.scheduleActions ?? [])];
  for (const start of starts) {
    const queue = startQueue(start as unknown as WorkflowStart);
    if (!queue) continue;
    if (model.workers.some((worker) => worker.taskQueue?.kind === 'string' && worker.taskQueue.value === queue)) continue;
    const type = start.workflowType;
    const workers = type ? model.workers.filter((worker) => worker.workflowNames !== 'unknown' && worker.workflowNames.includes(type)) : model.workers;
    if (workers.length === 0) continue; // workflow-not-registered says so
    if (workers.some((worker) => !worker.taskQueue || (worker.taskQueue.kind !== 'string' && worker.taskQueue.kind !== 'unknown'))) continue;
    const literal = workers.every((worker) => worker.taskQueue?.kind === 'string' && !worker.taskQueue.configurable);
    const what = pythonStartText(start);
    const development = notProduction(start as unknown as WorkflowStart, ctx.root);
    const queueValue = start.options?.kind === 'object' ? start.options.properties.get('taskQueue') : undefined;
    if (literal) {
      const key = `${type ?? ''}\u0000${queue}`;
      unpolled.set(key, [...(unpolled.get(key) ?? []), { start: start as unknown as WorkflowStart, queue, workers: workers as unknown as WorkerDefinition[], development, what, queueAt: queueValue?.location }]);
      continue;
    }
    // a computed type against configured queues: nothing to compare
    if (!type) continue;
    const polled = workers.map((worker) => `${describeQueue(worker.taskQueue as StaticValue)} (${relative(ctx.root, worker.location.file)}:${worker.location.line})`);
    ctx.report({
      location: start.location,
      severity: 'info',
      message:
        `${what} hard-codes task queue '${queue}', while the worker${workers.length > 1 ? 's' : ''} that register${workers.length > 1 ? '' : 's'} ${type} take${workers.length > 1 ? '' : 's'} the queue from configuration or a value set at run time: ${polled.join(', ')}. ` +
        `No worker in the reviewed code polls '${queue}' as written: unless the configuration says '${queue}' in every environment, the run waits on a queue nobody polls.`,
      fix: `Read the queue from the same setting the worker uses (or one shared constant), so the start follows the worker when the setting changes.`,
      related: workers.map((worker) => ({ ...worker.location, message: `a worker that registers ${type} polls ${describeQueue(worker.taskQueue as StaticValue)}` })),
      data: { workflowType: type, taskQueue: queue, workerQueues: workers.map((worker) => describeQueue(worker.taskQueue as StaticValue)), configurable: true },
    });
  }
  for (const group of unpolled.values()) reportUnpolled(ctx, group);
}

/** How a Python start is named in messages. */
function pythonStartText(start: PythonModel['starts'][number]): string {
  if (start.method === 'schedule') return `ScheduleActionStartWorkflow(${start.workflowType ?? start.workflowTypeText})`;
  return start.callText ?? `client.${start.method === 'start' ? 'start_workflow' : 'execute_workflow'}(${start.workflowType ?? start.workflowTypeText})`;
}

function reportPythonFallbacks(ctx: CheckContext, model: PythonModel): void {
  for (const start of model.starts) {
    const type = start.workflowType;
    if (!type) continue;
    const fallback = startFallback(start);
    if (!fallback) continue;
    const workers = model.workers.filter((worker) => worker.workflowNames !== 'unknown' && worker.workflowNames.includes(type));
    if (workers.length === 0) continue;
    if (!workers.every((worker) => worker.taskQueue?.kind === 'string' && worker.taskQueue.value !== fallback.value)) continue;
    if (model.workers.some((worker) => worker.taskQueue?.kind === 'string' && worker.taskQueue.value === fallback.value)) continue;
    const development = developmentOnly(start as unknown as WorkflowStart, ctx.root);
    const what = start.callText ?? `client.${start.method === 'start' ? 'start_workflow' : 'execute_workflow'}(${type})`;
    reportDisagreeingDefaults(ctx, { location: start.location, what, type, fallback, workers: workers as { taskQueue?: StaticValue; location: WorkflowStart['location'] }[], note: development ? `development-only code (${development})` : undefined });
  }
}

/** The start's task queue when it is read from the environment with a literal default. */
function startFallback(start: { options?: NeutralStaticValue<unknown> }): { value: string; env: string } | undefined {
  const options = start.options;
  if (options?.kind !== 'object') return undefined;
  const queue = options.properties.get('taskQueue');
  if (!queue || queue.kind !== 'string' || !queue.configurable) return undefined;
  if (options.maybeProperties?.has('taskQueue')) return undefined;
  return { value: queue.value, env: queue.configurable.env };
}

/** The start's task queue when it is a plain literal (not read from the environment). */
function startQueue(start: WorkflowStart): string | undefined {
  const options = start.options;
  if (options?.kind !== 'object') return undefined;
  const queue = options.properties.get('taskQueue');
  if (!queue || queue.kind !== 'string' || queue.configurable) return undefined;
  if (options.maybeProperties?.has('taskQueue')) return undefined;
  return queue.value;
}

function registeringWorkers(model: TemporalModel, type: string): WorkerDefinition[] {
  const ids = new Set(model.workflows.filter((workflow) => workflow.name === type).flatMap((workflow) => workflow.workerIds));
  return model.workers.filter((worker) => ids.has(worker.id));
}

function describeQueue(queue: StaticValue | undefined): string {
  if (!queue) return 'no task queue it could read';
  if (queue.kind === 'string') return queue.configurable ? `'${queue.value}' unless ${queue.configurable.env} is set` : `'${queue.value}'`;
  if (queue.kind === 'unknown') return `\`${queue.text}\``;
  return 'a task queue it could not read';
}

/** Paths of tests and development scripts (a worker there polls on a developer's machine or in CI). */
const TEST_OR_DEVELOPMENT = /(^|\/)(tests?|__tests__|e2e|spec|examples?|scripts?|dev|fixtures?)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/i;

/** A worker of either language, with the workflow types it registers (undefined: not all read). */
interface AnyWorker {
  taskQueue: NeutralStaticValue<unknown> | undefined;
  location: SourceLocation;
  registers: ((type: string) => boolean) | undefined;
  language: 'TypeScript' | 'Python';
}

function workersOf(model: CodeModel): AnyWorker[] {
  const python = pythonModelOf(model);
  if (python) {
    const unread = python.parseErrors.length > 0 || !!python.workflowPlugins;
    return python.workers.map((worker) => ({
      taskQueue: worker.taskQueue,
      location: worker.location,
      registers: unread || worker.workflowNames === 'unknown' ? undefined : (type: string) => (worker.workflowNames as string[]).includes(type),
      language: 'Python' as const,
    }));
  }
  const typescript = model as TemporalModel;
  const unread = typescript.workers.some((worker) => worker.workflowsPath === null);
  return typescript.workers.map((worker) => ({
    taskQueue: worker.taskQueue,
    location: worker.location,
    registers: unread ? undefined : (type: string) => registeringWorkers(typescript, type).includes(worker),
    language: 'TypeScript' as const,
  }));
}

/**
 * Starts whose task queue, once deployed with the repository's compose files, is one no worker
 * that registers the type polls: the start and the workers read the queue from the environment
 * (or a literal), and the compose services that run them (known from a build context or the like)
 * give the variable different values, or set it for one and leave the other to its code's default.
 * Judged across languages (a Python API starting a TypeScript worker's workflows). Nothing when any
 * side's deployed value cannot be read, or when no compose value is involved (the code's defaults
 * alone are judged above).
 */
function reportDeployedQueues(ctx: CheckContext, model: CodeModel): void {
  const models = ctx.models && ctx.models.length > 0 ? ctx.models : [model];
  const workers = models.flatMap(workersOf);
  if (workers.length === 0) return;
  const python = pythonModelOf(model);
  const starts: { start: WorkflowStart; what: string }[] = python
    ? [...python.starts, ...(python.scheduleActions ?? [])].map((start) => ({ start: start as unknown as WorkflowStart, what: pythonStartText(start) }))
    : (model as TemporalModel).starts.map((start) => ({ start, what: startCallText(start) }));
  if (!starts.some(({ start }) => start.options?.kind === 'object' && start.options.properties.get('taskQueue')?.kind === 'string')) return;
  const services = composeServices(ctx);
  if (!services.some((service) => service.codeDir !== undefined)) return;
  const groups = new Map<string, { start: WorkflowStart; what: string; type: string; queue: DeployedQueue; workers: { worker: AnyWorker; queues: DeployedQueue[] }[] }[]>();
  for (const { start, what } of starts) {
    const type = start.workflowType;
    if (!type || start.options?.kind !== 'object' || start.options.maybeProperties?.has('taskQueue')) continue;
    if (notProduction(start, ctx.root)) continue;
    // a queue read from the environment (a literal start is judged above, wherever it runs)
    const written = start.options.properties.get('taskQueue');
    if (written?.kind !== 'string' || !written.configurable) continue;
    const startQueues = deployedQueues(written, start.location.file, ctx.root, services);
    if (!startQueues || new Set(startQueues.map((queue) => queue.value)).size !== 1) continue;
    const queue = startQueues[0]!;
    if (workers.some((worker) => worker.registers === undefined)) return;
    const registering = workers.filter((worker) => worker.registers!(type));
    if (registering.length === 0) continue; // workflow-not-registered says so
    // a worker of a test or development script that no service runs does not run in the deployment
    const deployed = registering.filter((worker) => !TEST_OR_DEVELOPMENT.test(relative(ctx.root, worker.location.file)) || deployedQueues(worker.taskQueue, worker.location.file, ctx.root, services) !== undefined);
    if (deployed.length === 0) continue;
    const resolved = deployed.map((worker) => ({ worker, queues: deployedQueues(worker.taskQueue, worker.location.file, ctx.root, services) }));
    if (resolved.some((each) => !each.queues)) continue;
    const polled = resolved as { worker: AnyWorker; queues: DeployedQueue[] }[];
    // a registering worker polls the start's queue in some service: the run is picked up
    if (polled.some((each) => each.queues.some((q) => q.value === queue.value))) continue;
    // any other worker of the project that polls the queue once deployed, or as its code says when
    // no service is shown to run it: the run is picked up (or fails elsewhere)
    const others = workers.filter((worker) => !registering.includes(worker));
    if (others.some((worker) => (deployedQueues(worker.taskQueue, worker.location.file, ctx.root, services) ?? (worker.taskQueue?.kind === 'string' ? [{ value: worker.taskQueue.value }] : [])).some((q) => q.value === queue.value))) continue;
    // the deployment decides: a value a compose service sets is involved (the defaults alone are judged above)
    if (!queue.setAt && !polled.some((each) => each.queues.some((q) => q.setAt))) continue;
    // defaults that already disagree within one language: the finding above says so
    const language = python ? 'Python' : 'TypeScript';
    if (polled.every(({ worker }) => worker.language === language && worker.taskQueue?.kind === 'string' && worker.taskQueue.value !== written.value)) continue;
    const key = `${queue.value}\u0000${queue.service?.file}:${queue.service?.name}\u0000${polled.map((each) => `${each.worker.location.file}:${each.worker.location.line}`).join(',')}`;
    groups.set(key, [...(groups.get(key) ?? []), { start, what, type, queue, workers: polled }]);
  }
  for (const group of groups.values()) {
    const [first, ...others] = group;
    const { start, what, queue, workers: polled } = first!;
    const types = [...new Set(group.map((entry) => entry.type))];
    const type = first!.type;
    const at = (location: { file: string; line: number }) => `${relative(ctx.root, path.resolve(ctx.root, location.file))}:${location.line}`;
    const service = (each: DeployedQueue) => (each.service ? `compose service '${each.service.name}' (${each.service.file}:${each.service.line}, ${each.service.codeFrom})` : undefined);
    const startSide = queue.setAt
      ? `runs in ${service(queue)}, where ${at(queue.setAt)} sets ${queue.env} to '${queue.value}'`
      : `runs in ${service(queue)}, which does not set ${queue.env}, so the code's default '${queue.value}' (${at(queue.code)}) applies`;
    const workerSide = polled.map(({ worker, queues }) => {
      const values = queues.map((each) =>
        each.setAt
          ? `'${each.value}' in ${service(each)}, where ${at(each.setAt)} sets ${each.env}`
          : each.service
            ? `'${each.value}' in ${service(each)}, which leaves ${each.env} to the code's default (${at(each.code)})`
            : `'${each.value}' as written (${at(each.code)})`,
      );
      return `the ${worker.language} worker that registers ${type} (${at(worker.location)}) polls ${values.join(', and ')}`;
    });
    const setLines = [
      ...(queue.setAt ? [{ ...queue.setAt, column: 1, file: path.resolve(ctx.root, queue.setAt.file), message: `the start's service sets ${queue.env} to '${queue.value}'` }] : [{ ...queue.code, message: `the start's default task queue '${queue.value}', which its service does not override` }]),
      ...polled.flatMap(({ worker, queues }) => [
        { ...worker.location, message: `a worker that registers ${type} polls ${[...new Set(queues.map((each) => `'${each.value}'`))].join(' or ')} once deployed` },
        ...queues.flatMap((each) => (each.setAt ? [{ line: each.setAt.line, column: 1, file: path.resolve(ctx.root, each.setAt.file), message: `the worker's service sets ${each.env} to '${each.value}'` }] : [])),
      ]),
      ...others.map((other) => ({ ...other.start.location, message: `${other.what} also starts ${other.type} on '${queue.value}' from the same service` })),
    ];
    ctx.report({
      location: start.location,
      message:
        `${what} starts ${type} on task queue '${queue.value}' once deployed: this code ${startSide}. But ${workerSide.join('; ')}, and no worker polls '${queue.value}'. ` +
        `The workflow task waits on a queue nobody polls: the run never makes progress and, without an execution timeout, stays RUNNING for ever.` +
        (others.length > 0 ? ` ${others.length === 1 ? 'One other start' : `${others.length} other starts`} from the same service (${[...new Set(others.map((other) => other.type))].join(', ')}) use${others.length === 1 ? 's' : ''} the same queue (related locations).` : ''),
      fix: `Give both services the same ${queue.env ?? 'task queue'} (set it in the service that starts the run too), or make the code's defaults agree with the deployed value.`,
      related: setLines,
      data: { workflowType: types.length === 1 ? types[0] : types, taskQueue: queue.value, deployed: true, workerQueues: polled.flatMap(({ queues }) => queues.map((each) => each.value)), starts: group.length },
    });
  }
}
