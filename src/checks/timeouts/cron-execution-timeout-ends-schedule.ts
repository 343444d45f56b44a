// Prevents cron workflows that stop for good without anyone noticing: on a start with a cron
// schedule (cronSchedule / cron_schedule), the workflow execution timeout (workflowExecutionTimeout
// / execution_timeout) bounds the whole chain of cron runs, not each run. Temporal's documentation
// says so ("This timeout is most commonly used for stopping the execution of a Temporal Cron Job
// after a certain amount of time has passed"); the per-run bound is the run timeout. When the
// execution timeout fires, the cron is over: no later run is scheduled, nothing fails, and the
// chain shows as timed out once.
// A warning when the start sets no run timeout (the execution timeout looks meant per run); a note
// when it also sets a shorter run timeout, which shows the team knows the difference and may want
// the cron to end.

import { defineCheck } from '../define-check.js';
import { formatDuration } from '../../engine/duration.js';
import { durationVerdict } from '../../engine/activity-policy/duration-verdict.js';
import { render } from '../../engine/activity-policy/read-options.js';
import type { StaticValue } from '../../model/types.js';

const NAMES = {
  typescript: { cron: 'cronSchedule', execution: 'workflowExecutionTimeout', run: 'workflowRunTimeout' },
  python: { cron: 'cron_schedule', execution: 'execution_timeout', run: 'run_timeout' },
} as const;

export default defineCheck({
  id: 'cron-execution-timeout-ends-schedule',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A cron start whose workflow execution timeout ends the whole cron chain, not each run',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const names = NAMES[model.language === 'python' ? 'python' : 'typescript'];
    for (const start of model.starts) {
      const options = start.options;
      if (options?.kind !== 'object') continue;
      const cron = cronWritten(options.properties.get(names.cron));
      if (!cron) continue;
      const execution = fixedDuration(options.properties.get(names.execution));
      if (!execution) continue;
      const run = fixedDuration(options.properties.get(names.run));
      const perRunAlso = run !== undefined && run.ms < execution.ms;
      const what = start.workflowType ? `this start of ${start.workflowType}` : 'this start';
      ctx.report({
        location: start.location,
        ...(perRunAlso ? { severity: 'info' as const } : {}),
        message:
          `${capitalise(what)} runs on ${cron.literal ? `the cron schedule '${cron.text}'` : `the cron schedule ${names.cron}: ${cron.text}`} with ${names.execution} ${execution.written} (${formatDuration(execution.ms)}). ` +
          `On a cron start that timeout covers the whole chain of cron runs, not each run: ${formatDuration(execution.ms)} after the first start the cron stops for good, ` +
          'no later run is scheduled, and nothing fails or alerts, so the job silently stops running. ' +
          (perRunAlso
            ? `The start also sets ${names.run} ${run.written}, so ending the cron may be intended.`
            : `It sets no ${names.run}, which is the bound on each run.`),
        fix: perRunAlso
          ? `If the cron should keep running, remove ${names.execution} and keep ${names.run} as the bound on each run; better, move the job to a Temporal Schedule.`
          : `Use ${names.run} for a bound on each run and remove ${names.execution}, or move the job to a Temporal Schedule (cron starts are superseded by Schedules), whose runs each take their own timeouts.`,
        data: { workflowType: start.workflowType, cron: cron.text, executionTimeoutMs: execution.ms, runTimeoutMs: run?.ms ?? null },
      });
    }
  },
});

/** The cron option: a non-empty literal, or an expression the review cannot read (a schedule from a request). */
function cronWritten(value: StaticValue | undefined): { text: string; literal: boolean } | undefined {
  if (!value) return undefined;
  if (value.kind === 'string') return value.value.trim() === '' ? undefined : { text: value.value, literal: true };
  if (value.kind === 'unknown') return { text: value.text || 'an expression', literal: false };
  return undefined;
}

/** A duration option written as a fixed value (not read from the environment), as the SDK reads it. */
function fixedDuration(value: StaticValue | undefined): { ms: number; written: string } | undefined {
  if (!value || (value.kind !== 'string' && value.kind !== 'number')) return undefined;
  if ('configurable' in value && value.configurable) return undefined;
  const verdict = durationVerdict(value.value);
  return verdict.kind === 'duration' ? { ms: verdict.ms, written: render(value) } : undefined;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
