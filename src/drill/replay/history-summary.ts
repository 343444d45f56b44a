// What a replay verdict needs from a history besides the replay itself: the execution's ids and
// type, whether it was closed when recorded, and its events in the dialect-neutral names replay
// errors use. Shared by the TypeScript replay processes and the Python replay coordinator.

export interface HistorySummary {
  workflowId: string;
  runId: string;
  workflowType: string;
  /** The history ends with the execution's close event. */
  closed: boolean;
  events: { eventId: number; eventType: string; activityType?: string; childWorkflowType?: string }[];
}

const CLOSE_EVENTS = new Set([
  'WorkflowExecutionCompleted',
  'WorkflowExecutionFailed',
  'WorkflowExecutionTimedOut',
  'WorkflowExecutionCanceled',
  'WorkflowExecutionTerminated',
  'WorkflowExecutionContinuedAsNew',
]);

/** Event ids, types and the activity / child types, in the dialect-neutral names replay errors use. */
export function summarizeHistory(raw: unknown): HistorySummary {
  const events = ((raw as { events?: unknown[] }).events ?? []) as Record<string, unknown>[];
  let workflowType = '';
  let runId = '';
  let workflowId = '';
  const out: HistorySummary['events'] = [];
  for (const event of events) {
    const eventType = normalizeEventType(String(event['eventType'] ?? ''));
    const attributes = Object.entries(event).find(([key]) => key.endsWith('EventAttributes'))?.[1] as Record<string, unknown> | undefined;
    const nameOf = (key: string) => ((attributes?.[key] as { name?: string } | undefined)?.name ?? undefined);
    if (eventType === 'WorkflowExecutionStarted') {
      workflowType = nameOf('workflowType') ?? '';
      runId = String(attributes?.['originalExecutionRunId'] ?? '');
      workflowId = String(attributes?.['workflowId'] ?? '');
    }
    const activityType = nameOf('activityType');
    const childWorkflowType = eventType.startsWith('StartChildWorkflow') ? nameOf('workflowType') : undefined;
    out.push({
      eventId: Number(event['eventId']),
      eventType,
      ...(activityType ? { activityType } : {}),
      ...(childWorkflowType ? { childWorkflowType } : {}),
    });
  }
  return { workflowId, runId, workflowType, closed: CLOSE_EVENTS.has(out.at(-1)?.eventType ?? ''), events: out };
}

function normalizeEventType(type: string): string {
  if (!type.startsWith('EVENT_TYPE_')) return type;
  return type
    .slice('EVENT_TYPE_'.length)
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
