// The outage drill's measurements, read from the histories the server recorded.

import { actionsCostUsd } from '../../simulate/actions-cost.js';
import { actionsOf, type WorkflowFacts } from '../harness/history-facts.js';
import type { SimulatedTotals } from './outage-comparison.js';

export interface ActivityAttempts {
  activityType: string;
  /** Activities of this type scheduled. */
  activities: number;
  /** Attempts made, counting first attempts (ActivityTaskStarted.attempt). */
  attempts: number;
  maxAttempts: number;
  completed: number;
  failed: number;
  /** The fault hit this type (named, or it retried during a dependency outage). */
  affected: boolean;
}

export interface OutageDrillReport {
  drill: 'outage';
  fault: { activityTypes: string[]; dependencies: string[]; outageMs: number; outageStartMs: number; attemptDurationMs: number };
  taskQueue: string;
  workflows: { started: number; completed: number; failed: number; open: number };
  activities: ActivityAttempts[];
  /** Billable Actions recorded in the histories (§10): starts, activity attempts, timers, signals. */
  actions: number;
  costUsd: number;
  simulation: {
    /**
     * Measured extra time between failing attempts beyond the policy's backoff (failure report,
     * retry timer, dispatch); the simulation adds it to the attempt duration.
     */
    attemptOverheadMs: number;
    overheadSamples: number;
    /** Attempts of the affected activity types, measured and simulated (the given policy). */
    measuredAttempts: number;
    simulatedAttempts: number;
    /** (measured - simulated) / simulated. */
    deviation: number;
    scenarios: SimulatedTotals[];
  };
  problems: string[];
  verdict: 'pass' | 'fail';
}

export function activityAttempts(facts: WorkflowFacts[], namedTypes: string[]): ActivityAttempts[] {
  const byType = new Map<string, ActivityAttempts>();
  for (const activity of facts.flatMap((f) => f.activities)) {
    const row = byType.get(activity.activityType) ?? {
      activityType: activity.activityType,
      activities: 0,
      attempts: 0,
      maxAttempts: 0,
      completed: 0,
      failed: 0,
      affected: namedTypes.includes(activity.activityType),
    };
    row.activities += 1;
    row.attempts += activity.attempts;
    row.maxAttempts = Math.max(row.maxAttempts, activity.attempts);
    if (activity.outcome === 'completed') row.completed += 1;
    else if (activity.outcome !== 'open') row.failed += 1;
    // with a dependency outage, a type that had to retry is one that calls the dependency
    if (namedTypes.length === 0 && (activity.attempts > 1 || activity.outcome === 'failed' || activity.outcome === 'timed-out')) row.affected = true;
    byType.set(activity.activityType, row);
  }
  return [...byType.values()].sort((a, b) => a.activityType.localeCompare(b.activityType, 'en'));
}

export function workflowCounts(facts: WorkflowFacts[]): OutageDrillReport['workflows'] {
  return {
    started: facts.length,
    completed: facts.filter((f) => f.outcome === 'completed').length,
    failed: facts.filter((f) => f.outcome !== 'completed' && f.outcome !== 'running').length,
    open: facts.filter((f) => f.outcome === 'running').length,
  };
}

export function billedActions(facts: WorkflowFacts[]): { actions: number; costUsd: number } {
  const actions = facts.reduce((sum, f) => sum + actionsOf(f), 0);
  return { actions, costUsd: actionsCostUsd(actions) };
}
