// Finds workflows started on a timetable by a timer inside the application process (setInterval,
// a setTimeout that re-arms itself, node-cron, cron, node-schedule, NestJS @Cron / @Interval)
// instead of a Temporal Schedule. The timer runs in every replica of the process, so each replica
// starts its own run per period unless the workflow id dedupes them; and a period when no replica
// is up starts nothing, with no record of the miss. A Temporal Schedule fires once per period on
// the server, whatever runs, and catches up on missed periods within its catchup window.

import ts from 'typescript';
import { relative } from '../../engine/run-checks.js';
import { functionOfDeclaration } from '../../model/typescript/declarations.js';
import { developmentOnly } from '../../model/typescript/observability/development-only.js';
import { workflowIdShape } from '../../model/typescript/observability/workflow-id-shape.js';
import { importBindings, skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { TemporalModel, WorkflowStart } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-started-by-process-timer',
  area: 'capacity',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description:
    'A workflow is started on a timetable by a timer in the application process (setInterval, node-cron, cron, NestJS @Cron) instead of a Temporal Schedule: every replica starts it, and a period when the process is down is lost.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    const timers = processTimers(model);
    if (timers.length === 0) return;
    const reached = reachedFunctions(timers, model);
    for (const start of model.starts) {
      if (start.child || start.method === 'schedule' || model.workflowFiles.has(start.location.file)) continue;
      const timer = timerOf(start, reached);
      if (!timer || developmentOnly(start, ctx.root)) continue;
      const id = idNote(start, model);
      const at = model.locate(timer.at);
      ctx.report({
        location: start.location,
        severity: id.kind === 'random' ? 'warning' : 'info',
        message:
          `This workflow start runs from a timer inside the application process (${timer.label} at ${relative(ctx.root, at.file)}:${at.line}) instead of a Temporal Schedule. ` +
          'The timer runs in every replica of the process, so each replica starts the workflow every period; ' +
          id.text +
          ' And a period when no replica is up (a deploy, a crash, a scale to zero) starts nothing, with no record of the miss' +
          (timer.kind === 'setInterval' || timer.kind === 'setTimeout' || timer.kind === 'Interval' ? ", and every restart resets the timer's clock." : '.'),
        fix:
          'Create a Temporal Schedule for it (client.schedule.create once, at deploy or startup, ignoring ScheduleAlreadyRunning): the server starts one run per period whatever runs, keeps the missed periods within its catchup window, and shows every run. ' +
          'If the timer stays, build the workflow id from the period (`digest-${day}`) so the replicas\' starts collide on one id.',
        related: [{ ...at, message: 'the in-process timer that runs the start' }],
        data: { timer: timer.kind, id: id.kind },
      });
    }
  },
});

type TimerKind = 'setInterval' | 'setTimeout' | 'node-cron' | 'cron' | 'node-schedule' | 'Cron' | 'Interval';

interface ProcessTimer {
  kind: TimerKind;
  /** The function the timer runs. */
  fn: ts.FunctionLikeDeclaration;
  /** The timer call or decorator, for the message. */
  at: ts.Node;
  label: string;
}

const CANDIDATE = /setInterval|setTimeout|node-cron|['"]cron['"]|@nestjs\/schedule|node-schedule/;

/** Every function a timer of the process runs, in the reviewed files outside the workflow sandbox. */
function processTimers(model: TemporalModel): ProcessTimer[] {
  const timers: ProcessTimer[] = [];
  for (const file of model.files) {
    if (model.workflowFiles.has(file)) continue;
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !CANDIDATE.test(sourceFile.text)) continue;
    const imports = importBindings(sourceFile);
    const moduleOf = (node: ts.Node): string | undefined => {
      const inner = skipOuterExpressions(node);
      return ts.isIdentifier(inner) ? imports.get(inner.text)?.module : undefined;
    };
    const visit = (node: ts.Node): void => {
      if (ts.isMethodDeclaration(node)) {
        for (const decorator of ts.getDecorators(node) ?? []) {
          const expression = decorator.expression;
          const callee = ts.isCallExpression(expression) ? expression.expression : expression;
          if (ts.isIdentifier(callee) && (callee.text === 'Cron' || callee.text === 'Interval') && imports.get(callee.text)?.module === '@nestjs/schedule') {
            timers.push({ kind: callee.text, fn: node, at: decorator, label: `@${callee.text}` });
          }
        }
      }
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const found = scheduled(node, moduleOf, model);
        if (found) timers.push(found);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return timers;
}

/** The timer a call sets up, with the function it runs. */
function scheduled(call: ts.CallExpression | ts.NewExpression, moduleOf: (node: ts.Node) => string | undefined, model: TemporalModel): ProcessTimer | undefined {
  const callee = skipOuterExpressions(call.expression);
  const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
  const fnOf = (argument: ts.Expression | undefined): ts.FunctionLikeDeclaration | undefined => {
    if (!argument) return undefined;
    const inner = skipOuterExpressions(argument);
    if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) return inner;
    if (ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) return functionOfDeclaration(model.declarationOf(inner));
    return undefined;
  };
  const label = (text: string) => text;
  if (ts.isCallExpression(call) && name === 'setInterval' && (!receiver || /^(global|globalThis|window|timers)$/.test(receiver.getText()))) {
    const fn = fnOf(args[0]);
    return fn ? { kind: 'setInterval', fn, at: call, label: label('setInterval') } : undefined;
  }
  if (ts.isCallExpression(call) && name === 'setTimeout' && (!receiver || /^(global|globalThis|window|timers)$/.test(receiver.getText()))) {
    // Only a setTimeout that re-arms itself: it schedules the function it sits in, or its callback
    // calls that function again.
    const fn = fnOf(args[0]);
    const around = enclosingFunction(call);
    if (!fn || !around) return undefined;
    if (fn === around || callsFunction(fn, around, model)) return { kind: 'setTimeout', fn: fn === around ? around : fn, at: call, label: 'a setTimeout that re-arms itself' };
    return undefined;
  }
  if (ts.isCallExpression(call) && name === 'schedule' && receiver && moduleOf(receiver) === 'node-cron') {
    const fn = fnOf(args[1]);
    return fn ? { kind: 'node-cron', fn, at: call, label: 'node-cron schedule' } : undefined;
  }
  if (ts.isCallExpression(call) && name === 'scheduleJob' && receiver && moduleOf(receiver) === 'node-schedule') {
    const fn = fnOf(args[args.length - 1]);
    return fn ? { kind: 'node-schedule', fn, at: call, label: 'node-schedule scheduleJob' } : undefined;
  }
  const cronJob = (ts.isNewExpression(call) && ts.isIdentifier(callee) && callee.text === 'CronJob' && moduleOf(callee) === 'cron') ||
    (ts.isCallExpression(call) && name === 'from' && receiver && ts.isIdentifier(receiver) && receiver.text === 'CronJob' && moduleOf(receiver) === 'cron');
  if (cronJob) {
    const first = args[0] && skipOuterExpressions(args[0]);
    const onTick = first && ts.isObjectLiteralExpression(first)
      ? first.properties.find((p): p is ts.PropertyAssignment | ts.MethodDeclaration => (ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p)) && p.name.getText() === 'onTick')
      : undefined;
    const fn = onTick ? (ts.isMethodDeclaration(onTick) ? onTick : fnOf(onTick.initializer)) : fnOf(args[1]);
    return fn ? { kind: 'cron', fn, at: call, label: 'a cron CronJob' } : undefined;
  }
  return undefined;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && 'body' in current && (current as ts.FunctionLikeDeclaration).body) {
      const fn = current as ts.FunctionLikeDeclaration;
      // `const tick = async () => { ... }`: the arrow is the function named tick.
      return fn;
    }
  }
  return undefined;
}

/** The body of `fn` calls `target` (by name, or a method through `this`). */
function callsFunction(fn: ts.FunctionLikeDeclaration, target: ts.FunctionLikeDeclaration, model: TemporalModel): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && functionOfDeclaration(model.declarationOf(skipOuterExpressions(node.expression))) === target) found = true;
    else ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

const MAX_DEPTH = 3;

/** Each function a timer runs, and the project functions those call (a few calls deep), with their timer. */
function reachedFunctions(timers: ProcessTimer[], model: TemporalModel): Map<ts.Node, ProcessTimer> {
  const reached = new Map<ts.Node, ProcessTimer>();
  for (const timer of timers) {
    let frontier: ts.FunctionLikeDeclaration[] = [timer.fn];
    if (!reached.has(timer.fn)) reached.set(timer.fn, timer);
    for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
      const next: ts.FunctionLikeDeclaration[] = [];
      for (const fn of frontier) {
        const visit = (node: ts.Node): void => {
          if (ts.isCallExpression(node)) {
            const callee = functionOfDeclaration(model.declarationOf(skipOuterExpressions(node.expression)));
            if (callee && !reached.has(callee) && model.files.includes(callee.getSourceFile().fileName)) {
              reached.set(callee, timer);
              next.push(callee);
            }
          }
          ts.forEachChild(node, visit);
        };
        if (fn.body) visit(fn.body);
      }
      frontier = next;
    }
  }
  return reached;
}

/** The timer whose function (or a function it calls) holds the start. */
function timerOf(start: WorkflowStart, reached: Map<ts.Node, ProcessTimer>): ProcessTimer | undefined {
  for (let node: ts.Node | undefined = start.node.parent; node; node = node.parent) {
    const timer = reached.get(node);
    if (timer) return timer;
  }
  return undefined;
}

/** Date parts cut from the clock: the id is the same in every replica for one period. */
const PERIOD = /toISOString\(\)\s*\.\s*(slice|substring|substr|split)|toDateString|toLocaleDateString|\bformat\w*\(|getUTC?(FullYear|Month|Date|Day|Hours)\(|startOf\(|Math\.floor\(/;

function idNote(start: WorkflowStart, model: TemporalModel): { kind: 'random' | 'period' | 'fixed' | 'unknown'; text: string } {
  const options = start.options?.kind === 'object' ? start.options : undefined;
  const value = options?.properties.get('workflowId');
  const expression = value && 'node' in value && value.node && ts.isExpression(value.node) ? (skipOuterExpressions(value.node) as ts.Expression) : undefined;
  const text = expression ? code(expression.getText()) : value?.kind === 'string' ? `'${value.value}'` : undefined;
  if (value?.kind === 'string') {
    return {
      kind: 'fixed',
      text: `the workflow id (${text}) is the same at every start, so the server refuses another replica's start while a run is open, but not the next start once that run has closed (the default reuse policy allows it).`,
    };
  }
  if (expression && PERIOD.test(withInitializers(expression, model))) {
    return {
      kind: 'period',
      text: `the workflow id (${text}) is built from the date, so it is the same in every replica for one period: the server refuses the later starts while the first run is open, which dedupes them (a run that has already closed does not block them under the default reuse policy).`,
    };
  }
  const shape = workflowIdShape(start, model);
  if (shape.kind === 'random') {
    return { kind: 'random', text: `the workflow id (${code(shape.text)}) is new at every start, so nothing dedupes them: N replicas start N runs.` };
  }
  if (shape.kind === 'derived') {
    return {
      kind: 'fixed',
      text: `the workflow id (${code(shape.text)}) does not change with the period, so the server refuses another replica's start while a run is open, but not the next start once that run has closed.`,
    };
  }
  return { kind: 'unknown', text: 'whether the workflow id dedupes those starts could not be told.' };
}

/** Source text on one line, in backticks unless it is a template literal already. */
function code(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.startsWith('`') ? oneLine : `\`${oneLine}\``;
}

/** The expression's text and the initializers of the local names it uses, one step. */
function withInitializers(expression: ts.Expression, model: TemporalModel): string {
  const parts = [expression.getText()];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const declaration = model.declarationOf(node);
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) parts.push(declaration.initializer.getText());
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return parts.join('\n');
}
