// Prevents the launch-day saturation of a task queue whose workers have fewer slots than the
// declared peak needs: tasks queue up, schedule-to-start latency climbs and timeouts fire.

import { defineCheck } from '../define-check.js';
import { environmentReference } from '../../model/environment-reference.js';
import { formatDuration, parseDuration } from '../../engine/duration.js';
import { buildLoadModel, type QueueLoad } from '../../engine/load-model.js';
import { evaluateSlots, planSlots } from '../../simulate/slot-planner.js';

export default defineCheck({
  id: 'worker-capacity-below-peak',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'With declared load: fewer worker slots on a task queue than the planner needs at the headroom times the peak.',
  run(ctx) {
    const model = ctx.model;
    if (!model || Object.keys(ctx.config.load.workflows).length === 0) return;
    const python = model.language === 'python';
    const load = buildLoadModel(model, ctx.config);
    const targetMs = parseDuration(ctx.config.targets.scheduleToStartP99) ?? 500;
    const headroom = ctx.config.targets.headroom;

    for (const queue of load.queues) {
      if (queue.ratePerSecond <= 0 || queue.workers.length === 0) continue;
      const slotCounts = queue.workers.map((w) => w.slots);
      if (slotCounts.some((s) => s === 'unknown')) continue;
      const configured = (slotCounts as number[]).reduce((sum, s) => sum + s, 0);
      const plan = planSlots({ ratePerSecond: queue.ratePerSecond, meanDurationMs: queue.meanDurationMs, durationCv: queue.durationCv, targetMs, percentile: 99, headroom });
      if (configured >= plan.slots) continue;
      const now = evaluateSlots({ ratePerSecond: queue.ratePerSecond, meanDurationMs: queue.meanDurationMs, durationCv: queue.durationCv, slots: configured, headroom, percentile: 99 });
      const [first, ...others] = queue.workers;
      // With a tuner the slot options are rejected (both SDKs throw): the fixed supplier sizes them.
      const tuned = first!.worker.options.kind === 'object' && first!.worker.options.properties.has('tuner');
      const option = tuned ? tunerSlotOption(queue, python) : slotOption(queue, python);
      const perProcess = first!.slots as number;
      ctx.report({
        location: first!.location,
        message:
          `Task queue '${queue.taskQueue}'${queueSource(queue)} has ${configured} ${slotWord(queue)} ${describeWorkers(queue)}, but the declared peak ` +
          `(${describeMix(queue)}) needs ${plan.slots} to keep schedule-to-start p99 under ${formatDuration(targetMs)} at ${headroom}x the peak` +
          `${queue.complete ? '' : ' (a lower bound: some calls could not be counted)'}. ` +
          `${describeEvaluation(now, headroom, configured)} Tasks wait in the queue, schedule-to-start latency climbs and activities with a schedule-to-start or schedule-to-close timeout fail.`,
        fix:
          `Raise ${option} to ${plan.slots}${first!.isDefault ? ' (it is unset: the SDK default is 100)' : ''} if one process can run that many, ` +
          `or run ${Math.ceil(plan.slots / Math.max(1, perProcess))} worker processes of ${perProcess} slots; this review assumes one process per ${python ? 'Worker(...)' : 'Worker.create'}. ` +
          '`temporal-preflight capacity` shows the wait curve around the answer.',
        related: others.map((w) => ({ ...w.location, message: `another worker polling '${queue.taskQueue}' (${w.slots} slots)` })),
        data: {
          taskQueue: queue.taskQueue,
          slotKind: queue.slotKind,
          configuredSlots: configured,
          requiredSlots: plan.slots,
          ratePerSecond: queue.ratePerSecond,
          meanDurationMs: Math.round(queue.meanDurationMs),
          durationCv: Number(queue.durationCv.toFixed(3)),
          headroom,
          targetMs,
          utilizationAtHeadroom: Number(now.utilization.toFixed(3)),
          complete: queue.complete,
        },
      });
    }

    for (const unknown of load.unknowns) {
      ctx.report({
        ...(unknown.location ? { location: unknown.location } : {}),
        severity: 'info',
        message: `Cannot size ${unknown.taskQueue ? `task queue '${unknown.taskQueue}'` : 'the declared load'} completely: ${unknown.message}.`,
        fix: fixFor(unknown.kind),
        data: { kind: unknown.kind },
      });
    }
  },
});

/** The option that sizes the slot kind, as the SDK of the reviewed code spells it. */
function slotOption(queue: QueueLoad, python: boolean): string {
  if (python) return queue.slotKind === 'activity' ? 'max_concurrent_activities' : 'max_concurrent_local_activities';
  return queue.slotKind === 'activity' ? 'maxConcurrentActivityTaskExecutions' : 'maxConcurrentLocalActivityExecutions';
}

function tunerSlotOption(queue: QueueLoad, python: boolean): string {
  if (python) return queue.slotKind === 'activity' ? "the tuner's activity_slots" : "the tuner's local_activity_slots";
  return queue.slotKind === 'activity' ? 'tuner.activityTaskSlotSupplier.numSlots' : 'tuner.localActivityTaskSlotSupplier.numSlots';
}

/** " (the default of os.environ.get("TASK_QUEUE"), ...)" when the queue name comes from the environment. */
function queueSource(queue: QueueLoad): string {
  const written = queue.workers[0]?.worker.taskQueue;
  const configurable = written && 'configurable' in written ? written.configurable : undefined;
  return configurable ? ` (the default of ${environmentReference(configurable)}, configurable at deploy time)` : '';
}

function slotWord(queue: QueueLoad): string {
  return queue.slotKind === 'activity' ? 'activity slots' : 'local activity slots';
}

function describeWorkers(queue: QueueLoad): string {
  const count = queue.workers.length;
  return count === 1 ? '(one worker, one process assumed)' : `(${count} workers, one process each assumed)`;
}

function describeMix(queue: QueueLoad): string {
  return queue.activities
    .map((a) => `${a.name} ${round(a.ratePerSecond)}/s x ${formatDuration(a.meanDurationMs)}`)
    .join(', ');
}

function describeEvaluation(evaluation: ReturnType<typeof evaluateSlots>, headroom: number, slots: number): string {
  if (!evaluation.stable) {
    return `At ${headroom}x the peak the work keeps ${round(evaluation.offeredLoad)} slots busy on average, ${evaluation.offeredLoad > slots ? 'more than' : 'all'} the ${slots} there are, so the backlog grows without bound.`;
  }
  return `At ${headroom}x the peak the ${slots} slots are ${Math.round(evaluation.utilization * 100)}% busy and the p99 wait is ${formatDuration(evaluation.wait.p99 * 1000)}.`;
}

function fixFor(kind: string): string {
  switch (kind) {
    case 'repeated-call':
      return 'Declare the expected calls per execution by sizing that queue with `temporal-preflight capacity --rate <activities/s>`, or suppress this note with a reason.';
    case 'missing-duration':
      return 'Add the activity to load.activities in preflight.config with its meanDuration (and p99Duration).';
    case 'workflow-not-found':
      return 'Fix the workflow type name in load.workflows, or remove it.';
    case 'unknown-slots':
      return 'Write the slot count as a literal or a const, or size this worker with `temporal-preflight capacity`.';
    default:
      return 'Make the task queue and the registered activities statically visible (literals or consts), or size this queue with `temporal-preflight capacity`.';
  }
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}
