// How many replay processes to run: never more than there are histories (an idle process is
// pure cost, and an unused pre-started one used to keep the run from exiting), never more than
// asked, and by default one per CPU. PREFLIGHT_CPUS overrides the CPU count, for CI runners that
// report the host's cores rather than the container's share, and for tests.

import os from 'node:os';
import { UsageError } from '../../engine/errors.js';

export const CPU_COUNT_ENV = 'PREFLIGHT_CPUS';
const MAX_CPUS = 1024;

export function cpuCount(env: NodeJS.ProcessEnv = process.env): number {
  const forced = env[CPU_COUNT_ENV];
  if (forced === undefined || forced.trim() === '') return os.availableParallelism();
  const n = Number(forced);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CPUS) throw new UsageError(`${CPU_COUNT_ENV}=${forced}: expected a whole number from 1 to ${MAX_CPUS}`);
  return n;
}

/** Replay processes for this many histories: 0 when there is nothing to replay. */
export function replayPoolSize(histories: number, processes?: number): number {
  return Math.max(0, Math.min(processes ?? cpuCount(), histories));
}
