// Whether a workflow's run ends by itself, bounded by what it does: every activity it schedules
// has a bound on its duration and a finite number of attempts (a startToClose timeout and
// maximumAttempts, or a scheduleToClose timeout), and its code has no wait without a timeout, no
// continue-as-new, no child started without a timeout and no loop that nothing bounds. Such a run
// ends unless its workflow task keeps failing (a bad deploy): a run or execution timeout there
// guards against that, not against the workflow's own design. The same rule for every language:
// the activity options come from the proxy reviews, the rest from the run-shape facts (Python:
// computed by the front-end; TypeScript: model/typescript/workflow-run-shape.ts).

import type { CodeModel, SourceLocation, WorkflowRunShapeFacts } from '../../model/types.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { workflowRunShapes } from '../../model/typescript/workflow-run-shape.js';
import { formatDuration } from '../duration.js';
import { proxyReviews, type ProxyReview } from './proxy-review.js';

export type RunBound =
  /** Every activity bounded, nothing else that waits or loops: `activities` says how, per activity. */
  | { kind: 'bounded'; activities: string[] }
  /** Something can keep the run open (or the review cannot tell): `why` says what, as a sentence fragment. */
  | { kind: 'open'; why: string; location?: SourceLocation };

const shapeCache = new WeakMap<CodeModel, WorkflowRunShapeFacts[]>();

function shapesOf(model: CodeModel): WorkflowRunShapeFacts[] {
  if (model.runShapes) return model.runShapes;
  let shapes = shapeCache.get(model);
  if (!shapes) {
    shapes = model.language === 'python' ? [] : workflowRunShapes(model as TemporalModel);
    shapeCache.set(model, shapes);
  }
  return shapes;
}

/** Whether each run of `workflow` is bounded by its own code (see the head of this file). */
export function workflowRunBound(model: CodeModel, workflow: string): RunBound {
  const python = model.language === 'python';
  const shape = shapesOf(model).find((candidate) => candidate.workflow === workflow);
  if (!shape) return { kind: 'open', why: `the review could not find the code of ${workflow}, so whether its runs end by themselves is not known` };
  const first = <T extends { location: SourceLocation }>(list: T[]) => list[0];
  const wait = first(shape.untimedWaits);
  if (wait) return { kind: 'open', why: `${workflow} waits with ${wait.text}, which can wait forever`, location: wait.location };
  const loop = first(shape.unboundedLoops);
  if (loop) return { kind: 'open', why: `${workflow} loops with no bound (\`${loop.text}\`)`, location: loop.location };
  const continued = first(shape.continuesAsNew);
  if (continued) return { kind: 'open', why: `${workflow} continues as new, so its chain of runs goes on`, location: continued.location };
  const child = first(shape.untimedChildren);
  if (child) {
    const timeouts = python ? 'execution_timeout or run_timeout' : 'workflowExecutionTimeout or workflowRunTimeout';
    return { kind: 'open', why: `${workflow} runs child workflow ${child.text} with no ${timeouts}`, location: child.location };
  }
  // Python activity calls outside a workflow class (a module-level helper) belong to no workflow the review can name: activityRetriesBound.
  const retries = activityRetriesBound(model, workflow);
  if (retries.kind === 'none') return { kind: 'open', why: retries.why };
  if (retries.kind === 'open') return { kind: 'open', why: retries.why, ...(retries.location ? { location: retries.location } : {}) };
  return retries;
}

export type ActivityRetriesBound =
  /** Every activity the workflow schedules has a finite number of attempts of bounded length: `activities` says how, per proxy (call). */
  | { kind: 'bounded'; activities: string[] }
  /** Some activity retries without limit, or the review cannot read its policy or attempt length: `why` says which. */
  | { kind: 'open'; why: string; location?: SourceLocation; unlimited: boolean }
  /** The review finds no activity of the workflow, or not all of them. */
  | { kind: 'none'; why: string };

/**
 * Whether every activity `workflow` schedules has its retries bounded (maximumAttempts with a
 * startToClose timeout, or a scheduleToClose timeout): the activity half of workflowRunBound,
 * without the waits, loops and children of the run's shape.
 */
export function activityRetriesBound(model: CodeModel, workflow: string): ActivityRetriesBound {
  const python = model.language === 'python';
  if (python && model.activityProxies.some((proxy) => proxy.workflowNames.length === 0)) {
    return { kind: 'none', why: 'some activities are scheduled from helper functions the review does not tie to a workflow, so not every activity of its runs is known' };
  }
  const reviews = proxyReviews(model).filter((review) => review.proxy.workflowNames.includes(workflow) && review.uses.length > 0);
  if (reviews.length === 0) return { kind: 'none', why: `the review finds no activity ${workflow} runs, so it cannot tell what its runs wait on` };
  const activities: string[] = [];
  for (const review of reviews) {
    const bound = activityBound(review, python);
    if (bound.kind === 'open') return { ...bound, location: review.proxy.location };
    activities.push(bound.text);
  }
  return { kind: 'bounded', activities };
}

/** How one proxy's activities are bounded, or why they are not. */
function activityBound(review: ProxyReview, python: boolean): { kind: 'bounded'; text: string } | { kind: 'open'; why: string; unlimited: boolean } {
  const names = review.label;
  const field = python
    ? { scheduleToClose: 'schedule_to_close_timeout', startToClose: 'start_to_close_timeout', attempts: 'maximum_attempts' }
    : { scheduleToClose: 'scheduleToCloseTimeout', startToClose: 'startToCloseTimeout', attempts: 'maximumAttempts' };
  const { scheduleToClose, startToClose } = review.timeouts;
  if (scheduleToClose.known && Number.isFinite(scheduleToClose.ms) && scheduleToClose.source === 'written') {
    return { kind: 'bounded', text: `${names} (${field.scheduleToClose} ${formatDuration(scheduleToClose.ms)})` };
  }
  if (!review.retry.known) return { kind: 'open', unlimited: false, why: `the retry policy of ${names} is not one the review can read (${review.retry.unresolved.text}), so its activities' attempts may be unlimited` };
  const attempts = review.retry.policy.maximumAttempts;
  if (attempts === 0) {
    const holder = python ? 'the call' : 'the proxy';
    const written = review.retry.written ? `${holder}'s retry policy sets no ${field.attempts}` : `${holder} has no retry policy`;
    return { kind: 'open', unlimited: true, why: `the activities scheduled with ${names} are retried without limit: ${written} (unlimited attempts) and no ${field.scheduleToClose} stops them` };
  }
  if (!startToClose.known || !Number.isFinite(startToClose.ms)) {
    return { kind: 'open', unlimited: false, why: `the review cannot read a bound on how long an attempt of the activities scheduled with ${names} runs (no ${field.startToClose} or ${field.scheduleToClose} it can read)` };
  }
  return { kind: 'bounded', text: `${names} (${field.startToClose} ${formatDuration(startToClose.ms)}, at most ${attempts} attempt${attempts === 1 ? '' : 's'})` };
}
