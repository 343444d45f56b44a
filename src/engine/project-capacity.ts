// `capacity [dir]`: the planner over every task queue of a project. The load per queue comes from
// the load model (declared peak starts x activities per execution, routed by task queue); the
// target and headroom from the config; the configured slots from the workers polling the queue.

import path from 'node:path';
import { loadConfig } from './config.js';
import { parseDuration } from './duration.js';
import { buildLoadModel, type LoadUnknown } from './load-model.js';
import { relative } from './run-checks.js';
import { UsageError } from './errors.js';
import { projectDirectory } from './project-directory.js';
import { projectModels } from './project-models.js';
import type { TemporalModel } from '../model/typescript/types.js';
import { evaluateSlots, planSlots, type SlotEvaluation, type SlotPlan } from '../simulate/slot-planner.js';

export interface QueueCapacity {
  taskQueue: string;
  slotKind: 'activity' | 'local-activity';
  /** Arrivals per second at the declared peak, without headroom. */
  ratePerSecond: number;
  meanDurationMs: number;
  durationCv: number;
  /** False when some arrivals could not be counted: the plan is a lower bound. */
  complete: boolean;
  activities: { name: string; ratePerSecond: number; meanDurationMs: number }[];
  plan: SlotPlan;
  /** Slots per worker process summed over the workers polling the queue, when all are known. */
  configuredSlots: number | null;
  /** The configured slots at the planned rate. */
  evaluation?: SlotEvaluation & { meetsTarget: boolean };
}

export interface ProjectCapacityReport {
  targetMs: number;
  headroom: number;
  queues: QueueCapacity[];
  unknowns: (Omit<LoadUnknown, 'location'> & { file?: string; line?: number })[];
}

export async function planProject(dir: string, options: { config?: string; project?: string[] } = {}): Promise<ProjectCapacityReport> {
  const root = projectDirectory(dir);
  const { config } = loadConfig(root, options.config);
  if (Object.keys(config.load.workflows).length === 0) {
    throw new UsageError(`${root}: no load declared; add load.workflows.<type>.peakStartsPerSecond (and load.activities.<type>.meanDuration) to preflight.config.json`);
  }
  // A mixed repository plans the queues of both languages; each model routes its own workers.
  const models = await projectModels(root, config, options.project?.map((p) => path.resolve(p)));
  const loads = models.map((model) => buildLoadModel(model as TemporalModel, config));
  const load = { queues: loads.flatMap((l) => l.queues), unknowns: loads.flatMap((l) => l.unknowns) };
  const targetMs = parseDuration(config.targets.scheduleToStartP99) ?? 500;
  const headroom = config.targets.headroom;
  const queues = load.queues
    .filter((q) => q.ratePerSecond > 0 && q.meanDurationMs > 0)
    .map((q): QueueCapacity => {
      const base = { ratePerSecond: q.ratePerSecond, meanDurationMs: q.meanDurationMs, durationCv: q.durationCv, targetMs, headroom, percentile: 99 };
      const plan = planSlots(base);
      const known = q.workers.every((w) => typeof w.slots === 'number') && q.workers.length > 0;
      const configuredSlots = known ? q.workers.reduce((sum, w) => sum + (w.slots as number), 0) : null;
      const evaluation = configuredSlots ? evaluateSlots({ ...base, slots: configuredSlots }) : undefined;
      return {
        taskQueue: q.taskQueue,
        slotKind: q.slotKind,
        ratePerSecond: q.ratePerSecond,
        meanDurationMs: q.meanDurationMs,
        durationCv: q.durationCv,
        complete: q.complete,
        activities: q.activities.map((a) => ({ name: a.name, ratePerSecond: a.ratePerSecond, meanDurationMs: a.meanDurationMs })),
        plan,
        configuredSlots,
        ...(evaluation ? { evaluation: { ...evaluation, meetsTarget: evaluation.waitAtPercentile <= targetMs / 1000 } } : {}),
      };
    })
    .sort((a, b) => a.taskQueue.localeCompare(b.taskQueue) || a.slotKind.localeCompare(b.slotKind));
  const unknowns = load.unknowns.map(({ location, ...rest }) => ({ ...rest, ...(location ? { file: relative(root, location.file), line: location.line } : {}) }));
  return { targetMs, headroom, queues, unknowns };
}
