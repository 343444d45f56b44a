// What the model could not see that a verdict depends on. A scorecard that says PASS for worker
// capacity when no worker was found, or for determinism when the workers' workflow modules were
// never located, would be wrong at the top: these gaps make those areas `not-verified` instead.

import { relativePath } from './locate.js';
import type { ActivityImplementation, ActivityProxy, ModelGap, TemporalModel, WorkerDefinition, WorkflowDefinition, WorkflowStart } from './types.js';

export interface GapInput {
  root: string;
  workers: WorkerDefinition[];
  workflows: WorkflowDefinition[];
  activityProxies: ActivityProxy[];
  activities: ActivityImplementation[];
  starts: WorkflowStart[];
  /** Syntax errors in workflow modules or in files they import (the first error of each file). */
  brokenWorkflowFiles?: TemporalModel['parseErrors'];
}

export function modelGaps(input: GapInput): ModelGap[] {
  const { root, workers, workflows } = input;
  const gaps: ModelGap[] = [];
  const runsTemporal = workflows.length > 0 || input.activityProxies.length > 0 || input.activities.length > 0 || input.starts.length > 0;
  if (workers.length === 0 && runsTemporal) {
    gaps.push({
      areas: ['capacity', 'observability'],
      message:
        'No worker found: the reviewed code never calls Worker.create and no framework registration the tool knows creates one, ' +
        'so worker slots, shutdown and metrics were not reviewed. Review the directory (or the -p projects) that holds the worker, ' +
        'or tell us which framework creates it.',
      cause: 'no-worker',
    });
  }
  for (const worker of workers) {
    if (worker.options.kind === 'object') continue;
    gaps.push({
      areas: ['capacity'],
      message:
        `The options of the worker at ${relativePath(root, worker.location.file)}:${worker.location.line}` +
        `${worker.framework ? ` (created by ${worker.framework})` : ''} are built at run time, so its slots, pollers and shutdown grace were not reviewed.`,
      location: worker.location,
    });
  }
  const [broken, ...moreBroken] = input.brokenWorkflowFiles ?? [];
  if (broken) {
    // the checks would otherwise see workflows missing (a false workflow-not-registered error)
    const where = `${relativePath(root, broken.file)}:${broken.line}`;
    gaps.push({
      areas: ['determinism', 'payloads'],
      message:
        `The workflow code does not parse (${where}: ${broken.message}${moreBroken.length ? `; and ${moreBroken.length} more file${moreBroken.length === 1 ? '' : 's'}` : ''}), ` +
        'so its workflows were not reviewed for determinism or payloads, nor whether the workers register the workflow types that are started. Fix the syntax error.',
      location: { file: broken.file, line: broken.line, column: 1 },
      cause: 'parse-error',
    });
    return gaps;
  }
  const expectsWorkflows = workers.length === 0 || workers.some((w) => w.workflowsPath !== null || w.usesBundle || w.workflowsUnresolved);
  if (workflows.length === 0 && expectsWorkflows && (workers.length > 0 || input.activityProxies.length > 0 || input.starts.length > 0)) {
    gaps.push({
      areas: ['determinism', 'payloads'],
      message:
        'No workflow found: ' +
        (workers.length > 0 ? "the workers' workflow modules could not be located" : 'no worker names a workflow module and no file uses @temporalio/workflow') +
        ', so workflow code was not reviewed for determinism or payloads. Review the directory that holds the workflows.',
      cause: 'no-workflow',
    });
  }
  return gaps;
}
