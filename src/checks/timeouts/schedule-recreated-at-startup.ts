// Prevents a schedule that loses its state on every deploy and races between replicas: a worker or
// server that, each time it starts, deletes a schedule and creates it again (to apply the current
// definition). Deleting a schedule throws away what the server keeps for it: a pause an operator
// set, edits made with the CLI or the UI, and its record of the runs it started, so a run of the
// old schedule that is still going no longer holds back the new schedule's next run. Two
// processes that start at once interleave their deletes and creates: one deletes the schedule the
// other has just created, or its create fails with ScheduleAlreadyRunning. Updating the schedule in
// place keeps all of that.
//
// Only a delete of the same schedule id, written before the create in the same function and not
// under an `if`, in a function the process runs at start: called at the top level of a file that
// also creates a worker or starts a server (directly or through one caller), or a NestJS
// onModuleInit / onApplicationBootstrap hook. A script run once per deploy is not reported.

import path from 'node:path';
import ts from 'typescript';
import { defineCheck } from '../define-check.js';
import { enclosingFunction } from '../../model/typescript/call-reach.js';
import { functionName } from '../../model/typescript/declarations.js';
import { locate, relativePath } from '../../model/typescript/locate.js';
import { callsOfFunction } from '../../model/typescript/named-calls.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import { startHandling } from '../../model/typescript/start-handling.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { StaticValue } from '../../model/types.js';
import type { TemporalModel, WorkflowStart } from '../../model/typescript/types.js';

/** Lifecycle hooks a NestJS application runs once as it boots. */
const BOOT_HOOKS = new Set(['onModuleInit', 'onApplicationBootstrap']);

/** A file whose process serves: it starts a server (the worker is read from the model). */
const SERVER_START = /\bNestFactory\.create|\.listen\s*\(|\bserve\s*\(/;

export default defineCheck({
  id: 'schedule-recreated-at-startup',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A worker or server deletes a schedule and creates it again every time it starts, which throws away a pause, manual edits and the record of running actions, and races when two replicas start at once',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const start of model.starts) {
      if (start.method !== 'schedule') continue;
      const fn = enclosingFunction(start.node);
      if (!fn?.body) continue;
      const deleted = precedingDelete(start, fn, model);
      if (!deleted) continue;
      const startup = startupReason(fn, model);
      if (!startup) continue;
      if (notProduction(start, ctx.root)) continue;
      const id = start.schedule?.id;
      const name = id?.kind === 'string' ? ` '${id.value}'` : '';
      const fnName = functionName(fn);
      const caught = startHandling(start.node) !== undefined;
      ctx.report({
        location: locate(deleted),
        message:
          `Each time the process starts (${startup}), this deletes schedule${name} and creates it again (${relativePath(model.root, start.location.file)}:${start.location.line}). ` +
          'Deleting a schedule throws away what the server keeps for it: a pause set by an operator, edits made with the CLI or the UI, and its record of the runs it started, ' +
          "so a run of the old schedule that is still going does not hold back the new schedule's next run under its overlap policy. " +
          'When two processes start at once (two replicas, a scale-up), their deletes and creates interleave: one can delete the schedule the other has just created, ' +
          `or its create fails with ScheduleAlreadyRunning${caught ? '' : `, which ${fnName ? `${fnName}()` : 'the function'} does not catch`}.`,
        fix:
          'Create the schedule once and update it in place: call client.schedule.create and, on ScheduleAlreadyRunning, ' +
          '`await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }))` (keeping previous.state keeps a pause); ' +
          'or register schedules from a deploy step that runs once, not from every replica.',
        related: [{ ...start.location, message: 'the schedule.create call' }],
        data: { workflowType: start.workflowType, scheduleId: id?.kind === 'string' ? id.value : null },
      });
    }
  },
});

/**
 * `await client.schedule.getHandle(id).delete()` (or a handle held in a const) of the schedule the
 * start creates, written before it in `fn` (outside nested functions), not under an if, a switch,
 * a conditional or a catch clause: it runs every time the function does.
 */
function precedingDelete(start: WorkflowStart, fn: ts.FunctionLikeDeclaration, model: TemporalModel): ts.CallExpression | undefined {
  const created = start.schedule?.id;
  if (!created) return undefined;
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.pos >= start.node.pos) return;
    if (ts.isFunctionLike(node) && node !== fn) return;
    if (ts.isCallExpression(node) && node.end <= start.node.pos && node.arguments.length === 0) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'delete') {
        const id = scheduleHandleId(callee.expression, model);
        if (id && sameId(model.resolveValue(id), id, created) && unconditional(node, fn)) {
          found = node;
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** The id of `client.schedule.getHandle(id)`, written in place or as the value of a const the expression names (awaited or not). */
function scheduleHandleId(expression: ts.Expression, model: TemporalModel, depth = 0): ts.Expression | undefined {
  let target = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isAwaitExpression(target)) target = skipOuterExpressions(target.expression) as ts.Expression;
  if (ts.isCallExpression(target)) {
    const callee = skipOuterExpressions(target.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'getHandle' && /\bschedule$/i.test(callee.expression.getText()) && target.arguments[0]) return target.arguments[0];
    return undefined;
  }
  if (depth > 0 || !ts.isIdentifier(target)) return undefined;
  const declaration = model.declarationOf(target);
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0) {
    return scheduleHandleId(declaration.initializer, model, depth + 1);
  }
  return undefined;
}

/** The same schedule id: equal strings, or the same expression text when neither resolves. */
function sameId(deleted: StaticValue, expression: ts.Expression, created: StaticValue): boolean {
  if (deleted.kind === 'string' && created.kind === 'string') return deleted.value === created.value;
  if (deleted.kind === 'string' || created.kind === 'string') return false;
  const text = (value: StaticValue, fallback: string) => (value.kind === 'unknown' ? value.text : fallback).replace(/\s+/g, '');
  return text(deleted, expression.getText()) === text(created, '\u0000');
}

/** Nothing between the call and the function decides whether it runs (a try block and a loop do not). */
function unconditional(node: ts.Node, fn: ts.Node): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (ts.isIfStatement(current) || ts.isSwitchStatement(current) || ts.isConditionalExpression(current) || ts.isCatchClause(current)) return false;
    if (ts.isBinaryExpression(current) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(current.operatorToken.kind)) return false;
  }
  return true;
}

/**
 * Why `fn` runs every time the process starts, as a message fragment: a NestJS boot hook, or a call
 * at the top level of a file that also creates a worker or starts a server, of `fn` or of a
 * function that calls it.
 */
function startupReason(fn: ts.FunctionLikeDeclaration, model: TemporalModel): string | undefined {
  const name = functionName(fn);
  if (name && BOOT_HOOKS.has(name) && ts.isMethodDeclaration(fn)) return `${name} runs as the application boots`;
  const direct = topLevelCall(fn, model);
  if (direct) return direct;
  if (!name) return undefined;
  for (const call of callsOfFunction(model, fn)) {
    const caller = enclosingFunction(call);
    if (!caller) continue;
    const callerName = functionName(caller);
    if (callerName && BOOT_HOOKS.has(callerName) && ts.isMethodDeclaration(caller)) return `${name}() is called from ${callerName}, which runs as the application boots`;
    const outer = topLevelCall(caller, model);
    if (outer && callerName) return `${name}() is called from ${callerName}(); ${outer}`;
  }
  return undefined;
}

/** `run()` / `main().catch(...)` at the top level of a file that creates a worker or starts a server. */
function topLevelCall(fn: ts.FunctionLikeDeclaration, model: TemporalModel): string | undefined {
  const name = functionName(fn);
  if (!name) return undefined;
  for (const call of callsOfFunction(model, fn)) {
    if (enclosingFunction(call)) continue;
    const file = call.getSourceFile();
    const worker = model.workers.some((w) => path.resolve(w.location.file) === path.resolve(file.fileName));
    if (!worker && !SERVER_START.test(file.text)) continue;
    const at = model.locate(call);
    return `${name}() is called at the top level of ${relativePath(model.root, at.file)}:${at.line}, which ${worker ? 'creates a worker' : 'starts a server'}`;
  }
  return undefined;
}
