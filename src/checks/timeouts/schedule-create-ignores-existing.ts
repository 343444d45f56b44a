// Prevents a schedule whose changes never reach production: code that registers a schedule at
// deploy or boot with client.schedule.create and treats ScheduleAlreadyRunning as "done" keeps the
// spec, action, task queue and workflow type of the very first deploy. Changing the interval or the
// action's input in code does nothing afterwards, and nothing says so. Creating the schedule only
// when describing it fails (`try { describe } catch { create }`) has the same effect. The Python
// front-end reads `client.create_schedule` and its except clauses itself (python-schedule-creates.ts).

import path from 'node:path';
import ts from 'typescript';
import { defineCheck } from '../define-check.js';
import { enclosingFunction } from '../../model/typescript/call-reach.js';
import { functionOfDeclaration } from '../../model/typescript/declarations.js';
import { locate } from '../../model/typescript/locate.js';
import { handlerStatements, startHandling, type StartHandling } from '../../model/typescript/start-handling.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { SourceLocation, TemporalModel } from '../../model/typescript/types.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { packageRootOf } from '../../model/typescript/workspace-packages.js';

/** The error the client throws for an existing schedule id, by class, name or message. */
const ALREADY_RUNNING = /ScheduleAlreadyRunning|already\s*(exists|running)|AlreadyExists|ALREADY_EXISTS/i;

/**
 * A handler that says the existing schedule may differ and is kept in line by hand ("Configuration
 * may have changed since. Please make sure they are in sync."): the drift is a known choice.
 */
const DRIFT_REMINDER = /may\s+have\s+changed|(?:keep|make\s+sure|ensure|check)\b[^'"`]{0,40}\bin\s+sync|out\s+of\s+sync|(?:update|change|sync)\b[^'"`]{0,30}\b(?:manually|by\s+hand)/i;

const CONSEQUENCE =
  'The schedule keeps the spec, action, arguments and task queue of the first deploy that created it: a later change to its interval, its workflow type, its input or its task queue is never applied, and nothing reports the difference.';

export default defineCheck({
  id: 'schedule-create-ignores-existing',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'client.schedule.create whose catch treats ScheduleAlreadyRunning as done, or that runs only when describing the schedule fails, without updating the schedule, so later changes to its spec or action never apply',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    if (python) {
      for (const ignored of python.schedulesIgnoringExisting ?? []) {
        const name = ignored.scheduleId !== null ? ` '${ignored.scheduleId}'` : '';
        ctx.report({
          location: ignored.location,
          message:
            `When schedule${name} already exists, this except clause of client.create_schedule takes the ScheduleAlreadyRunningError as success and leaves the schedule as it is. ` +
            CONSEQUENCE,
          fix:
            'On ScheduleAlreadyRunningError, apply the current definition: `await client.get_schedule_handle(schedule_id).update(lambda input: ScheduleUpdate(schedule=schedule))` ' +
            '(keep input.description.schedule.state when pausing is managed elsewhere).',
          related: [{ ...ignored.createLocation, message: 'the create_schedule call' }],
          data: { workflowType: null, scheduleId: ignored.scheduleId },
        });
      }
      return;
    }
    const found: Registration[] = [];
    for (const start of model.starts) {
      if (start.method !== 'schedule') continue;
      const id = start.schedule?.id;
      const scheduleId = id?.kind === 'string' ? id.value : null;
      const fn = enclosingFunction(start.node);
      const guard = describeGuard(start.node, model);
      if (guard) {
        if (fn && changesSchedule(fn, model)) continue;
        found.push({ kind: 'describe', location: locate(guard.describe), create: start.location, scheduleId, workflowType: start.workflowType, file: start.location.file });
        continue;
      }
      const handling = startHandling(start.node);
      if (!handling) continue;
      const statements = handlerStatements(handling);
      if (!statements.some((statement) => ALREADY_RUNNING.test(statement.getText()))) continue;
      if (fn && changesSchedule(fn, model)) continue;
      if (statements.some((statement) => changesSchedule(statement, model))) continue;
      const reminded = statements.some((statement) => DRIFT_REMINDER.test(statement.getText()));
      found.push({ kind: 'already-running', location: handlerLocation(handling), create: start.location, scheduleId, workflowType: start.workflowType, file: start.location.file, ...(reminded ? { reminded } : {}) });
    }
    // One finding per package and pattern: the registrations of a package are usually written
    // alike, and the fix is made once (an upsert helper), so the others are related locations.
    const groups = new Map<string, Registration[]>();
    for (const registration of found) {
      const key = `${registration.kind}\u0000${registration.reminded ? 'reminded' : ''}\u0000${packageRootOf(path.resolve(model.root, registration.file), path.resolve(model.root))}`;
      groups.set(key, [...(groups.get(key) ?? []), registration]);
    }
    for (const group of groups.values()) {
      group.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line);
      const [first, ...others] = group as [Registration, ...Registration[]];
      const name = first.scheduleId !== null ? ` '${first.scheduleId}'` : '';
      const more =
        others.length === 0
          ? ''
          : ` The package registers ${others.length} other ${others.length === 1 ? 'schedule' : 'schedules'} the same way (related locations); one upsert helper fixes them all.`;
      const keeps = CONSEQUENCE;
      // The handler logs that the configuration may have changed and is kept in sync by hand.
      const reminder = first.reminded
        ? ' The handler says so in its log (the configuration may have changed and is kept in sync by hand), so the drift is a known choice: this is a note.'
        : '';
      ctx.report({
        location: first.location,
        ...(first.reminded ? { severity: 'info' as const } : {}),
        message:
          first.kind === 'already-running'
            ? `When schedule${name} already exists, this handler of client.schedule.create takes the ScheduleAlreadyRunning error as success and leaves the schedule as it is. ${reminder ? CONSEQUENCE.replace(', and nothing reports the difference', '') : keeps}${reminder}${more}`
            : `Schedule${name} is created only when this describe call fails, and an existing schedule is left as it is. ${keeps} ` +
              'Any failure of the describe call (a timeout, a permission error) is also taken as "not found", and the create that follows then fails with ScheduleAlreadyRunning.' +
              more,
        fix:
          first.kind === 'already-running'
            ? 'On ScheduleAlreadyRunning, apply the current definition: `await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }))` ' +
              '(keep previous.state when pausing is managed elsewhere).'
            : 'Create the schedule and, on ScheduleAlreadyRunning, apply the current definition: `await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }))`; ' +
              'or update it when the describe call succeeds, and create it only when the error is a NOT_FOUND.',
        related: [
          { ...first.create, message: 'the schedule.create call' },
          ...others.map((other) => ({ ...other.location, message: `schedule${other.scheduleId !== null ? ` '${other.scheduleId}'` : ''}, registered the same way` })),
        ],
        data: {
          workflowType: first.workflowType,
          scheduleId: first.scheduleId,
          pattern: first.kind,
          ...(others.length > 0 ? { others: others.map((other) => other.scheduleId) } : {}),
        },
      });
    }
  },
});

interface Registration {
  kind: 'already-running' | 'describe';
  /** Where the finding points: the catch handler, or the describe call that guards the create. */
  location: SourceLocation;
  create: SourceLocation;
  scheduleId: string | null;
  workflowType: string | null;
  file: string;
  /** The handler's log says the existing schedule may differ and is kept in sync by hand. */
  reminded?: boolean;
}

/**
 * `try { await handle.describe() } catch { await client.schedule.create(...) }`: the create sits
 * in the catch clause (no function in between) of a try whose block awaits a describe of a
 * schedule (`.describe()` on a handle, `getHandle(id).describe()`, `workflowService.describeSchedule(...)`).
 */
function describeGuard(call: ts.CallExpression, model: TemporalModel): { describe: ts.CallExpression } | undefined {
  for (let node: ts.Node = call; node.parent; node = node.parent) {
    const parent = node.parent;
    if (ts.isFunctionLike(parent) || ts.isClassLike(parent) || ts.isSourceFile(parent)) return undefined;
    if (ts.isCatchClause(parent) && ts.isTryStatement(parent.parent)) {
      const describe = awaitedDescribe(parent.parent.tryBlock, model);
      if (describe) return { describe };
    }
  }
  return undefined;
}

function awaitedDescribe(block: ts.Block, model: TemporalModel): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node)) {
      const operand = skipOuterExpressions(node.expression);
      if (ts.isCallExpression(operand)) {
        const callee = skipOuterExpressions(operand.expression);
        if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'describeSchedule' || (callee.name.text === 'describe' && operand.arguments.length === 0 && isScheduleHandle(callee.expression, model)))) {
          found = operand;
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

/** `client.schedule.getHandle(id)`, directly or through the variable it is kept in, or a name that says it holds a schedule handle. */
function isScheduleHandle(expression: ts.Expression, model: TemporalModel, depth = 0): boolean {
  const target = skipOuterExpressions(expression);
  if (ts.isCallExpression(target)) {
    const callee = skipOuterExpressions(target.expression);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'getHandle' && /schedule/i.test(callee.expression.getText());
  }
  if (/schedule/i.test(target.getText())) return true;
  if (depth > 0 || (!ts.isIdentifier(target) && !ts.isPropertyAccessExpression(target))) return false;
  const declaration = model.declarationOf(target);
  if (declaration && (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.initializer) {
    let initializer = skipOuterExpressions(declaration.initializer) as ts.Expression;
    if (ts.isAwaitExpression(initializer)) initializer = skipOuterExpressions(initializer.expression) as ts.Expression;
    return isScheduleHandle(initializer, model, depth + 1);
  }
  return false;
}

function handlerLocation(handling: StartHandling) {
  if (handling.kind === 'try') return locate(handling.clause);
  const callee = handling.catchCall.expression;
  return locate(ts.isPropertyAccessExpression(callee) ? callee.name : handling.catchCall);
}

/**
 * True when the code updates or deletes a schedule (`handle.update(...)`, `.delete()` to create it
 * again), directly or in a reviewed function it calls.
 */
function changesSchedule(node: ts.Node, model: TemporalModel, depth = 0): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(child)) {
      const callee = skipOuterExpressions(child.expression);
      if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'update' || callee.name.text === 'delete')) {
        found = true;
        return;
      }
      if (depth < 2) {
        const target = functionOfDeclaration(model.declarationOf(ts.isPropertyAccessExpression(callee) ? callee.name : callee));
        if (target?.body && target !== node && model.files.includes(target.getSourceFile().fileName) && changesSchedule(target.body, model, depth + 1)) {
          found = true;
          return;
        }
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}
