// What a continue-as-new leaves behind, in either language (read by continue-as-new-drops-state):
//
// - an input field (or a trailing positional parameter) the workflow reads, left out of the new
//   run's input written in place (`continueAsNew({ repoId: input.repoId, cursor })` while the body
//   reads `input.triggerEvaluation`): the next run silently starts with the default;
// - a collection in workflow scope that signal or update handlers fill and the workflow reads,
//   which the continue-as-new arguments do not mention and the workflow never waits to see
//   drained: messages received by the old run and not yet processed are lost;
// - (Python) a running total on the workflow instance (`self._facts_total += n`, started at 0 in
//   `__init__`) that the run hands to an activity or returns, and that the new input neither
//   carries nor restores: the next run counts from 0 again and reports lower totals.

import type { SourceLocation } from './types.js';

export type DroppedStateUse = 'condition' | 'activity' | 'other';

export interface DroppedContinueAsNewState {
  kind: 'field' | 'parameter' | 'handler-state' | 'accumulator';
  /** The workflow type. */
  workflow: string;
  /** The field, parameter or variable as written (`triggerEvaluation`, `pending`, `self._pending`). */
  name: string;
  /** For a field: the parameter that holds it (`input`) and its type's name when known. */
  holder?: string;
  holderType?: string;
  /** The continue-as-new call that leaves it out. */
  continueAsNew: SourceLocation;
  /** The first read that decides something (a condition, an activity's argument), else the first read. */
  read: SourceLocation;
  readText: string;
  use: DroppedStateUse;
  /** For handler state: where a handler fills it. */
  feed?: { location: SourceLocation; text: string; kind: 'signal' | 'update' | 'message'; name?: string };
}

const USE_RANK: Record<DroppedStateUse, number> = { condition: 0, activity: 1, other: 2 };

/** The read a message points at: a condition first, then an activity argument, then the first read. */
export function pickRead<T extends { use: DroppedStateUse }>(reads: T[]): T | undefined {
  let best: T | undefined;
  for (const read of reads) if (!best || USE_RANK[read.use] < USE_RANK[best.use]) best = read;
  return best;
}
