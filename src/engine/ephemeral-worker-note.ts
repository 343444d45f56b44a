// The sentence that says why a production-operations finding is only a note for a per-run worker
// (WorkerDefinition.ephemeral): the process that runs the worker starts the workflow, waits for its
// result and then stops the worker, so the caller sees every failure and nothing outlives the run.

import { relativePath } from '../model/typescript/locate.js';
import type { WorkerDefinition } from '../model/typescript/types.js';

/** `lead` names what is per-run: the worker itself by default, or the workflows only it runs. */
export function ephemeralWorkerNote(worker: WorkerDefinition, root: string, lead = 'It is a per-run worker'): string {
  const where = worker.ephemeral ? `${relativePath(root, worker.ephemeral.location.file)}:${worker.ephemeral.location.line}` : '';
  const how =
    worker.ephemeral?.how === 'run-until'
      ? `runs only until the workflow result it is given settles (runUntil at ${where})`
      : `runs only for the workflow its own function starts on its task queue and awaits, then shuts down (${where})`;
  return `${lead}: it ${how}. The caller gets the result or the failure directly, and an execution outlives the process only when the process dies mid-run, so this is a note, not a production risk.`;
}
