// Workflow state that a signal or update handler sets and that the workflow's main function reads
// only before its first wait (read by workflow-signal-state-read-too-early), in either language:
//
//   let paused = false;
//   setHandler(pauseSignal, () => { paused = true; });
//   if (paused) return;              // the only read: before the first await
//   await createRun(input);
//
// Handlers run only when a workflow task delivers their message: in the first task (a
// signal-with-start, or a message that reached the server before the first task ran; both SDKs
// apply those before the main function's first line runs) or at a later wait. A read that runs only
// before the first wait never sees a message sent while the workflow runs.

import type { MessageFacts, MessageSendFacts, SourceLocation } from './types.js';

export interface EarlySignalStateRead {
  /** The workflow type. */
  workflow: string;
  /** The state as written (`paused`, `self._paused`). */
  name: string;
  /** Where handlers set it (first write per handler). */
  writes: { kind: 'signal' | 'update'; name?: string; location: SourceLocation; text: string }[];
  /** The reads of the main function, all before its first wait; the first is reported. Empty when `unread`. */
  reads: { location: SourceLocation; text: string }[];
  /**
   * Nothing reads the state at all: no code of the workflow, no query handler or validator; only
   * handlers that set it (and, for a toggle, check it). The first write is reported.
   */
  unread?: true;
  /** The first wait of the main function (its first `await`, `for await`, `async for`, `async with`). */
  wait: { location: SourceLocation; text: string };
  /** A send of one of the messages by the reviewed code to a running workflow (`handle.signal(...)`), when one is seen. */
  sent?: { location: SourceLocation; call: string; name: string };
}

/**
 * A send of one of the messages to a running workflow of this type: its handle targets the type,
 * or its target is unknown and no other workflow handles the name. Signal-with-starts do not count.
 */
export function sendToRunningWorkflow(facts: MessageFacts | undefined, workflow: string, messages: { kind: 'signal' | 'update'; name?: string }[]): MessageSendFacts | undefined {
  if (!facts) return undefined;
  const handledElsewhere = (kind: string, name: string) => facts.workflows.some((w) => w.workflow !== workflow && w.handles.some((h) => h.kind === kind && h.name === name));
  return facts.sends.find(
    (send) =>
      send.targetBy !== 'with-start' &&
      messages.some((m) => m.name === send.name && m.kind === send.kind) &&
      (send.targets.includes(workflow) || (send.targets.length === 0 && !handledElsewhere(send.kind, send.name))),
  );
}
