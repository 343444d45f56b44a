// Prevents a schedule that silently stops taking actions: a schedule whose overlap policy holds
// back a new action while an earlier one still runs (SKIP, which is also the default when the
// policy is not written; BUFFER_ONE and BUFFER_ALL, which queue it behind the running one), and
// whose start-workflow action sets neither an execution nor a run timeout (both unlimited by
// default). One run that never ends (stuck in workflow task retries after a bad deploy, waiting
// for a signal that never comes, an activity retried without limit) holds back every later action
// for as long as it runs: with no timeout, forever. The schedule stays active, nothing fails, and
// the job it runs stops without an alert.
//
// ALLOW_ALL, CANCEL_OTHER and TERMINATE_OTHER are left alone (a later action starts anyway, or
// ends the running one), as is a policy or an action the review cannot read in full.

import { defineCheck } from '../define-check.js';
import { relative } from '../../engine/run-checks.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import { workflowRunBound, type RunBound } from '../../engine/activity-policy/workflow-run-bound.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import type { StaticValue, WorkflowStartFacts } from '../../model/types.js';
import type { WorkflowStart } from '../../model/typescript/types.js';

/** Overlap policies under which a running action holds back the later ones. */
const BLOCKING = /(?:^|[._'"])(SKIP|BUFFER_ONE|BUFFER_ALL|UNSPECIFIED)['"]?$/;

const NAMES = {
  typescript: { execution: 'workflowExecutionTimeout', run: 'workflowRunTimeout', action: "the startWorkflow action", policy: 'policies.overlap' },
  python: { execution: 'execution_timeout', run: 'run_timeout', action: 'ScheduleActionStartWorkflow', policy: 'SchedulePolicy(overlap=...)' },
} as const;

export default defineCheck({
  id: 'schedule-run-unbounded',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A schedule whose overlap policy (SKIP, the default, or BUFFER_ONE/BUFFER_ALL) holds back new actions while one runs, and whose start-workflow action sets no execution or run timeout: one stuck run stops the schedule for good',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = model.language === 'python';
    const names = NAMES[python ? 'python' : 'typescript'];
    const actions: WorkflowStartFacts[] = python ? (model.scheduleActions ?? []) : model.starts.filter((start) => start.method === 'schedule');
    for (const action of actions) {
      const schedule = action.schedule;
      if (!schedule || !unbounded(action.options, names)) continue;
      const overlap = blockingOverlap(schedule.overlap);
      if (!overlap) continue;
      const id = schedule.id?.kind === 'string' ? schedule.id.value : undefined;
      const types = action.workflowType ? [action.workflowType] : (action.workflowTypeCandidates ?? []);
      const many = !id && types.length !== 1;
      const subject = id ? `Schedule '${id}'` : many ? 'Each schedule this call creates' : 'This schedule';
      const workflow =
        types.length === 1 ? types[0]! : types.length > 1 ? `one of ${types.join(', ')}` : `${action.workflowTypeText || 'its workflow'} (a workflow type the review could not resolve)`;
      const holds = overlap.policy === 'SKIP' ? 'skips every later action' : 'queues the later actions behind it, and none of them starts';
      const development = notProduction(action as WorkflowStart, ctx.root);
      const bound = runBound(ctx.model!, types);
      const bounded = bound.kind === 'bounded';
      ctx.report({
        location: action.location,
        ...(development || bounded ? { severity: 'info' as const } : {}),
        message:
          `${subject} starts ${workflow} with overlap ${overlap.written}, and the action sets neither ${names.execution} nor ${names.run}, so a run has no time limit. ` +
          (bounded
            ? `Its runs are bounded by their activities' timeouts and attempts: ${bound.activities.join('; ')}, with no wait without a timeout, no unbounded loop and no child workflow without a timeout, so a run ends by itself. ` +
              `What the timeout guards against is a run whose workflow task keeps failing (a bad deploy): that run stays open, and the schedule ${holds} until it is fixed or the run is terminated, with nothing failing and nothing alerting.`
            : `If one run never ends (stuck retrying a workflow task after a bad deploy, waiting for a signal that never comes, an activity retried without limit), ` +
              `the schedule ${holds} while that run is open: with no timeout, forever. The schedule still shows as active, nothing fails and nothing alerts, so the job it runs silently stops. ` +
              `Here ${bound.why}${bound.location ? ` (${relative(ctx.root, bound.location.file)}:${bound.location.line})` : ''}.`) +
          (development ? ` This is ${development.what} (${development.reason}).` : ''),
        fix:
          `${bounded ? 'As hardening, set' : 'Set'} ${names.execution} on ${names.action} to a bound above the longest expected run (shorter than the schedule's interval, so a stuck run ends before the next action is due), ` +
          `or ${names.run}; a run that times out ends TIMED_OUT and the next action starts. Alert on schedule runs that fail or time out.`,
        ...(bound.kind === 'open' && bound.location ? { related: [{ ...bound.location, message: 'what can keep a run open' }] } : {}),
        data: { workflowType: action.workflowType, workflowTypes: types, scheduleId: id ?? null, overlap: overlap.policy, runBounded: bounded },
      });
    }
  },
});

/** The action's options are read in full and set neither timeout (a timeout read from elsewhere counts as set). */
function unbounded(options: StaticValue | undefined, names: { execution: string; run: string }): boolean {
  if (options?.kind !== 'object' || options.unknownSpreads.length > 0) return false;
  return [names.execution, names.run].every((key) => {
    const value = options.properties.get(key) ?? options.maybeProperties?.get(key);
    return value === undefined || value.kind === 'undefined' || value.kind === 'null';
  });
}

/** The policy when it holds back later actions: unwritten (the default SKIP), or a blocking value as written. */
function blockingOverlap(overlap: StaticValue | undefined): { policy: string; written: string } | undefined {
  if (overlap === undefined || overlap.kind === 'undefined') return { policy: 'SKIP', written: 'SKIP (the default)' };
  const text = overlap.kind === 'string' ? overlap.value : overlap.kind === 'unknown' ? overlap.text : undefined;
  const match = text !== undefined ? BLOCKING.exec(text.trim()) : null;
  if (!match) return undefined;
  const policy = match[1] === 'UNSPECIFIED' ? 'SKIP' : match[1]!;
  return { policy, written: match[1] === 'UNSPECIFIED' ? `${text!.trim()} (the server default, SKIP)` : text!.trim() };
}

/**
 * Whether every workflow the action may start has runs bounded by their own code (see
 * engine/activity-policy/workflow-run-bound.ts); the first reason one is not, otherwise.
 */
function runBound(model: Parameters<typeof workflowRunBound>[0], types: string[]): RunBound {
  if (types.length === 0) return { kind: 'open', why: 'the review could not resolve the workflow type, so whether its runs end by themselves is not known' };
  const activities: string[] = [];
  for (const type of types) {
    const bound = workflowRunBound(model, type);
    if (bound.kind === 'open') return bound;
    activities.push(...(types.length > 1 ? [`${type}: ${listNames(bound.activities, 3)}`] : bound.activities));
  }
  return { kind: 'bounded', activities };
}
