// Turns a replay error from the SDK into a readable verdict: the SDK's own message, the event id
// where replay diverged, and the command the history expected versus the one the code issued
// (TEMPORAL-FACTS.md section 9). Message shapes come from the Rust core shipped in
// @temporalio/core-bridge 1.24; anything unrecognised keeps the SDK's message as it is.

/**
 * 'running': a history without a close event that replayed without divergence. Replay checks the
 * commands up to the last completed workflow task only, so what the execution does next is not
 * verified: not a failure, but not counted ok either.
 */
export type ReplayOutcome = 'ok' | 'running' | 'nondeterminism' | 'error';

export interface ReplayDivergence {
  outcome: ReplayOutcome;
  message: string;
  eventId: number | null;
  /** What the history recorded (e.g. "ActivityTaskScheduled noopActivity"). */
  expected: string | null;
  /** What the current code issued (e.g. "ScheduleActivityTask otherActivity"), or "no command". */
  issued: string | null;
  /** The activity / child workflow type the code issued, used to find the source location. */
  issuedType: string | null;
  issuedKind: 'activity' | 'local-activity' | 'child-workflow' | null;
}

interface MinimalEvent {
  eventId: number;
  eventType: string;
  activityType?: string;
  childWorkflowType?: string;
}

export function classifyReplayError(error: { name?: string; message?: string } | undefined, events: MinimalEvent[]): ReplayDivergence {
  if (!error) return { outcome: 'ok', message: '', eventId: null, expected: null, issued: null, issuedType: null, issuedKind: null };
  const raw = error.message ?? String(error);
  const core = /\[TMPRL1100\][^"]*/.exec(raw)?.[0]?.trim();
  // DeterminismViolationError: TypeScript SDK; NondeterminismError: Python SDK (temporalio.workflow)
  const isNondeterminism = error.name === 'DeterminismViolationError' || error.name === 'NondeterminismError' || Boolean(core);
  const message = (core ?? raw.split('\n')[0] ?? '').replace(/\\'/g, "'");
  if (!isNondeterminism) {
    return { outcome: 'error', message, eventId: null, expected: null, issued: null, issuedType: null, issuedKind: null };
  }

  const noCommand = /No command scheduled for event HistoryEvent\(id: (\d+), (\w+)\)/.exec(message);
  if (noCommand) {
    const eventId = Number(noCommand[1]);
    const event = events.find((e) => e.eventId === eventId);
    const what = event?.activityType ?? event?.childWorkflowType;
    return {
      outcome: 'nondeterminism',
      message,
      eventId,
      expected: `${noCommand[2]}${what ? ` ${what}` : ''}`,
      issued: 'no command',
      issuedType: null,
      issuedKind: null,
    };
  }

  const mismatch = /of scheduled event '([^']*)' does not match (activity type|activity id|child workflow type|child workflow id) of (local activity |activity )?command '([^']*)'/.exec(message);
  if (mismatch) {
    const expectedValue = mismatch[1]!;
    const field = mismatch[2]!;
    const issuedValue = mismatch[4]!;
  const local = /local activity/.test(message);
    const child = field.startsWith('child');
    const event = child
      ? events.find((e) => e.eventType === 'StartChildWorkflowExecutionInitiated' && e.childWorkflowType === expectedValue)
      : events.find((e) => e.eventType === (local ? 'MarkerRecorded' : 'ActivityTaskScheduled') && e.activityType === expectedValue);
    return {
      outcome: 'nondeterminism',
      message,
      eventId: event?.eventId ?? null,
      expected: `${child ? 'StartChildWorkflowExecutionInitiated' : local ? 'local activity' : 'ActivityTaskScheduled'} ${expectedValue}`,
      issued: `${child ? 'StartChildWorkflowExecution' : local ? 'ScheduleLocalActivity' : 'ScheduleActivityTask'} ${issuedValue}`,
      issuedType: field.endsWith('type') ? issuedValue : null,
      issuedKind: child ? 'child-workflow' : local ? 'local-activity' : 'activity',
    };
  }

  const anyId = /(?:id:? |event )(\d+)/.exec(message);
  return {
    outcome: 'nondeterminism',
    message,
    eventId: anyId ? Number(anyId[1]) : null,
    expected: null,
    issued: null,
    issuedType: null,
    issuedKind: null,
  };
}
