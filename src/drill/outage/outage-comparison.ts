// The simulation beside the outage drill: `simulateOutage` fed with exactly what the drill did.
// Each failing activity is a workflow in flight at the start of an outage as long as what was left
// of the window when the server scheduled it (from its history), so arrivals at any rate, and
// activities scheduled after earlier steps of a workflow, are modelled without approximation.

import { actionsCostUsd } from '../../simulate/actions-cost.js';
import { simulateOutage, type ScenarioName } from '../../simulate/outage.js';
import type { RetryPolicyInput } from '../../simulate/retry-policy.js';

export interface ScheduledActivity {
  /** When the server scheduled it, epoch ms. */
  scheduledAtMs: number;
  retryPolicy: RetryPolicyInput;
}

export interface SimulatedTotals {
  name: ScenarioName;
  totalAttempts: number;
  actions: number;
  costUsd: number;
  completed: number;
  failed: number;
}

export interface ComparisonInput {
  activities: ScheduledActivity[];
  windowStartMs: number;
  windowEndMs: number;
  attemptDurationMs: number;
  /** The failure type the outage raises, when the activity surfaces it unchanged. */
  failureType?: string;
}

const GROUP_MS = 10;

/**
 * Sums of the `given` and `server-default` scenarios over every scheduled activity. (The
 * `recommended` policy is chosen per outage length, so it is not summed; `simulate outage` gives it.)
 */
export function simulateDrillOutage(input: ComparisonInput): SimulatedTotals[] {
  const totals = new Map<ScenarioName, SimulatedTotals>();
  for (const group of groups(input)) {
    const simulation = simulateOutage({
      policy: group.policy,
      attemptDurationMs: input.attemptDurationMs,
      workflowsInFlight: group.count,
      outageMs: group.remainingMs,
      ...(input.failureType ? { failureType: input.failureType } : {}),
    });
    for (const scenario of simulation.scenarios.filter((s) => s.name !== 'recommended')) {
      const sum = totals.get(scenario.name) ?? { name: scenario.name, totalAttempts: 0, actions: 0, costUsd: 0, completed: 0, failed: 0 };
      sum.totalAttempts += scenario.totalAttempts;
      sum.actions += scenario.actions;
      sum.completed += scenario.completed;
      sum.failed += scenario.failed;
      totals.set(scenario.name, sum);
    }
  }
  return [...totals.values()].map((sum) => ({ ...sum, costUsd: actionsCostUsd(sum.actions) }));
}

interface Group {
  policy: RetryPolicyInput;
  remainingMs: number;
  count: number;
}

/** Activities with the same policy and (to 10 ms) the same remaining outage share one run. */
function groups(input: ComparisonInput): Group[] {
  const byKey = new Map<string, Group>();
  for (const activity of input.activities) {
    // Scheduled before the window: its first attempt ran while the dependency was up.
    const remainingMs = activity.scheduledAtMs < input.windowStartMs ? 0 : Math.max(0, input.windowEndMs - activity.scheduledAtMs);
    const rounded = Math.round(remainingMs / GROUP_MS) * GROUP_MS;
    const key = `${JSON.stringify(activity.retryPolicy)}|${rounded}`;
    const group = byKey.get(key) ?? { policy: activity.retryPolicy, remainingMs: rounded, count: 0 };
    group.count += 1;
    byKey.set(key, group);
  }
  return [...byKey.values()].sort((a, b) => a.remainingMs - b.remainingMs);
}
