// Business deadlines per activity type from the config (`deadlines.activities.<type>: '15m'`):
// how long the business can wait for the activity, retries included.

import type { PreflightConfig } from '../config.js';
import { formatDuration, parseDuration } from '../duration.js';

export interface ActivityDeadline {
  type: string;
  ms: number;
}

/** The configured deadlines of the given activity types, in the order given. */
export function deadlinesOf(config: PreflightConfig, types: string[]): ActivityDeadline[] {
  const deadlines: ActivityDeadline[] = [];
  for (const type of types) {
    const written = config.deadlines.activities[type];
    if (written === undefined) continue;
    const ms = parseDuration(written);
    if (ms !== null && ms > 0) deadlines.push({ type, ms });
  }
  return deadlines;
}

/** "chargeCard (15m) and refund (1h)". */
export function describeDeadlines(deadlines: ActivityDeadline[]): string {
  const parts = deadlines.map((d) => `${d.type} (${formatDuration(d.ms)})`);
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
