// Prevents a schedule whose changes never reach production: code that registers a schedule at
// deploy or boot with client.schedule.create and treats ScheduleAlreadyRunning as "done" keeps the
// spec, action, task queue and workflow type of the very first deploy. Changing the interval or the
// action's input in code does nothing afterwards, and nothing says so. The Python front-end reads
// `client.create_schedule` and its except clauses itself (python-schedule-creates.ts).

import ts from 'typescript';
import { defineCheck } from '../define-check.js';
import { enclosingFunction } from '../../model/typescript/call-reach.js';
import { functionOfDeclaration } from '../../model/typescript/declarations.js';
import { locate } from '../../model/typescript/locate.js';
import { handlerStatements, startHandling, type StartHandling } from '../../model/typescript/start-handling.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';

/** The error the client throws for an existing schedule id, by class, name or message. */
const ALREADY_RUNNING = /ScheduleAlreadyRunning|already\s*(exists|running)|AlreadyExists|ALREADY_EXISTS/i;

const CONSEQUENCE =
  'The schedule keeps the spec, action, arguments and task queue of the first deploy that created it: a later change to its interval, its workflow type, its input or its task queue is never applied, and nothing reports the difference.';

export default defineCheck({
  id: 'schedule-create-ignores-existing',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'client.schedule.create whose catch treats ScheduleAlreadyRunning as done without updating the schedule, so later changes to its spec or action never apply',
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
    for (const start of model.starts) {
      if (start.method !== 'schedule') continue;
      const handling = startHandling(start.node);
      if (!handling) continue;
      const statements = handlerStatements(handling);
      if (!statements.some((statement) => ALREADY_RUNNING.test(statement.getText()))) continue;
      const fn = enclosingFunction(start.node);
      if (fn && changesSchedule(fn, model)) continue;
      if (statements.some((statement) => changesSchedule(statement, model))) continue;
      const id = start.schedule?.id;
      const name = id?.kind === 'string' ? ` '${id.value}'` : '';
      ctx.report({
        location: handlerLocation(handling),
        message:
          `When schedule${name} already exists, this handler of client.schedule.create takes the ScheduleAlreadyRunning error as success and leaves the schedule as it is. ` +
          'The schedule keeps the spec, action, arguments and task queue of the first deploy that created it: a later change to its interval, its workflow type, its input or its task queue is never applied, and nothing reports the difference.',
        fix:
          'On ScheduleAlreadyRunning, apply the current definition: `await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }))` ' +
          '(keep previous.state when pausing is managed elsewhere).',
        related: [{ ...start.location, message: 'the schedule.create call' }],
        data: { workflowType: start.workflowType, scheduleId: id?.kind === 'string' ? id.value : null },
      });
    }
  },
});

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
