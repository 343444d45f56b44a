// Upper bounds on numeric inputs of the planning and simulation commands. Each is far beyond any
// real system, and each keeps the computation finite and fast: without them `capacity --rate
// 1e308` never returned and `simulate outage --rate 1e308` printed infinite attempts as a result.

import { UsageError } from './errors.js';

const DAY_MS = 86_400_000;

export const LIMITS = {
  /** Activities or workflows started per second (the largest Temporal clusters serve about 1e5-1e6). */
  ratePerSecond: { max: 1e8, text: '100,000,000 per second' },
  /** Busy slots at once (rate x headroom x mean duration): the slot planner's range. */
  offeredLoad: { max: 1e10, text: '10,000,000,000 busy slots' },
  slots: { max: 1e10, text: '10,000,000,000 slots' },
  headroom: { max: 1000, text: '1000' },
  durationCv: { max: 100, text: '100' },
  /** An activity duration or a schedule-to-start target. */
  activityDurationMs: { max: 366 * DAY_MS, text: '366 days' },
  /** Workflows in flight when an outage starts. */
  workflows: { max: 1e9, text: '1,000,000,000' },
  /** The outage simulator covers at most 30 days (simulate/outage.ts). */
  simulatedMs: { max: 30 * DAY_MS, text: '30 days (the longest simulated horizon)' },
  /** A drill's timeout or outage window: it runs in real time. */
  drillDurationMs: { max: 7 * DAY_MS, text: '7 days' },
  /** The drill compares with a simulation over the outage plus as long again, at most 30 days. */
  drillOutageMs: { max: 15 * DAY_MS, text: '15 days (the simulation beside the drill covers twice the outage, at most 30 days)' },
} as const;

export type LimitName = keyof typeof LIMITS;

/** The value, or a usage error naming the flag, what was given and the limit. */
export function withinLimit(flag: string, given: string, value: number, limit: LimitName): number {
  const { max, text } = LIMITS[limit];
  if (!(value <= max)) throw new UsageError(`${flag} ${given}: more than the limit of ${text}`);
  return value;
}
