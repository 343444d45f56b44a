// The sentences that describe a per-run worker (WorkerDefinition.ephemeral) in a production-
// operations finding: the process that runs the worker starts the workflow, waits for its result
// and then stops the worker, so the caller sees the result or the failure. An execution outlives
// the process only when the process stops or dies mid-run (per-run-workflow-without-timeout covers
// that case); each check says what that leaves of its own concern.

import { relativePath } from '../model/typescript/locate.js';
import type { WorkerDefinition } from '../model/typescript/types.js';

/** Why a finding about fleet operations (alerts, queue waits, slot sizing) is a note for a per-run worker. */
export const FLEET_CONCERN_TAIL =
  'An execution outlives the process only when the process stops or dies mid-run (per-run-workflow-without-timeout reports a start that nothing then times out), so this is a note for a worker of this shape.';

/**
 * `lead` names what is per-run: the worker itself by default, or the workflows only it runs;
 * `tail` says what the shape means for the check (by default: a note, see FLEET_CONCERN_TAIL).
 */
export function ephemeralWorkerNote(worker: WorkerDefinition, root: string, lead = 'It is a per-run worker', tail = FLEET_CONCERN_TAIL): string {
  const where = worker.ephemeral ? `${relativePath(root, worker.ephemeral.location.file)}:${worker.ephemeral.location.line}` : '';
  const how =
    worker.ephemeral?.how === 'run-until'
      ? `runs only until the workflow result it is given settles (runUntil at ${where})`
      : `runs only for the workflow its own function starts on its task queue and awaits, then shuts down (${where})`;
  return `${lead}: it ${how}. The caller gets the result or the failure directly. ${tail}`;
}
