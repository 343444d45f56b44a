// What makes an activity long-running for the heartbeat checks (DESIGN.md catalog, TEMPORAL-FACTS.md section 4).

import type { ActivityImplementation, LongRunningSign } from '../../model/typescript/types.js';

/** Attempts allowed to run longer than this count as long-running. */
export const LONG_START_TO_CLOSE_MS = 10_000;

/** Signs that the implementation loops over awaits: a loop is where a heartbeat belongs. */
const LOOP_SIGN_KINDS = new Set<LongRunningSign['kind']>(['loop-with-await', 'poll']);

export function loopSignsOf(implementation: ActivityImplementation): LongRunningSign[] {
  // `for await (... of stream)` is recorded as a stream sign, but it is a loop over awaits too.
  return implementation.longRunning.filter((sign) => LOOP_SIGN_KINDS.has(sign.kind) || (sign.kind === 'stream' && /^for\s+await\b/.test(sign.text)));
}

/** "sleeps", "streams": the verb for a long-running sign in a message. */
export function signVerb(kind: LongRunningSign['kind']): string {
  switch (kind) {
    case 'sleep':
      return 'sleeps';
    case 'stream':
      return 'streams';
    case 'poll':
      return 'polls';
    case 'loop-with-await':
      return 'loops over awaits';
  }
}
