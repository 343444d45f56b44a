// The one sentence that tells a team what an outage costs in retries (TEMPORAL-FACTS.md §3, §10),
// e.g. "an outage of 30 minutes makes 25 attempts per activity; at 10,000 workflows in flight
// that is 250,000 Actions (about $12.50)".

import { actionsCostUsd, formatUsd } from './actions-cost.js';
import { attemptsDuringOutage, type EffectiveRetryPolicy } from './retry-policy.js';

export interface OutageCostSentenceInput {
  policy: EffectiveRetryPolicy;
  outageMs: number;
  workflowsInFlight: number;
  attemptDurationMs?: number;
  /** The count is an upper bound: "makes up to N attempts per activity" followed by this clause, and "that is up to". */
  upperBound?: string;
}

export function outageCostSentence(input: OutageCostSentenceInput): string {
  const result = attemptsDuringOutage(input.policy, input.outageMs, input.attemptDurationMs ?? 0);
  const actions = result.attempts * input.workflowsInFlight;
  const cost = actionsCostUsd(actions);
  const price = cost < 0.01 ? 'under $0.01' : `about ${formatUsd(cost)}`;
  const ending =
    result.outcome === 'succeeded'
      ? ''
      : `, and every activity still fails (${result.outcome === 'TIMEOUT' ? 'scheduleToClose timeout' : 'maximum attempts reached'}) before the dependency recovers`;
  const upTo = input.upperBound === undefined ? '' : 'up to ';
  return (
    `an outage of ${spokenDuration(input.outageMs)} makes ${upTo}${countOf(result.attempts, 'attempt')} per activity${input.upperBound ?? ''}; ` +
    `at ${countOf(input.workflowsInFlight, 'workflow')} in flight that is ${upTo}${countOf(actions, 'Action')} ` +
    `(${price})${ending}`
  );
}

function countOf(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** "30 minutes", "1 hour", "45 seconds", "1.5 hours": how people say an outage's length. */
export function spokenDuration(ms: number): string {
  const units: [string, number][] = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]];
  for (const [unit, size] of units) {
    const value = ms / size;
    if (value >= 1 && (Number.isInteger(value) || unit === 'second' || Number.isInteger(value * 10))) {
      const text = Number.isInteger(value) ? String(value) : String(Math.round(value * 10) / 10);
      return `${text} ${unit}${value === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}
