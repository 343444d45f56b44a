// Whether the workflows behind a proxy run one instance at a time: every start the reviewed code
// makes of them is a schedule with a fixed id that does not allow overlaps, a cron start with a
// fixed workflow id, or a start with a fixed workflow id. Then an outage is retried by one
// workflow, not by a fleet in step, and the retry storm a missing policy risks does not happen.

import type { CodeModel, StaticValue, WorkflowStartFacts } from '../../model/types.js';

/** Overlap policies under which a schedule never runs two of its workflows at once. */
const ONE_AT_A_TIME_OVERLAP = /(^|[._])(SKIP|BUFFER_ONE|BUFFER_ALL|CANCEL_OTHER|TERMINATE_OTHER)$/;

/**
 * Why each of the workflows runs as a single instance ("a schedule starts it"), or undefined when
 * one of them may run as several, or when the reviewed code does not show who starts it. Only the
 * TypeScript front-end records schedule ids and overlap policies.
 */
export function singleInstanceReason(model: CodeModel, workflows: string[]): string | undefined {
  if (workflows.length === 0 || model.language === 'python') return undefined;
  // A start whose workflow type does not resolve may start any of them, as many times as it likes.
  if (model.starts.some((start) => start.workflowType === null)) return undefined;
  const reasons: string[] = [];
  for (const workflow of workflows) {
    const starts = model.starts.filter((start) => start.workflowType === workflow);
    if (starts.length === 0) return undefined;
    for (const start of starts) {
      const reason = oneAtATime(start);
      if (!reason) return undefined;
      if (!reasons.includes(reason)) reasons.push(reason);
    }
  }
  return reasons.join('; ');
}

function oneAtATime(start: WorkflowStartFacts): string | undefined {
  if (start.method === 'schedule') {
    const schedule = start.schedule;
    if (!schedule || schedule.id?.kind !== 'string') return undefined;
    const overlap = schedule.overlap;
    const written = overlap === undefined ? 'SKIP' : overlap.kind === 'string' ? overlap.value : overlap.kind === 'unknown' ? overlap.text : undefined;
    if (written === undefined || !ONE_AT_A_TIME_OVERLAP.test(written.trim())) return undefined;
    return `schedule '${schedule.id.value}' starts it with overlap ${overlap === undefined ? 'SKIP (the default)' : written.trim()}`;
  }
  const options = start.options?.kind === 'object' ? start.options : undefined;
  // A spread may replace the fixed id with a per-entity one.
  if (!options || options.unknownSpreads.length > 0) return undefined;
  const workflowId = options.properties.get('workflowId');
  if (workflowId?.kind !== 'string') return undefined;
  const cron = options.properties.get('cronSchedule');
  return isSet(cron) ? `it runs on a cron schedule with the fixed workflow id '${workflowId.value}'` : `it is started with the fixed workflow id '${workflowId.value}'`;
}

function isSet(value: StaticValue | undefined): boolean {
  return value !== undefined && value.kind !== 'undefined' && value.kind !== 'null';
}
